"""The warehouse schema, from its one source `pipelines/schema.toml`: every table and view, each column's DuckDB type
and comment, and the values a column may hold.

Why a TOML file and not Python literals: the schema is data that people read and review like the rule tables
(Chinese and English comments, code lists), and a data file can only say what the schema is, never compute it
differently in two places. It is read once, checked like a rule file (`pipelines.rulefiles`: a bad entry names its
file and line), and everything else is made from it:

    schema.TABLES / schema.VIEWS          name -> Table (row, comment, columns, values), in the file's order
    schema.columns(table)                 the column names, in order
    schema.polars(table)                  {column: polars dtype}: the frames the stages build
    schema.ddl(table)                     CREATE TABLE "table" (...) with the DuckDB types
    schema.comments()                     (object, column or None, text) of every table, view and column
    schema.comment_statements()           the COMMENT ON statements of those
    schema.allowed_values(table, column)  Allowed (codes and/or a pattern; `value in allowed`), or None: any value
    schema.disallowed(con)                (table, column, value) of every stored value outside its allowed values
    schema.markdown_table()               the schema section of docs/warehouse.md

`uv run python -m pipelines.schema` rewrites that section of docs/warehouse.md (`--check`: exit 1 if it differs).
tests/test_schema.py compares the docs and a built warehouse's `duckdb_columns()` with this source.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import polars as pl

from pipelines.rulefiles import TomlRules, csv_rows

SOURCE = Path(__file__).with_name("schema.toml")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"

_POLARS = {
    "VARCHAR": pl.String, "BIGINT": pl.Int64, "INTEGER": pl.Int32, "DOUBLE": pl.Float64, "BOOLEAN": pl.Boolean,
    "DATE": pl.Date,
}
_TABLE_KEYS = ("view", "row", "comment", "columns", "values")
_SPEC_KEYS = ("pattern", "csv", "column", "except", "also", "same_as")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type as duckdb_columns() shows it: VARCHAR, INTEGER, VARCHAR[] ...
    comment: str


@dataclass(frozen=True)
class Allowed:
    """The values a column may hold: one of `codes`, or a match of `pattern` (NULL always may)."""

    codes: frozenset[str] | None = None
    pattern: str | None = None
    described: str = ""  # how docs/warehouse.md names them

    def __contains__(self, value: object) -> bool:
        if value is None:
            return True
        if self.codes is not None and value in self.codes:
            return True
        return self.pattern is not None and re.fullmatch(self.pattern, str(value)) is not None


@dataclass(frozen=True)
class Table:
    name: str
    view: bool
    row: str
    comment: str
    columns: tuple[Column, ...]
    values: dict[str, Allowed]


def _polars_type(duck: str) -> pl.DataType:
    if duck.endswith("[]"):
        return pl.List(_polars_type(duck[:-2]))
    return _POLARS[duck]


def _known_type(duck: str) -> bool:
    return _known_type(duck[:-2]) if duck.endswith("[]") else duck in _POLARS


def _load(path: Path = SOURCE) -> dict[str, Table]:
    rules = TomlRules(path)
    raw: dict[str, dict] = {}
    for name, entry in rules.data.items():
        entry = rules.check_keys((name,), entry, _TABLE_KEYS)
        for key in ("comment", "columns"):
            if key not in entry:
                raise rules.error((name,), f"[{name}] lacks `{key}`")
        raw[name] = entry
    columns: dict[str, tuple[Column, ...]] = {}
    for name, entry in raw.items():
        seen, parsed = set(), []
        for item in entry["columns"]:
            if not (isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) and x for x in item)):
                raise rules.error((name, "columns"), f"a column of [{name}] must be [name, type, comment]: {item!r}")
            column, duck, comment = item
            if column in seen:
                raise rules.error((name, "columns"), f"[{name}] lists the column {column!r} twice")
            if not _known_type(duck):
                raise rules.error((name, "columns"), f"{name}.{column}: unknown type {duck!r}; the known ones are "
                                                     f"{', '.join(_POLARS)} and lists of them (VARCHAR[])")
            seen.add(column)
            parsed.append(Column(column, duck, comment))
        columns[name] = tuple(parsed)

    def allowed(name: str, column: str, spec: object, depth: int = 0) -> Allowed:
        keys = (name, "values", column)
        if column not in {c.name for c in columns[name]}:
            raise rules.error(keys, f"[{name}.values] names {column!r}, which is not a column of {name}")
        if isinstance(spec, list):
            codes = rules.words(keys, spec)
            comment = next(c.comment for c in columns[name] if c.name == column)
            unnamed = [code for code in codes if not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", comment)]
            if unnamed:
                raise rules.error(keys, f"the comment of {name}.{column} does not name {', '.join(unnamed)}")
            return Allowed(codes=frozenset(codes), described=", ".join(f"`{c}`" for c in codes))
        spec = rules.check_keys(keys, spec, _SPEC_KEYS)
        if "same_as" in spec:
            target, _, other = str(spec["same_as"]).partition(".")
            other_spec = raw.get(target, {}).get("values", {}).get(other)
            if other_spec is None or depth:
                raise rules.error(keys, f"same_as {spec['same_as']!r} names no column with allowed values of its own")
            return replace(allowed(target, other, other_spec, depth + 1), described=f"as `{spec['same_as']}`")
        if "pattern" in spec:
            try:
                re.compile(spec["pattern"])
            except re.error as error:
                raise rules.error(keys, f"not a regular expression: {error}") from None
            return Allowed(pattern=spec["pattern"], described=f"matching `{spec['pattern']}`")
        if "csv" in spec and "column" in spec:
            csv_path = path.parent / spec["csv"]
            if not csv_path.exists():
                raise rules.error(keys, f"{spec['csv']} does not exist (the path is relative to {path.name})")
            left_out, also = set(spec.get("except", [])), list(spec.get("also", []))
            codes = {row[spec["column"]] for _, row in csv_rows(csv_path, (spec["column"],))} - left_out
            described = f"a `{spec['column']}` of `pipelines/{spec['csv']}`" + "".join(
                f" or `{code}`" for code in also)
            return Allowed(codes=frozenset(codes | set(also)), described=described)
        raise rules.error(keys, "allowed values are a list of codes, or a table with pattern, csv and column, "
                                "or same_as")

    tables = {}
    for name, entry in raw.items():
        values = rules.check_keys((name, "values"), entry.get("values", {}), [c.name for c in columns[name]])
        tables[name] = Table(
            name=name, view=bool(entry.get("view", False)), row=str(entry.get("row", "")),
            comment=entry["comment"], columns=columns[name],
            values={column: allowed(name, column, spec) for column, spec in values.items()},
        )
    return tables


_ALL = _load()
TABLES: dict[str, Table] = {name: t for name, t in _ALL.items() if not t.view}
VIEWS: dict[str, Table] = {name: t for name, t in _ALL.items() if t.view}


def _table(name: str) -> Table:
    try:
        return _ALL[name]
    except KeyError:
        raise KeyError(f"{name!r} is no table or view of {SOURCE.name}") from None


def columns(table: str) -> list[str]:
    return [c.name for c in _table(table).columns]


def polars(table: str) -> dict[str, pl.DataType]:
    """{column: polars dtype} of a table, in column order (a new dict each call: callers may extend it)."""
    return {c.name: _polars_type(c.type) for c in _table(table).columns}


def ddl(table: str) -> str:
    """`CREATE TABLE "table" ("column" TYPE, ...)` of a table (not a view: views are SQL in pipelines/sql/)."""
    if _table(table).view:
        raise ValueError(f"{table} is a view; its definition is pipelines/sql/views.sql")
    body = ", ".join(f'"{c.name}" {c.type}' for c in TABLES[table].columns)
    return f'CREATE TABLE "{table}" ({body})'


def allowed_values(table: str, column: str) -> Allowed | None:
    """The values `table.column` may hold, or None when the source sets no vocabulary for it."""
    return _table(table).values.get(column)


def comments() -> list[tuple[str, str | None, str]]:
    """(object, column or None for the object itself, comment) of every table and view and its columns."""
    out: list[tuple[str, str | None, str]] = []
    for t in _ALL.values():
        out.append((t.name, None, t.comment))
        out.extend((t.name, c.name, c.comment) for c in t.columns)
    return out


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statement(name: str, column: str | None, text: str) -> str:
    if column is None:
        return f"COMMENT ON {'VIEW' if _table(name).view else 'TABLE'} \"{name}\" IS {_quoted(text)}"
    return f'COMMENT ON COLUMN "{name}"."{column}" IS {_quoted(text)}'


def comment_statements() -> list[str]:
    """COMMENT ON statements of every table, view and column of the source."""
    return [comment_statement(*entry) for entry in comments()]


def disallowed(con: duckdb.DuckDBPyConnection, limit: int = 5) -> list[tuple[str, str, object]]:
    """(table, column, value) of distinct stored values outside their column's allowed values (up to `limit`
    per column), for the tables of the source present in `con`."""
    present = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    found = []
    for t in TABLES.values():
        if t.name not in present:
            continue
        for column, allowed in t.values.items():
            values = con.execute(f'SELECT DISTINCT "{column}" FROM "{t.name}" ORDER BY 1').fetchall()
            found.extend([(t.name, column, v) for (v,) in values if v not in allowed][:limit])
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


BEGIN = "<!-- schema: generated from pipelines/schema.toml by `uv run python -m pipelines.schema`; do not edit -->"
END = "<!-- schema: end -->"


def markdown_table() -> str:
    """The schema section of docs/warehouse.md: a list of the tables and views, then one table of columns each."""
    lines = ["| table | one row per |", "|---|---|"]
    lines += [f"| [`{t.name}`](#{t.name}) | {_cell(t.row or t.comment)} |" for t in TABLES.values()]
    lines += ["", "| view | what |", "|---|---|"]
    lines += [f"| [`{t.name}`](#{t.name}) | {_cell(t.row or t.comment)} |" for t in VIEWS.values()]
    for t in _ALL.values():
        lines += ["", f"### {t.name}", "", f"{'View' if t.view else 'Table'} `{t.name}`: {_cell(t.comment)}", "",
                  "| column | type | comment | allowed values |", "|---|---|---|---|"]
        for c in t.columns:
            allowed = _cell(t.values[c.name].described) if c.name in t.values else ""
            lines.append(f"| `{c.name}` | {c.type} | {_cell(c.comment)} | {allowed} |")
    return "\n".join(lines)


def docs_with_schema(text: str) -> str:
    """`text` (docs/warehouse.md) with its generated schema section replaced by the current one."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n\n" + markdown_table() + "\n\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rewrite the schema section of docs/warehouse.md from "
                                                 "pipelines/schema.toml.")
    parser.add_argument("--check", action="store_true", help="only say whether the docs differ (exit 1 if so)")
    args = parser.parse_args(argv)
    text = DOCS.read_text(encoding="utf-8")
    wanted = docs_with_schema(text)
    if args.check:
        if wanted != text:
            print(f"{DOCS} differs from {SOURCE}; run `uv run python -m pipelines.schema`", file=sys.stderr)
            return 1
        return 0
    if wanted != text:
        DOCS.write_text(wanted, encoding="utf-8")
        print(f"rewrote the schema section of {DOCS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

