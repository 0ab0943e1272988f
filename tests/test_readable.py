"""Names and bounds a person reads: the `indicators` table, the `facts_readable` view, and bounds carried into
derived metrics and `targets_vs_actuals` (a lower bound such as 首破千亿 is never an exact value)."""

from __future__ import annotations

import datetime

import duckdb
import polars as pl
import pytest
from derive_samples import YI, SampleDoc, derive, documents_frame, facts_frame

from pipelines.sql import INDICATOR_CODES


@pytest.fixture(scope="module")
def seeds_con(seeds_warehouse):
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        yield con


def test_indicators_cover_every_code_in_facts(seeds_con, sample_warehouse):
    for con in (seeds_con, duckdb.connect(str(sample_warehouse), read_only=True)):
        missing = con.execute(
            "SELECT DISTINCT indicator FROM facts WHERE indicator NOT IN (SELECT code FROM indicators)"
        ).fetchall()
        assert missing == []
        assert con.execute("SELECT count(*) FROM indicators").fetchall()[0][0] == len(INDICATOR_CODES)


def test_indicators_name_their_code_and_what_counts_as_it(seeds_con):
    row = seeds_con.execute(
        "SELECT name_zh, level_unit, core, aggregate, raw_units, list_contains(phrases, '技术合同成交额') "
        "FROM indicators WHERE code = 'tech_contract_turnover'"
    ).fetchall()
    assert row == [("技术合同成交额", "CNY", True, True, [], True)]
    # the counting words come from facts_codes.csv, which grows with the vocabulary: hold the ones every report uses
    units = seeds_con.execute("SELECT raw_units FROM indicators WHERE code = 'high_tech_enterprises'").fetchall()[0][0]
    assert {"家", "个"} <= set(units)


def test_facts_readable_has_a_row_per_fact_in_the_unit_the_report_wrote(seeds_con):
    n_facts = seeds_con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
    assert seeds_con.execute("SELECT count(*) FROM facts_readable").fetchall()[0][0] == n_facts
    rows = seeds_con.execute("""
        SELECT r.value, r.unit, r.as_written, f.value, f.unit, r.indicator_name, r.sentence
        FROM facts_readable r JOIN facts f USING (fact_id)""").fetchall()
    scale = {"亿元": YI, "万元": 1e4}
    for value, unit, as_written, canonical, canonical_unit, name, sentence in rows:
        assert name and as_written in sentence
        if canonical is not None:
            assert value * scale.get(unit, 1) == pytest.approx(canonical)
        if canonical_unit == "CNY":
            assert unit in ("亿元", "万元", "元") and (unit[0] in as_written or unit == "元")
        elif canonical_unit == "count":
            assert unit and unit in as_written or unit == ""
    units = {unit for _, unit, *_ in rows}
    assert {"亿元", "万元", "%", "家"} <= units


def _bounded_report() -> SampleDoc:
    text = ("芜湖市科技局2023年工作总结\n全年技术合同成交额首破100亿元,2022年为80亿元;高新技术企业达到500家以上,"
            "目标为600家。\n")
    doc = SampleDoc("bounded.txt", text, "芜湖市", 2023, datetime.date(2024, 1, 10), "annual_summary")
    doc.fact("100亿元", "tech_contract_turnover", "level", 100 * YI, "CNY", 2023, bound="at_least")
    doc.fact("80亿元", "tech_contract_turnover", "level", 80 * YI, "CNY", 2022)
    doc.fact("500家", "high_tech_enterprises", "level", 500, "count", 2023, bound="at_least")
    doc.fact("600家", "high_tech_enterprises", "level", 600, "count", 2023, kind="target")
    return doc


def test_a_lower_bound_stays_a_lower_bound_in_derived_metrics():
    doc = _bounded_report()
    metrics = derive(facts_frame([doc]), documents_frame([doc]), None)["derived_metrics"]
    growth = metrics.filter(pl.col("metric") == "yoy_growth_pct").row(0, named=True)
    assert growth["value"] == pytest.approx(25.0) and growth["bound"] == "at_least"
    attainment = metrics.filter(pl.col("metric") == "target_attainment_pct").row(0, named=True)
    # at least 500 of a goal of 600: perhaps reached, perhaps not
    assert attainment["bound"] == "at_least" and attainment["target_met"] is None


def test_exact_inputs_give_exact_derived_metrics(seeds_con):
    rows = seeds_con.execute("""
        SELECT m.bound, bool_and(r.bound = 'exact')
        FROM (SELECT *, row_number() OVER () AS row, unnest(resolved_ids) AS resolved_id FROM derived_metrics) m
        JOIN facts_resolved r USING (resolved_id)
        WHERE m.metric <> 'target_attainment_pct' OR r.kind = 'actual'
        GROUP BY m.row, m.bound""").fetchall()
    assert rows and all((bound == "exact") == all_exact for bound, all_exact in rows)
