"""PDF: the text layer of every page, in reading order, each page after the first starting with a form feed.

pypdfium2 (PDFium, the engine of Chrome's PDF viewer; Apache-2.0/BSD) was chosen over pdfminer.six/pdfplumber and
PyMuPDF. On CJK PDFs written for the comparison (a seed report set in an embedded TrueType subset, and in the
non-embedded Adobe-GB1 CID font STSong-Light) both pypdfium2 and pdfminer.six gave back every character exactly, and
pypdfium2 took 8-19 ms per 3 pages against pdfminer.six's 100-270 ms; PyMuPDF is AGPL. PDFium maps CID fonts to
Unicode through their CMaps and ToUnicode tables, which is where Chinese PDFs usually go wrong.

No OCR: a page with images and no text is counted as an unread part, and a PDF with no text on any page is
rejected as `no_text_layer`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.formats.errors import Rejected
from pipelines.formats.tables import TextBuilder
from pipelines.formats.text import MIN_SENSIBLE_SHARE as _MIN_SENSIBLE_SHARE
from pipelines.formats.text import sensible_share

MEDIA_TYPE = "application/pdf"
_NOT_SPACE = re.compile(r"\s+")
_MIN_PAGE_CHARS = tomllib.loads((Path(__file__).parents[1] / "rules" / "formats.toml").read_text("utf-8"))["pdf"][
    "min_page_chars"]


def read_pdf(data: bytes) -> tuple[TextBuilder, int, int]:
    """The text, the number of pages, and the number of image-only pages (not read)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise Rejected("unsupported_format", "The PDF is password-protected; remove the password and save it "
                           "again.", MEDIA_TYPE) from None
        raise Rejected("damaged", f"The file starts like a PDF but PDFium cannot open it ({error}).",
                       MEDIA_TYPE) from None
    builder, image_pages = TextBuilder(), 0
    try:
        pages = len(document)
        for number in range(pages):
            page = document[number]
            text = page.get_textpage().get_text_range()
            if len(text.strip()) < _MIN_PAGE_CHARS:
                image_pages += any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
            if number:
                builder.page_break()
            for line in text.replace("\r\n", "\n").split("\n"):
                builder.line(line)
    finally:
        document.close()
    if not builder.text().strip("\f"):
        what = (f"its {pages} page(s) are images only: it is a scan" if image_pages == pages else
                f"none of its {pages} page(s) holds text, {image_pages} of them images only")
        raise Rejected("no_text_layer", f"The PDF has no text layer ({what}); no OCR is done here, a PDF with "
                       "selectable text is needed.", MEDIA_TYPE)
    share = sensible_share(_NOT_SPACE.sub("", builder.text()))
    if share < _MIN_SENSIBLE_SHARE:
        raise Rejected("undecodable", f"The PDF's text layer is not readable text: only {share:.0%} of its "
                       "characters are Chinese, ASCII or punctuation (fonts that do not map their glyphs to Unicode "
                       "give such text); no OCR is done here.", MEDIA_TYPE)
    return builder, pages, image_pages
