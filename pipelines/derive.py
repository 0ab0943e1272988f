"""Reconcile figures stated more than once, and compute the metrics that follow from them, as SQL inside DuckDB.

facts ─► facts_resolved (one row per region, indicator, measure, year, period, kind of an aggregate code; one row per
         distinct value of such a key of a broad code) and fact_sources (its statements)
      ─► derived_metrics (ratios, GDP shares, year-on-year growth, implied prior-year levels, target attainment,
         the R&D statistical-lag check), every row naming the documents, facts and resolved rows it came from.

`create_derived_tables(con)` runs on a connection that holds `facts` (with `fact_id`), `documents` and
`reference_gdp`. Every step is a join, window or aggregate DuckDB runs out of core (it spills to its temporary
directory past its memory limit), so the build's memory does not grow with the number of facts.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import io
import math
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from pipelines import schema

# The warehouse writer applies the views and comments over derive's tables once they exist.
from pipelines.sql import INDICATOR_CODES, apply_comments, apply_views

__all__ = ["EXAMPLE_GDP", "apply_comments", "apply_views", "create_derived_tables", "derive_version", "load_reference_gdp"]

RESOLUTION_KEY = ("region", "indicator", "measure", "year", "period", "kind")

# An aggregate code has one value per region, year and period, so two values of one key disagree. A broad code
# (st_projects, key_laboratories ...) is reported as several sub-counts in one report (3 key projects, 18 tackling
# projects): each distinct value is a figure of its own. A code missing from the table counts as aggregate, so a
# disagreement is shown rather than hidden.
AGGREGATE_CODES = {row["code"]: row["aggregate"] == "true" for row in INDICATOR_CODES}

# Made-up figures in the reference GDP file's shape; `load_reference_gdp(EXAMPLE_GDP).clear()` is an empty table.
EXAMPLE_GDP = Path(__file__).parent / "rules" / "example_gdp.csv"

# Which statement of a figure wins: the more specific bound first (lower is more specific), then the later
# document, then the later place in the document (a section restates its summary paragraph with more care).
BOUND_PREFERENCE = {"exact": 0, "range": 1, "at_least": 2, "at_most": 2, "about": 3}
UNKNOWN_BOUND_RANK = 9

# Two statements hold the same value when they agree to this many significant figures (50.61亿元 and
# 506100万元 differ only in float noise).
SAME_VALUE_SIG_FIGS = 9

# A GDP implied by R&D expenditure / intensity "fits" a reference year within this relative gap.
YEAR_FIT_TOLERANCE_PCT = 0.5

YUAN_PER_100M = 100_000_000


class Ratio(NamedTuple):
    """numerator / denominator × scale of two actual levels of the same region, year, period and kind."""

    metric: str
    numerator: str
    denominator: str
    scale: float
    unit: str
    indicator: str  # the indicator the metric is about
    measure: str | None  # the facts measure the value can be compared with

    @property
    def formula(self) -> str:
        return f"{self.numerator} / {self.denominator}" + (f" × {self.scale:g}" if self.scale != 1 else "")


RATIOS = (
    Ratio("tech_contract_enterprise_share", "tech_contract_absorbed_by_enterprises", "tech_contract_absorbed",
          100.0, "percent", "tech_contract_absorbed_by_enterprises", "share_pct"),
    Ratio("tech_contract_absorbed_to_exported", "tech_contract_absorbed", "tech_contract_exported",
          1.0, "ratio", "tech_contract_absorbed", None),
    # GDP the reports imply: R&D expenditure / R&D intensity × 100 (CNY).
    Ratio("implied_gdp", "rd_expenditure", "rd_intensity", 100.0, "CNY", "gdp", "level"),
)

REFERENCE_GDP_COLUMNS = ["region", "year", "gdp_100m_cny", "source_kind", "source_url"]


def load_reference_gdp(path: Path | str) -> pl.DataFrame:
    """A user's GDP file (region, year, gdp_100m_cny, source_kind, source_url; lines starting with # are notes),
    with the GDP also in yuan (`gdp_cny`).

    Read as users' files come: UTF-8 with or without a byte-order mark, or GB18030 (Excel on Chinese Windows saves
    "CSV" in the ANSI code page); commas or tabs; figures with thousands separators (1,250.5). What cannot be read
    is a ValueError naming the line and the column."""
    path = Path(path)
    text = _decode_gdp_file(path)
    rows = [(number, cells) for number, cells in _csv_rows(text) if not cells[0].lstrip().startswith("#")]
    if not rows:
        raise ValueError(f"{path}: the reference GDP file holds no header line")
    (_, header), body = rows[0], rows[1:]
    header = [name.strip().lstrip("\ufeff") for name in header]
    missing = [c for c in REFERENCE_GDP_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path}: the reference GDP file lacks the column(s) {', '.join(missing)} "
                         f"(its header is: {', '.join(header)})")
    records = []
    for number, cells in body:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise ValueError(f"{path}, line {number}: {len(cells)} fields where the header has {len(header)} "
                             "(a figure written 1,250.5 must be in quotes in a comma-separated file)")
        row = dict(zip(header, (cell.strip() for cell in cells)))
        records.append({
            "region": row["region"] or None,
            "year": _gdp_cell(row["year"], int, path, number, "year"),
            "gdp_100m_cny": _gdp_cell(row["gdp_100m_cny"], float, path, number, "gdp_100m_cny"),
            "source_kind": row["source_kind"] or None,
            "source_url": row["source_url"] or None,
        })
    frame = pl.DataFrame(records, schema=schema.polars("reference_gdp"))
    return frame.with_columns(gdp_cny=pl.col("gdp_100m_cny") * YUAN_PER_100M).filter(pl.col("region").is_not_null() & pl.col("year").is_not_null() & pl.col("gdp_cny").is_not_null())


def _decode_gdp_file(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path}: the reference GDP file is neither UTF-8 nor GB18030 text")


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty line, comma- or tab-separated as the header line is."""
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    reader = csv.reader(io.StringIO(text), delimiter="\t" if "\t" in first else ",")
    for cells in reader:
        if cells:
            yield reader.line_num, cells


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _gdp_cell(cell: str, kind: type, path: Path, line: int, column: str) -> int | float | None:
    if not cell:
        return None
    written = cell.replace(",", "") if _THOUSANDS.fullmatch(cell) else cell
    try:
        value = kind(written)
    except ValueError:
        expected = "a year such as 2023" if kind is int else "a number in 亿元 (100 million yuan) such as 1250.5"
        raise ValueError(f"{path}, line {line}, column {column}: {cell!r} is not {expected}") from None
    if kind is float and not math.isfinite(value):
        raise ValueError(f"{path}, line {line}, column {column}: {cell!r} is not a finite number")
    return value



