"""Each fact's own region: the region its words name, not always the document's.

The region rules are tried in order; the name of the one that decided goes into `Fact.region_source`:
- `table_row`: a table row's first cell (长沙市), or its total row (全省合计: the province; 合计: the document's);
- `scope_nation`, `scope_province`: 全国… / 全省… as the nearest scope word before the figure in its clause
  group: the whole country (全国), or the document's province (in a province's own report, the document's region);
- `document`: the document's own region (我市, 全市, or no scope word at all).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.documents import Document

NATION = "全国"
_ASIDE = re.compile(r"[(（][^()（）]*[)）]")


def table_row_region(label: str, doc: Document, province_totals: tuple[str, ...],
                     document_totals: tuple[str, ...]) -> tuple[str | None, str]:
    """(region, rule) of a table row whose first cell is `label`: a total row belongs to the parent region, any
    other row to the region it names, as written (新吴区(无锡高新区) is 新吴区)."""
    if label.startswith(province_totals):
        return doc.province, "table_total_province"
    if label.startswith(NATION):
        return NATION, "table_total_nation"
    if label in document_totals:
        return doc.region, "table_total"
    return _ASIDE.sub("", label).strip() or label, "table_row"


def scope_region(scope_word: str | None, doc: Document) -> tuple[str | None, str]:
    """(region, rule) of a figure whose nearest scope word before it is `scope_word` (None: no scope word, or one
    of the document's own: 我市, 全市, 芜湖)."""
    if scope_word is None:
        return doc.region, "document"
    if scope_word == NATION:
        return NATION, "scope_nation"
    return doc.province, "scope_province"
