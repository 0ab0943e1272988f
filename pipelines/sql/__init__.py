"""The analyst's SQL surface: views and comments (from pipelines/schema.toml), applied to a warehouse once its
tables exist."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import polars as pl

from pipelines import schema

SQL_DIR = Path(__file__).parent
RULES_DIR = SQL_DIR.parent / "rules"

# The one indicator table: every code facts.py may emit, its names, whether it is one of the facts contract's core
# codes, and whether it is an aggregate (one value per region, year and period; see docs/warehouse.md).
with (RULES_DIR / "facts_codes.csv").open(encoding="utf-8", newline="") as handle:
    INDICATOR_CODES: tuple[dict[str, str], ...] = tuple(csv.DictReader(handle))
CORE_INDICATORS = tuple(row for row in INDICATOR_CODES if row["core"] == "true")

def indicator_panel_sql() -> str:
    """region × year × period, one column per core indicator holding its resolved actual level."""
    columns = ",\n       ".join(
        f"max(value) FILTER (WHERE indicator = '{row['code']}') AS {row['code']}" for row in CORE_INDICATORS
    )
    codes = ", ".join(f"'{row['code']}'" for row in CORE_INDICATORS)
    return f"""CREATE OR REPLACE VIEW indicator_panel AS
SELECT region, year, period,
       {columns}
FROM facts_resolved
WHERE measure = 'level' AND kind = 'actual' AND unambiguous AND indicator IN ({codes})
GROUP BY region, year, period"""


def indicators_frame() -> pl.DataFrame:
    """The `indicators` table: each code of facts_codes.csv with its names, level unit and flags, and what counts as
    it: the phrases of indicators.csv that name it, the units it is counted in, the words it requires or refuses."""
    with (RULES_DIR / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        phrases: dict[str, list[str]] = {}
        for row in csv.DictReader(handle):
            phrases.setdefault(row["indicator"], []).append(row["phrase"])
    words = lambda cell: [w for w in cell.split("|") if w]  # noqa: E731
    return pl.DataFrame(
        [
            {
                "code": row["code"], "name_zh": row["name_zh"], "name_en": row["name_en"],
                "level_unit": row["level_unit"], "core": row["core"] == "true",
                "aggregate": row["aggregate"] == "true", "statistical_lag": row["statistical_lag"] == "true",
                "phrases": phrases.get(row["code"], []), "raw_units": words(row["raw_units"]),
                "requires": words(row["requires"]), "vetoes": words(row["vetoes"]),
            }
            for row in INDICATOR_CODES
        ],
        schema=schema.polars("indicators"),
    )


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """The `indicators` table, then the views (facts_readable reads it)."""
    con.register("_indicators", indicators_frame().to_arrow())
    con.execute("DROP TABLE IF EXISTS indicators")
    con.execute(schema.ddl("indicators"))
    con.execute("INSERT INTO indicators BY NAME SELECT * FROM _indicators")
    con.unregister("_indicators")
    con.execute(indicator_panel_sql())
    con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))


def _panel_comments() -> list[tuple[str, str, str]]:
    """The indicator_panel's indicator columns, one per core code: pipelines/schema.toml lists only its fixed ones."""
    return [
        ("indicator_panel", row["code"],
         f"{row['name_zh']} / {row['name_en']}: resolved actual level, unit {row['level_unit']}")
        for row in CORE_INDICATORS
    ]


def apply_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Comment every table, view and column of pipelines/schema.toml (and the panel's generated columns) that this
    warehouse holds; return the targets it lacks, so a writer that builds fewer tables still gets every comment
    that applies."""
    objects = {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"
    ).fetchall()}
    columns = set(con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal"
    ).fetchall())
    absent = []
    for name, column, text in [*schema.comments(), *_panel_comments()]:
        if name not in objects or (column is not None and (name, column) not in columns):
            absent.append(f"{name}.{column}" if column else name)
            continue
        con.execute(schema.comment_statement(name, column, text))
    return absent


def uncommented(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables, views and columns of the warehouse that carry no comment."""
    rows = con.execute("""
        SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal AND comment IS NULL
        UNION ALL
        SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND comment IS NULL
        UNION ALL
        SELECT table_name || '.' || column_name FROM duckdb_columns()
        WHERE schema_name = 'main' AND NOT internal AND comment IS NULL
        ORDER BY 1""").fetchall()
    return [name for (name,) in rows]
