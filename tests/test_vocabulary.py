"""The vocabulary of real reports, as rule-table rows: each test is one word or pattern a report uses, read through
the real stages (segment, mentions, facts) on composed sentences whose numbers are made up.

Rows live in pipelines/rules/ (indicators.csv, cues.toml, units.csv, mention_cues.toml, bounds.toml); a new row
earns a test here that would fail without it.
"""

from __future__ import annotations

import pytest

from tests.test_facts import facts_of, only, rows
from tests.test_mentions import mentions_of as mentions_of_text


# ---- indicator phrases ----------------------------------------------------------------------------------------

def test_a_bare_intensity_after_rd_spending_is_rd_intensity():
    facts = facts_of("一、工作成效\n全市全社会研发经费投入31.6亿元,投入强度2.14%。")
    assert rows(facts) == [("rd_expenditure", "level", 3_160_000_000), ("rd_intensity", "level", 2.14)]


def test_an_intensity_with_no_rd_words_before_it_is_nothing():
    assert facts_of("一、工作成效\n全市能源投入强度2.14%。") == []


@pytest.mark.parametrize("ratio", ["占生产总值比重", "占全市生产总值比重", "占地区生产总值的"])
def test_rd_spending_over_gross_product_is_rd_intensity(ratio):
    facts = facts_of(f"一、工作成效\n全社会研究与试验发展经费支出占{ratio[1:]}为1.35%。")
    assert rows(facts) == [("rd_intensity", "level", 1.35)]


def test_company_rd_money_is_not_whole_society_rd():
    text = ("一、工作成效\n各类企业R&D经费84.2亿元,增长12.1%;规模以上工业企业R&D经费71.5亿元;"
            "规上工业企业研发费用增长9.8%。")
    assert facts_of(text) == []


def test_industrial_intensity_over_revenue_is_industrial_rd_intensity():
    facts = facts_of("一、工作成效\n规模以上工业企业R&D经费投入强度(与营业收入之比)为1.02%。")
    assert rows(facts) == [("industrial_rd_intensity", "level", 1.02)]


def test_bare_turnover_words_of_a_tech_market_report_are_tech_contract_turnover():
    facts = facts_of("一、工作成效\n全市登记技术合同1,230项,成交额52.6亿元;江北区成交金额8,450.2万元,成交总额居全市第2位。")
    assert rows(facts) == [
        ("tech_contract_turnover", "level", 5_260_000_000),
        ("tech_contract_turnover", "level", 84_502_000),
        ("tech_contract_turnover", "rank", 2),
    ]


def test_turnover_of_one_contract_type_or_of_companies_exporting_is_not_the_total():
    text = ("一、工作成效\n技术开发、技术服务合同成交额分别为12.1亿元、30.4亿元;"
            "企业输出技术合同成交额25.3亿元。")
    assert facts_of(text) == []


def test_absorbed_and_exported_amounts_named_short():
    facts = facts_of("一、工作成效\n吸纳技术合同成交额40.2亿元,其中吸纳额增速居全省第3位;输出额18.6亿元。")
    assert ("tech_contract_absorbed", "rank", 3) in rows(facts)
    assert ("tech_contract_exported", "level", 1_860_000_000) in rows(facts)


def test_progress_awards_and_their_first_prizes_are_awards():
    facts = facts_of("一、工作成效\n全市获省科学技术进步奖14项,其中一等奖3项。")
    assert rows(facts) == [("st_awards", "level", 14), ("st_awards", "level", 3)]


def test_a_first_prize_with_no_award_before_it_is_nothing():
    assert facts_of("一、工作成效\n全市青少年科技创新大赛一等奖3项。") == []


@pytest.mark.parametrize("product", ["“科技贷”", "“科创贷”", "科技成果转化贷款"])
def test_named_loan_products_are_sci_tech_loans(product):
    facts = facts_of(f"一、工作成效\n全年{product}放款3.2亿元。")
    assert rows(facts) == [("sci_tech_loans", "level", 320_000_000)]


