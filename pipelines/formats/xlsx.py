"""XLSX: every sheet as a table, each cell as the sheet shows it.

openpyxl is the maintained reader and writer of SpreadsheetML, and the one Python library that gives both a cell's
number format (a 0.409 shown as `40.9%` must be read as 40.9 %) and the merged ranges (spread over every cell they
cover); python-calamine is faster but gives neither. Values are the cached results of formulas (data_only), as
Excel last showed them. Charts and images are counted as unread parts.
"""

from __future__ import annotations

import datetime
import io
import re
import tomllib
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from pipelines.formats.errors import Rejected
from pipelines.formats.tables import TextBuilder, make_table

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DEFAULT_SHEET_NAME = re.compile(
    tomllib.loads((Path(__file__).parents[1] / "rules" / "formats.toml").read_text("utf-8"))["tables"][
        "default_sheet_names"])
_DECIMALS = re.compile(r"0\.(0+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^]]*\]')  # literal text and colour/locale codes in a number format


def read_xlsx(data: bytes) -> tuple[TextBuilder, int]:
    """The text and the number of parts not read (charts, images)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        raise Rejected("damaged", f"The file is an Excel workbook (.xlsx) that cannot be opened ({error}).",
                       MEDIA_TYPE) from None
    builder, unread = TextBuilder(), len(workbook.chartsheets)  # a sheet that is only a chart
    for sheet in workbook.worksheets:
        unread += len(getattr(sheet, "_charts", ())) + len(getattr(sheet, "_images", ()))
        rows = [[_shown(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]
        for merged in sheet.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = value
        if not _DEFAULT_SHEET_NAME.match(sheet.title):
            builder.line(sheet.title)
        builder.table(make_table(rows))
    workbook.close()
    return builder, unread


def _shown(value: object, number_format: str) -> str:
    """A cell's value as Excel shows it: percentages scaled, the decimals its format asks for, dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | datetime.date | datetime.time):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    number_format = _QUOTED.sub("", number_format.split(";")[0])
    percent = "%" in number_format
    if percent:
        value *= 100
    decimals = _DECIMALS.search(number_format)
    if decimals:
        text = f"{value:.{len(decimals.group(1))}f}"
    elif percent or number_format.strip() in ("0", "#,##0"):
        text = f"{value:.0f}"
    else:
        text = f"{value:.15g}"  # General: the shortest form that round-trips what Excel shows
    return text + ("%" if percent else "")
