"""Every number of a text as a typed mention: value, unit, bound, category and span.

The composed sentences are our own realistic phrasing; the seed tests read ../shared/seeds through `seeds_dir`.
"""

from __future__ import annotations

import re

import pytest

from pipelines.mentions import Mention, extract_mentions
from pipelines.segment import segment

from tests.conftest import seed_path


def mentions_of(text: str) -> list[Mention]:
    _, sentences = segment("t", text)
    return extract_mentions("t", text, sentences)


def the(mentions: list[Mention], written: str) -> Mention:
    """The one mention whose span is exactly `written`."""
    (found,) = [m for m in mentions if m.text == written]
    return found


def covering(mentions: list[Mention], offset: int) -> Mention:
    (found,) = [m for m in mentions if m.start <= offset < m.end]
    return found


def fields(m: Mention) -> tuple:
    return m.value, m.value_max, m.unit, m.category, m.bound, m.masked


# ---- money, scales, units -----------------------------------------------------------------------------------

def test_money_is_in_yuan_whatever_the_scale_word():
    ms = mentions_of("全年技术合同成交额3,963.1万元,带动投资1.2万亿元,拨付资金2875.66万元,研发经费达38.27亿元。")
    assert fields(the(ms, "3,963.1万元")) == (39_631_000, None, "CNY", "quantity", "exact", False)
    assert the(ms, "1.2万亿元").value == 1.2e12
    assert the(ms, "2875.66万元").value == 28_756_600  # no float noise (2875.66 * 1e4 is 28756599.999...)
    assert the(ms, "38.27亿元").value == 3_827_000_000
    assert the(ms, "38.27亿元").raw_unit == "亿元"


def test_a_masked_range_before_a_programme_name_holding_a_numeral_is_one_mention():
    ms = mentions_of("确保x家企业申报,力争x-x个双千项目立项。")
    assert [(m.text, m.value, m.masked) for m in ms] == [("x家", None, True), ("x-x个", None, True)]


def test_a_bare_yi_after_money_words_is_money_and_elsewhere_stays_unitless():
    ms = mentions_of("新材料产业产值达320亿,全市常住人口约5万。")
    assert (the(ms, "320亿").value, the(ms, "320亿").unit) == (3.2e10, "CNY")
    assert (the(ms, "约5万").value, the(ms, "约5万").unit) == (5e4, "none")


@pytest.mark.parametrize(("written", "unit", "raw_unit", "value"), [
    ("36家", "count", "家", 36), ("12项", "count", "项", 12), ("8篇", "count", "篇", 8), ("4台", "count", "台", 4),
    ("1.5万人次", "person_times", "万人次", 15_000), ("2.4万平方米", "m2", "万平方米", 24_000),
    ("3万吨", "t", "万吨", 30_000), ("600m", "m", "m", 600), ("13条", "count", "条", 13),
])
def test_unit_words_map_to_canonical_units(written, unit, raw_unit, value):
    m = the(mentions_of(f"本年度新增{written}以深,另有说明。" if written == "600m" else f"全年共完成{written},成效明显。"),
            written)
    assert (m.unit, m.raw_unit, m.value, m.category) == (unit, raw_unit, value, "quantity")


def test_a_unit_word_that_begins_another_word_is_not_a_unit():
    ms = mentions_of("联合农行12支行为企业授信。")
    assert [m.text for m in ms] == ["12"]


# ---- percentages, points, multiples, fractions ----------------------------------------------------------------

def test_percent_points_multiples_and_fractions():
    ms = mentions_of("发明专利授权量同比增长6.35%,研发投入强度提高0.35个百分点,技术合同额增长1.8倍,占全省总数超1/4。")
    assert fields(the(ms, "6.35%")) == (6.35, None, "percent", "percent", "exact", False)
    assert fields(the(ms, "0.35个百分点")) == (0.35, None, "pp", "pp", "exact", False)
    assert fields(the(ms, "1.8倍")) == (1.8, None, "multiple", "multiple", "exact", False)
    quarter = the(ms, "超1/4")
    assert (quarter.value, quarter.unit, quarter.category, quarter.bound) == (25.0, "percent", "fraction", "at_least")
    assert the(mentions_of("占比超1/3。"), "超1/3").value == pytest.approx(33.333, abs=1e-3)


@pytest.mark.parametrize("clause", [
    "研发投入占gdp比重为2.71,", "高新技术产值占规上工业产值的18.45;", "发明专利授权完成92.5;",
    "企业研发机构建有率51.2,", "加计扣除额较上年增长64.7,", "入围团队占比7.5。", "研发经费投入强度达2.6;",
])
def test_a_lost_percent_sign_is_restored_where_the_clause_says_share_or_rate(clause):
    (m,) = mentions_of(clause)
    assert (m.category, m.unit) == ("percent", "percent")
    assert m.value == float(re.search(r"\d+\.\d+", clause).group())


