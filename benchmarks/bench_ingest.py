"""Ingest speed on a folder of PDFs: pages/s and chars/s of reading PDFs into repaired text.

    uv run --frozen python benchmarks/bench_ingest.py [--docs 200] [--font STSong-Light|zh-ttf] [--workdir DIR]

Writes `--docs` synthetic reports (pipelines.synth, about 9 KB of text each) as A4 PDFs with reportlab (lines
wrapped at the margin, a page number at the foot of each page, as a word processor prints them), then times, single
process:
  - **pdf text**: `pipelines.formats.read` on each file's bytes (PDFium's text layer, page by page);
  - **ingest**: `ingest.read_raw_folder` on the folder: listing, hashing, reading, repair and normalisation, i.e.
    everything a build does before documents are cut.
Prints pages/s and chars/s (characters of the text read) for each. Not a test: no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipelines import formats
from pipelines.ingest import read_raw_folder
from pipelines.synth import corpus_text

SEED = 11
_TTF = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def write_pdf(text: str, path: Path, font: str) -> None:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    y, page = height - 60, 1
    for paragraph in text.split("\n"):
        rest = paragraph
        while True:
            cut = 1
            while cut <= len(rest) and pdfmetrics.stringWidth(rest[:cut], font, 11) < width - 120:
                cut += 1
            line, rest = rest[: cut - 1], rest[cut - 1:]
            pdf.setFont(font, 11)
            pdf.drawString(60, y, line)
            y -= 17
            if y < 70:
                pdf.drawCentredString(width / 2, 40, f"— {page} —")
                pdf.showPage()
                y, page = height - 60, page + 1
            if not rest:
                break
    pdf.setFont(font, 11)
    pdf.drawCentredString(width / 2, 40, f"— {page} —")
    pdf.save()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--font", default="STSong-Light", choices=["STSong-Light", "zh-ttf"])
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    if args.font == "zh-ttf":
        if not _TTF.exists():
            print(f"{_TTF} is absent: run `make fonts`", file=sys.stderr)
            return 2
        pdfmetrics.registerFont(TTFont("zh-ttf", str(_TTF), subfontIndex=0))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="zhibiao-bench-ingest-"))
    folder = workdir / "pdfs"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for i in range(args.docs):
        write_pdf(corpus_text(SEED, i), folder / f"report_{i:05d}.pdf", args.font)
    print(f"wrote {args.docs} PDFs ({args.font}) in {time.perf_counter() - started:.1f} s to {folder}")

    paths = sorted(folder.glob("*.pdf"))
    blobs = [path.read_bytes() for path in paths]
    started = time.perf_counter()
    reads = [formats.read(path.name, blob) for path, blob in zip(paths, blobs)]
    seconds = time.perf_counter() - started
    pages, chars = sum(r.pages for r in reads), sum(len(r.text) for r in reads)
    mb = sum(map(len, blobs)) / 1e6
    print(f"pdf text   {pages:6d} pages {chars:9,d} chars {mb:6.1f} MB in {seconds:6.2f} s: "
          f"{pages / seconds:7.1f} pages/s {chars / seconds:10,.0f} chars/s")

    started = time.perf_counter()
    raw_files, sources, rejected = read_raw_folder(folder)
    seconds = time.perf_counter() - started
    assert not rejected, rejected
    chars = sum(len(s.text) for s in sources)
    print(f"ingest     {pages:6d} pages {chars:9,d} chars {len(raw_files):6d} files in {seconds:6.2f} s: "
          f"{pages / seconds:7.1f} pages/s {chars / seconds:10,.0f} chars/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
