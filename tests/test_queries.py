"""The analyst's SQL surface: the example queries of docs/warehouse.md, the views and the comments.

The queries and comments are tried on the warehouse the real seeds build into
(`seeds_warehouse`, through the real command). The view tests that need exact figures use the small warehouse
built from the hand-made sample reports.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from derive_samples import build_sample_warehouse

from pipelines.sql import CORE_INDICATORS, INDICATOR_CODES, apply_comments, uncommented

WAREHOUSE_DOC = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"
DOC_TEXT = WAREHOUSE_DOC.read_text(encoding="utf-8")
EXAMPLE_QUERIES = re.findall(r"```sql\n(.*?)```", DOC_TEXT, flags=re.DOTALL)


@pytest.fixture(scope="module")
def sample_warehouse_path(tmp_path_factory) -> Path:
    return build_sample_warehouse(tmp_path_factory.mktemp("warehouse") / "sample.duckdb")


@pytest.fixture(scope="module")
def warehouse_path(seeds_warehouse) -> Path:
    return seeds_warehouse


def _read_only(path: Path):
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def con(warehouse_path):
    yield from _read_only(warehouse_path)


@pytest.fixture
def sample_con(sample_warehouse_path):
    yield from _read_only(sample_warehouse_path)


def test_the_doc_holds_ten_example_queries():
    assert len(EXAMPLE_QUERIES) == 10


@pytest.mark.parametrize("query", EXAMPLE_QUERIES, ids=[f"query_{i + 1}" for i in range(len(EXAMPLE_QUERIES))])
def test_example_query_returns_rows(con, query):
    assert con.sql(query).fetchall()


def test_every_table_view_and_column_has_a_comment(con):
    assert uncommented(con) == []


def test_comments_skip_only_tables_this_warehouse_lacks(warehouse_path):
    # a comment on a missing column of a present table is a typo in pipelines/schema.toml
    con = duckdb.connect(str(warehouse_path))
    try:
        present = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL "
                                                     "SELECT view_name FROM duckdb_views()").fetchall()}
        assert [target for target in apply_comments(con) if target.split(".")[0] in present] == []
    finally:
        con.close()


def test_check_results_hold_every_check_with_a_json_sample(con):
    from pipelines.quality import CHECKS

    rows = con.execute("SELECT name, sample FROM check_results ORDER BY name").fetchall()
    assert [name for name, _ in rows] == sorted(check.__name__ for check in CHECKS)
    assert all(isinstance(json.loads(sample), list) for _, sample in rows)


def test_reference_gdp_holds_the_users_file(con):
    wuhu = con.execute("SELECT gdp_100m_cny, gdp_cny, source_kind FROM reference_gdp "
                       "WHERE region = '芜湖市' AND year = 2022").fetchall()
    assert wuhu == [(4502.13, pytest.approx(4502.13e8), "mirror")]


def test_comments_are_in_chinese_and_english(con):
    comment = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'facts_resolved' AND column_name = 'conflict'"
    ).fetchone()[0]
    assert re.search(r"[\u4e00-\u9fff]", comment) and re.search(r"[a-z]{4}", comment)


def test_the_indicator_table_names_and_flags_every_code():
    assert len(CORE_INDICATORS) == 24  # the facts contract's core codes
    for row in INDICATOR_CODES:
        assert re.search(r"[\u4e00-\u9fff]", row["name_zh"]) and re.search(r"[a-z]{3}", row["name_en"]), row
        assert row["core"] in ("true", "false") and row["aggregate"] in ("true", "false"), row


def test_indicator_panel_has_one_column_per_core_indicator(sample_con):
    columns = [row[0] for row in sample_con.execute("DESCRIBE indicator_panel").fetchall()]
    assert columns == ["region", "year", "period"] + [row["code"] for row in CORE_INDICATORS]
    wuhu = sample_con.execute(
        "SELECT high_tech_enterprises, tech_contract_turnover FROM indicator_panel "
        "WHERE region = '芜湖市' AND year = 2023 AND period = 'FY'"
    ).fetchall()
    assert wuhu == [(1985.0, 32_050_000_000.0)]


def test_conflicts_view_shows_the_statements_side_by_side(sample_con):
    rows = sample_con.execute(
        "SELECT stated_value, stated_bound, is_chosen, resolved_value FROM conflicts ORDER BY source_rank"
    ).fetchall()
    assert rows == [(1985.0, "exact", True, 1985.0), (2000.0, "at_least", False, 1985.0)]


def test_targets_vs_actuals_pairs_each_target_with_its_actual(sample_con):
    rows = sample_con.execute(
        "SELECT region, target_value, actual_value, target_met FROM targets_vs_actuals ORDER BY region"
    ).fetchall()
    assert rows == [("淮北市", 120.0, 131.0, True), ("芜湖市", 2100.0, 1985.0, False)]