@functools.cache
def derive_version() -> str:
    """A fingerprint of the code and tables derive runs: an incremental build re-derives only changed regions when
    the published warehouse's derived rows came from the same."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(json.dumps(INDICATOR_CODES, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


# Regions derived together, at most about this many facts at a time. Derive is regional, so a full derive is a series
# of scoped ones, and DuckDB's working set is one group's windows, not the corpus's: in one statement, 100,000
# documents ran out of the staging connection's 500 MB after extraction. A region larger than this is one group.
DERIVE_GROUP_FACTS = 250_000

_DERIVED_TABLES = ("facts_resolved", "fact_sources", "derived_metrics")


def create_derived_tables(con: duckdb.DuckDBPyConnection, regions: Collection[str] | None = None) -> None:
    """(Re)creates `facts_resolved`, `fact_sources` and `derived_metrics` from the `facts`, `documents` and
    `reference_gdp` tables of `con`; with `regions`, recomputes only those regions' rows of the existing tables.

    Derive is regional: a resolved row's key starts with its region and every metric joins figures of one region
    (and the reference GDP of that region), so a region's derived rows depend on its own facts only. An incremental
    build passes the regions whose facts it added or removed (tests/test_build.py checks it equals a full derive);
    either way the regions are derived in groups of about DERIVE_GROUP_FACTS facts."""
    if regions is None:
        for table in _DERIVED_TABLES:
            con.execute(f'DROP TABLE IF EXISTS "{table}"')
            con.execute(schema.ddl(table))
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE derive_scope (region VARCHAR)")  # the group being derived
        for statement in (_MACROS, _statements_sql()):
            con.execute(statement)
        for group in _region_groups(con, regions):
            _derive_regions(con, group)
    finally:  # the helpers are temporary (this connection only) and nothing outlives the call
        con.execute("DROP VIEW IF EXISTS temp.derive_statements")
        con.execute("DROP TABLE IF EXISTS temp.derive_scope")
        for macro in _MACRO_NAMES:
            con.execute(f"DROP MACRO IF EXISTS temp.{macro}")


def _region_groups(con: duckdb.DuckDBPyConnection, regions: Collection[str] | None) -> list[list[str]]:
    """The regions to derive (all regions with facts, or the given ones, which may have none left), in name order,
    cut into consecutive groups of about DERIVE_GROUP_FACTS facts."""
    counts = dict(con.execute("SELECT region, count(*) FROM facts WHERE region IS NOT NULL GROUP BY region").fetchall())
    groups: list[list[str]] = [[]]
    size = 0
    for region in sorted(counts if regions is None else regions):
        if groups[-1] and size + counts.get(region, 0) > DERIVE_GROUP_FACTS:
            groups.append([])
            size = 0
        groups[-1].append(region)
        size += counts.get(region, 0)
    return [group for group in groups if group]


def _derive_regions(con: duckdb.DuckDBPyConnection, regions: list[str]) -> None:
    """Replaces the derived rows of `regions` with ones computed from their facts now."""
    con.register("_derive_scope", pl.DataFrame({"region": regions}, schema={"region": pl.String}).to_arrow())
    con.execute("DELETE FROM derive_scope")
    con.execute("INSERT INTO derive_scope SELECT region FROM _derive_scope")
    con.unregister("_derive_scope")
    # a resolved row belongs to one region: its statements go with it
    con.execute("DELETE FROM fact_sources WHERE resolved_id IN "
                "(SELECT resolved_id FROM facts_resolved SEMI JOIN derive_scope USING (region))")
    for table in ("facts_resolved", "derived_metrics"):
        con.execute(f"DELETE FROM {table} WHERE region IN (SELECT region FROM derive_scope)")
    for table, body in zip(_DERIVED_TABLES, (_FACTS_RESOLVED, _FACT_SOURCES, _derived_metrics_sql())):
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM ({body})")


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"CAST({value!r} AS DOUBLE)" if isinstance(value, float) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _values(rows: list[tuple]) -> str:
    return ",\n        ".join("(" + ", ".join(_sql_literal(v) for v in row) + ")" for row in rows)


def _typed(table: str) -> str:
    """The select list that gives a derived table its columns, in order, with the types of pipelines/schema.toml."""
    return ",\n       ".join(f'CAST("{c.name}" AS {c.type}) AS "{c.name}"' for c in schema.TABLES[table].columns)


_MACRO_NAMES = ("same_value", "value_text", "derived_bound", "merged_ids")

_MACROS = f"""
-- Two statements hold the same value when they agree to {SAME_VALUE_SIG_FIGS} significant figures.
CREATE OR REPLACE TEMP MACRO same_value(x) AS
    CASE WHEN x = 0 OR NOT isfinite(x) THEN x
         ELSE round(x * pow(10, {SAME_VALUE_SIG_FIGS} - ceil(log10(abs(x)))))
              / pow(10, {SAME_VALUE_SIG_FIGS} - ceil(log10(abs(x))))
    END;