def test_a_unitless_number_without_share_words_stays_a_plain_quantity():
    (m,) = mentions_of("每万人有效发明专利6.12,继续保持。")
    assert (m.value, m.unit, m.category) == (6.12, "none", "quantity")


# ---- ranks ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "written", "value", "scope"), [
    ("区域创新能力位居全省第9位。", "第9位", 9, "全省"),
    ("创新指数居全国第31位。", "第31位", 31, "全国"),
    ("研发投入强度蝉联苏北第3。", "第3", 3, "苏北"),
    ("科技进步贡献率全省第五。", "第五", 5, "全省"),
    ("净增数全市第1。", "第1", 1, "全市"),
    ("申报数位居全省首位。", "首位", 1, "全省"),
    ("研发投入排名长三角第14位以内。", "第14位以内", 14, "长三角"),
    ("入围总数居全省6位。", "6位", 6, "全省"),
    ("成交额居全市12个县区第一。", "第一", 1, "全市12个县区"),
    ("研发投入强度在全省16个设区市中排名第三。", "第三", 3, "全省16个设区市"),
    ("增速位列全省十四个市州第二位。", "第二位", 2, "全省十四个市州"),
])
def test_ranks_carry_their_scope(sentence, written, value, scope):
    m = the(mentions_of(sentence), written)
    assert (m.value, m.unit, m.category, m.rank_scope) == (value, "rank", "rank", scope)


def test_the_count_of_a_rankings_field_is_no_figure_but_other_counts_stay():
    assert [m.text for m in mentions_of("居全市12个县区第一。")] == ["第一"]
    assert [m.text for m in mentions_of("全市12个县区中有5个县区增长。")] == ["12个", "5个"]


def test_an_arabic_ordinal_place_without_scope_is_still_a_rank():
    m = the(mentions_of("该项指标考核获第2。"), "第2")
    assert (m.category, m.rank_scope) == ("rank", None)


def test_a_rank_change_counts_places():
    m = the(mentions_of("综合排名上升3位。"), "3位")
    assert (m.value, m.unit, m.category) == (3, "rank_places", "quantity")


def test_first_place_words_that_are_not_ranks():
    assert mentions_of("聚焦首位产业,勇担第一方阵使命,成为全省首位女院士。") == []
    assert [(m.text, m.category) for m in mentions_of("参加第十二届创新大赛。")] == [("第十二", "ordinal")]


# ---- Chinese numerals -----------------------------------------------------------------------------------------

def test_chinese_numerals_before_a_unit_are_numbers():
    ms = mentions_of("新增两家省级平台,完成十五项攻关,入驻一百二十家企业,吸引近百家机构。")
    assert [(m.text, m.value, m.bound) for m in ms] == [
        ("两家", 2, "exact"), ("十五项", 15, "exact"), ("一百二十家", 120, "exact"), ("近百家", 100, "about")]


def test_chinese_numerals_inside_words_and_names_are_not_numbers():
    text = "进一步完善一批政策,推进一体化,打造一流平台,统一部署,落实三新一高、一室一中心、四送一服、五群十链,勇担第一方阵。"
    assert mentions_of(text) == []


# ---- ranges and bounds ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "low", "high"), [("8-10篇", 8, 10), ("1～2家", 1, 2), ("1至2家", 1, 2),
                                                      ("2-3项", 2, 3)])
def test_ranges(written, low, high):
    m = the(mentions_of(f"力争完成{written}。"), written)
    assert (m.value, m.value_max, m.bound, m.category) == (low, high, "range", "quantity")


@pytest.mark.parametrize(("written", "value", "bound"), [
    ("超过300家", 300, "at_least"), ("突破500亿元", 5e10, "at_least"), ("逾20项", 20, "at_least"),
    ("不少于5家", 5, "at_least"), ("突破100家", 100, "at_least"), ("50家以上", 50, "at_least"),
    ("首破千亿", 1e11, "at_least"), ("超亿元", 1e8, "at_least"),
    ("近30家", 30, "about"), ("约360万平方米", 3.6e6, "about"), ("15%左右", 15, "about"), ("20余家", 20, "about"),
    ("100余家", 100, "about"), ("230多个", 230, "about"), ("5000多家", 5000, "about"), ("5万余人", 5e4, "about"),
    ("不超过20个", 20, "at_most"), ("500万元以内", 5e6, "at_most"),
])
def test_bound_words_join_the_span(written, value, bound):
    m = the(mentions_of(f"技术合同交易额去年{written},今年继续。"), written)
    assert (m.value, m.bound) == (value, bound)


