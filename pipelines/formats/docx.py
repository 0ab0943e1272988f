"""DOCX: paragraphs, headings and tables in document order.

python-docx is the maintained reader of WordprocessingML; `iter_inner_content` gives paragraphs and tables in the
order they stand, and a row's `cells` repeat a merged cell in every grid column it covers (merged cells spread).
Word's automatic list numbers (the 一、 (一) 1. of headings) are not in a paragraph's text, and python-docx does not
render them, so they are counted and written here. Pictures, charts and embedded objects are not read: each is
counted as an unread part.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path

import cn2an
import docx
from docx.oxml.ns import qn
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
    _read_blocks(document, builder, _Numbering(document))
    return builder, len(document.element.body.xpath(_UNREAD))


def _read_blocks(container, builder: TextBuilder, numbering: _Numbering) -> None:
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            builder.line(numbering.label(block) + block.text)
        elif isinstance(block, DocxTable):
            _read_table(block, builder, numbering)


def _read_table(table: DocxTable, builder: TextBuilder, numbering: _Numbering) -> None:
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    nested = any(cell.tables for row in table.rows for cell in row.cells)
    if nested or any(len(text) > _MAX_CELL_CHARS for row in rows for text in row):
        # A table that lays out the page (a report framed in one cell, say): its cells are read as blocks.
        seen = set()
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    _read_blocks(cell, builder, numbering)
        return
    builder.table(make_table(rows))


_TEN_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


class _Numbering:
    """The automatic list numbers of a document's paragraphs, counted in document order as Word counts them."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> level -> (start, format, text)
        self._counts: dict[str, list[int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return  # a document without lists
        abstract = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if levels is not None:
                self._levels[num.get(qn("w:numId"))] = {
                    int(lvl.get(qn("w:ilvl"), "0")): (int(_val(lvl, "w:start") or 1), _val(lvl, "w:numFmt") or
                                                      "decimal", _val(lvl, "w:lvlText") or "")
                    for lvl in levels.findall(qn("w:lvl"))
                }

    def label(self, paragraph: Paragraph) -> str:
        num_id, level = self._list_of(paragraph)
        levels = self._levels.get(num_id)
        if levels is None or level not in levels or not paragraph.text.strip() or levels[level][1] in ("bullet",
                                                                                                    "none"):
            return ""  # a bullet's glyph says nothing
        counts = self._counts.setdefault(num_id, [0] * 10)
        counts[level] += 1
        counts[level + 1:] = [0] * (len(counts) - level - 1)  # a new item restarts the levels below it
        label = levels[level][2]
        for shown in range(level + 1):
            start, number_format, _ = levels.get(shown, (1, "decimal", ""))
            label = label.replace(f"%{shown + 1}", _format(start - 1 + max(counts[shown], 1), number_format))
        return label

    @staticmethod
    def _list_of(paragraph: Paragraph) -> tuple[str | None, int]:
        """The list (numId) and level of a paragraph: its own numPr, else its style's, else its base styles'."""
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            style_pr = style.element.pPr
            num_pr = style_pr.numPr if style_pr is not None else None
            style = style.base_style
        if num_pr is None or num_pr.numId is None:
            return None, 0
        return str(num_pr.numId.val), num_pr.ilvl.val if num_pr.ilvl is not None else 0


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _format(n: int, number_format: str) -> str:
    if number_format in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                         "ideographDigital"):
        return cn2an.an2cn(n)
    if number_format == "chineseLegalSimplified":
        return cn2an.an2cn(n, "up")
    if number_format.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x245F + n)
    if number_format == "ideographTraditional" and 1 <= n <= 10:
        return _TEN_STEMS[n - 1]
    if number_format in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in ("lowerRoman", "upperRoman"):
        roman = ""
        for value, digits in _ROMAN:
            while n >= value:
                roman, n = roman + digits, n - value
        return roman.upper() if number_format == "upperRoman" else roman
    return str(n)
