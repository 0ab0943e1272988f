"""`pipelines.read`: the warehouse as polars DataFrames, filtered, read-only."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import read


@pytest.fixture(scope="module")
def con(seeds_warehouse):
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        yield con


def test_facts_filter_by_one_value_or_a_list(seeds_warehouse, con):
    everything = read.facts(warehouse=seeds_warehouse)
    assert everything.height == con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
    region, indicator = con.execute(
        "SELECT region, indicator FROM facts WHERE region IS NOT NULL GROUP BY ALL ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0]
    some = read.facts(region=region, indicator=[indicator, "no_such_code"], warehouse=seeds_warehouse)
    expected = con.execute("SELECT count(*) FROM facts WHERE region = ? AND indicator = ?",
                           [region, indicator]).fetchall()[0][0]
    assert some.height == expected > 0
    assert set(some["region"]) == {region} and some["indicator_name"].null_count() == 0
    years = some["year"].drop_nulls().unique().to_list()
    assert read.facts(region=region, year=years[0], warehouse=seeds_warehouse)["year"].unique().to_list() == [years[0]]


def test_panel_and_derived_are_the_warehouse_views(seeds_warehouse, con):
    assert read.panel(warehouse=seeds_warehouse).height == con.execute(
        "SELECT count(*) FROM indicator_panel").fetchall()[0][0]
    full_year = read.panel(period="FY", warehouse=seeds_warehouse)
    assert set(full_year["period"]) <= {"FY"}
    derived = read.derived(warehouse=seeds_warehouse)
    assert derived.height == con.execute("SELECT count(*) FROM derived_metrics").fetchall()[0][0] > 0
    metric = derived["metric"][0]
    assert set(read.derived(metric=metric, warehouse=seeds_warehouse)["metric"]) == {metric}
    assert "bound" in derived.columns


def test_document_holds_its_text_facts_and_renders_as_its_page(seeds_warehouse, con):
    doc_id, n_facts = con.execute(
        "SELECT doc_id, count(*) FROM facts GROUP BY doc_id ORDER BY 2 DESC, 1 LIMIT 1").fetchall()[0]
    document = read.document(doc_id, warehouse=seeds_warehouse)
    assert document.facts.height == n_facts and isinstance(document.facts, pl.DataFrame)
    assert document.doc["text"] and document._repr_html_().count("<mark ") == n_facts
    with pytest.raises(LookupError):
        read.document("no-such-report", warehouse=seeds_warehouse)


def test_a_missing_warehouse_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.duckdb"):
        read.facts(warehouse=tmp_path / "absent.duckdb")


def test_the_readme_example_runs(seeds_warehouse, monkeypatch):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    monkeypatch.setenv("ZHIBIAO_WAREHOUSE", str(seeds_warehouse))
    names: dict = {}
    exec(example, names)  # noqa: S102 (our own README)
    assert names["facts"].height > 0 and set(names["facts"]["region"]) == {"芜湖市"}