def test_a_bound_prefix_is_chosen_by_its_longest_word():
    m = the(mentions_of("支持项目不超过20个。"), "不超过20个")
    assert m.bound == "at_most"


# ---- masked numbers -------------------------------------------------------------------------------------------

def test_masked_numbers_keep_their_unit_and_lose_their_value():
    ms = mentions_of("全县有xx家企业获批,兑现资金xxx万元,占比x.x%,增加值占xx.x%,占全省x/xx。xx市科技局。")
    assert fields(the(ms, "xx家")) == (None, None, "count", "quantity", "exact", True)
    assert fields(the(ms, "xxx万元")) == (None, None, "CNY", "quantity", "exact", True)
    assert fields(the(ms, "x.x%")) == (None, None, "percent", "percent", "exact", True)
    assert the(ms, "xx.x%").masked
    assert (the(ms, "x/xx").category, the(ms, "x/xx").masked) == ("fraction", True)
    assert not [m for m in ms if m.text.startswith("xx市")]


# ---- what is not an indicator value ---------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "written", "category", "value"), [
    ("2022年全市新增企业。", "2022年", "year", 2022),
    ("征集2020年度优秀案例。", "2020年度", "year", 2020),
    ("二〇二一年工作总结。", "二〇二一年", "year", 2021),
    ("征集xxxx年度案例。", "xxxx年度", "year", None),
    ("于4月18日举办。", "4月18日", "date", 4),
    ("发布时间:2023-03-15 10:30", "2023-03-15 10:30", "date", 2023),
    ("截至6月底,完成任务。", "6月底", "date", 6),
    ("10月份启动。", "10月份", "date", 10),
    ("印发通知(宿政〔2021〕18号)。", "宿政〔2021〕18号", "doc_number", None),
    ("印发方案(芜政〔2023〕6 号)。", "芜政〔2023〕6 号", "doc_number", None),
    ("修订管理办法(2020年修订)。", "(2020年修订)", "doc_number", None),
    ("拨打热线:0551-12345678。", "0551-12345678", "phone", None),
    ("索引号: 11340100/2023-00012", "11340100/2023-00012", "code", None),
    ("聚焦“5+2”产业体系。", "5+2", "code", None),
    ("开展“315”消费者权益日活动。", "315", "code", None),
])
def test_non_values_get_their_category(sentence, written, category, value):
    m = the(mentions_of(sentence), written)
    assert (m.category, m.value) == (category, value)


def test_a_period_of_months_is_a_date_range_not_a_quantity_range():
    m = the(mentions_of("1-9月,专利授权增长。"), "1-9月")
    assert (m.category, m.value, m.value_max, m.bound) == ("date", 1, 9, "range")
    assert the(mentions_of("1-7月份实现产值。"), "1-7月份").category == "date"


def test_list_ordinals():
    text = "一、主要成效\n(一)平台建设\n1.加强研发投入。\n2、推进成果转化。\n(3)深化合作\n一是强化平台;二是培育主体。"
    ordinals = [m.text for m in mentions_of(text) if m.category == "ordinal"]
    assert ordinals == ["一、", "(一)", "1.", "2、", "(3)", "一是", "二是"]


# ---- spans, ids, sentences ------------------------------------------------------------------------------------

def test_spans_ids_and_sentences():
    text = "一、工作成效\n全年新增高新技术企业超过300家,增长12.5%。技术合同额达45.6亿元;排名全省第3位。"
    _, sentences = segment("t", text)
    ms = extract_mentions("t", text, sentences)
    assert [m.mention_id for m in ms] == list(range(len(ms)))
    for m in ms:
        assert m.text == text[m.start:m.end]
        (holder,) = [s for s in sentences if s.start <= m.start < s.end]
        assert m.sentence_id == holder.sentence_id
        assert m.doc_id == "t"
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))


def test_without_sentences_every_mention_is_outside_any_sentence():
    assert {m.sentence_id for m in extract_mentions("t", "新增3家,增长5%。", [])} == {-1}


# ---- seeds ----------------------------------------------------------------------------------------------------

def seed_mentions(seeds_dir, prefix: str) -> tuple[str, list[Mention]]:
    text = seed_path(seeds_dir, prefix).read_text(encoding="utf-8")
    return text, mentions_of(text)


def at(text: str, ms: list[Mention], written: str, occurrence: int = 0) -> Mention:
    offsets = [match.start() for match in re.finditer(re.escape(written), text)]
    return covering(ms, offsets[occurrence])


