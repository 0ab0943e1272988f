"""Documents: furniture trimmed, metadata kept, compilations split, type, year and region read."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import opencc
import pytest

from pipelines.documents import build_documents
from pipelines.ingest import SourceText, read_raw_folder
from pipelines.regions import Gazetteer
from tests.conftest import SAMPLE_CORPUS, seed_path


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def _documents(folder: Path, gazetteer: Gazetteer):
    _, sources, rejected = read_raw_folder(folder)
    assert rejected == []
    return {source.source_file: (source, build_documents(source, gazetteer)) for source in sources}


def _only_document(folder: Path, gazetteer: Gazetteer):
    ((_, (source, docs)),) = _documents(folder, gazetteer).items()
    (doc,) = docs
    return source, doc


def _seed_document(seeds_dir: Path, prefix: str, tmp_path: Path, gazetteer: Gazetteer):
    seed = seed_path(seeds_dir, prefix)
    (tmp_path / seed.name).write_bytes(seed.read_bytes())
    return _only_document(tmp_path, gazetteer)


def _write(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text, encoding="utf-8")
    return folder


# --- the seeds ---------------------------------------------------------------------------------------------------


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("prefix", "doc_type", "year", "region", "province"),
    [
        ("000", "half_year_summary", 2023, "淮北市", "安徽省"),
        ("002", "work_points", 2022, "六安市", "安徽省"),
        ("003", "summary_and_plan", 2021, "连云港市", "江苏省"),
        ("004", "summary_and_plan", 2023, "芜湖市", "安徽省"),
    ],
)
def test_seed_metadata(seeds_dir, tmp_path, gazetteer, prefix, doc_type, year, region, province):
    source, doc = _seed_document(seeds_dir, prefix, tmp_path, gazetteer)
    assert (doc.doc_type, doc.report_year, doc.region, doc.region_level, doc.province) == (
        doc_type, year, region, "city", province)
    assert doc.text == source.text[doc.file_start: doc.file_end]
    assert doc.doc_id == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()[:16]
    assert (doc.part, doc.source_file, doc.encoding) == (1, source.source_file, "utf-8")


@pytest.mark.seeds
def test_seed_002_keeps_page_metadata_and_drops_page_furniture(seeds_dir, tmp_path, gazetteer):
    source, doc = _seed_document(seeds_dir, "002", tmp_path, gazetteer)
    assert (doc.issuer, doc.published_date) == ("市科技局", datetime.date(2022, 4, 11))
    assert "工作要点" in doc.title
    header, footer = source.text[: doc.file_start], source.text[doc.file_end:]
    assert "浏览次数" in header and "字号" in header and "浏览次数" not in doc.text
    for furniture in ("文件下载", "政策咨询", "如果您对该政策文件有疑问", ".doc"):
        assert furniture in footer  # trimmed from the bottom (政策咨询 also stands in the body, and stays there)
    assert doc.text.startswith("2022年全市科技工作要点") and doc.text.endswith("。")


@pytest.mark.seeds
def test_seed_003_title_index_number_and_date(seeds_dir, tmp_path, gazetteer):
    source, doc = _seed_document(seeds_dir, "003", tmp_path, gazetteer)
    assert doc.title == "市科技局2021年工作总结和2022年工作安排"
    assert (doc.index_number, doc.published_date, doc.issuer) == (
        "14252487/2022-00004", datetime.date(2022, 12, 22), "市科技局")
    for label in ("索引号", "信息分类", "发文日期", "点击数", "首页"):
        assert label not in doc.text
    assert doc.text.startswith("一、")


@pytest.mark.seeds
def test_seed_004_title(seeds_dir, tmp_path, gazetteer):
    _, doc = _seed_document(seeds_dir, "004", tmp_path, gazetteer)
    assert doc.title.endswith("2023年工作总结和下一步工作计划")
    assert doc.file_start == 0


@pytest.mark.seeds
def test_seed_001_compilation_splits_into_anonymised_reports(seeds_dir, tmp_path, gazetteer):
    source, docs = _seed_document_list(seeds_dir, "001", tmp_path, gazetteer)
    assert len(docs) >= 6
    assert [d.part for d in docs] == list(range(1, len(docs) + 1))
    assert all(d.region is None for d in docs)
    titled = [d.title for d in docs if d.title]
    assert [t[-2:] for t in titled] == ["篇一", "篇二", "篇三", "篇四", "篇五", "篇六"]
    starts = [d.file_start for d in docs]
    assert starts == sorted(starts) and all(a.file_end < b.file_start for a, b in zip(docs, docs[1:]))
    for doc in docs:
        assert doc.text == source.text[doc.file_start: doc.file_end]
    part_five = docs[[d.title for d in docs].index(titled[4]): [d.title for d in docs].index(titled[5])]
    assert len(part_five) == 4  # 篇五 holds four reports one after another
    assert not any(d.text.startswith("2020年") for d in part_five)  # a plan after 工作思路 stays in its report


@pytest.mark.seeds
def test_seed_001_parts_get_their_year_and_type_from_the_body(seeds_dir, tmp_path, gazetteer):
    _, docs = _seed_document_list(seeds_dir, "001", tmp_path, gazetteer)
    # 篇一/篇二 name no year; 篇四 and 篇六 are anonymised (xxxx年, 20xx年); the others report 2011 and 2019.
    assert [d.report_year for d in docs] == [None, None, 2011, None, 2019, 2019, 2019, 2019, None]
    untitled = [d.doc_type for d in docs if d.title is None]
    assert untitled == ["summary_and_plan"] * 3  # 2019 achievements, then a 2020 plan


def _seed_document_list(seeds_dir, prefix, tmp_path, gazetteer):
    seed = seed_path(seeds_dir, prefix)
    (tmp_path / seed.name).write_bytes(seed.read_bytes())
    ((_, (source, docs)),) = _documents(tmp_path, gazetteer).items()
    return source, docs


@pytest.mark.seeds
def test_a_traditional_copy_of_a_seed_gives_the_same_document(seeds_dir, tmp_path, gazetteer):
    seed = seed_path(seeds_dir, "004")
    (tmp_path / "simplified").mkdir()
    (tmp_path / "traditional").mkdir()
    (tmp_path / "simplified" / seed.name).write_bytes(seed.read_bytes())
    traditional = opencc.OpenCC("s2t").convert(seed.read_text(encoding="utf-8"))
    (tmp_path / "traditional" / "繁体.txt").write_text(traditional, encoding="utf-8")
    _, original = _only_document(tmp_path / "simplified", gazetteer)
    _, copy = _only_document(tmp_path / "traditional", gazetteer)
    assert traditional[:20] != copy.title[:20]
    assert (copy.title, copy.region, copy.text, copy.doc_id) == (
        original.title, original.region, original.text, original.doc_id)


# --- composed texts ----------------------------------------------------------------------------------------------

_PAGE = """科技动态
首页 > 政务公开 > 计划总结
索引号: 11340100/2024-00017 信息分类: 计划总结
发布机构: 合肥市科学技术局 发文日期: 2024-01-18
宿州市科技局2023年工作总结和2024年工作计划
信息来源:市科技局 点击数: 更新时间:2024-01-19 10:02
字号:大 中 小