def test_fiscal_science_spending_and_its_share_of_the_budget():
    facts = facts_of("一、工作成效\n全市财政科学技术支出12.4亿元;科学技术支出占一般公共预算支出的比重为2.1%。")
    assert rows(facts) == [("fiscal_st_expenditure", "level", 1_240_000_000),
                           ("fiscal_st_expenditure", "share_pct", 2.1)]


def test_incubation_carriers_are_incubators():
    facts = facts_of("一、工作成效\n全县省级以上孵化载体达到6家。")
    assert rows(facts) == [("incubators", "level", 6)]


# ---- cue words ------------------------------------------------------------------------------------------------

def test_raised_to_is_the_level_reached_not_a_change():
    facts = facts_of("二、明年工作打算\n全社会研发投入强度提高到2.3%左右,高新技术产业增加值增长至410亿元。")
    assert rows(facts) == [("rd_intensity", "level", 2.3), ("high_tech_industry_value_added", "level", 41_000_000_000)]


def test_a_gap_to_the_national_average_is_no_change_of_the_indicator():
    facts = facts_of("一、工作成效\n研发经费支出年均增长11.2%,高出全国平均水平3.1个百分点。")
    assert rows(facts) == [("rd_expenditure", "growth_pct", 11.2)]


def test_an_assigned_task_is_a_target():
    facts = facts_of("1.高新技术企业培育。任务是新认定高新技术企业12家。")
    assert [(f.indicator, f.kind) for f in facts] == [("high_tech_enterprises_new", "target")]


# ---- figures without digits and the units a mention reads ------------------------------------------------------

@pytest.mark.parametrize(("written", "value", "bound"), [
    ("九成以上", 90, "at_least"), ("超过六成", 60, "at_least"), ("近三成", 30, "about"), ("两成", 20, "exact"),
])
def test_tenths_are_percents(written, value, bound):
    (m,) = mentions_of_text(f"占比{written}。")
    assert (m.text, m.value, m.unit, m.category, m.bound) == (written, value, "percent", "fraction", bound)


@pytest.mark.parametrize("prose", ["形成一成不变的做法", "统一成立工作专班", "转化科技成果三项"])
def test_a_cheng_that_begins_or_ends_a_word_is_no_tenth(prose):
    assert all(m.raw_unit != "成" for m in mentions_of_text(prose))


def test_growth_by_a_fraction_is_its_percent():
    facts = facts_of("一、工作成效\n全市技术合同成交额增长超1/4,科技型中小企业入库数增长三成。")
    assert [(f.indicator, f.measure, round(f.value, 2), f.bound) for f in facts] == [
        ("tech_contract_turnover", "growth_pct", 25.0, "at_least"), ("tech_smes", "growth_pct", 30.0, "exact")]


@pytest.mark.parametrize(("text", "scope"), [
    ("连续三年居淮北市第一", "淮北市"), ("居宣城市第三位", "宣城市"), ("总量居全省各区县第二", "各区县"),
    ("居全市县域第一", "全市县域"), ("继续居全市各县(市、区)首位", "各县(市、区)"),
])
def test_a_rank_among_a_named_places_peers(text, scope):
    (m,) = [m for m in mentions_of_text(text) if m.category == "rank"]
    assert m.rank_scope == scope


def test_a_chinese_ordinal_with_no_scope_stays_prose():
    assert [m for m in mentions_of_text("第三方机构评估") if m.category == "rank"] == []


def test_visits_by_firms_are_not_a_count_of_firms():
    facts = facts_of("一、工作成效\n组织1,024家次高企参加申报辅导。")
    assert facts == []


def test_a_masked_decimal_after_a_zero_is_one_masked_figure():
    (m,) = mentions_of_text("投入强度0.xx%")
    assert (m.text, m.value, m.masked, m.unit) == ("0.xx%", None, True, "percent")


# ---- words met in the survey of real reports (docs/annotation-guide.md, "Vocabulary") ---------------------------

@pytest.mark.parametrize("phrase", ["技术合同成交总额", "技术市场合同交易额", "技术合同登记交易额", "技术合同金额"])
def test_other_names_of_tech_contract_turnover(phrase):
    facts = facts_of(f"一、工作成效\n全市{phrase}26.4亿元。")
    assert rows(facts) == [("tech_contract_turnover", "level", 2_640_000_000)]


