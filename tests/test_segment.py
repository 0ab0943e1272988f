"""Sections (heading tree, roles, years, half-years) and sentences of pipelines/segment.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.ingest import normalise
from pipelines.segment import Section, Sentence, segment
from tests.conftest import seed_path


def _sections(text: str) -> list[Section]:
    return segment("doc", text)[0]


def _by_heading(sections: list[Section], heading: str) -> Section:
    (match,) = [s for s in sections if s.heading == heading]
    return match


def _parent(sections: list[Section], section: Section) -> Section:
    return sections[section.parent_id]


def _seed_sections(seeds_dir, prefix: str) -> list[Section]:
    text = normalise(seed_path(seeds_dir, prefix).read_text(encoding="utf-8"))
    return _sections(text)


def _starting(sections: list[Section], label: str) -> Section:
    (match,) = [s for s in sections if s.path.split(" > ")[-1].startswith(label)]
    return match


# --- heading styles and nesting ---------------------------------------------------------------------------

FULL_REPORT = (
    "某市科技局2024年工作总结\n"
    "2024年全市科技工作稳步推进。\n"
    "一、主要成效\n"
    "(一)企业培育\n"
    "1.高新技术企业。全年新增高新技术企业86家。\n"
    "(1)申报工作。组织申报120家。\n"
    "(2)认定工作。通过认定86家。\n"
    "2.科技型中小企业。入库412家。\n"
    "（二）平台建设\n"
    "新建省级研发平台9个。\n"
    "二、存在问题\n"
    "研发投入强度偏低。\n"
)


def test_every_heading_style_nests_under_the_one_above():
    sections = _sections(FULL_REPORT)
    assert [(s.level, s.number, s.heading) for s in sections] == [
        (0, "", ""),
        (1, "一", "主要成效"),
        (2, "(一)", "企业培育"),
        (3, "1", "高新技术企业"),
        (4, "(1)", "申报工作"),
        (4, "(2)", "认定工作"),
        (3, "2", "科技型中小企业"),
        (2, "(二)", "平台建设"),
        (1, "二", "存在问题"),
    ]
    assert [s.parent_id for s in sections] == [None, 0, 1, 2, 3, 3, 2, 1, 0]


def test_a_section_ends_where_the_next_one_at_its_level_or_above_starts():
    sections = _sections(FULL_REPORT)
    first_chapter, item_one, full_width_sub = sections[1], sections[3], sections[7]
    assert first_chapter.start == FULL_REPORT.index("一、主要成效")
    assert first_chapter.end == FULL_REPORT.index("二、存在问题")
    assert item_one.end == FULL_REPORT.index("2.科技型中小企业")
    assert full_width_sub.start == FULL_REPORT.index("（二）平台建设")
    assert sections[0].end == sections[-1].end == len(FULL_REPORT)


def test_path_joins_numbered_headings_for_display():
    sections = _sections(FULL_REPORT)
    assert sections[4].path == "一、主要成效 > (一)企业培育 > 1.高新技术企业 > (1)申报工作"
    assert sections[0].path == ""


def test_levels_are_relative_when_the_top_style_is_missing():
    text = "工作要点\n(一)平台建设\n1.新建平台5个。\n2.提升平台3个。\n(二)人才引进\n引进人才20名。\n"
    sections = _sections(text)
    platforms, first, second, talent = sections[1:]
    assert platforms.parent_id == 0 and talent.parent_id == 0
    assert first.parent_id == second.parent_id == platforms.section_id
    assert platforms.end == talent.start


def test_arabic_headings_accept_every_delimiter():
    text = "标题\n一、重点任务\n1.甲项工作。\n2、乙项工作。\n3．丙项工作。\n"
    assert [s.number for s in _sections(text)[2:]] == ["1", "2", "3"]


def test_circled_numbers_are_the_same_style_as_parenthesised_ones():
    text = "标题\n一、重点任务\n⑴推进甲项。\n(2)推进乙项。\n"
    sections = _sections(text)
    assert [(s.level, s.number, s.parent_id) for s in sections[2:]] == [(4, "⑴", 1), (4, "(2)", 1)]


def test_yishi_erxshi_inside_one_paragraph_start_sections():
    text = "标题\n(一)强化企业培育。一是加大辅导力度,培训企业60家。二是落实奖补政策,兑现资金800万元。\n"
    sections = _sections(text)
    first, second = sections[2:]
    assert (first.number, first.heading, first.level) == ("一是", "加大辅导力度,培训企业60家", 4)
    assert (second.number, second.heading) == ("二是", "落实奖补政策,兑现资金800万元")
    assert first.parent_id == second.parent_id == 1
    assert first.start == text.index("一是") and first.end == text.index("二是")


def test_yishi_at_a_line_start_is_a_heading_but_not_inside_a_clause():
    text = "标题\n一是建成孵化器3家。\n重点抓好两项工作:一是扩量,二是提质。\n"
    sections = _sections(text)
    assert [s.number for s in sections] == ["", "一是"]


def test_decimals_and_years_at_a_line_start_are_not_headings():
    text = "标题\n1.5亿元用于支持研发平台建设。\n2023年全市新增高新技术企业120家。\n3.2%的增幅居全省第一。\n"
    assert len(_sections(text)) == 1


def test_heading_text_stops_at_the_first_full_stop_or_colon():
    text = "标题\n一、工作目标:力争新增高企50家。\n(一)深化改革。出台政策3项。\n"
    sections = _sections(text)
    assert [s.heading for s in sections[1:]] == ["工作目标", "深化改革"]


def test_a_plain_line_naming_a_plan_is_a_level_one_heading():
    text = "某区科技局工作总结\n全年完成研发投入12亿元。\n2025年工作思路\n力争研发投入达到14亿元。\n"
    sections = _sections(text)
    plan = sections[1]
    assert (plan.level, plan.number, plan.heading, plan.role, plan.heading_year) == (
        1, "", "2025年工作思路", "plans", 2025)
    assert plan.start == text.index("2025年工作思路")


def test_a_plan_heading_glued_to_the_end_of_a_paragraph_starts_a_section():
    # a web copy lost the line break before the heading: it follows the paragraph's last 。 on the same line
    text = "某县科技局工作总结\n全年走访企业200多家,举办培训4场等。2025年工作思路\n一、做强创新平台\n新建平台3个。\n"
    sections = _sections(text)
    plan = _by_heading(sections, "2025年工作思路")
    assert (plan.level, plan.role, plan.heading_year, plan.start) == (1, "plans", 2025, text.index("2025年工作思路"))
    platform = _starting(sections, "一、")
    assert (platform.parent_id, platform.role, platform.heading_year) == (plan.section_id, "plans", 2025)


def test_a_tail_after_the_last_full_stop_is_a_heading_only_by_the_plain_line_rules():
    text = (
        "某县科技局工作总结\n"
        "全年新增企业10家。其中高新技术企业较多\n"  # no heading cue at its end
        "全年新增企业10家。下一步将聚焦产业链布局创新链,加快打造一批平台\n"  # too long for a heading
        "全年新增企业10家。市科技局工作思路\n"  # names an issuer: a title, not a heading
    )
    assert len(_sections(text)) == 1


def test_short_lines_that_are_titles_or_furniture_are_not_headings():
    text = (
        "2024年工作计划\n"  # the title line
        "2024年全市科技工作要点\n"  # a title naming the issuer's place
        "文件下载\n"  # no heading cue
        "全年新增企业10家。\n"
    )
    assert len(_sections(text)) == 1


# --- roles, years and half-years -------------------------------------------------------------------------

ROLES_REPORT = (
    "某县科技局2023年上半年工作总结及下半年工作安排\n"
    "一、上半年重点工作开展情况\n"
    "(一)平台建设\n"
    "新建平台4个。\n"
    "二、存在的短板和差距\n"
    "一是投入不足。\n"
    "三、下半年工作计划\n"
    "1.加强项目管理\n"
    "(1)完成验收10项。\n"
    "四、2024年工作思路\n"
    "(一)主要成效的巩固\n"
)


def test_roles_come_from_the_cue_that_ends_last_in_the_heading():
    sections = _sections(ROLES_REPORT)
    assert _by_heading(sections, "上半年重点工作开展情况").role == "achievements"
    assert _by_heading(sections, "存在的短板和差距").role == "problems"
    assert _by_heading(sections, "下半年工作计划").role == "plans"
    assert _by_heading(sections, "2024年工作思路").role == "plans"
    assert sections[0].role == "other"


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("上半年工作计划", "plans"),
        ("主要目标任务完成情况", "achievements"),
        ("2019年重点工作任务完成情况", "achievements"),
        ("下一步重点工作", "plans"),
        ("2021年工作回顾", "achievements"),
        ("科技创新工作存在的薄弱环节", "problems"),
        ("主要做法", "achievements"),
        ("实施鲲鹏计划", "other"),
        ("以提升能力为目标", "other"),
    ],
)
def test_role_of_a_top_level_heading(heading, role):
    assert _sections(f"标题\n一、{heading}\n")[1].role == role


def test_children_inherit_their_parents_role_unless_their_heading_names_one():
    sections = _sections(ROLES_REPORT)
    assert _by_heading(sections, "平台建设").role == "achievements"
    assert _by_heading(sections, "投入不足").role == "problems"
    assert _by_heading(sections, "完成验收10项").role == "plans"
    assert _by_heading(sections, "主要成效的巩固").role == "achievements"


def test_a_long_topic_sentence_heading_keeps_its_parents_role():
    text = "标题\n二、存在问题\n二是平台建设虽然取得一定进展,但总体能级不强,成果产出不足。\n"
    assert _sections(text)[2].role == "problems"


def test_cues_inside_neutral_phrases_do_not_change_the_role():
    text = "标题\n三、下一步工作计划\n1.协调解决问题\n"
    assert _sections(text)[2].role == "plans"


def test_heading_period_and_year_are_inherited():
    sections = _sections(ROLES_REPORT)
    assert _by_heading(sections, "平台建设").heading_period == "H1"
    assert _by_heading(sections, "完成验收10项").heading_period == "H2"
    assert _by_heading(sections, "存在的短板和差距").heading_period is None
    assert _by_heading(sections, "主要成效的巩固").heading_year == 2024
    assert _by_heading(sections, "下半年工作计划").heading_year is None


# --- sentences -------------------------------------------------------------------------------------------


def test_sentences_split_at_stops_and_line_breaks_and_keep_semicolons():
    text = "标题\n  新增企业5家;入库企业8家。  培训120人次!\n是否完成?完成了\n"
    sentences = segment("doc", text)[1]
    assert [s.text for s in sentences] == ["标题", "新增企业5家;入库企业8家。", "培训120人次!", "是否完成?", "完成了"]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert [s.sentence_id for s in sentences] == list(range(5))


def test_closing_quotes_stay_with_their_sentence():
    sentences = segment("doc", "获评“优秀单位。”随后推广。")[1]
    assert [s.text for s in sentences] == ["获评“优秀单位。”", "随后推广。"]


def test_each_sentence_belongs_to_the_innermost_section_holding_its_start():
    text = "标题\n(一)强化培育。一是加大辅导,培训企业60家。新增20家。二是落实奖补。\n(二)平台建设\n新建平台3个。\n"
    sections, sentences = segment("doc", text)
    owner = {s.text: sections[s.section_id].heading for s in sentences}
    assert owner == {
        "标题": "",
        "(一)强化培育。": "强化培育",
        "一是加大辅导,培训企业60家。": "加大辅导,培训企业60家",
        "新增20家。": "加大辅导,培训企业60家",
        "二是落实奖补。": "落实奖补",
        "(二)平台建设": "平台建设",
        "新建平台3个。": "平台建设",
    }


def test_a_heading_line_is_its_own_sentence():
    sentences = segment("doc", "标题\n三、下半年工作计划\n1.完成验收10项\n")[1]
    assert [s.text for s in sentences] == ["标题", "三、下半年工作计划", "1.完成验收10项"]


_ALPHABET = st.sampled_from(list("一二是、(1).。!?!?;”\"亿元5 \t\u3000\n") + ["\r\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_sentences_cover_every_non_space_character_exactly_once(text):
    sections, sentences = segment("doc", text)
    owners = [0] * len(text)
    for sentence in sentences:
        assert sentence.text == text[sentence.start:sentence.end]
        assert sentence.text == sentence.text.strip() and "\n" not in sentence.text
        assert sections[sentence.section_id].start <= sentence.start < sections[sentence.section_id].end
        for i in range(sentence.start, sentence.end):
            owners[i] += 1
    assert all(count == 1 for i, count in enumerate(owners) if not text[i].isspace())
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)


def test_empty_text_has_only_the_root():
    sections, sentences = segment("doc", "")
    assert sentences == [] and [(s.section_id, s.start, s.end) for s in sections] == [(0, 0, 0)]


# --- the seeds -------------------------------------------------------------------------------------------


@pytest.mark.seeds
def test_seed_000_second_half_plan_and_its_children_are_plans(seeds_dir):
    sections = _seed_sections(seeds_dir, "000")
    plan = _starting(sections, "三、下半年工作计划")
    assert (plan.role, plan.heading_period, plan.level) == ("plans", "H2", 1)
    children = [s for s in sections if s.parent_id == plan.section_id]
    assert len(children) == 7
    assert all(c.role == "plans" and c.heading_period == "H2" for c in children)
    assert _starting(sections, "二、目前存在问题").role == "problems"
    assert _starting(sections, "一、上半年重点工作开展情况").role == "achievements"


@pytest.mark.seeds
def test_seed_000_root_holds_the_title_and_the_opening_paragraph(seeds_dir):
    text = normalise(seed_path(seeds_dir, "000").read_text(encoding="utf-8"))
    sections, sentences = segment("doc", text)
    assert sections[0].role == "other"
    assert sentences[0].section_id == 0 and "工作安排" in sentences[0].text
    figure = text.index("50.61亿元")
    (holding,) = [s for s in sentences if s.start <= figure < s.end]
    assert holding.section_id == 0


@pytest.mark.seeds
def test_seed_003_thinking_for_2022_is_plans_with_its_year(seeds_dir):
    sections = _seed_sections(seeds_dir, "003")
    plan = _starting(sections, "二、2022年工作思路举措")
    assert (plan.role, plan.heading_year) == ("plans", 2022)
    children = [s for s in sections if s.parent_id == plan.section_id]
    assert len(children) == 4 and all(c.role == "plans" and c.heading_year == 2022 for c in children)
    review = _starting(sections, "一、2021年全市科技工作总结")
    assert (review.role, review.heading_year) == ("achievements", 2021)
    inline = [s for s in sections if s.number == "一是" and s.parent_id == review.section_id + 1]
    assert [s.heading for s in inline] == ["建立更高标准政策体系"]


@pytest.mark.seeds
def test_seed_004_results_and_next_steps(seeds_dir):
    sections = _seed_sections(seeds_dir, "004")
    assert _starting(sections, "一、主要成效").role == "achievements"
    next_steps = _starting(sections, "三、下一步重点工作")
    assert next_steps.role == "plans"
    assert all(s.role == "plans" for s in sections if s.parent_id == next_steps.section_id)


@pytest.mark.seeds
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_sentences_cover_the_text(seeds_dir, prefix):
    text = normalise(seed_path(seeds_dir, prefix).read_text(encoding="utf-8"))
    sections, sentences = segment("doc", text)
    covered = sum(s.end - s.start - sum(c.isspace() for c in s.text) for s in sentences)
    assert covered == sum(not c.isspace() for c in text)
    assert all(isinstance(s, Sentence) and text[s.start:s.end] == s.text for s in sentences)
    starts = [s.start for s in sections[1:]]
    assert starts == sorted(starts) and set(starts) <= {s.start for s in sentences}
