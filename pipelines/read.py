"""The analyst's Python entry: the published warehouse as polars DataFrames.

    from pipelines import read
    facts = read.facts(region="芜湖市", indicator="rd_expenditure")    # canonical value + the readable one
    panel = read.panel(period="FY")                                    # region × year, a column per core indicator
    growth = read.derived(metric="yoy_growth_pct")
    read.document(facts["doc_id"][0])                                  # in a notebook: the report, facts marked

Every call opens the warehouse read-only and closes it before returning, so a build can publish a new file at any
time and nothing here can change the warehouse. The warehouse is `warehouse=` where given, else
$ZHIBIAO_WAREHOUSE, else the one `make build` leaves. A filter takes one value or a list of values.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import polars as pl

from pipelines import show
from pipelines.paths import DEFAULT_WAREHOUSE

Filter = str | int | Sequence[str | int] | None


def warehouse_path(warehouse: Path | str | None = None) -> Path:
    path = Path(warehouse or os.environ.get("ZHIBIAO_WAREHOUSE") or DEFAULT_WAREHOUSE)
    if not path.is_file():
        raise FileNotFoundError(f"no warehouse at {path}: run `make build` or pass warehouse=")
    return path


@contextlib.contextmanager
def connect(warehouse: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse, closed on leaving."""
    con = duckdb.connect(str(warehouse_path(warehouse)), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _where(filters: dict[str, Filter], alias: str = "") -> tuple[str, dict[str, list]]:
    """`WHERE` over the filters given (None: no filter), as parameters, never as SQL text."""
    clauses, params = [], {}
    for column, wanted in filters.items():
        if wanted is None:
            continue
        values = [wanted] if isinstance(wanted, str | int) else list(wanted)
        clauses.append(f'list_contains(${column}, {alias}"{column}")')
        params[column] = values
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def facts(
    *, region: Filter = None, indicator: Filter = None, year: Filter = None, period: Filter = None,
    kind: Filter = None, measure: Filter = None, doc_id: Filter = None, warehouse: Path | str | None = None,
) -> pl.DataFrame:
    """The facts (contract columns, canonical `value` and `unit`), each with its Chinese `indicator_name`, the value
    as a person reads it (`value_shown`: ≥ 1000亿元) and the characters as written, in report order."""
    where, params = _where(dict(region=region, indicator=indicator, year=year, period=period, kind=kind,
                                measure=measure, doc_id=doc_id), alias="f.")
    with connect(warehouse) as con:
        return con.sql(
            "SELECT f.*, r.indicator_name, r.value_shown, r.as_written FROM facts f "
            f"JOIN facts_readable r USING (fact_id) {where} ORDER BY f.source_file, f.doc_id, f.span_start, f.fact_id",
            params=params,
        ).pl()


def panel(*, region: Filter = None, year: Filter = None, period: Filter = None,
          warehouse: Path | str | None = None) -> pl.DataFrame:
    """`indicator_panel`: region × year × period, one column per core indicator (resolved actual levels)."""
    where, params = _where(dict(region=region, year=year, period=period))
    with connect(warehouse) as con:
        return con.sql(f"SELECT * FROM indicator_panel {where} ORDER BY region, year, period", params=params).pl()


def derived(*, metric: Filter = None, region: Filter = None, year: Filter = None, indicator: Filter = None,
            warehouse: Path | str | None = None) -> pl.DataFrame:
    """`derived_metrics`, each row with its `bound` and the documents, facts and resolved figures behind it."""
    where, params = _where(dict(metric=metric, region=region, year=year, indicator=indicator))
    with connect(warehouse) as con:
        return con.sql(
            f"SELECT * FROM derived_metrics {where} ORDER BY metric, region, year, period, indicator", params=params
        ).pl()


def document(doc_id_or_file: str, *, warehouse: Path | str | None = None) -> show.Document:
    """A report: `.doc` (its row of `documents`, text included), `.facts` (its facts as `facts_readable` rows) and
    `.unread` (numbers read as no fact); a notebook shows it as the page of `zhibiao show`."""
    with connect(warehouse) as con:
        doc_ids = show.find_documents(con, doc_id_or_file)
        if len(doc_ids) != 1:
            raise LookupError(f"{doc_id_or_file!r} names {len(doc_ids)} documents"
                              + (f": {', '.join(doc_ids)}" if doc_ids else ""))
        return show.load_document(con, doc_ids[0])