def test_seed_000(seeds_dir):
    text, ms = seed_mentions(seeds_dir, "000")
    for occurrence in (0, 1):
        m = at(text, ms, "50.61亿元", occurrence)
        assert (m.text, m.value, m.unit) == ("50.61亿元", 5.061e9, "CNY")
    assert fields(at(text, ms, "88.93%")) == (88.93, None, "percent", "percent", "exact", False)
    rank = at(text, ms, "第12位")
    assert (rank.value, rank.category, rank.rank_scope) == (12, "rank", "全省")
    assert at(text, ms, "淮政〔2022〕46号").category == "doc_number"
    assert fields(at(text, ms, "8-10篇"))[:5] == (8, 10, "count", "quantity", "range")
    assert at(text, ms, "3195.78万元").value == 31_957_800
    assert at(text, ms, "800m").unit == "m"


def test_seed_004(seeds_dir):
    text, ms = seed_mentions(seeds_dir, "004")
    assert fields(at(text, ms, "0.28个百分点")) == (0.28, None, "pp", "pp", "exact", False)
    first = at(text, ms, "千亿")
    assert (first.text, first.value, first.unit, first.bound) == ("首破千亿", 1e11, "CNY", "at_least")
    assert at(text, ms, "第26位").rank_scope == "全国"
    step = covering(ms, text.index("再进1位") + 2)
    assert (step.text, step.unit) == ("1位", "rank_places")


def test_seed_001(seeds_dir):
    text, ms = seed_mentions(seeds_dir, "001")
    masked = at(text, ms, "xx家")
    assert (masked.value, masked.masked, masked.unit) == (None, True, "count")
    share = at(text, ms, "2.39", 0)
    assert (share.value, share.category) == (2.39, "percent")
    assert "比重为2.39" in text[share.start - 3:share.end]


def test_seed_002(seeds_dir):
    text, ms = seed_mentions(seeds_dir, "002")
    assert at(text, ms, "0564-12345").category == "phone"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_words_hold_no_numbers(seeds_dir, prefix):
    text, ms = seed_mentions(seeds_dir, prefix)
    words = ("进一步", "(?<!第)一批", "一体化", "一流", "统一", "第一方阵", "五群十链", "一室一院一中心", "首位产业")
    for word in words:
        for hit in re.finditer(word, text):
            assert not [m for m in ms if m.start < hit.end() and hit.start() < m.end], (word, hit.start())
    assert all(m.text == text[m.start:m.end] for m in ms)


def test_cross_and_star_masks_read_like_x_masks():
    ms = mentions_of("今年引进人才×人,技术交易额×.×亿元,增长××%;申报高企**家,研发投入增速为*%,排名第*位。")
    assert fields(the(ms, "×人")) == (None, None, "count", "quantity", "exact", True)
    assert fields(the(ms, "×.×亿元")) == (None, None, "CNY", "quantity", "exact", True)
    assert fields(the(ms, "××%")) == (None, None, "percent", "percent", "exact", True)
    assert fields(the(ms, "**家")) == (None, None, "count", "quantity", "exact", True)
    assert fields(the(ms, "*%")) == (None, None, "percent", "percent", "exact", True)
    assert (the(ms, "第*位").category, the(ms, "第*位").masked) == ("rank", True)


def test_a_masked_rank_is_a_rank_without_a_value():
    text = "科技型中小企业入库386家,居全省第x位。"
    _, sentences = segment("d", text)
    (rank,) = [m for m in extract_mentions("d", text, sentences) if m.category == "rank"]
    assert (rank.text, rank.value, rank.masked, rank.rank_scope) == ("第x位", None, True, "全省")


def test_a_pair_of_ranks_sharing_one_di_is_two_ranks():
    ms = mentions_of("苏州市、无锡市分别以842.31亿元、436.27亿元位列第二、三位,两市分居全省第2、3名。")
    assert [(m.text, m.value) for m in ms if m.category == "rank"] == [("第二", 2), ("三位", 3), ("第2", 2), ("3名", 3)]
    assert [m.category for m in mentions_of("选派3位专家、科技特派员600名。")] == ["quantity", "quantity"]


def test_traditional_scale_and_counting_words_are_read_where_a_text_keeps_them():
    ms = mentions_of("技術合同成交額3.5億元,組織實施項目12項,新建平台3個,總額1.2萬億元。")
    assert [(m.text, m.value, m.unit) for m in ms] == [
        ("3.5億元", 3.5e8, "CNY"), ("12項", 12, "count"), ("3個", 3, "count"), ("1.2萬億元", 1.2e12, "CNY")]
