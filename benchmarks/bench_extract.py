"""Speed of the text -> facts path, single process, next to a bare regex scan of the same text.

    uv run --frozen python benchmarks/bench_extract.py [--mb 50] [--seed 1] [--corpus ../shared/corpus/reports]

Builds at least --mb MB (UTF-8) of report text: synthetic reports from pipelines.synth, plus the seed reports
when ../shared/seeds exists; or, with --corpus, the files of that raw folder (the development corpus), read as a
build reads them and repeated until they reach --mb. Then, after a warm-up, times per document: the documents stage (normalise +
build_documents), extract_document (segment + mentions + facts), and a bare `finditer` of number + unit over the
same documents. Prints chars/s of each by wall-clock and by CPU time (`time.process_time`: on a machine shared
with other work the wall clock counts their time too, CPU time only this process's), facts/s, and the peak RSS of
the process. Not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipelines.documents import build_documents  # noqa: E402
from pipelines.extract import extract_document  # noqa: E402
from pipelines.ingest import SourceText, normalise, read_raw_folder  # noqa: E402
from pipelines.regions import Gazetteer  # noqa: E402
from pipelines.synth import corpus_text  # noqa: E402

SEEDS_DIR = REPO.parent / "shared" / "seeds"
BARE_NUMBER_UNIT = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:元|家|项|个|件|%)")
WARM_UP_DOCS = 30


def source_texts(megabytes: float, seed: int) -> list[SourceText]:
    """The seed reports (when present), then synthetic reports until the text reaches `megabytes`."""
    sources = read_raw_folder(SEEDS_DIR)[1] if SEEDS_DIR.is_dir() else []
    size = sum(len(s.text.encode("utf-8")) for s in sources)
    i = 0
    while size < megabytes * 1_000_000:
        text = corpus_text(seed, i)
        name = f"synth_{i:05d}.txt"
        sources.append(SourceText(name, (name,), "utf-8", "text/plain", text, text,
                                  hashlib.sha256(text.encode("utf-8")).hexdigest()))
        size += len(text.encode("utf-8"))
        i += 1
    return sources


def folder_texts(folder: Path, megabytes: float) -> list[SourceText]:
    """The texts of a raw folder, repeated until they reach `megabytes` (a small corpus times too briefly)."""
    texts = read_raw_folder(folder)[1]
    if not texts:
        raise SystemExit(f"{folder} holds no readable text")
    size = sum(len(s.text.encode("utf-8")) for s in texts)
    return texts * max(1, math.ceil(megabytes * 1_000_000 / size))


def _renormalised(source: SourceText) -> SourceText:
    """The source as ingest leaves it, normalised again inside the timed documents stage."""
    text = normalise(source.original_text)
    return SourceText(source.source_file, source.source_files, source.encoding, source.media_type,
                      source.original_text, text, hashlib.sha256(text.encode("utf-8")).hexdigest())


def timed(label: str, seconds: tuple[float, float], chars: int, extra: str = "") -> None:
    """One row: (wall, CPU) seconds and the chars/s of each."""
    wall, cpu = seconds
    print(f"{label:<34} {wall:7.2f} s {chars / wall / 1e6:7.3f} M chars/s | CPU {cpu:7.2f} s "
          f"{chars / cpu / 1e6:7.3f} M chars/s  {extra}")


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    """(wall, CPU) seconds since `start` (from `clocks`)."""
    wall, cpu = clocks()
    return wall - start[0], cpu - start[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="megabytes of UTF-8 report text to build (50)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus (1)")
    parser.add_argument("--corpus", type=Path, help="time the files of this raw folder instead of synthetic reports")
    args = parser.parse_args()

    start = time.perf_counter()
    sources = folder_texts(args.corpus, args.mb) if args.corpus else source_texts(args.mb, args.seed)
    megabytes = sum(len(s.text.encode("utf-8")) for s in sources) / 1e6
    what = (f"the files of {args.corpus}, repeated" if args.corpus
            else f"{'with' if SEEDS_DIR.is_dir() else 'without'} the seeds")
    print(f"corpus: {len(sources)} files, {megabytes:.1f} MB UTF-8 ({what}), built in {time.perf_counter() - start:.1f} s")

    gazetteer = Gazetteer()
    for source in sources[:WARM_UP_DOCS]:
        for doc in build_documents(source, gazetteer):
            extract_document(doc)

    start = clocks()
    documents = [doc for source in sources for doc in build_documents(_renormalised(source), gazetteer)]
    documents_seconds = since(start)
    chars = sum(len(doc.text) for doc in documents)

    start = clocks()
    n_facts = n_mentions = 0
    for doc in documents:
        _, _, mentions, facts = extract_document(doc)
        n_mentions += len(mentions)
        n_facts += len(facts)
    extract_seconds = since(start)

    start = clocks()
    n_matches = sum(1 for doc in documents for _ in BARE_NUMBER_UNIT.finditer(doc.text))
    regex_seconds = since(start)

    print(f"{len(documents)} documents, {chars / 1e6:.1f} M chars\n")
    timed("documents (normalise + build)", documents_seconds, chars)
    timed("extract (segment+mentions+facts)", extract_seconds, chars,
          f"{n_facts / extract_seconds[1]:,.0f} facts/CPU s ({n_facts:,} facts, {n_mentions:,} mentions)")
    timed("bare regex number+unit finditer", regex_seconds, chars, f"{n_matches:,} matches")
    print(f"\nextract is {extract_seconds[1] / regex_seconds[1]:,.0f}x the bare regex scan (CPU time)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
