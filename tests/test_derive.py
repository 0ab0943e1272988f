"""Reconciliation and derived metrics on hand-made reports mirroring 淮北 (tech contracts) and 芜湖 (R&D, GDP)."""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl
import pytest
from derive_samples import YI, SampleDoc, derive, documents_frame, facts_frame, reference_gdp_frame, sample_docs

from pipelines import derive as derive_module
from pipelines import schema
from pipelines.derive import load_reference_gdp

HUAIBEI_H1 = "huaibei_2023_h1.txt"


def _derive(docs: list[SampleDoc], reference: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    return derive(facts_frame(docs), documents_frame(docs), reference)


@pytest.fixture(scope="module")
def docs() -> list[SampleDoc]:
    return sample_docs()


@pytest.fixture(scope="module")
def out(docs) -> dict[str, pl.DataFrame]:
    return _derive(docs, reference_gdp_frame())


def _doc_id(docs: list[SampleDoc], source_file: str) -> str:
    return next(d.doc_id for d in docs if d.source_file == source_file)


def _metric(out, metric: str, region: str, **where) -> dict:
    rows = out["derived_metrics"].filter(
        (pl.col("metric") == metric) & (pl.col("region") == region),
        *[pl.col(k) == v for k, v in where.items()],
    )
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def _resolved(out, resolved_id: str) -> dict:
    rows = out["facts_resolved"].filter(pl.col("resolved_id") == resolved_id)
    assert rows.height == 1
    return rows.row(0, named=True)


# Reconciliation


def test_a_figure_stated_in_summary_and_section_is_one_resolved_row_with_both_sources(out, docs):
    row = _resolved(out, "淮北市|tech_contract_absorbed|level|2023|M1-5|actual")
    assert row["value"] == pytest.approx(50.61 * YI)
    assert row["n_sources"] == 2 and not row["conflict"]
    sources = out["fact_sources"].filter(pl.col("resolved_id") == row["resolved_id"])
    assert sorted(sources["fact_id"]) == sorted(row["fact_ids"])
    assert sources["agrees_with_resolved"].all()
    # the section's statement (mention 3) comes after the summary's (mention 0) and is the one kept
    assert row["chosen_fact_id"] == f"{_doc_id(docs, HUAIBEI_H1)}:3:tech_contract_absorbed:level"


def test_different_values_are_kept_flagged_and_the_exact_statement_wins(out, docs):
    row = _resolved(out, "芜湖市|high_tech_enterprises|level|2023|FY|actual")
    assert row["conflict"]
    assert row["value"] == 1985 and row["bound"] == "exact"
    assert row["distinct_values"] == [1985.0, 2000.0]
    assert set(row["doc_ids"]) == {_doc_id(docs, "wuhu_2023.txt"), _doc_id(docs, "wuhu_2023_bulletin.txt")}
    sources = out["fact_sources"].filter(pl.col("resolved_id") == row["resolved_id"]).sort("source_rank")
    assert sources["value"].to_list() == [1985.0, 2000.0]
    assert sources["is_chosen"].to_list() == [True, False]
    assert sources["agrees_with_resolved"].to_list() == [True, False]


def test_between_equally_specific_statements_the_later_document_wins():
    early = SampleDoc("a.txt", "淮北市科技局2023年工作总结\n全市专利授权量5120件。\n", "淮北市", 2023,
                      datetime.date(2024, 1, 5), "annual_summary")
    late = SampleDoc("b.txt", "淮北市2023年知识产权发展状况\n全市专利授权量5132件。\n", "淮北市", 2023,
                     datetime.date(2024, 4, 26), "other")
    early.fact("5120件", "patent_grants", "level", 5120, "count", 2023)
    late.fact("5132件", "patent_grants", "level", 5132, "count", 2023)
    for order in ([early, late], [late, early]):
        resolved = _derive(order)["facts_resolved"]
        assert resolved["value"].to_list() == [5132.0]
        assert resolved["conflict"].to_list() == [True]


def _projects_report() -> SampleDoc:
    doc = SampleDoc("projects.txt", "淮北市科技局2023年上半年工作总结\n"
                    "上半年获批省重点研发项目4项、省科技攻关项目15项,同比增长25%。\n"
                    "一、科技项目\n全市15项省科技攻关项目已全部签订任务书。\n",
                    "淮北市", 2023, datetime.date(2023, 7, 10), "half_year_summary")
    for figure, value, occurrence in (("4项", 4, 0), ("15项", 15, 0), ("15项", 15, 1)):
        doc.fact(figure, "st_projects", "level", value, "count", 2023, occurrence=occurrence, period="H1")
    return doc.fact("25%", "st_projects", "growth_pct", 25, "percent", 2023, period="H1")


def test_sub_counts_of_a_broad_code_are_separate_figures_not_a_conflict():
    resolved = _derive([_projects_report()])["facts_resolved"].filter(pl.col("measure") == "level")
    rows = {r["value"]: r for r in resolved.iter_rows(named=True)}
    assert sorted(rows) == [4.0, 15.0]
    assert [rows[v]["n_sources"] for v in (4.0, 15.0)] == [1, 2]  # 15项 stated twice is one figure
    assert not any(r["conflict"] or r["unambiguous"] or r["aggregate"] for r in rows.values())
    assert rows[15.0]["resolved_id"] == "淮北市|st_projects|level|2023|H1|actual|15.0"



def test_resolved_ids_of_a_broad_code_write_its_value_as_they_always_have():
    """Ids are kept by analysts' notes and joins: a value reads `15.0`, `50610000000.0`, plain down to 0.00001."""
    doc = SampleDoc("funds.txt", "淮北市科技局2023年工作总结\n兑现资金甲、乙、丙、丁、戊。\n", "淮北市", 2023,
                    datetime.date(2024, 1, 8), "annual_summary")
    values = {"甲": 15, "乙": 50.61 * YI, "丙": 0.00002, "丁": 3e-7, "戊": 1.5e16}
    for figure, value in values.items():
        doc.fact(figure, "policy_funds_paid", "level", value, "CNY", 2023)
    ids = _derive([doc])["facts_resolved"]["resolved_id"].to_list()
    written = sorted(i.removeprefix("淮北市|policy_funds_paid|level|2023|FY|actual|") for i in ids)
    assert written == sorted(["15.0", "5061000000.0", "0.00002", "3e-7", "1.5e+16"])

def test_derived_metrics_skip_a_broad_code_whose_key_holds_several_values():
    derived = _derive([_projects_report()])["derived_metrics"]
    # which of 4 and 15 projects grew by 25 %? neither is used
    assert derived.filter(pl.col("indicator") == "st_projects").is_empty()


def test_a_broad_code_stated_with_one_value_feeds_derived_metrics():
    doc = SampleDoc("labs.txt", "芜湖市科技局2023年工作总结\n新获批省重点实验室12家,同比增长20%。\n", "芜湖市", 2023,
                    datetime.date(2024, 1, 30), "annual_summary")
    doc.fact("12家", "key_laboratories", "level", 12, "count", 2023)
    doc.fact("20%", "key_laboratories", "growth_pct", 20, "percent", 2023)
    out = _derive([doc])
    assert out["facts_resolved"]["unambiguous"].all()
    assert _metric(out, "implied_prior_level", "芜湖市", indicator="key_laboratories")["value"] == pytest.approx(10)


def test_masked_and_regionless_facts_stay_out_of_the_resolution(out, docs):
    resolved_sources = set(out["fact_sources"]["fact_id"])
    facts = facts_frame(docs)
    left_out = facts.filter(~pl.col("fact_id").is_in(list(resolved_sources)))
    assert sorted(left_out["source_file"]) == ["anonymous_2023.txt", HUAIBEI_H1]
    assert left_out.filter(pl.col("source_file") == HUAIBEI_H1)["value"].to_list() == [None]
    assert out["fact_sources"].height == facts.height - 2


def test_resolution_does_not_depend_on_row_order(docs):
    with_broad_code = [*docs, _projects_report()]
    facts, documents = facts_frame(with_broad_code), documents_frame(with_broad_code)
    shuffled = derive(facts.sample(fraction=1.0, shuffle=True, seed=7), documents, reference_gdp_frame())
    in_order = derive(facts, documents, reference_gdp_frame())
    for name in ("facts_resolved", "fact_sources", "derived_metrics"):
        assert shuffled[name].equals(in_order[name])


def test_deriving_region_by_region_equals_deriving_all_at_once(docs, monkeypatch):
    """A full derive runs in groups of regions (its memory is one group's); groups of one region give the same rows."""
    facts, documents = facts_frame(docs), documents_frame(docs)
    assert facts["region"].n_unique() > 1
    at_once = derive(facts, documents, reference_gdp_frame())
    monkeypatch.setattr(derive_module, "DERIVE_GROUP_FACTS", 1)
    one_by_one = derive(facts, documents, reference_gdp_frame())
    for name in ("facts_resolved", "fact_sources", "derived_metrics"):
        assert at_once[name].height
        assert one_by_one[name].sort(pl.all()).equals(at_once[name].sort(pl.all())), name


# Derived metrics


def test_huaibei_enterprise_share_and_absorbed_to_exported(out, docs):
    share = _metric(out, "tech_contract_enterprise_share", "淮北市", year=2023, period="M1-5")
    assert round(share["value"], 2) == 88.93
    assert share["unit"] == "percent" and share["measure"] == "share_pct"
    assert share["doc_ids"] == [_doc_id(docs, HUAIBEI_H1)]
    assert len(share["resolved_ids"]) == 2 and len(share["fact_ids"]) == 3
    ratio = _metric(out, "tech_contract_absorbed_to_exported", "淮北市", year=2023, period="M1-5")
    assert round(ratio["value"], 2) == 4.22 and ratio["unit"] == "ratio"


def test_no_ratio_across_periods(out):
    # 淮北's whole-year absorbed turnover has no exported counterpart for the whole year
    ratios = out["derived_metrics"].filter(pl.col("metric") == "tech_contract_absorbed_to_exported")
    assert ratios["period"].to_list() == ["M1-5"]


def test_wuhu_implied_gdp_fits_its_2022_gdp_not_2023(out):
    implied = _metric(out, "implied_gdp", "芜湖市", year=2022)
    assert implied["value"] / YI == pytest.approx(4505.32, abs=0.01) and implied["unit"] == "CNY"
    fit = _metric(out, "rd_gdp_year_fit", "芜湖市", year=2022)
    assert fit["fit_year"] == 2022
    assert abs(fit["gap_same_year_pct"]) < 0.2
    assert fit["gap_prior_year_pct"] == pytest.approx(4.71, abs=0.01)


def test_year_fit_points_to_the_year_before_when_facts_carry_the_report_year():
    doc = SampleDoc("w.txt", "芜湖市科技局2023年工作总结\n全社会研发经费投入169.4亿元,占GDP比重达3.76%。\n", "芜湖市",
                    2023, datetime.date(2024, 2, 5), "annual_summary")
    doc.fact("169.4亿元", "rd_expenditure", "level", 169.4 * YI, "CNY", 2023, year_source="report")
    doc.fact("3.76%", "rd_intensity", "level", 3.76, "percent", 2023, year_source="report")
    fit = _metric(_derive([doc], reference_gdp_frame()), "rd_gdp_year_fit", "芜湖市", year=2023)
    assert fit["fit_year"] == 2022
    assert fit["gap_same_year_pct"] == pytest.approx(4505.32 / 4741.07 * 100 - 100, abs=0.01)
    assert fit["value"] == pytest.approx(fit["gap_prior_year_pct"])


def test_tech_contract_gdp_ratio_uses_reference_gdp(out):
    ratio = _metric(out, "tech_contract_gdp_ratio", "芜湖市", year=2023)
    assert ratio["value"] == pytest.approx(320.5 / 4741.07 * 100)
    assert ratio["note"].startswith("reference_gdp 2023 (official)")


def test_tech_contract_gdp_ratio_falls_back_to_the_implied_gdp(docs):
    derived = _derive(docs, reference=None)["derived_metrics"]
    ratios = derived.filter(pl.col("metric") == "tech_contract_gdp_ratio")
    assert ratios["year"].to_list() == [2022]  # 2023 has neither a reference nor an implied GDP
    row = ratios.row(0, named=True)
    assert row["value"] == pytest.approx(281.6 / 4505.3191 * 100, rel=1e-6)
    assert row["note"].startswith("implied_gdp")
    assert any("rd_expenditure" in r for r in row["resolved_ids"])
    assert derived.filter(pl.col("metric") == "rd_gdp_year_fit").is_empty()


def test_yoy_growth_of_levels_in_consecutive_years(out, docs):
    growth = _metric(out, "yoy_growth_pct", "芜湖市", indicator="high_tech_enterprises")
    assert growth["year"] == 2023 and growth["measure"] == "growth_pct"
    assert growth["value"] == pytest.approx((1985 / 1850 - 1) * 100)
    assert set(growth["doc_ids"]) == {_doc_id(docs, f) for f in
                                      ("wuhu_2022.txt", "wuhu_2023.txt", "wuhu_2023_bulletin.txt")}
    turnover = _metric(out, "yoy_growth_pct", "芜湖市", indicator="tech_contract_turnover")
    assert turnover["value"] == pytest.approx((320.5 / 281.6 - 1) * 100)


def test_implied_prior_levels_from_growth_and_from_points(out):
    fiscal = _metric(out, "implied_prior_level", "芜湖市", indicator="fiscal_st_expenditure")
    assert fiscal["year"] == 2022 and fiscal["unit"] == "CNY"
    assert fiscal["value"] == pytest.approx(7.306e9, rel=1e-4)
    intensity = _metric(out, "implied_prior_level", "芜湖市", indicator="rd_intensity")
    assert intensity["year"] == 2021 and intensity["value"] == pytest.approx(3.48)


def test_target_attainment_honours_the_bound(out):
    huaibei = _metric(out, "target_attainment_pct", "淮北市")
    assert huaibei["value"] == pytest.approx(131 / 120 * 100) and huaibei["target_met"] is True
    wuhu = _metric(out, "target_attainment_pct", "芜湖市")
    assert wuhu["value"] == pytest.approx(1985 / 2100 * 100) and wuhu["target_met"] is False


def test_at_most_target_and_half_year_progress():
    doc = SampleDoc("p.txt", "芜湖市科技局2023年上半年工作总结\n上半年新认定高新技术企业40家,研发项目逾期率3%。\n"
                    "二、全年目标\n全年新认定高新技术企业100家,逾期率控制在5%以内。\n",
                    "芜湖市", 2023, datetime.date(2023, 7, 1), "half_year_summary")
    doc.fact("40家", "high_tech_enterprises_new", "level", 40, "count", 2023, period="H1")
    doc.fact("3%", "st_projects", "share_pct", 3, "percent", 2023)
    doc.fact("100家", "high_tech_enterprises_new", "level", 100, "count", 2023, kind="target")
    doc.fact("5%以内", "st_projects", "share_pct", 5, "percent", 2023, kind="target", bound="at_most")
    out = _derive([doc])
    progress = _metric(out, "target_attainment_pct", "芜湖市", indicator="high_tech_enterprises_new")
    assert progress["period"] == "H1" and progress["value"] == pytest.approx(40.0)
    assert progress["target_met"] is False and "target(FY" in progress["formula"]
    ceiling = _metric(out, "target_attainment_pct", "芜湖市", indicator="st_projects")
    assert ceiling["target_met"] is True


def test_derived_tables_have_the_schema_s_columns_and_types_even_when_empty(docs, out):
    empty = derive(facts_frame(docs).clear(), documents_frame(docs), reference_gdp_frame())
    for table, frame in empty.items():
        assert frame.is_empty() and frame.schema == out[table].schema == pl.Schema(schema.polars(table)), table


# Reference GDP


def test_load_reference_gdp_reads_the_shared_file(reference_gdp_csv):
    gdp = load_reference_gdp(reference_gdp_csv)
    wuhu_2022 = gdp.filter((pl.col("region") == "芜湖市") & (pl.col("year") == 2022)).row(0, named=True)
    assert wuhu_2022["gdp_100m_cny"] == 4502.13
    assert wuhu_2022["gdp_cny"] == pytest.approx(450_213_000_000)
    assert gdp.schema["year"] == pl.Int32


def test_example_gdp_file_is_labelled_as_made_up():
    path = Path(__file__).resolve().parents[1] / "pipelines" / "rules" / "example_gdp.csv"
    assert path.read_text(encoding="utf-8").startswith("# EXAMPLE ONLY")
    gdp = load_reference_gdp(path)
    assert gdp.height > 0 and set(gdp["source_kind"]) == {"example"}


def test_load_reference_gdp_names_a_missing_column(tmp_path):
    path = tmp_path / "gdp.csv"
    path.write_text("region,year,gdp\n芜湖市,2022,4502.13\n", encoding="utf-8")
    with pytest.raises(ValueError, match="gdp_100m_cny"):
        load_reference_gdp(path)