def test_absorbed_turnover_named_without_contract():
    facts = facts_of("一、工作成效\n全社会吸纳技术成交额16.2亿元,其中企业吸纳技术成交额14.9亿元。")
    assert rows(facts) == [("tech_contract_absorbed", "level", 1_620_000_000),
                           ("tech_contract_absorbed_by_enterprises", "level", 1_490_000_000)]


def test_turnover_of_legal_person_firms_or_universities_is_a_part_not_the_total():
    assert facts_of("一、工作成效\n企业法人技术合同成交额85.7亿元,高校技术合同成交额3.2亿元。") == []


@pytest.mark.parametrize("phrase", ["全社会R&D支出", "研究与试验发展(R&D)经费支出", "研究与实验发展经费支出"])
def test_other_names_of_rd_expenditure(phrase):
    facts = facts_of(f"一、工作成效\n{phrase}57.4亿元,比增14.2%。")
    assert rows(facts) == [("rd_expenditure", "level", 5_740_000_000), ("rd_expenditure", "growth_pct", 14.2)]


def test_rd_over_gdp_with_bare_rd_or_over_national_product():
    facts = facts_of("二、明年工作打算\nR&D占GDP比重达到2.6%;研究与试验发展(R&D)经费投入强度(与国内生产总值之比)为2.1%。")
    assert rows(facts) == [("rd_intensity", "level", 2.6), ("rd_intensity", "level", 2.1)]


def test_rd_subsidies_and_company_rd_money_are_no_rd_expenditure():
    text = "一、工作成效\n43家企业享受研发经费补助资金2751万元;企业R&D支出12.3亿元;规上工业研发费1.2亿元。"
    assert facts_of(text) == []


@pytest.mark.parametrize(("phrase", "indicator"), [
    ("专利申请数", "patent_applications"), ("专利授权数", "patent_grants"),
    ("有效发明专利保有量", "invention_patents_owned")])
def test_patent_counts_named_as_numbers(phrase, indicator):
    facts = facts_of(f"一、工作成效\n全市{phrase}1,234件。")
    assert rows(facts) == [(indicator, "level", 1234)]


@pytest.mark.parametrize("phrase", ["高新产值", "高新技术产业总产值", "高新技术产业工业总产值"])
def test_other_names_of_high_tech_output(phrase):
    facts = facts_of(f"一、工作成效\n全市{phrase}412.3亿元。")
    assert rows(facts) == [("high_tech_industry_output", "level", 41_230_000_000)]


def test_industrial_rd_over_revenue_is_industrial_intensity():
    facts = facts_of("二、明年工作打算\n规模以上工业企业研发经费支出与主营业务收入之比达到1.1%,规上工业研发强度2.3%。")
    assert rows(facts) == [("industrial_rd_intensity", "level", 1.1), ("industrial_rd_intensity", "level", 2.3)]


def test_firms_counted_in_hu():
    facts = facts_of("一、工作成效\n全市净增高新技术企业48户,总数达到143户。")
    assert rows(facts) == [("high_tech_enterprises_net_increase", "level", 48), ("high_tech_enterprises", "level", 143)]


def test_tenths_written_with_a_digit():
    (m,) = mentions_of_text("同比增长7成多。")
    assert (m.text, m.value, m.bound) == ("7成多", 70, "about")


def test_counts_in_ten_thousands_keep_their_counting_word():
    facts = facts_of("一、工作成效\n全市专利申请量2.85万件,入库科技型中小企业1.2万家,选派科技特派员1.1万名。")
    assert rows(facts) == [("patent_applications", "level", 28_500), ("tech_smes", "level", 12_000),
                           ("tech_commissioners", "level", 11_000)]


def test_reached_continues_the_indicator_of_its_clause_group():
    facts = facts_of("一、工作成效\n全市专利申请量首次突破1000件,达到1,076件。")
    assert rows(facts) == [("patent_applications", "level", 1000), ("patent_applications", "level", 1076)]


