"""A fingerprint of everything the text -> facts path outputs, to show that a speed change changes no row.

    uv run --frozen python benchmarks/hash_rows.py [--synthetic 300] [--seed 1]

Runs `extract.extract_document` over the development corpus (../shared/corpus/reports) and the seed reports
(../shared/seeds) when present, plus --synthetic reports from pipelines.synth, and prints per table
(sections, sentences, mentions, facts) the row count and a hash of its rows sorted, then one TOTAL. Run it before
and after a change: an equal TOTAL means identical output. Rule edits change it by design, so take the "before"
on the same rule tables (after merging main, rerun it on main first). Not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipelines.documents import build_documents  # noqa: E402
from pipelines.extract import extract_document  # noqa: E402
from pipelines.ingest import SourceText, read_raw_folder  # noqa: E402
from pipelines.regions import Gazetteer  # noqa: E402
from pipelines.synth import corpus_text  # noqa: E402

SHARED = REPO.parent / "shared"
TABLES = ("sections", "sentences", "mentions", "facts")


def sources(synthetic: int, seed: int) -> list[SourceText]:
    """The corpus and seed files that exist here, then `synthetic` synthetic reports."""
    found = [s for folder in (SHARED / "corpus" / "reports", SHARED / "seeds") if folder.is_dir()
             for s in read_raw_folder(folder)[1]]
    for i in range(synthetic):
        text = corpus_text(seed, i)
        name = f"synth_{i:05d}.txt"
        found.append(SourceText(name, (name,), "utf-8", "text/plain", text, text,
                                hashlib.sha256(text.encode("utf-8")).hexdigest()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=300, help="synthetic reports to add (300)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic reports (1)")
    args = parser.parse_args()
    texts = sources(args.synthetic, args.seed)
    gazetteer = Gazetteer()
    rows: dict[str, list[str]] = {table: [] for table in TABLES}
    for source in texts:
        for doc in build_documents(source, gazetteer):
            for table, found in zip(TABLES, extract_document(doc)):
                rows[table].extend(repr(dataclasses.astuple(row)) for row in found)
    total = hashlib.sha256()
    for table in TABLES:
        digest = hashlib.sha256("\n".join(sorted(rows[table])).encode("utf-8")).hexdigest()[:16]
        total.update(digest.encode())
        print(f"{table:<10} {len(rows[table]):8,} rows  {digest}")
    print(f"TOTAL {total.hexdigest()[:16]}  ({len(texts)} source files)")


if __name__ == "__main__":
    main()
