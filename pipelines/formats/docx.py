"""DOCX: paragraphs, headings and tables in document order.

python-docx is the maintained reader of WordprocessingML; `iter_inner_content` gives paragraphs and tables in the
order they stand, and a row's `cells` repeat a merged cell in every grid column it covers (merged cells spread).
Pictures, charts and embedded objects are not read: each is counted as an unread part.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from pipelines.formats.errors import Rejected
from pipelines.formats.tables import TextBuilder, make_table

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MAX_CELL_CHARS = tomllib.loads((Path(__file__).parents[1] / "rules" / "formats.toml").read_text("utf-8"))["tables"][
    "max_cell_chars"]
# Pictures (DrawingML and VML) and embedded OLE objects; a VML picture inside an object is the object's preview.
_UNREAD = ".//w:drawing | .//w:object | .//w:pict[not(ancestor::w:object)]"


def read_docx(data: bytes) -> tuple[TextBuilder, int]:
    """The text and the number of parts not read (pictures, charts, embedded objects)."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise Rejected("damaged", f"The file is a Word document (.docx) that cannot be opened ({error}).",
                       MEDIA_TYPE) from None
    builder = TextBuilder()
    _read_blocks(document, builder)
    return builder, len(document.element.body.xpath(_UNREAD))


def _read_blocks(container, builder: TextBuilder) -> None:
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            builder.line(block.text)
        elif isinstance(block, DocxTable):
            _read_table(block, builder)


def _read_table(table: DocxTable, builder: TextBuilder) -> None:
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    nested = any(cell.tables for row in table.rows for cell in row.cells)
    if nested or any(len(text) > _MAX_CELL_CHARS for row in rows for text in row):
        # A table that lays out the page (a report framed in one cell, say): its cells are read as blocks.
        seen = set()
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    _read_blocks(cell, builder)
        return
    builder.table(make_table(rows))