def test_bare_turnover_after_absorbed_or_exported_contracts_is_theirs():
    facts = facts_of("一、工作成效\n全省输出技术合同8512项,成交额321.8亿元;吸纳技术合同8024项,成交金额428.4亿元。")
    assert rows(facts) == [("tech_contract_exported", "level", 32_180_000_000),
                           ("tech_contract_absorbed", "level", 42_840_000_000)]


def test_bare_turnover_of_universities_or_large_contracts_is_a_part():
    text = ("一、工作成效\n全市高校共登记技术合同193项,成交额1.6亿元;全年成交1000万元以上的重大技术合同31项,成交额11.3亿元。")
    assert facts_of(text) == []


def test_a_sectors_share_of_the_indicator_is_no_fact_of_it():
    text = ("一、工作成效\n全市高新技术产业产值520.3亿元,装备、新材料等领域产值占比超过六成;"
            "技术合同成交额96.4亿元,其中输出到省外的合同占比超过三成。")
    assert rows(facts_of(text)) == [("high_tech_industry_output", "level", 52_030_000_000),
                                    ("tech_contract_turnover", "level", 9_640_000_000)]


def test_firms_a_loan_reached_are_no_count_of_the_indicator():
    facts = facts_of("一、工作成效\n“科创贷”新增放款5.6亿元,惠及科技型中小企业167家。")
    assert rows(facts) == [("sci_tech_loans", "level", 560_000_000)]


def test_more_than_last_year_by_a_count_is_no_level():
    facts = facts_of("一、工作成效\n上半年推荐申报高新技术企业38家,同比增加12家。")
    assert rows(facts) == [("high_tech_enterprise_applications", "level", 38)]


def test_a_slogan_numeral_is_no_count():
    assert facts_of("二、主要目标\n创新主体、创新平台、创新投入实现“三个倍增”。") == []


def test_what_was_done_beside_the_task_set_is_actual():
    facts = facts_of("1.高新技术企业培育。任务是新认定高新技术企业15家,全年实际通过认定22家;技术合同登记额任务是5亿元,全年完成6.42亿元。")
    assert [(f.indicator, f.value, f.kind) for f in facts] == [
        ("high_tech_enterprises_new", 15, "target"), ("high_tech_enterprises_new", 22, "actual"),
        ("tech_contract_turnover", 500_000_000, "target"), ("tech_contract_turnover", 642_000_000, "actual")]


def test_working_from_reality_is_no_actual_cue():
    facts = facts_of("二、明年工作打算\n请结合实际,力争新认定高新技术企业30家。")
    assert [(f.value, f.kind) for f in facts] == [(30, "target")]


@pytest.mark.parametrize("platform", ["工程技术研究开发中心", "工程研究中心", "企业技术中心"])
def test_other_platform_names(platform):
    facts = facts_of(f"一、工作成效\n新增省级{platform}27家,总数达到152家。")
    assert rows(facts) == [("innovation_platforms", "level", 27), ("innovation_platforms", "level", 152)]


def test_a_projects_grant_and_a_pool_of_candidates_are_no_indicator():
    text = ("一、工作成效\n实施关键技术攻关重大项目,获省级补助资金500万元;全年高新技术企业培育入库1万家;"
            "高企中营收过亿元的仅有11家;创新平台主要集中在两个园区。")
    assert facts_of(text) == []


def test_a_share_of_the_rd_total_is_no_rd_fact():
    assert facts_of("一、工作成效\n基础研究经费占R&D经费的比重为4.2%。") == []


def test_turnover_of_ip_contracts_or_of_the_other_cities_is_a_part():
    text = "一、工作成效\n涉及知识产权的技术合同成交额47.3亿元;其余六个设区市成交金额均在3亿元以下。"
    assert facts_of(text) == []


def test_the_amount_lent_under_a_loan_product():
    facts = facts_of("一、工作成效\n全市21家企业获得“科技贷”支持,贷款额度1.05亿元。")
    assert rows(facts) == [("sci_tech_loans", "level", 105_000_000)]


