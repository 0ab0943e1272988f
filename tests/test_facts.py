"""From mentions to facts: composed sentences for what the rule examples (pipelines/rules/examples/, run by
tests/test_rule_examples.py) do not hold, then spot checks on the seeds.

The composed sentences run the real stages (segment, mentions, facts) through `extract_document`; their numbers
are made up. The seed checks read ../shared/seeds through the `seeds_dir` fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.documents import Document, build_documents
from pipelines.evaluate import PredictedFact, read_gold, score
from pipelines.extract import extract_document
from pipelines.facts import Fact
from pipelines.facts.region import RegionScan
from pipelines.facts.rules import CUES, PERIOD_ANCHOR, PERIOD_PATTERNS, PHRASES, load_codes
from pipelines.ingest import read_raw_folder
from pipelines.regions import Gazetteer

GOLD = Path(__file__).parent / "gold" / "seeds_gold.csv"


def _document(text: str, doc_type: str = "summary_and_plan", report_year: int | None = 2023,
              region: str | None = "芜湖市") -> Document:
    return Document(
        doc_id="composed", source_file="composed.txt", source_files=("composed.txt",), part=1, file_start=0,
        file_end=len(text), text=text, title=None, issuer=None, published_date=None, index_number=None,
        doc_type=doc_type, region=region, region_level="city", province="安徽省", report_year=report_year,
        encoding="utf-8",
    )


def facts_of(text: str, **document) -> list[Fact]:
    return extract_document(_document(text, **document))[3]


def rows(facts: list[Fact]) -> list[tuple]:
    return [(f.indicator, f.measure, f.value) for f in facts]


def only(facts: list[Fact], indicator: str, measure: str = "level") -> Fact:
    (fact,) = [f for f in facts if f.indicator == indicator and f.measure == measure]
    return fact


# ---- which indicator ----------------------------------------------------------------------------------------


def test_multiple_is_growth_in_percent():
    facts = facts_of("一、主要成效\n高新技术产业增加值增长1.5倍。")
    assert rows(facts) == [("high_tech_industry_value_added", "growth_pct", 150)]


def test_figure_of_something_else_stays_a_mention_only():
    assert facts_of("一、主要成效\n培训企业科技负责人240人,举办对接活动12场。") == []


def test_a_province_total_and_the_city_s_part_each_go_to_their_own_region():
    facts = facts_of("一、主要成效\n全省首批布局12家新型研发机构中芜湖市占5家。")
    assert [(*row, f.region, f.region_source) for row, f in zip(rows(facts), facts)] == [
        ("new_rd_institutions", "level", 12, "安徽省", "scope_province"),
        ("new_rd_institutions", "level", 5, "芜湖市", "document"),
    ]


def test_national_figures_are_the_nation_s_and_named_cities_their_own():
    facts = facts_of("一、主要成效\n全国技术合同成交额28000亿元,同比增长26.1%;宣城市成交额40亿元,占全省的2.5%,"
                     "居全省第3位。")
    assert [(f.measure, f.value, f.region, f.region_source) for f in facts] == [
        ("level", 2.8e12, "全国", "scope_nation"), ("growth_pct", 26.1, "全国", "scope_nation"),
        ("level", 4e9, "宣城市", "named"), ("share_pct", 2.5, "宣城市", "named"), ("rank", 3, "宣城市", "named"),
    ]


def test_a_respectively_list_of_regions_gives_each_figure_its_own():
    text = "滁州市、马鞍山市技术合同成交额分别为30亿元、20亿元。"
    doc = _document(text)
    at = [text.index("30亿元"), text.index("20亿元")]
    assert [RegionScan(doc, ("我市",)).region_of(0, a) for a in at] == [
        ("滁州市", "region_list"), ("马鞍山市", "region_list")]
    assert RegionScan(_document("南京大学技术合同成交额3亿元"), ("我市",)).region_of(0, 11) == ("芜湖市", "document")
    # a name that is no clause's subject (创建安徽省企业研发中心) does not speak for the figure
    text = "开展创建安徽省企业研发中心调研,拟培育省企业研发中心3家"
    assert RegionScan(_document(text), ("我市",)).region_of(0, text.index("3家")) == ("芜湖市", "document")


def test_an_economic_region_named_after_a_city_is_no_figure_of_the_city():
    text = "成都平原经济区技术合同成交额突破900亿元"
    assert RegionScan(_document(text), ("我市",)).region_of(0, text.index("900")) == ("芜湖市", "document")


def test_a_paragraph_opening_with_a_region_s_name_is_that_region_s():
    text = "全区情况良好。\n  柳州市:2021年,全市高新技术企业达到650家。"
    facts = facts_of(text, region="广西壮族自治区")
    assert [(f.value, f.region, f.region_source) for f in facts] == [(650, "柳州市", "paragraph_lead")]


# ---- kind, period, year -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("上半年,完成技术合同交易额20.5亿元。", "H1"),
        ("至5月底,完成技术合同交易额20.5亿元。", "M1-5"),
        ("1-10月,全市发明专利授权1200件。", "M1-10"),
        ("截止9月份,实现高新技术产值52.3亿元。", "M1-9"),
        ("全年完成技术合同交易额20.5亿元。", "FY"),
        ("完成技术合同交易额20.5亿元。", "FY"),
    ],
)
def test_period_cues(sentence, period):
    (fact,) = facts_of("一、主要成效\n" + sentence)
    assert fact.period == period


def test_half_year_summary_defaults_to_h1_and_takes_the_period_stated_elsewhere():
    text = ("上半年,科技工作成效良好。完成吸纳技术合同交易额40.2亿元。\n一、重点工作\n推荐申报高新技术企业60家。"
            "至5月底,我市完成吸纳技术合同交易额40.2亿元。")
    facts = facts_of(text, doc_type="half_year_summary")
    assert [(f.indicator, f.period) for f in facts] == [
        ("tech_contract_absorbed", "M1-5"), ("high_tech_enterprise_applications", "H1"),
        ("tech_contract_absorbed", "M1-5"),
    ]


def test_written_year_scopes_its_clause_group_only():
    facts = facts_of("一、主要成效\n2021年底全市有高新技术企业400家,占全省的2.1%;今年新增科技型中小企业500家。")
    assert [(f.indicator, f.measure, f.year, f.year_source, f.period) for f in facts] == [
        ("high_tech_enterprises", "level", 2021, "explicit", "FY"),
        ("high_tech_enterprises", "share_pct", 2021, "explicit", "FY"),
        ("tech_smes", "level", 2023, "report", "FY"),
    ]


def test_relative_year_but_not_a_comparison_base():
    facts = facts_of("一、主要成效\n去年全市新认定高新技术企业85家。科技型中小企业达900家,较上年增长20%。")
    assert [(f.indicator, f.measure, f.year, f.year_source) for f in facts] == [
        ("high_tech_enterprises_new", "level", 2022, "relative"),
        ("tech_smes", "level", 2023, "report"),
        ("tech_smes", "growth_pct", 2023, "report"),
    ]


def test_rd_figures_of_an_annual_summary_lag_a_year_unless_a_year_is_written():
    lagging = facts_of("一、主要成效\n全社会研发经费投入达98.6亿元。")
    written = facts_of("一、主要成效\n2021年,全社会研发经费投入达98.6亿元。")
    assert [(f.year, f.year_source) for f in lagging] == [(2022, "statistical_lag")]
    assert [(f.year, f.year_source) for f in written] == [(2021, "explicit")]


def test_fact_points_at_its_figure_and_sentence():
    text = "一、主要成效\n2023年财政科技支出达45.3亿元,同比增长6.12%。"
    fact = facts_of(text)[0]
    assert text[fact.span_start:fact.span_end] == "45.3亿元"
    assert fact.evidence == "2023年财政科技支出达45.3亿元,同比增长6.12%。"
    assert (fact.region, fact.source_file, fact.part, fact.indicator_phrase) == ("芜湖市", "composed.txt", 1, "财政科技支出")


# ---- the seeds ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_facts(seeds_dir: Path) -> list[tuple[Document, Fact]]:
    _, sources, _ = read_raw_folder(seeds_dir)
    gazetteer = Gazetteer()
    return [(doc, fact) for source in sources for doc in build_documents(source, gazetteer)
            for fact in extract_document(doc)[3]]


def _seed(seed_facts, prefix: str, indicator: str, measure: str = "level") -> list[Fact]:
    return [f for doc, f in seed_facts if doc.source_file.startswith(prefix) and f.indicator == indicator
            and f.measure == measure]


def test_huaibei_absorbed_turnover_is_january_to_may_both_times(seed_facts):
    facts = _seed(seed_facts, "000", "tech_contract_absorbed")
    assert [(f.value, f.unit, f.period, f.year, f.kind) for f in facts] == [
        (5.061e9, "CNY", "M1-5", 2023, "actual"),
    ] * 2


def test_huaibei_enterprise_absorbed_turnover_and_its_share(seed_facts):
    assert [f.value for f in _seed(seed_facts, "000", "tech_contract_absorbed_by_enterprises")] == [4.501e9]
    assert [f.value for f in _seed(seed_facts, "000", "tech_contract_absorbed_by_enterprises", "share_pct")] == [88.93]


def test_wuhu_fiscal_spending_and_its_growth(seed_facts):
    assert [f.value for f in _seed(seed_facts, "004", "fiscal_st_expenditure")] == [7.82e9]
    assert [f.value for f in _seed(seed_facts, "004", "fiscal_st_expenditure", "growth_pct")] == [7.04]


def test_wuhu_rd_intensity_and_its_change_are_about_2022(seed_facts):
    levels = _seed(seed_facts, "004", "rd_intensity")
    (change,) = _seed(seed_facts, "004", "rd_intensity", "change_pp")
    assert {(f.value, f.year, f.year_source) for f in levels} == {(3.76, 2022, "statistical_lag")}
    assert (change.value, change.unit, change.year, change.year_source) == (0.28, "pp", 2022, "statistical_lag")


def test_lianyungang_2022_targets(seed_facts):
    turnover = [f for f in _seed(seed_facts, "003", "tech_contract_turnover") if f.year == 2022]
    intensity = [f for f in _seed(seed_facts, "003", "rd_intensity") if f.year == 2022]
    assert [(f.value, f.kind, f.bound) for f in turnover] == [(7e9, "target", "at_least")]
    assert [(f.value, f.kind) for f in intensity] == [(2.25, "target")]


def test_masked_figures_of_the_compilation_have_no_value(seed_facts):
    masked = [f for doc, f in seed_facts if doc.source_file.startswith("001") and f.value is None]
    assert {"high_tech_enterprises", "rd_intensity", "sci_tech_loans"} <= {f.indicator for f in masked}


def test_points_are_never_stored_as_percent(seed_facts):
    assert not [f for _, f in seed_facts if f.value == 0.28 and f.unit == "percent"]
    assert all(f.unit == "pp" for _, f in seed_facts if f.measure == "change_pp")


def test_every_fact_span_is_its_mention(seed_facts):
    assert all(doc.text[f.span_start:f.span_end] and f.span_start < f.span_end for doc, f in seed_facts)
    assert all(doc.text[f.span_start:f.span_end] in f.evidence for doc, f in seed_facts)


def test_seed_facts_match_the_gold_with_f1_of_at_least_0_90(seed_facts):
    predicted = [
        PredictedFact(doc.source_file, doc.file_start + f.span_start, f.indicator, f.measure, f.value, f.year,
                      f.period, f.kind, f.bound)
        for doc, f in seed_facts
    ]
    report = score(read_gold(GOLD), predicted)
    assert report.overall.f1 >= 0.90
    assert report.attribute_accuracy["kind"] >= 0.95
    assert report.attribute_accuracy["year"] >= 0.90


def test_indicator_codes_are_read_by_column_name_whatever_else_the_file_holds(tmp_path):
    codes_csv = tmp_path / "facts_codes.csv"
    codes_csv.write_text(
        "statistical_lag,code,vetoes,requires,raw_units,level_unit,name_zh,name_en,aggregate\n"
        "true,rd_expenditure,,,,CNY,研发经费支出,R&D expenditure,sum\n"
        "false,incubators,,,家|个,count,孵化器,Incubators,sum\n",
        encoding="utf-8",
    )
    codes = load_codes(codes_csv)
    assert (codes["rd_expenditure"].level_unit, codes["rd_expenditure"].statistical_lag) == ("CNY", True)
    assert codes["incubators"].raw_units == frozenset({"家", "个"})


def test_no_phrase_or_cue_word_spans_a_sentence_break():
    # facts scans only the sentences it reads, which finds what a whole-text scan finds only while this holds
    from pipelines.segment import _ENDERS

    words = [*PHRASES.keys(), *CUES.keys()]
    assert words and not [w for w in words if any(c in _ENDERS or c.isspace() for c in w)]


def test_every_period_pattern_holds_the_character_that_picks_the_lines_it_searches():
    assert PERIOD_PATTERNS and all(PERIOD_ANCHOR in pattern.pattern for pattern, _ in PERIOD_PATTERNS)


def test_high_value_invention_patents_per_10k_are_their_own_indicator():
    facts = facts_of("一、工作成效\n每万人口高价值发明专利拥有量达到9件,每万人口发明专利拥有量达到21件。")
    assert rows(facts) == [
        ("high_value_invention_patents_per_10k", "level", 9),
        ("invention_patents_per_10k", "level", 21),
    ]


def test_whole_society_rd_input_as_an_amount_is_rd_expenditure():
    facts = facts_of("一、工作成效\n2022年全市全社会研发投入65.3亿元,研发投入强度2.61%。\n二、2024年工作打算\n全社会研发投入增长12%以上。")
    assert rows(facts) == [
        ("rd_expenditure", "level", 6.53e9), ("rd_intensity", "level", 2.61), ("rd_expenditure", "growth_pct", 12)
    ]


def test_an_absolute_change_on_last_year_is_no_level():
    facts = facts_of("一、工作成效\n入库科技型中小企业980家,较去年增加215家;每万人口发明专利拥有量达到12.4件,比上年增加1.8件。")
    assert rows(facts) == [("tech_smes", "level", 980), ("invention_patents_per_10k", "level", 12.4)]


def test_a_forecast_cue_stops_at_the_next_named_indicator():
    facts = facts_of("一、工作成效\n全年研发投入强度预计达到2.9%,高新技术产业增加值占比达45.1%,居全省第三。")
    assert [(f.indicator, f.measure, f.kind) for f in facts] == [
        ("rd_intensity", "level", "forecast"),
        ("high_tech_industry_value_added", "share_pct", "actual"),
        ("high_tech_industry_value_added", "rank", "actual"),
    ]


def test_a_half_year_report_citing_a_past_year_states_a_whole_year_figure():
    text = "一、主要指标\n2023年全市研发经费投入强度为1.98%。截至5月底,技术合同登记成交额38.6亿元。"
    facts = facts_of(text, doc_type="half_year_summary", report_year=2024)
    assert [(f.indicator, f.year, f.period) for f in facts] == [
        ("rd_intensity", 2023, "FY"), ("tech_contract_turnover", 2024, "M1-5")
    ]


def test_enterprise_rd_spending_is_not_whole_society_rd():
    facts = facts_of("一、工作成效\n规上工业企业研发经费支出同比增长13.6%,全社会研发经费支出增长9.1%。")
    assert rows(facts) == [("rd_expenditure", "growth_pct", 9.1)]


def test_a_duration_does_not_break_a_rank_following_its_figure():
    facts = facts_of("一、工作成效\n全区技术合同成交额达到412.6亿元,同比增长25.3%,总量连续三年位居全市首位。")
    assert rows(facts)[-1] == ("tech_contract_turnover", "rank", 1)


def test_a_plan_recalling_a_past_year_states_actuals_and_its_own_goals_as_targets():
    text = ("2024年全市科技工作要点\n一、主要目标\n全社会研发经费投入强度达到2.6%。\n二、重点任务\n"
            "二〇二三年,全市高新技术企业达到968家。")
    facts = facts_of(text, doc_type="work_points", report_year=2024)
    assert [(f.indicator, f.year, f.kind) for f in facts] == [
        ("rd_intensity", 2024, "target"), ("high_tech_enterprises", 2023, "actual")
    ]


def test_regions_together_a_subject_carried_over_and_a_name_s_own_whole():
    own = ("我市", "全市", "安徽省", "安徽")  # a province's report: its own scope words and names

    def region(text: str, figure: str, lo: int = 0) -> tuple[str | None, str]:
        return RegionScan(_document(text, region="安徽省"), own).region_of(lo, text.index(figure))

    assert region("宣城市、滁州市产值总量位居前两位,两市合计占全省的43.9%。", "43.9") == (
        "宣城市、滁州市", "regions_together")
    text = "滁州市高新技术企业总数达到1012家;高新技术产业产值占比达到46.7%。"
    assert region(text, "46.7", text.index(";") + 1) == ("滁州市", "sentence_subject")
    assert region("今年前两个月,宣城全市登记技术合同96项,成交金额1.5亿元。", "1.5") == ("宣城市", "named")
    # 我省 after 全国 is the province; 居全区首位 ranks within a field, the figure stays the named city's
    assert region("全国技术合同成交额4万亿元,我省成交额占全国的8.3%。", "8.3") == ("安徽省", "scope_province")
    assert region("其中,芜湖市技术合同成交额31.2亿元,居全区首位。", "首位") == ("芜湖市", "named")
    # an aside names no subject (无锡 in 新吴区(无锡高新区)); a goal's region follows 推动
    text = "江阴市、宜兴市、新吴区(无锡高新区)成交额位居前三,分别为98.63亿元、71.25亿元、64.38亿元。"
    assert region(text, "64.38") == ("新吴区", "region_list")
    assert region("推动杭州、宁波两市研发投入强度分别达到4.2%、3.4%。", "3.4") == ("宁波市", "region_list")
