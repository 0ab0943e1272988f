"""`zhibiao export`: the facts as a person reads them (`facts_readable`), and any other table or view, written to a
file whose suffix names the format.

- `.csv`: UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it as UTF-8 rather than GBK (polars
  writes the mark); one file per table.
- `.parquet`: DuckDB's COPY, which keeps list columns and types as they are; one file per table.
- `.xlsx`: one sheet per table, the header row frozen and column widths set (polars' `write_excel`, over
  xlsxwriter). Excel holds at most 32,767 characters in a cell: longer texts (a whole report's `text`) are cut
  there, and `export` says which columns were.

The facts go to the path given; every further table T to `NAME.T.SUFFIX` beside it for CSV and Parquet. Each file
is written beside its target and renamed into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl
import xlsxwriter

FACTS_VIEW = "facts_readable"
FORMATS = (".csv", ".parquet", ".xlsx")

# Excel keeps at most this many characters in a cell and 31 in a sheet name.
XLSX_CELL_LIMIT = 32_767
XLSX_SHEET_NAME_LIMIT = 31
# Column widths in pixels: about 7 per Latin character, twice that for a CJK one, within these bounds.
MIN_WIDTH_PX, MAX_WIDTH_PX, PX_PER_CHAR = 40, 420, 7
WIDTH_SAMPLE_ROWS = 500


class Written(NamedTuple):
    table: str
    path: Path
    rows: int
    cut_columns: tuple[str, ...] = ()  # XLSX only: columns holding a text longer than a cell takes


class ExportError(ValueError):
    """A request export cannot carry out (unknown table, unknown format); nothing was written."""


def export(warehouse: Path, target: Path, tables: Sequence[str] = ()) -> list[Written]:
    """Writes the readable facts and `tables` from the warehouse; says what went to which file."""
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{target}: the suffix must be one of {', '.join(FORMATS)}")
    wanted = [FACTS_VIEW, *dict.fromkeys(t for t in tables if t != FACTS_VIEW)]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        known = {name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"
        ).fetchall()}
        unknown = [t for t in wanted if t not in known]
        if unknown:
            raise ExportError(
                f"{warehouse} has no table or view {', '.join(unknown)}; it has: {', '.join(sorted(known))}"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".xlsx":
            frames = {t: con.sql(f'SELECT * FROM "{t}"').pl() for t in wanted}
            with _replacing(target) as partial:
                cut = _write_xlsx(frames, partial)
            return [Written(t, target, f.height, cut[t]) for t, f in frames.items()]
        written = []
        for table in wanted:
            path = target if table == FACTS_VIEW else target.with_name(f"{target.stem}.{table}{suffix}")
            with _replacing(path) as partial:
                if suffix == ".parquet":
                    quoted = str(partial).replace("'", "''")
                    con.execute(f"COPY (SELECT * FROM \"{table}\") TO '{quoted}' (FORMAT parquet)")
                    rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
                else:
                    frame = _flat(con.sql(f'SELECT * FROM "{table}"').pl())
                    frame.write_csv(partial, include_bom=True)
                    rows = frame.height
            written.append(Written(table, path, rows))
        return written
    finally:
        con.close()


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists (doc_ids, phrases ...) as text joined by '; ': CSV and a spreadsheet cell hold one value."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List | pl.Array)]
    return frame.with_columns(pl.col(c).cast(pl.List(pl.String)).list.join("; ") for c in lists)


def _write_xlsx(frames: dict[str, pl.DataFrame], path: Path) -> dict[str, tuple[str, ...]]:
    """One sheet per frame; returns, per table, the columns whose longest texts were cut to Excel's cell limit."""
    cut = {}
    with xlsxwriter.Workbook(str(path)) as workbook:
        for table, frame in frames.items():
            frame = _flat(frame)
            cut[table] = tuple(
                c for c, dtype in frame.schema.items()
                if dtype == pl.String and (frame[c].str.len_chars().max() or 0) > XLSX_CELL_LIMIT
            )
            frame = frame.with_columns(pl.col(cut[table]).str.slice(0, XLSX_CELL_LIMIT))
            frame.write_excel(
                workbook,
                worksheet=table[:XLSX_SHEET_NAME_LIMIT],
                freeze_panes=(1, 0),
                column_widths=_widths(frame),
                dtype_formats={pl.Float64: "General"},
                table_style="Table Style Light 1",
            )
    return cut


def _widths(frame: pl.DataFrame) -> dict[str, int]:
    """Each column as wide as its header or its longest value among the first rows, within bounds."""
    sample = frame.head(WIDTH_SAMPLE_ROWS)
    widths = {}
    for name in frame.columns:
        texts = [name, *(str(v) for v in sample[name].to_list() if v is not None)]
        chars = max(_display_width(t) for t in texts)
        widths[name] = max(MIN_WIDTH_PX, min(MAX_WIDTH_PX, (chars + 2) * PX_PER_CHAR))
    return widths


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text[:200])


def run(warehouse: Path, target: Path, tables: Sequence[str]) -> int:
    """The command: export, then one line per file written (or the reason nothing was)."""
    try:
        written = export(warehouse, target, tables)
    except ExportError as error:
        print(f"zhibiao: nothing exported: {error}", file=sys.stderr)
        return 2
    for item in written:
        cut = f"  (texts longer than {XLSX_CELL_LIMIT} characters cut in {', '.join(item.cut_columns)})"
        print(f"{item.table:<20} {item.rows:>8} rows  {item.path}" + (cut if item.cut_columns else ""))
    return 0