def test_a_completion_rate_neither_is_a_fact_nor_breaks_the_chain():
    facts = facts_of("一、工作成效\n技术合同登记额42.17亿元,完成省下达任务的140.6%,同比增长25.3%,居全省第三位。")
    assert rows(facts) == [("tech_contract_turnover", "level", 4_217_000_000),
                           ("tech_contract_turnover", "growth_pct", 25.3), ("tech_contract_turnover", "rank", 3)]


def test_projects_obtained_from_higher_levels_are_actual():
    facts = facts_of("一、工作成效\n全年争取省级以上科技项目12项。")
    assert [(f.indicator, f.value, f.kind) for f in facts] == [("st_projects", 12, "actual")]


def test_a_figure_as_of_a_date_is_actual_even_beside_a_task():
    facts = facts_of("3.知识产权。发明专利授权任务是80件,截至12月20日,全市发明专利授权71件。")
    assert [(f.value, f.kind) for f in facts] == [(80, "target"), (71, "actual")]


@pytest.mark.parametrize("phrase", ["全社会R&D经费内部支出", "研究与试验发展经费内部支出"])
def test_rd_spending_named_as_internal_expenditure(phrase):
    facts = facts_of(f"一、工作成效\n{phrase}28.2亿元,相当于地区生产总值的1.05%。")
    assert rows(facts) == [("rd_expenditure", "level", 2_820_000_000), ("rd_intensity", "level", 1.05)]


def test_owned_invention_patents_per_10k_people_named_with_valid():
    facts = facts_of("一、工作成效\n每万人口有效发明专利拥有量达到12.7件。")
    assert rows(facts) == [("invention_patents_per_10k", "level", 12.7)]


def test_utility_design_pct_and_high_value_patents_are_parts_not_the_totals():
    text = ("一、工作成效\n实用新型专利申请3,012件;PCT国际专利申请56件;高价值发明专利拥有量1,420件;"
            "外观设计专利授权980件。")
    assert facts_of(text) == []


def test_for_the_first_time_continues_the_indicator_of_its_clause_group():
    facts = facts_of("一、工作成效\n技术合同登记额1.26亿元,同比增长2.1倍,首次突破亿元大关;高新技术企业总数达到1012家,比上年净增236家,首次突破千家。")
    assert [(f.indicator, f.measure, f.value, f.bound) for f in facts] == [
        ("tech_contract_turnover", "level", 126_000_000, "exact"), ("tech_contract_turnover", "growth_pct", 210, "exact"),
        ("tech_contract_turnover", "level", 100_000_000, "at_least"), ("high_tech_enterprises", "level", 1012, "exact"),
        ("high_tech_enterprises_net_increase", "level", 236, "exact"), ("high_tech_enterprises", "level", 1000, "at_least")]


@pytest.mark.parametrize("phrase", ["R&D投入强度", "全社会研发强度", "全社会研发投入占比"])
def test_other_names_of_rd_intensity(phrase):
    facts = facts_of(f"一、工作成效\n{phrase}达到2.31%。")
    assert rows(facts) == [("rd_intensity", "level", 2.31)]


def test_contract_turnover_abbreviated_after_the_contract_count_is_the_turnover():
    facts = facts_of("一、工作成效\n技术合同登记完成6项,合同成交额完成583.2万元,同比增长87.3%。")
    assert rows(facts) == [("tech_contract_turnover", "level", 5_832_000), ("tech_contract_turnover", "growth_pct", 87.3)]


def test_turnover_of_out_of_province_contracts_is_a_part():
    text = ("一、工作成效\n吸纳技术合同8024项,成交额428.4亿元;吸纳技术合同中,省外合同1791项,成交额220.7亿元;"
            "专利技术合同共成交1537项、成交额134.7亿元。")
    assert rows(facts_of(text)) == [("tech_contract_absorbed", "level", 42_840_000_000)]


def test_firms_under_review_or_a_subset_of_the_firms_are_no_count_of_them():
    text = "一、工作成效\n我市申请复审的93家高新技术企业中91家通过备案核查;高企中营收过亿元的仅有11家。"
    assert facts_of(text) == []


def test_must_and_strive_to_reach_are_targets():
    facts = facts_of("一、工作成效\n新增高新技术企业50家,努力实现新增100家;专利申报量要突破2000件。")
    assert [(f.value, f.kind) for f in facts] == [(50, "actual"), (100, "target"), (2000, "target")]


