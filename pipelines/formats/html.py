"""HTML: the text a browser shows, with data tables as table blocks.

selectolax's Lexbor parser is a maintained, fast HTML5 parser that reads the malformed pages portals serve the way
a browser does. A `<table>` holding data becomes a table block (rows, cells, colspan/rowspan spread); a table that
lays out the page (one nested in another, or with cells of running text) is read as ordinary blocks.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipelines.formats.tables import Table, TextBuilder, make_table, spread

_RULES_DIR = Path(__file__).parents[1] / "rules"
_RULES = tomllib.loads((_RULES_DIR / "ingest_rules.toml").read_text("utf-8"))["html"]
_MAX_CELL_CHARS = tomllib.loads((_RULES_DIR / "formats.toml").read_text("utf-8"))["tables"]["max_cell_chars"]
_EXTENSIONS = tuple(_RULES["extensions"])
_INVISIBLE_TAGS = frozenset(_RULES["invisible_tags"])
_BLOCK_TAGS = frozenset(_RULES["block_tags"])
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")  # not &nbsp;, which is visible space
_START = re.compile(r"\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                    re.IGNORECASE | re.DOTALL)
_CELL_TAGS = ("td", "th")
_EMBEDDED = "body object, body embed, body iframe"


def is_html(name: str, text: str) -> bool:
    return name.lower().endswith(_EXTENSIONS) or _START.match(text[:4096]) is not None


def read_html(html: str) -> tuple[TextBuilder, int]:
    """What a browser shows: invisible elements dropped, block elements on lines of their own, data tables as
    table blocks; and the number of embedded objects and frames, whose content is not read."""
    tree = LexborHTMLParser(html)
    unread = len(tree.css(_EMBEDDED))
    pieces: list[str | Table] = []
    _collect(tree.body or tree.root, pieces)
    builder = TextBuilder()
    text: list[str] = []
    for piece in [*pieces, None]:
        if isinstance(piece, str):
            text.append(piece)
            continue
        for line in "".join(text).split("\n"):
            builder.line(line.strip())
        text = []
        builder.table(piece)
    return builder, unread


def _collect(node: LexborNode, pieces: list) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            pieces.append(_WHITESPACE.sub(" ", child.text_content or ""))
        elif tag in _INVISIBLE_TAGS or not child.is_element_node:
            continue
        elif tag == "table" and (table := _data_table(child)) is not None:
            caption = child.css_first("caption")
            if caption is not None:
                pieces.extend(["\n", _cell_text(caption), "\n"])
            pieces.append(table)
        elif tag in _BLOCK_TAGS:
            pieces.append("\n")
            _collect(child, pieces)
            pieces.append("\n")
        else:
            _collect(child, pieces)


def _data_table(node: LexborNode) -> Table | None:
    if len(node.css("table")) > 1:  # css() matches the node itself too: more than one means a nested table
        return None
    rows, header_rows, in_header = [], 0, True
    for tr in node.css("tr"):
        cells = [child for child in tr.iter() if child.tag in _CELL_TAGS]
        if not cells:
            continue
        row = [(_cell_text(cell), _span(cell, "colspan"), _span(cell, "rowspan")) for cell in cells]
        if any(len(text) > _MAX_CELL_CHARS for text, _, _ in row):
            return None
        in_header = in_header and (all(c.tag == "th" for c in cells) or tr.parent.tag == "thead")
        header_rows += in_header
        rows.append(row)
    grid = spread(rows)
    if not grid or len(grid[0]) < 2:
        return None  # a one-column table is a list of lines
    return make_table(grid, header_rows or None)


def _cell_text(cell: LexborNode) -> str:
    pieces: list = []
    _collect(cell, pieces)
    return "".join(p for p in pieces if isinstance(p, str))


def _span(cell: LexborNode, attribute: str) -> int:
    value = (cell.attributes.get(attribute) or "").strip()
    return min(int(value), 1000) if value.isdigit() and int(value) > 0 else 1
