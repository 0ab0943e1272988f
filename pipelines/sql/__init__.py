"""The analyst's SQL surface: views and COMMENT ON statements, applied to a warehouse once its tables exist."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import polars as pl

SQL_DIR = Path(__file__).parent
RULES_DIR = SQL_DIR.parent / "rules"

# The one indicator table: every code facts.py may emit, its names, whether it is one of the facts contract's core
# codes, and whether it is an aggregate (one value per region, year and period; see docs/warehouse.md).
with (RULES_DIR / "facts_codes.csv").open(encoding="utf-8", newline="") as handle:
    INDICATOR_CODES: tuple[dict[str, str], ...] = tuple(csv.DictReader(handle))
CORE_INDICATORS = tuple(row for row in INDICATOR_CODES if row["core"] == "true")

# One statement per match: COMMENT ON TABLE|VIEW|COLUMN target IS '...'; ('' escapes a quote inside the text).
_COMMENT = re.compile(
    r"COMMENT ON (?P<kind>TABLE|VIEW|COLUMN) (?P<object>\w+)(?:\.\"?(?P<column>\w+)\"?)? IS (?P<text>'(?:[^']|'')*')",
)


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
        schema={"code": pl.String, "name_zh": pl.String, "name_en": pl.String, "level_unit": pl.String,
                "core": pl.Boolean, "aggregate": pl.Boolean, "statistical_lag": pl.Boolean,
                "phrases": pl.List(pl.String), "raw_units": pl.List(pl.String), "requires": pl.List(pl.String),
                "vetoes": pl.List(pl.String)},
    )


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """The `indicators` table, then the views (facts_readable reads it)."""
    con.register("_indicators", indicators_frame().to_arrow())
    con.execute("CREATE OR REPLACE TABLE indicators AS SELECT * FROM _indicators")
    con.unregister("_indicators")
    con.execute(indicator_panel_sql())
    con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _panel_comments() -> str:
    return "\n".join(
        f"COMMENT ON COLUMN indicator_panel.{row['code']} IS "
        + _quoted(f"{row['name_zh']} / {row['name_en']}: resolved actual level, unit {row['level_unit']}")
        + ";"
        for row in CORE_INDICATORS
    )


def apply_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Run comments.sql (and the panel's generated comments); return the targets it names that this warehouse
    lacks, so a writer that builds fewer tables still gets every comment that applies."""
    kinds = dict(con.execute(
        "SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
        "UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"
    ).fetchall())
    columns = set(con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal"
    ).fetchall())
    lines = (SQL_DIR / "comments.sql").read_text(encoding="utf-8").splitlines() + _panel_comments().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("--"))
    absent = []
    for statement in _COMMENT.finditer(text):
        name, column = statement["object"], statement["column"]
        if name not in kinds or (column is not None and (name, column) not in columns):
            absent.append(f"{name}.{column}" if column else name)
            continue
        if column is None:
            con.execute(f"COMMENT ON {kinds[name]} {name} IS {statement['text']}")
        else:
            con.execute(f'COMMENT ON COLUMN {name}."{column}" IS {statement["text"]}')
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