# ---- probe of real reports (2026-12): wordings the development corpus lacked -----------------------------------

def test_registered_contracts_with_an_amount_are_turnover_and_a_count_of_them_is_nothing():
    facts = facts_of("一、工作成效\n全区技术合同登记8.4亿元;技术合同认定登记131项,合同总额5.2亿元;技术合同登记96项,同比增长12%。")
    assert rows(facts) == [("tech_contract_turnover", "level", 840_000_000),
                           ("tech_contract_turnover", "level", 520_000_000)]


@pytest.mark.parametrize("phrase", ["全社会R&D占比", "全社会R&D经费投入强度", "全社会R&D投入强度"])
def test_rd_share_and_intensity_written_with_rd(phrase):
    facts = facts_of(f"一、工作成效\n全市{phrase}达到2.47%。")
    assert rows(facts) == [("rd_intensity", "level", 2.47)]


@pytest.mark.parametrize("phrase", ["研发(R&D)经费投入", "研究与开发(R&D)经费支出", "研究与开发经费", "科技研发投入"])
def test_rd_spending_named_with_a_gloss_or_as_research_and_development(phrase):
    facts = facts_of(f"一、工作成效\n全市{phrase}为18.3亿元。")
    assert rows(facts) == [("rd_expenditure", "level", 1_830_000_000)]


def test_bare_amounts_after_technology_exported_or_absorbed_are_theirs():
    facts = facts_of("一、工作成效\n全市输出技术820项,成交金额12.4亿元;吸纳技术910项,成交金额15.6亿元。")
    assert rows(facts) == [("tech_contract_exported", "level", 1_240_000_000),
                           ("tech_contract_absorbed", "level", 1_560_000_000)]


def test_industrial_value_added_right_after_high_tech_output_is_high_tech_value_added():
    facts = facts_of("一、工作成效\n高新技术产业总产值210亿元,实现工业增加值64亿元。全市工业增加值增长7%。")
    assert rows(facts) == [("high_tech_industry_output", "level", 21_000_000_000),
                           ("high_tech_industry_value_added", "level", 6_400_000_000)]


@pytest.mark.parametrize("text", [
    "一、工作成效\n新材料领域位居各领域之首,成交额为32.5亿元。",
    "一、工作成效\n技术开发、技术服务两类合同分别登记410项、380项,成交额21.3亿元、18.2亿元。",
    "一、工作成效\n其中电子信息领域技术合同成交额同比增长31.2%。",
    "一、工作成效\n高校、科研院所技术合同成交额分别为3.1亿元、4.6亿元。",
])
def test_turnover_of_a_sector_a_contract_type_or_institutes_is_a_part(text):
    assert facts_of(text) == []


def test_revenue_of_high_tech_firms_is_no_figure_of_the_firms():
    facts = facts_of("一、工作成效\n规上工业高企营业收入同比增长11.2%,占规上工业的比重达到41.5%,比上年提高1.3个百分点。")
    assert facts == []


def test_firms_passing_review_are_newly_recognised():
    facts = facts_of("一、工作成效\n第一批评审通过国家高新技术企业64家。")
    assert [(f.indicator, f.value) for f in facts] == [("high_tech_enterprises_new", 64)]


def test_zheng_qu_outside_projects_and_funds_is_a_target():
    facts = facts_of("一、工作成效\n全年争取新增高新技术企业40家。全年争取省级科技项目9项。")
    assert [(f.indicator, f.value, f.kind) for f in facts] == [
        ("high_tech_enterprises_new", 40, "target"), ("st_projects", 9, "actual")]


def test_stepping_into_a_level_is_at_least_it():
    facts = facts_of("一、工作成效\n全市技术合同成交额跨入50亿元。")
    assert [(f.value, f.bound) for f in facts] == [(5_000_000_000, "at_least")]


def test_a_part_holds_to_the_end_of_its_clause_group():
    facts = facts_of("一、工作成效\n企业法人输出技术合同1.2万项,成交额310亿元;全市技术合同成交额420亿元。")
    assert rows(facts) == [("tech_contract_turnover", "level", 42_000_000_000)]