-- A value as written in a resolved_id: the shortest text that reads back as the same number (15.0, 50610000000.0,
-- 1.5e+16), plain from 0.00001 on, as the ids have always been written.
CREATE OR REPLACE TEMP MACRO value_text(x) AS
    CASE WHEN x = 0 OR NOT isfinite(x) OR abs(x) >= 0.0001 THEN CAST(x AS VARCHAR)
         WHEN abs(x) >= 0.00001
              THEN CASE WHEN x < 0 THEN '-' ELSE '' END || '0.0000'
                   || replace(split_part(CAST(abs(x) AS VARCHAR), 'e', 1), '.', '')
         ELSE replace(CAST(x AS VARCHAR), 'e-0', 'e-')
    END;

-- The bound of a figure computed from an input it rises with (a numerator, this year's level) and one it falls
-- with (a denominator, last year's level; NULL when there is none). Exact inputs give an exact figure; an input known
-- only from one side (首破千亿: at_least) bounds it from that side, flipped for the falling input; inputs bounding it
-- from opposite sides leave it unbounded; an about or range input makes it about.
CREATE OR REPLACE TEMP MACRO derived_bound(rising, falling) AS
    CASE WHEN rising IN ('about', 'range') OR falling IN ('about', 'range') THEN 'about'
         WHEN (rising = 'at_least' OR falling = 'at_most') AND (rising = 'at_most' OR falling = 'at_least')
              THEN 'unbounded'
         WHEN rising = 'at_least' OR falling = 'at_most' THEN 'at_least'
         WHEN rising = 'at_most' OR falling = 'at_least' THEN 'at_most'
         ELSE 'exact'
    END;

-- Lineage of a row computed from two inputs: the ids of both, each once, sorted.
CREATE OR REPLACE TEMP MACRO merged_ids(a, b) AS list_sort(list_distinct(list_concat(a, b)));
"""


def _statements_sql() -> str:
    """Every comparable fact with the resolved row it states and its rank among that row's statements."""
    preference = "\n".join(f"             WHEN {_sql_literal(b)} THEN {rank}" for b, rank in BOUND_PREFERENCE.items())
    codes = _values(list(AGGREGATE_CODES.items()))
    key_text = " || '|' || ".join(f"CAST({column} AS VARCHAR)" for column in RESOLUTION_KEY)
    return f"""
CREATE OR REPLACE TEMP VIEW derive_statements AS
WITH aggregate_codes (code, aggregate) AS (
    VALUES {codes}
),
recency AS (
    -- how late a document is: its publication date, else the last day of its report year
    SELECT doc_id,
           coalesce(CAST(published_date AS DATE), make_date(report_year, 12, 31)) AS doc_date,
           CAST(report_year AS INTEGER) AS doc_report_year
    FROM documents
),
comparable AS (
    -- facts with a NULL value (masked), region or year cannot be compared with anything: they stay in facts only
    SELECT f.fact_id, f.doc_id, f.region, f.indicator, f.measure, CAST(f.year AS INTEGER) AS year, f.period, f.kind,
           CAST(f.value AS DOUBLE) AS value, CAST(f.value_max AS DOUBLE) AS value_max, f.unit, f.bound,
           f.span_start, r.doc_date, r.doc_report_year,
           CASE f.bound
{preference}
             ELSE {UNKNOWN_BOUND_RANK}
           END AS bound_rank,
           same_value(CAST(f.value AS DOUBLE)) AS same_value,
           coalesce(c.aggregate, true) AS aggregate
    FROM facts f
    LEFT JOIN recency r USING (doc_id)
    LEFT JOIN aggregate_codes c ON c.code = f.indicator
    WHERE f.value IS NOT NULL AND f.region IS NOT NULL AND f.year IS NOT NULL
          AND f.region IN (SELECT region FROM derive_scope)
),
identified AS (
    -- an aggregate code's statements of one key are one figure; a broad code's are one figure per distinct value
    SELECT *,
           {key_text} || CASE WHEN aggregate THEN '' ELSE '|' || value_text(same_value) END AS resolved_id
    FROM comparable
)
SELECT *,
       -- the preference: the more specific bound, then the later document, then the later place in it
       -- (fact_id only makes the order total: two statements of one figure never share a place in a document)
       row_number() OVER (
           PARTITION BY resolved_id
           ORDER BY bound_rank NULLS LAST, doc_date DESC NULLS LAST, doc_report_year DESC NULLS LAST,
                    span_start DESC NULLS LAST, doc_id NULLS LAST, fact_id
       ) AS source_rank
FROM identified
"""


_KEY_ORDER = ", ".join(f"{column} NULLS FIRST" for column in RESOLUTION_KEY)
_KEY = ", ".join(RESOLUTION_KEY)

_FACTS_RESOLVED = f"""
WITH first_mentions AS (
    -- a value, and a document, is listed where it is first stated in order of preference
    SELECT *,
           row_number() OVER (PARTITION BY resolved_id, same_value ORDER BY source_rank) = 1 AS first_of_value,
           row_number() OVER (PARTITION BY resolved_id, doc_id ORDER BY source_rank) = 1 AS first_of_doc
    FROM derive_statements
),
statements AS (
    SELECT resolved_id,
           count(*) AS n_sources,
           list(same_value ORDER BY source_rank) FILTER (WHERE first_of_value) AS distinct_values,
           list(fact_id ORDER BY source_rank) AS fact_ids,
           list(doc_id ORDER BY source_rank) FILTER (WHERE first_of_doc) AS doc_ids
    FROM first_mentions
    GROUP BY resolved_id
),
figures AS (
    -- the winning statement gives the figure its value, bound and unit
    SELECT w.*, s.n_sources, s.distinct_values, s.fact_ids, s.doc_ids,
           w.fact_id AS chosen_fact_id, w.doc_id AS chosen_doc_id,
           len(s.distinct_values) > 1 AS conflict,
           -- derived metrics may use every aggregate figure (a conflict is settled by preference), and a broad
           -- code's figure when its key holds no other value
           w.aggregate OR count(*) OVER (PARTITION BY {_KEY}) = 1 AS unambiguous
    FROM derive_statements w
    JOIN statements s ON s.resolved_id IS NOT DISTINCT FROM w.resolved_id
    WHERE w.source_rank = 1
)
SELECT {_typed("facts_resolved")}
FROM figures
ORDER BY {_KEY_ORDER}, resolved_id NULLS FIRST
"""

_FACT_SOURCES = f"""
WITH ranked AS (
    SELECT *,
           source_rank = 1 AS is_chosen,
           same_value = first_value(same_value) OVER (PARTITION BY resolved_id ORDER BY source_rank)
               AS agrees_with_resolved
    FROM derive_statements
)
SELECT {_typed("fact_sources")}
FROM ranked
ORDER BY resolved_id NULLS FIRST, source_rank
"""


def _derived_metrics_sql() -> str:
    ratios = _values([(r.metric, r.numerator, r.denominator, r.scale, r.unit, r.indicator, r.measure, r.formula)
                      for r in RATIOS])
    no_ids = "CAST([] AS VARCHAR[])"
    lineage = ("merged_ids(a.doc_ids, b.doc_ids) AS doc_ids, merged_ids(a.fact_ids, b.fact_ids) AS fact_ids, "
               "merged_ids(a.resolved_ids, b.resolved_ids) AS resolved_ids")
    return f"""
WITH usable AS (
    -- the resolved rows a metric may use, each naming itself as its lineage
    SELECT region, indicator, measure, year, period, kind, value, unit, bound, doc_ids, fact_ids,
           [resolved_id] AS resolved_ids
    FROM facts_resolved
    WHERE unambiguous AND region IN (SELECT region FROM derive_scope)
),
actuals AS (SELECT * FROM usable WHERE kind = 'actual'),
levels AS (SELECT * FROM actuals WHERE measure = 'level'),
reference AS (
    -- the reference GDP, one row per region and year (the first listed wins)
    SELECT region, CAST(year AS INTEGER) AS year, CAST(gdp_cny AS DOUBLE) AS gdp_cny,
           'reference_gdp ' || CAST(year AS VARCHAR) || ' (' || coalesce(source_kind, '?') || ') '
               || coalesce(source_url, '') AS gdp_note
    FROM reference_gdp
    QUALIFY row_number() OVER (PARTITION BY region, year ORDER BY rowid) = 1
),
ratio_rules (metric, numerator, denominator, scale, unit, indicator, measure, formula) AS (
    VALUES {ratios}
),
ratios AS (
    SELECT r.metric, a.region, a.year, a.period, a.kind, r.indicator, r.measure,
           a.value / b.value * r.scale AS value, derived_bound(a.bound, b.bound) AS bound, r.unit, r.formula,
           {lineage}
    FROM ratio_rules r
    JOIN levels a ON a.indicator = r.numerator
    JOIN levels b ON b.indicator = r.denominator
        AND b.region = a.region AND b.year = a.year AND b.period = a.period AND b.kind = a.kind
    WHERE b.value <> 0
),
implied_gdp AS (SELECT * FROM ratios WHERE metric = 'implied_gdp' AND period = 'FY'),
known_gdp AS (
    -- the GDP a whole-year figure is divided by: the reference GDP where given, else the one R&D figures imply
    SELECT * FROM (
        SELECT region, year, gdp_cny, gdp_note, 0 AS preference, 'exact' AS bound,
               {no_ids} AS doc_ids, {no_ids} AS fact_ids, {no_ids} AS resolved_ids
        FROM reference
        UNION ALL
        SELECT region, year, value, 'implied_gdp (rd_expenditure / rd_intensity × 100)', 1, bound,
               doc_ids, fact_ids, resolved_ids
        FROM implied_gdp
    )
    QUALIFY row_number() OVER (PARTITION BY region, year ORDER BY preference) = 1
),
gdp_ratio AS (
    SELECT 'tech_contract_gdp_ratio' AS metric, a.region, a.year, a.period, a.kind, a.indicator,
           a.value / b.gdp_cny * 100 AS value, derived_bound(a.bound, b.bound) AS bound, 'percent' AS unit,
           'tech_contract_turnover / GDP × 100' AS formula, b.gdp_note AS note, {lineage}
    FROM levels a
    JOIN known_gdp b USING (region, year)
    WHERE a.indicator = 'tech_contract_turnover' AND a.period = 'FY' AND b.gdp_cny > 0
),
growth AS (
    -- every actual level stated for two consecutive years, in the same unit
    SELECT 'yoy_growth_pct' AS metric, a.region, a.year, a.period, a.kind, a.indicator, 'growth_pct' AS measure,
           (a.value / b.value - 1) * 100 AS value, derived_bound(a.bound, b.bound) AS bound, 'percent' AS unit,
           '(level[year] / level[year - 1] - 1) × 100' AS formula, {lineage}
    FROM levels a
    JOIN levels b ON b.region = a.region AND b.indicator = a.indicator AND b.measure = a.measure
        AND b.year + 1 = a.year AND b.period = a.period AND b.kind = a.kind AND b.unit = a.unit
    WHERE b.value > 0
),
prior_levels AS (
    -- the year-before level a stated growth (level / (1 + g/100)) or change in points (level − pp) implies
    SELECT a.region, a.year, a.period, a.kind, a.indicator, a.unit, a.bound, a.doc_ids, a.fact_ids, a.resolved_ids,
           b.measure AS change, b.value AS change_value, b.bound AS change_bound, b.doc_ids AS change_doc_ids,
           b.fact_ids AS change_fact_ids, b.resolved_ids AS change_resolved_ids, a.value
    FROM levels a
    JOIN actuals b ON b.region = a.region AND b.indicator = a.indicator AND b.year = a.year
        AND b.period = a.period AND b.kind = a.kind
    WHERE (b.measure = 'growth_pct' AND b.value <> -100) OR (b.measure = 'change_pp' AND a.unit = 'percent')
),
prior_level AS (
    SELECT 'implied_prior_level' AS metric, region, year - 1 AS year, period, kind, indicator, 'level' AS measure,
           CASE change WHEN 'growth_pct' THEN value / (1 + change_value / 100) ELSE value - change_value END AS value,
           derived_bound(bound, change_bound) AS bound, unit,
           CASE change WHEN 'growth_pct' THEN 'level / (1 + growth_pct / 100), year - 1'
                ELSE 'level - change_pp, year - 1' END AS formula,
           merged_ids(doc_ids, change_doc_ids) AS doc_ids, merged_ids(fact_ids, change_fact_ids) AS fact_ids,
           merged_ids(resolved_ids, change_resolved_ids) AS resolved_ids
    FROM prior_levels
),
attainment_pairs AS (
    -- an actual and the target for its period or for the whole year; an at_most target is met from below
    SELECT a.*, b.period AS target_period, b.bound AS target_bound, b.value AS target_value,
           b.doc_ids AS target_doc_ids, b.fact_ids AS target_fact_ids, b.resolved_ids AS target_resolved_ids,
           b.bound = 'at_most' AS need_low,
           CASE WHEN b.bound = 'at_most' THEN a.value <= b.value ELSE a.value >= b.value END AS meets
    FROM actuals a
    JOIN usable b USING (region, indicator, measure, year)
    WHERE b.kind = 'target' AND (b.period = a.period OR b.period = 'FY') AND b.value <> 0
),
attainment AS (
    -- target_met stays NULL when an actual known from one side only could still fall on either side of the target
    -- (at least 80 against a goal of 100); the attainment carries the actual's bound (the target's says what the
    -- goal is, not how well its value is known)
    SELECT 'target_attainment_pct' AS metric, region, year, period, kind, indicator, measure,
           value / target_value * 100 AS value, derived_bound(bound, NULL) AS bound, 'percent' AS unit,
           'actual(' || period || ') / target(' || target_period || ', ' || target_bound || ') × 100' AS formula,
           CASE WHEN (bound = 'at_least' AND meets = need_low) OR (bound = 'at_most' AND meets <> need_low) THEN NULL
                ELSE meets END AS target_met,
           merged_ids(doc_ids, target_doc_ids) AS doc_ids, merged_ids(fact_ids, target_fact_ids) AS fact_ids,
           merged_ids(resolved_ids, target_resolved_ids) AS resolved_ids
    FROM attainment_pairs
),
year_gaps AS (
    -- R&D figures are published about a year late: the implied GDP against the reference GDP of its year and the
    -- year before
    SELECT g.*, s.gdp_note AS note_same, p.gdp_note AS note_prior,
           (g.value / s.gdp_cny - 1) * 100 AS gap_same_year_pct,
           (g.value / p.gdp_cny - 1) * 100 AS gap_prior_year_pct,
           coalesce(abs((g.value / s.gdp_cny - 1) * 100), 'inf'::DOUBLE) AS abs_same,
           coalesce(abs((g.value / p.gdp_cny - 1) * 100), 'inf'::DOUBLE) AS abs_prior
    FROM implied_gdp g
    LEFT JOIN reference s ON s.region = g.region AND s.year = g.year
    LEFT JOIN reference p ON p.region = g.region AND p.year + 1 = g.year
    WHERE s.gdp_cny IS NOT NULL OR p.gdp_cny IS NOT NULL
),
year_fit AS (
    -- which year's GDP the implied GDP matches: value is the gap to the closer one, fit_year that year if the gap
    -- is within {YEAR_FIT_TOLERANCE_PCT} percent
    SELECT 'rd_gdp_year_fit' AS metric, region, year, period, kind, 'rd_expenditure' AS indicator,
           CASE WHEN abs_same <= abs_prior THEN gap_same_year_pct ELSE gap_prior_year_pct END AS value,
           bound, 'percent' AS unit, 'implied_gdp / reference_gdp[year or year - 1] - 1, × 100' AS formula,
           concat_ws('; ', note_same, note_prior) AS note,
           CASE WHEN abs_same <= abs_prior AND abs_same <= {YEAR_FIT_TOLERANCE_PCT} THEN year
                WHEN NOT abs_same <= abs_prior AND abs_prior <= {YEAR_FIT_TOLERANCE_PCT} THEN year - 1 END AS fit_year,
           gap_same_year_pct, gap_prior_year_pct, doc_ids, fact_ids, resolved_ids
    FROM year_gaps
),
metrics AS (
    SELECT * FROM ratios
    UNION ALL BY NAME SELECT * FROM gdp_ratio
    UNION ALL BY NAME SELECT * FROM growth
    UNION ALL BY NAME SELECT * FROM prior_level
    UNION ALL BY NAME SELECT * FROM attainment
    UNION ALL BY NAME SELECT * FROM year_fit
)
SELECT {_typed("derived_metrics")}
FROM metrics
ORDER BY metric, region, year, period, indicator, measure, kind, unit, value, formula
"""
