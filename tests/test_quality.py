"""The consistency checks pass on a sound warehouse and name the rows of a broken one."""

from __future__ import annotations

import datetime

import duckdb
import pytest
from derive_samples import SampleDoc, sample_docs, write_sample_tables

from pipelines import quality
from pipelines.sql import apply_views


def _warehouse(docs: list[SampleDoc]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    write_sample_tables(con, docs)
    apply_views(con)
    return con


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return _warehouse(sample_docs())


def test_every_check_passes_on_the_sample_warehouse(con):
    results = quality.run_checks(con)
    assert [r.name for r in results] == [c.__name__ for c in quality.CHECKS]
    assert [(r.name, r.failing_rows) for r in results if not r.passed] == []
    assert all(r.severity in ("error", "warn") and r.description for r in results)


def test_share_above_100_fails(con):
    con.execute("UPDATE facts SET value = 120 WHERE measure = 'share_pct'")
    result = quality.shares_within_0_100(con)
    assert not result.passed and result.failing_rows == 1
    assert result.sample[0]["value"] == 120


def test_stated_share_far_from_recomputed_fails(con):
    assert quality.stated_shares_match_recomputed(con).passed  # 88.93 stated, 45.01 / 50.61 = 88.935
    con.execute("UPDATE facts_resolved SET value = 80 WHERE measure = 'share_pct'")
    result = quality.stated_shares_match_recomputed(con)
    assert not result.passed and result.failing_rows == 1
    assert result.sample[0]["recomputed"] == pytest.approx(88.935, abs=1e-3)


def test_non_positive_count_fails(con):
    con.execute("UPDATE facts SET value = -5 WHERE indicator = 'tech_smes' AND value IS NOT NULL")
    result = quality.levels_positive(con)
    assert not result.passed and result.failing_rows == 1


def test_span_that_misses_its_number_fails(con):
    # one character later, 50.61亿元 reads 0.61亿元, whose digits no longer hold 5061
    con.execute("UPDATE facts SET span_start = span_start + 1 WHERE measure = 'level' AND value = 5061000000")
    result = quality.fact_spans_hold_their_number(con)
    assert not result.passed and result.failing_rows == 2
    assert {row["span_text"] for row in result.sample} == {"0.61亿元"}


def test_masked_span_without_an_x_fails(con):
    con.execute("UPDATE facts SET span_start = span_start - 4, span_end = span_end - 4 WHERE value IS NULL")
    result = quality.fact_spans_hold_their_number(con)
    assert result.failing_rows == 1 and "x" not in result.sample[0]["span_text"].lower()


def test_spans_written_as_fractions_or_chinese_numerals_pass():
    doc = SampleDoc("c.txt", "芜湖市科技局2023年工作总结\n发明专利授权量增长超1/3,高新技术企业净增两百家。\n", "芜湖市", 2023,
                    datetime.date(2024, 1, 9), "annual_summary")
    doc.fact("超1/3", "invention_patent_grants", "growth_pct", 33.33, "percent", 2023, bound="at_least")
    doc.fact("两百家", "high_tech_enterprises_net_increase", "level", 200, "count", 2023)
    assert quality.fact_spans_hold_their_number(_warehouse([doc])).passed


def test_unaccounted_raw_files_fail(con):
    con.execute("INSERT INTO raw_files BY NAME SELECT 'lost.txt' AS source_file, 10 AS byte_size, "
                "'abc' AS byte_sha256, 'read' AS status, 'abc' AS text_sha256")
    con.execute("DELETE FROM rejected_files")
    result = quality.raw_files_accounted_for(con)
    assert not result.passed and result.failing_rows == 2
    assert {row["source_file"] for row in result.sample} == {"lost.txt", "empty.txt"}