def test_the_rank_of_a_completion_rate_is_no_rank_of_the_indicator():
    facts = facts_of("一、工作成效\n高新技术产业增加值62.4亿元,全市排名第5;年度任务完成率121%,全市排名第3。")
    assert rows(facts) == [("high_tech_industry_value_added", "level", 6_240_000_000),
                           ("high_tech_industry_value_added", "rank", 5)]


def test_a_count_that_is_one_of_several_is_no_count():
    facts = facts_of("一、工作成效\n某研究院成为全省获批省级新型研发机构的四家之一。")
    assert facts == []


def test_a_list_of_targets_after_a_lead_in_is_all_targets_and_the_next_sentence_is_not():
    facts = facts_of("会议明确今年的目标:一是新增高新技术企业45家;二是专利授权量达到900件。去年新增高新技术企业38家。",
                     doc_type="other")
    assert [(f.value, f.kind) for f in facts] == [(45, "target"), (900, "target"), (38, "actual")]


def test_a_rank_shared_by_a_set_of_indicators_is_none_of_theirs():
    facts = facts_of("一、工作成效\n全市研发投入、高新技术企业、省级创新平台数量等系列创新指标稳居全省第一。")
    assert facts == []


@pytest.mark.parametrize("won", ["争取各级科技项目资金", "争取财政扶持资金", "争取科技资金", "争取上级无偿资金"])
def test_funds_obtained_from_higher_levels_are_actual(won):
    facts = facts_of(f"一、工作成效\n全年共{won}2300万元,全市技术合同成交额16.4亿元。")
    assert only(facts, "tech_contract_turnover").kind == "actual"
    assert all(f.kind == "actual" for f in facts)


# ---- a survey of provincial and city reports (工作总结, 统计公报, 技术市场 and 高企 news of 20 provinces) --------


@pytest.mark.parametrize("subject", ["规上工业研发费用", "规上工业企业研发费用", "工业企业研发费用", "研发费用"])
def test_rd_costs_over_revenue_are_the_industrial_rd_intensity(subject):
    facts = facts_of(f"一、工作成效\n1-10月,{subject}占营业收入比重3.12%。")
    assert rows(facts) == [("industrial_rd_intensity", "level", 3.12)]


def test_output_the_high_tech_industry_realised_is_its_output():
    facts = facts_of("一、工作成效\n2022年,全省高新技术产业实现总产值512.3亿元。")
    assert rows(facts) == [("high_tech_industry_output", "level", 51_230_000_000)]


def test_the_revenue_of_high_tech_firms_and_its_growth_are_no_figure_of_the_firms():
    assert facts_of("一、工作成效\n全市高新技术企业的营业收入增速比上年提高4.2个百分点。") == []


@pytest.mark.parametrize("reserve", ["高新技术企业后备企业", "后备高新技术企业", "高企后备企业"])
def test_firms_in_reserve_for_certification_are_no_high_tech_firms(reserve):
    assert facts_of(f"一、工作成效\n全市已培育{reserve}41家。") == []


def test_the_turnover_of_a_group_of_industries_is_no_total():
    assert facts_of("一、工作成效\n五大优势产业技术合同成交额达到121.4亿元。") == []


def test_growth_of_other_things_does_not_chain_to_the_high_tech_firms():
    facts = facts_of("一、工作成效\n全市高新技术企业增长12.1%,新登记企业增长8%,外贸进出口总额增长6.3%。")
    assert rows(facts) == [("high_tech_enterprises", "growth_pct", 12.1)]


def test_science_programmes_run_are_projects_but_their_money_is_not():
    facts = facts_of("一、工作成效\n全年组织实施市级科技计划45项。该项目获得省级科技计划支持资金80万元,科技计划资金3项。")
    assert rows(facts) == [("st_projects", "level", 45)]


def test_a_base_year_called_the_year_before_is_no_year_of_the_figure():
    facts = facts_of("一、工作成效\n全市高新技术企业达到820家,较上一年增长13.3%。")
    assert [(f.measure, f.year, f.year_source) for f in facts] == [("level", 2023, "report"), ("growth_pct", 2023, "report")]