2023年,市科技局聚焦创新主体培育,全市新认定高新技术企业126家。
一、主要成效
全社会研发投入强度达到1.92%。

打印本页
关闭窗口
附件:宿州市科技局2023年工作总结.docx
如果您对该政策文件有疑问,可以拨打上方的电话咨询相关部门。
"""


def test_page_furniture_is_trimmed_and_its_metadata_kept(tmp_path, gazetteer):
    source, doc = _only_document(_write(tmp_path, "page.txt", _PAGE), gazetteer)
    assert doc.text == "2023年,市科技局聚焦创新主体培育,全市新认定高新技术企业126家。\n一、主要成效\n全社会研发投入强度达到1.92%。"
    assert doc.title == "宿州市科技局2023年工作总结和2024年工作计划"
    assert (doc.issuer, doc.published_date, doc.index_number) == (
        "合肥市科学技术局", datetime.date(2024, 1, 18), "11340100/2024-00017")
    assert (doc.region, doc.doc_type, doc.report_year) == ("宿州市", "summary_and_plan", 2023)


def test_a_file_of_only_furniture_gives_no_document(tmp_path, gazetteer):
    ((_, (_, docs)),) = _documents(_write(tmp_path, "f.txt", "首页 > 计划总结\n打印本页\n关闭窗口\n"), gazetteer).items()
    assert docs == []


def test_a_report_pasted_as_one_long_line_is_never_trimmed_as_furniture(tmp_path, gazetteer):
    # a breadcrumb and a metadata label inside the one line of a long paste: the line is report text all the same
    line = "2024年,全市科技工作取得新进展,首页 > 信息公开 > 计划总结索引号:113415/2024-00007," + \
        "全市新认定高新技术企业126家," * 20
    _, doc = _only_document(_write(tmp_path, "paste.txt", f"某市科技局2024年工作总结\n{line}\n"), gazetteer)
    assert doc.text.endswith("全市新认定高新技术企业126家,")


@pytest.mark.parametrize(
    ("title", "doc_type", "year"),
    [
        ("市科技局2023年上半年工作总结及下半年工作安排", "half_year_summary", 2023),
        ("市科技局2023年上半年工作总结", "half_year_summary", 2023),
        ("区科技局2021年工作总结和2022年工作安排", "summary_and_plan", 2021),
        ("县科技局2020年工作总结及2021年工作思路", "summary_and_plan", 2020),
        ("2022年全市科技工作要点", "work_points", 2022),
        ("市科技局2019年度工作总结", "annual_summary", 2019),
        ("市科技局2018年工作总结", "annual_summary", 2018),
        ("关于开展科技活动周的通知", "other", 2024),
    ],
)
def test_doc_type_and_year_from_the_title(tmp_path, gazetteer, title, doc_type, year):
    text = f"{title}\n2024年,全市科技创新工作扎实推进,新增研发平台15家。\n一、主要工作\n"
    _, doc = _only_document(_write(tmp_path, "r.txt", text), gazetteer)
    assert (doc.title, doc.doc_type, doc.report_year) == (title, doc_type, year)


def test_a_masked_year_gives_no_report_year(tmp_path, gazetteer):
    text = "科技局工作总结\nxxxx年,在县委、县政府的正确领导下,我局完成2019年度目标任务。\n一、工作完成情况\n"
    _, doc = _only_document(_write(tmp_path, "r.txt", text), gazetteer)
    assert doc.report_year is None


def test_a_summary_and_plan_title_with_a_masked_summary_year_gives_no_report_year(tmp_path, gazetteer):
    # the summary's year is the title's first (202x, masked), not the plan's 2025
    text = "区科技局202x年度工作总结及2025年度工作计划\n今年以来,全区新增高新技术企业48家。\n"
    _, doc = _only_document(_write(tmp_path, "t.txt", text), gazetteer)
    assert doc.report_year is None


_INTRO = "在市委、市政府的坚强领导下,市科技局聚焦创新驱动发展,各项工作稳步推进。\n围绕重点任务精准发力,服务企业成效明显。\n"


@pytest.mark.parametrize(
    ("body", "doc_type", "year"),
    [
        ("现将2022年主要工作完成情况报告如下:\n一、主要工作\n全市新增高新技术企业42家。\n",
         "annual_summary", 2022),
        ("一、2023年重点任务完成情况\n全市技术合同成交额18.6亿元。\n二、2024年工作打算\n力争新增高企50家。\n",
         "summary_and_plan", 2023),
        ("一、工作完成情况\n今年以来,全市新增省级研发平台12家。\n二、2025年工作思路\n持续加大研发投入。\n",
         "summary_and_plan", 2024),
        ("2021年以来,全市科技工作取得明显成效。\n二、下步安排\n持续加大研发投入。\n", "annual_summary", 2021),
        ("现将20xx年工作完成情况报告如下:\n一、主要工作\n新增高企xx家。\n", "other", None),
        ("一、工作完成情况\n今年以来,全县新增高企xx家。\n二、xxxx年工作计划\n持续加大研发投入。\n", "other", None),
    ],
    ids=["report_intro", "achievements_heading", "this_year_before_plan", "since_year", "masked", "masked_plan"],
)
def test_an_untitled_report_gets_its_year_and_type_from_the_body(tmp_path, gazetteer, body, doc_type, year):
    _, doc = _only_document(_write(tmp_path, "r.txt", _INTRO + "全市上下齐心协力,攻坚克难。\n" + body), gazetteer)
    assert (doc.title, doc.doc_type, doc.report_year) == (None, doc_type, year)


def test_a_report_opening_with_its_year_and_bureau_gets_that_year(tmp_path, gazetteer):
    text = "科技局工作总结范文\n科技工作总结\n(内部资料)\n2020年,县科技局在县委县政府的领导下扎实工作,取得明显成效。\n"
    _, doc = _only_document(_write(tmp_path, "r.txt", text), gazetteer)
    assert doc.report_year == 2020


_COMPILATION = """科技工作总结范文【精选3篇】
科技工作总结范文 篇一
今年,我局围绕中心工作,完成各项目标任务。
一、主要成效
新增高企20家。
二、下一步打算
继续加大投入。
科技工作总结范文 篇二
一、工作开展情况
全县新增科技型中小企业35家。
二、存在问题
投入不足。
2019年以来,县科技局在县委县政府的正确领导下,扎实推进各项工作。
一、主要成绩
技术合同成交额达到3.2亿元。
二、工作亮点
创新平台建设加快。2020年工作思路
2020年,在县委、县政府的领导下,重点做好以下工作。
一、加快平台建设
二、强化企业培育
科技工作总结范文 篇三
现将本年度科技工作情况汇报如下。
一、总体情况
各项工作稳步推进。
"""


def test_a_compilation_gives_one_document_per_report(tmp_path, gazetteer):
    source, docs = _only_source_documents(_write(tmp_path, "c.txt", _COMPILATION), gazetteer)
    assert [d.text.split("\n", 1)[0] for d in docs] == [
        "科技工作总结范文 篇一",
        "科技工作总结范文 篇二",
        "2019年以来,县科技局在县委县政府的正确领导下,扎实推进各项工作。",
        "科技工作总结范文 篇三",
    ]
    assert [d.part for d in docs] == [1, 2, 3, 4]
    assert [d.title for d in docs] == ["科技工作总结范文 篇一", "科技工作总结范文 篇二", None, "科技工作总结范文 篇三"]
    assert docs[2].text.endswith("二、强化企业培育")  # the plan's own 一、 after 工作思路 is not a new report
    assert docs[2].report_year == 2019
    assert all(d.text == source.text[d.file_start: d.file_end] for d in docs)
    assert len({d.doc_id for d in docs}) == 4


def _only_source_documents(folder, gazetteer):
    ((_, (source, docs)),) = _documents(folder, gazetteer).items()
    return source, docs


# --- the sample corpus -------------------------------------------------------------------------------------------


def test_the_sample_corpus_documents(gazetteer):
    found = {
        name: docs for name, (_, docs) in _documents(SAMPLE_CORPUS, gazetteer).items() if not name.endswith(".md")
    }
    summary = {name[:2]: [(d.doc_type, d.report_year, d.region, d.region_level) for d in docs]
               for name, docs in found.items()}
    assert summary == {
        "01": [("summary_and_plan", 2022, "洛阳市", "city")],
        "02": [("half_year_summary", 2023, "宜昌市", "city")],
        "03": [("work_points", 2024, "株洲市", "city")],
        "04": [("annual_summary", 2021, "绵阳市", "city")],
        "05": [("annual_summary", 2023, "海盐县", "county")],
        "06": [("summary_and_plan", 2022, None, None)],
        "07": [("summary_and_plan", 2022, "芜湖市", "city")],
        "08": [("annual_summary", 2023, "芜湖市", "city")],
    }
    (html_doc,) = next(docs for name, docs in found.items() if name.endswith(".html"))
    assert (html_doc.issuer, html_doc.published_date) == ("株洲市科学技术局", datetime.date(2024, 2, 26))
    assert "打印本页" not in html_doc.text and "浏览次数" not in html_doc.text


def test_a_portal_s_bracketed_metadata_table_is_metadata(tmp_path, gazetteer):
    text = ("首页 > 政务公开 > 计划总结\n[ 索引号 ] | 11340100/2024-00031 | [ 发文字号 ] | |\n"
            "[ 发布机构 ] | 某区科技局 | [ 发布日期 ] | 2024-02-20 |\n\n芜湖市科学技术局2024年工作要点\n\n"
            "2023年,全市高新技术企业总数达到1200家。一、主要目标\n")
    _, doc = _only_document(_write(tmp_path, "p.txt", text), gazetteer)
    assert (doc.title, doc.published_date, doc.index_number) == (
        "芜湖市科学技术局2024年工作要点", datetime.date(2024, 2, 20), "11340100/2024-00031")
    assert (doc.doc_type, doc.report_year) == ("work_points", 2024)


@pytest.mark.parametrize(
    ("headline", "first_paragraph", "year"),
    [
        ("全市高新技术企业数量突破900家", "记者日前获悉,截至2022年底,全市高新技术企业数量达到912家。", 2022),
        ("全市技术合同成交额快速增长", "记者日前获悉,1-9月全市技术合同成交额52.6亿元。", 2023),
        ("去年全市技术合同成交额超50亿元", "记者日前获悉,全市技术合同成交额52.6亿元。", 2022),
        # published early in the year about the work report or conference reviewing the year before
        ("全省高新技术企业突破千家", "记者从省十四届人大二次会议上获悉,全省高新技术企业达到1026家。", 2022),
        ("全市科技工作会议召开", "会议指出,全市技术合同成交额达到52.6亿元。", 2022),
    ],
)
def test_a_news_page_with_no_year_of_its_own_takes_its_dateline_s(tmp_path, gazetteer, headline, first_paragraph,
                                                                    year):
    text = f"某某网 > 新闻中心\n{headline}\n2023-02-14 08:31   来源:某某日报\n\n  {first_paragraph}\n"
    _, doc = _only_document(_write(tmp_path, "n.txt", text), gazetteer)
    assert (doc.published_date, doc.report_year) == (datetime.date(2023, 2, 14), year)


def test_breadcrumbs_and_mastheads_are_page_furniture_not_the_title():
    text = ("甘肃日报 数字报\n第05版：市州新闻\n网站首页 > 政务公开 > 工作总结\n榆中县科技创新跑出加速度\n"
            "今年以来,全县有效高新技术企业达到31家。")
    source = SourceText("news.txt", ("news.txt",), "utf-8", "text/plain", text, text, "0")
    (doc,) = build_documents(source, Gazetteer())
    assert (doc.title, doc.region) == ("榆中县科技创新跑出加速度", "榆中县")


@pytest.mark.parametrize("title", ["2023年全市科技工作会议召开", "在2023年全县科技创新工作会议上的讲话"])
def test_a_year_s_meeting_reports_the_year_before(tmp_path, gazetteer, title):
    text = f"{title}\n  会议回顾了过去一年的工作,全市高新技术企业达到820家。\n"
    _, doc = _only_document(_write(tmp_path, "m.txt", text), gazetteer)
    assert doc.report_year == 2022


def test_a_plan_approved_at_a_meeting_is_of_its_own_last_year(tmp_path, gazetteer):
    text = ("各镇人民政府:\n《全县科技创新能力提升实施方案(2024-2028年)》已经县政府第9次常务会议审议通过,现印发给你们。\n"
            "到2028年,全县高新技术企业达到120家。\n")
    _, doc = _only_document(_write(tmp_path, "p.txt", text), gazetteer)
    assert doc.report_year == 2028


def test_a_line_that_is_only_a_web_address_is_page_furniture_not_the_title():
    text = "https://news.example.cn/kj/2023/0412/c1.html\n甲市高新技术企业数量创新高\n全市高新技术企业达到820家。"
    source = SourceText("news.txt", ("news.txt",), "utf-8", "text/plain", text, text, "0")
    (doc,) = build_documents(source, Gazetteer())
    assert doc.title == "甲市高新技术企业数量创新高"
