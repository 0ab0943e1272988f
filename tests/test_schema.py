"""The schema has one source, pipelines/schema.toml: the docs' schema section and a built warehouse's tables, views,
types, comments and stored values must be what it says."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from pipelines import schema
from pipelines.rulefiles import RuleFileError
from pipelines.sql import CORE_INDICATORS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def con(seeds_warehouse):
    connection = duckdb.connect(str(seeds_warehouse), read_only=True)
    yield connection
    connection.close()


def test_the_docs_schema_section_is_the_one_the_source_makes():
    text = schema.DOCS.read_text(encoding="utf-8")
    assert schema.docs_with_schema(text) == text, "run `uv run python -m pipelines.schema` to rewrite docs/warehouse.md"


def test_the_warehouse_holds_the_tables_and_views_of_the_source(con):
    tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    views = {name for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert tables == set(schema.TABLES)
    assert views == set(schema.VIEWS)


def _stored_columns(con, name: str) -> list[tuple[str, str, str]]:
    return con.execute("SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? "
                       "ORDER BY column_index", [name]).fetchall()


@pytest.mark.parametrize("name", [*schema.TABLES, *schema.VIEWS])
def test_stored_columns_types_and_comments_are_the_sources(con, name):
    wanted = [(c.name, c.type, c.comment) for c in schema.TABLES.get(name, schema.VIEWS.get(name)).columns]
    stored = _stored_columns(con, name)
    if name == "indicator_panel":  # then one generated column per core code
        assert [c for c, *_ in stored[len(wanted):]] == [row["code"] for row in CORE_INDICATORS]
        stored = stored[: len(wanted)]
    assert stored == wanted


def test_table_and_view_comments_are_the_sources(con):
    stored = dict(con.execute("SELECT table_name, comment FROM duckdb_tables() UNION ALL "
                              "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    assert stored == {name: t.comment for name, t in {**schema.TABLES, **schema.VIEWS}.items()}


def test_stored_values_are_allowed_ones(con):
    assert schema.disallowed(con) == []


def test_a_value_outside_the_vocabulary_is_found(tmp_path, seeds_warehouse):
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(seeds_warehouse.read_bytes())
    writable = duckdb.connect(str(copy))
    try:
        writable.execute("UPDATE facts SET kind = 'wish' WHERE fact_id = (SELECT min(fact_id) FROM facts)")
        writable.execute("UPDATE facts SET period = 'M1-13' WHERE fact_id = (SELECT max(fact_id) FROM facts)")
        assert sorted(schema.disallowed(writable)) == [("facts", "kind", "wish"), ("facts", "period", "M1-13")]
    finally:
        writable.close()


def test_the_polars_schema_and_ddl_follow_the_source():
    import polars as pl

    assert schema.polars("facts")["fact_id"] == pl.String
    assert schema.polars("documents")["source_files"] == pl.List(pl.String)
    assert schema.polars("documents")["published_date"] == pl.Date
    assert schema.ddl("sentences") == ('CREATE TABLE "sentences" ("doc_id" VARCHAR, "sentence_id" INTEGER, '
                                       '"section_id" INTEGER, "start" INTEGER, "end" INTEGER, "text" VARCHAR)')
    with pytest.raises(ValueError, match="view"):
        schema.ddl("facts_readable")


def test_the_contract_codes_are_the_allowed_values():
    facts = {column: schema.allowed_values("facts", column) for column in ("measure", "kind", "year_source")}
    assert facts["measure"].codes == {"level", "growth_pct", "change_pp", "rank", "share_pct"}
    assert facts["kind"].codes == {"actual", "target", "forecast"}
    assert facts["year_source"].codes == {"explicit", "relative", "report", "statistical_lag"}
    assert {"exact", "at_least", "about", "range"} <= schema.allowed_values("facts", "bound").codes
    assert {"CNY", "percent", "pp", "count", "rank"} <= schema.allowed_values("facts", "unit").codes
    period = schema.allowed_values("facts", "period")
    assert all(p in period for p in ("FY", "H1", "M1-5", "M1-10", "MULTI")) and "M1-13" not in period
    assert "rd_expenditure" in schema.allowed_values("facts_resolved", "indicator")
    assert schema.allowed_values("facts", "evidence") is None


def test_the_readme_explains_every_rejection_reason():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("(`rejected_files.reason`):")[1].split("\n\n")[1]
    explained = set(re.findall(r"`(\w+)`", "\n".join(line.split(" | ")[0] for line in table.splitlines())))
    assert explained == schema.allowed_values("rejected_files", "reason").codes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[t]\ncomment = "c"\ncolums = []\n', r"schema.toml:3: unknown key 'colums'"),
        ('[t]\ncomment = "c"\ncolumns = [\n  ["a", "TEXT", "x"],\n]\n', r"schema.toml:3: t.a: unknown type 'TEXT'"),
        ('[t]\ncomment = "c"\ncolumns = [["a", "VARCHAR", "one or two"]]\n[t.values]\na = ["one", "three"]\n',
         r"schema.toml:5: the comment of t.a does not name three"),
        ('[t]\ncomment = "c"\ncolumns = [["a", "VARCHAR", "x"]]\n[t.values]\nb = ["x"]\n',
         r"schema.toml:5: unknown key 'b'"),
        ('[t]\ncomment = "c"\ncolumns = [["a", "VARCHAR", "x"]]\n[t.values]\na = { same_as = "u.a" }\n',
         r"schema.toml:5: same_as 'u.a' names no column"),
    ],
)
def test_a_bad_schema_entry_names_its_line(tmp_path, text, message):
    path = tmp_path / "schema.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match=message):
        schema._load(path)


@pytest.mark.parametrize(
    ("row_type", "table"),
    [("pipelines.ingest:RawFile", "raw_files"), ("pipelines.ingest:RejectedFile", "rejected_files"),
     ("pipelines.ingest:SourceText", "source_texts"), ("pipelines.documents:Document", "documents"),
     ("pipelines.segment:Section", "sections"), ("pipelines.segment:Sentence", "sentences"),
     ("pipelines.mentions:Mention", "mentions"), ("pipelines.facts.engine:Fact", "facts"),
     ("pipelines.regions:Region", "regions")],
)
def test_each_stage_row_type_carries_its_tables_columns(row_type, table):
    # warehouse.rows_to_frame reads these fields by the table's column names; a column the row lacks would only
    # show on the first build that has such rows
    import dataclasses
    import importlib

    from pipelines.warehouse import ADDED_COLUMNS

    module, name = row_type.split(":")
    fields = {f.name for f in dataclasses.fields(getattr(importlib.import_module(module), name))}
    assert [c for c in schema.columns(table) if c not in fields and c not in ADDED_COLUMNS.get(table, ())] == []


def test_every_kind_rule_is_an_allowed_kind_source():
    # a new rule in KIND_RULES writes its name into facts.kind_source: the schema must allow it
    from pipelines.facts.when import KIND_RULES

    named = {name for name, _, _ in KIND_RULES} | {"recalled_year", "table_column"}  # the figure loop's, the tables'
    assert named == schema.allowed_values("facts", "kind_source").codes