def test_firms_visited_for_a_survey_are_no_count_of_the_firms():
    assert facts_of("一、工作成效\n赴63户高新技术企业开展调研服务。") == []


@pytest.mark.parametrize("gap", ["增速比上年提高5.2个百分点", "比省平均水平高4.3个百分点", "增幅较上年提高2.1个百分点"])
def test_a_change_of_the_growth_rate_or_a_gap_to_the_average_is_no_fact(gap):
    facts = facts_of(f"一、工作成效\n全市高新技术产业增加值137.2亿元,增长13.7%,{gap}。")
    assert rows(facts) == [("high_tech_industry_value_added", "level", 13_720_000_000),
                           ("high_tech_industry_value_added", "growth_pct", 13.7)]


def test_a_sentence_opened_by_will_strive_is_all_targets_across_its_semicolons():
    facts = facts_of("今年,我省将力争高新技术企业总数达到550家;技术合同年成交额保持在100亿元以上。去年成交额90亿元。",
                     doc_type="other")
    assert [(f.value, f.kind) for f in facts] == [(550, "target"), (10_000_000_000, "target"), (9_000_000_000, "actual")]


# ---- from the survey of county and district pages (surveyb) ------------------------------------------------------

def test_rd_over_the_same_months_gdp_is_rd_intensity():
    facts = facts_of("一、工作成效\n1-9月全县R&D经费投入0.8亿元,占同期GDP比重0.52%。")
    assert rows(facts) == [("rd_expenditure", "level", 80_000_000), ("rd_intensity", "level", 0.52)]


@pytest.mark.parametrize("ratio", ["占地区生产总值(GDP)比重", "占地区生产总值（GDP）的比重"])
def test_a_gdp_gloss_inside_the_ratio_keeps_it_rd_intensity(ratio):
    facts = facts_of(f"一、发展基础\n全区研究与试验发展(R&D)经费支出{ratio}达到2.6%。")
    assert rows(facts) == [("rd_intensity", "level", 2.6)]


def test_firms_rd_spending_over_revenue_is_the_industrial_rd_intensity():
    facts = facts_of("一、工作成效\n全县规上工业企业研发经费支出占营业收入的比重为1.7%。")
    assert rows(facts) == [("industrial_rd_intensity", "level", 1.7)]


def test_what_the_technology_market_realised_is_the_turnover():
    assert rows(facts_of("一、工作成效\n全年技术市场实现交易额1.2亿元。")) == [
        ("tech_contract_turnover", "level", 120_000_000)]


def test_patents_received_are_applications():
    facts = facts_of("一、工作成效\n全县专利受理量630件,其中发明专利受理量150件。")
    assert rows(facts) == [("patent_applications", "level", 630), ("invention_patent_applications", "level", 150)]


def test_high_tech_output_written_short_and_innovation_teams():
    facts = facts_of("一、工作成效\n高新产业产值占规模工业总产值的41.5%,新认定省级创新创业人才团队2个。")
    assert rows(facts) == [("high_tech_industry_output", "share_pct", 41.5), ("talent_teams", "level", 2)]


def test_shares_of_the_whole_rd_firms_output_digital_economy_and_products_are_no_figures():
    text = ("一、工作成效\n企业研发投入占全社会研发投入比重达88%;高企产值占规上工业总产值的61%;"
            "数字经济核心产业增加值占GDP比重达到7%;新认定高新技术产品21个。")
    assert facts_of(text) == []


def test_a_plan_word_closing_a_quoted_programme_name_is_no_target():
    facts = facts_of("一、工作成效\n深入实施“科企倍增计划”,新增科技型中小企业46家。")
    assert [(f.indicator, f.kind) for f in facts] == [("tech_smes", "actual")]


def test_what_a_figure_should_reach_is_a_target():
    facts = facts_of("2.专利工作。按照考核要求,全县发明专利拥有量应达到75件。")
    assert [(f.indicator, f.kind) for f in facts] == [("invention_patents_owned", "target")]

