"""Table blocks, and the one shape every table takes in a document's text.

HTML tables, DOCX tables and XLSX sheets all become a `Table`: rows of cells, merged cells spread over every row
and column they cover, the header rows counted and the unit each column's header states (`成交额(亿元)` -> 亿元).
In the text a table is one line per row, `| cell | cell |`: the shape pipe tables already have in web text, so
the facts stage reads one table shape. `TextBuilder` writes blocks and records where every cell is, so a fact can
point at its cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.mentions import SCALES, UNITS

_SPACE = re.compile(r"\s+")
# A cell that is a "label: value" pair (发布机构:… 索引号:…): a table of only such cells is a form, not data.
_KEY_VALUE = re.compile(r"^[^:：|]{1,12}[:：]")
_NUMBER = re.compile(r"[-+]?\d[\d,]*(\.\d+)?%?")
_YEAR = re.compile(r"(19|20)\d\d")  # a header of years (| 指标 | 2022 | 2023 |) is still a header
# A unit in brackets at the end of a header, with or without a 单位 label: 成交额(亿元), 投入(单位:万元).
_HEADER_UNIT = re.compile(r"[(（]\s*(?:单位\s*[:：]\s*)?([^()（）]{1,8}?)\s*[)）]\s*$")
_UNIT_WORDS = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_SCALE_WORDS = "|".join(sorted(map(re.escape, SCALES), key=len, reverse=True))
_UNIT = re.compile(rf"(?:{_SCALE_WORDS})?(?:{_UNIT_WORDS})|(?:{_SCALE_WORDS})")


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # every row as wide as the table, merged cells spread
    header_rows: int  # how many rows at the top are headers
    units: tuple[str | None, ...]  # per column, the unit its header states
    captions: tuple[str, ...] = ()  # title rows above the table (one text merged across it), written as lines
    cells: tuple[tuple[tuple[int, int], ...], ...] = ()  # per row, each cell's (start, end) in the text written


def header_unit(header: str) -> str | None:
    """The unit a header cell states in brackets at its end, if it is a unit word (亿元, %, 家, 万人次 …)."""
    match = _HEADER_UNIT.search(header)
    if match and _UNIT.fullmatch(match.group(1)):
        return match.group(1)
    return None


def spread(rows: Sequence[Sequence[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows of (text, colspan, rowspan) cells as a full grid: a merged cell's text fills every place it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    grid.setdefault((r + dr, c + dc), text)
            c += max(colspan, 1)
    height = len(rows)
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def make_table(rows: Sequence[Sequence[str]], header_rows: int | None = None) -> Table | None:
    """A table of the non-empty rows and columns, cells' white space collapsed; None when nothing is left. Header
    rows, unless given, are the leading rows without a number (other than a year) in any cell."""
    cleaned = [[_cell_text(cell) for cell in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    width = max((len(row) for row in cleaned), default=0)
    cleaned = [row + [""] * (width - len(row)) for row in cleaned]
    keep = [c for c in range(width) if any(row[c] for row in cleaned)]
    cleaned = [[row[c] for c in keep] for row in cleaned]
    captions = []
    while cleaned and is_caption_row(cleaned[0]):
        captions.append(next(cell for cell in cleaned.pop(0) if cell))
        header_rows = None if header_rows is None else max(header_rows - 1, 0)
    if not cleaned:
        return None
    if header_rows is None:
        header_rows = 0
        while header_rows < len(cleaned) - 1 and not any(
                _NUMBER.fullmatch(cell) and not _YEAR.fullmatch(cell) for cell in cleaned[header_rows]):
            header_rows += 1
    units = tuple(
        next((u for r in reversed(range(header_rows)) if (u := header_unit(cleaned[r][c]))), None)
        for c in range(len(keep))
    )
    return Table(tuple(tuple(row) for row in cleaned), header_rows, units, tuple(captions))


def is_caption_row(row: Sequence[str]) -> bool:
    """A row whose every filled cell holds one text (a title merged across the table) is a caption, not data."""
    return len(row) > 1 and len({cell for cell in row if cell}) == 1


def _cell_text(cell: str) -> str:
    # A `|` inside a cell would split it in the text; it is written as a broken bar, which reads the same.
    return _SPACE.sub(" ", cell).strip().replace("|", "¦")


class TextBuilder:
    """A document's text built block by block: lines, page breaks and tables, with each table cell's offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.tables: list[Table] = []

    def line(self, text: str) -> None:
        """A line of text; leading white space (a paragraph's indent) is kept, blank lines are not."""
        if text.strip():
            self._add(text.rstrip() + "\n")

    def page_break(self) -> None:
        """A form feed starts every page after the first, as pdftotext writes it: the page breaks stay known."""
        self._add("\f")

    def table(self, table: Table | None) -> None:
        if table is None:
            return
        if all(_KEY_VALUE.match(cell) for row in table.rows for cell in row if cell):
            for row in table.rows:  # a form of labelled fields: one field a line, as on the page
                for c, cell in enumerate(row):
                    if not c or cell != row[c - 1]:  # a merged field, spread, is written once
                        self.line(cell)
            return
        for caption in table.captions:
            self.line(caption)
        cells = []
        for row in table.rows:
            if len(row) == 1 or is_caption_row(row):  # a one-column table is a list of lines
                self.line(next(cell for cell in row if cell))
                cells.append(())
                continue
            spans, offset = [], self._length + 2
            for cell in row:
                spans.append((offset, offset + len(cell)))
                offset += len(cell) + 3
            self._add("| " + " | ".join(row) + " |\n")
            cells.append(tuple(spans))
        self.tables.append(Table(table.rows, table.header_rows, table.units, table.captions, tuple(cells)))

    def text(self) -> str:
        return "".join(self._parts).rstrip("\n")

    def _add(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)
