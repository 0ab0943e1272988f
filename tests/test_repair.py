"""Text repair (pipelines/repair.py): pinyin glosses, page furniture, hard wraps, layout spaces, and the map that
takes every repaired character back to the original text."""

from __future__ import annotations

import functools
import hashlib
import random
import re
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipelines import repair, synth
from pipelines.documents import build_documents
from pipelines.extract import extract_document
from pipelines.ingest import SourceText
from pipelines.regions import Gazetteer
from pipelines.rulefiles import RuleFileError
from tests.conftest import seed_path


@functools.cache
def _gazetteer() -> Gazetteer:
    return Gazetteer()


def _facts(original: str) -> Counter:
    """The facts the pipeline reads from a file holding `original`, as comparable tuples."""
    repaired = repair.repair(original)
    source = SourceText("report.txt", ("report.txt",), "utf-8", "text/plain", original, repaired.text,
                        hashlib.sha256(repaired.text.encode("utf-8")).hexdigest())
    found = Counter()
    for doc in build_documents(source, _gazetteer()):
        for f in extract_document(doc)[3]:
            found[(f.indicator, f.measure, f.value, f.year, f.period, f.kind, f.bound, f.region)] += 1
    return found


def _width(text: str) -> int:
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)


def _as_pdf_copy(text: str, width: int = 44, page_lines: int = 25, header: str = "某某市科学技术局") -> str:
    """`text` as a PDF viewer copies it: every paragraph broken wherever a line is full (inside words, numbers and
    between a number and its unit), no blank lines, and a page number and running header every `page_lines`
    lines. Table rows (with |) are left whole, as a PDF's table is not a paragraph."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if "|" in paragraph or not paragraph.strip():
            lines.append(paragraph)
            continue
        line = ""
        for ch in paragraph:
            if _width(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    out: list[str] = []
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % page_lines == 0:
            out += [f"— {i // page_lines} —", header]
    return "\n".join(out)


# --- pinyin glosses --------------------------------------------------------------------------------------------


def test_pinyin_glosses_go_before_the_characters_are_simplified():
    text = "全省技術(shù)合同成交額達(dá)到3045.62億元,同比增長(zhǎng)28.4%。"
    assert repair.repair(text).text == "全省技术合同成交额达到3045.62亿元,同比增长28.4%。"


def test_a_full_width_gloss_and_a_toneless_syllable_in_a_glossed_text_go_too():
    text = "區(qū)內企業（yè）與們(men)的數(shù)據(jù)"
    assert repair.repair(text).text == "区内企业与们的数据"


def test_a_gloss_broken_by_a_hard_wrap_goes_with_its_line_break():
    assert repair.repair("高新技術(sh\nù)企业,研發\n(fā)投入").text == "高新技术企业,研发投入"


def test_a_gloss_printed_twice_after_one_character_goes_whole():
    text = "全國(guó)研發投入強(qiáng)(qiáng)度(與國(guó)內(nèi)生產總值之比)為2.4%"
    assert repair.repair(text).text == "全国研发投入强度(与国内生产总值之比)为2.4%"


# --- variant glyphs ---------------------------------------------------------------------------------------------


def test_variant_glyphs_and_kangxi_radicals_become_the_standard_character_in_place():
    original = "全区新认定髙新技术企业8家,⼯业增加值提髙到⼀成。"
    repaired = repair.repair(original)
    assert repaired.text == "全区新认定高新技术企业8家,工业增加值提高到一成。"
    i = repaired.text.index("高新")
    assert repair.to_original(repaired.text_starts, repaired.original_starts, i, i + 4) == (5, 9)
    assert original[5:9] == "髙新技术"


def test_brackets_holding_latin_without_tone_marks_are_kept():
    text = "研究与试验发展(R&D)经费占地区生产总值(GDP)的比重,附件(a),指标(ppt)"
    assert repair.repair(text).text == text


# --- page furniture --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_number", ["— 1 —", "- 2 -", "-3-", "—12—", "第 1 页 共 2 页", "第3页", "   - 4 -   "])
def test_page_numbers_between_paragraphs_are_removed(page_number):
    text = f"全市新增高新技术企业120家。\n{page_number}\n技术合同成交额达到38亿元。"
    assert repair.repair(text).text == "全市新增高新技术企业120家。\n技术合同成交额达到38亿元。"


def test_a_page_break_inside_a_wrapped_paragraph_is_joined_across_the_page_number_and_running_header():
    original = _as_pdf_copy("全年新认定高新技术企业286家,总数达到1068家;入库科技型中小企业1452家,数量创历史新高。" * 6,
                            width=40, page_lines=4)
    repaired = repair.repair(original).text
    assert "—" not in repaired and "某某市科学技术局" not in repaired
    assert repaired == "全年新认定高新技术企业286家,总数达到1068家;入库科技型中小企业1452家,数量创历史新高。" * 6


def test_a_pdf_readers_page_breaks_go_and_a_paragraph_they_cut_is_joined():
    pages = _as_pdf_copy("全年新认定高新技术企业286家,总数达到1068家;入库科技型中小企业1452家,数量创历史新高。" * 6,
                         width=40, page_lines=5).replace("\n— 1 —\n某某市科学技术局\n", "\n\f- 1 -\n")
    assert "\f" in pages
    assert repair.repair(pages).text == "全年新认定高新技术企业286家,总数达到1068家;入库科技型中小企业1452家,数量创历史新高。" * 6


def test_a_header_and_footer_repeated_at_pdf_page_breaks_go_without_page_numbers():
    body = _as_pdf_copy("全年新认定高新技术企业286家,总数达到1068家;入库科技型中小企业1452家,数量创历史新高。" * 8,
                        width=40, page_lines=1000).split("\n")
    pages = ["\n".join(["宿州市科学技术局文件", *body[k:k + 4], "内部资料 注意保存"]) for k in range(0, len(body), 4)]
    text = "\n\f".join(pages)  # as the PDF reader writes a page break
    assert repair.repair(text).text == "宿州市科学技术局文件\n" + "全年新认定高新技术企业286家,总数达到1068家;" \
        "入库科技型中小企业1452家,数量创历史新高。" * 8


def test_a_number_alone_on_a_line_is_kept_outside_a_wrapped_paragraph():
    text = "表1各市情况\n地区\n合肥市\n12\n芜湖市\n7"
    assert repair.repair(text).text == text


def test_sharing_site_banners_are_removed_wherever_they_stand():
    text = ("科技局2020年度工作总结\nVIP免费 | 2021-03-02 | 文档大小:15.3KB | 共9页 | 下载券:0 | 举报\n"
            "全年技术合同成交额96.38亿元。\n全文预览已结束\n下载本文档\n相关文档推荐\n市科技局2020年上半年工作总结(5篇)\n")
    assert repair.repair(text).text == "科技局2020年度工作总结\n全年技术合同成交额96.38亿元。\n"


# --- spaces ----------------------------------------------------------------------------------------------------


def test_spaces_inside_numbers_units_and_spaced_words_are_removed():
    text = "财政科技支出 823.57 亿 元,高企 6588 家,两项指标分 别 为 12% 和 9%,2020 年占 GDP 比重"
    assert repair.repair(text).text == "财政科技支出823.57亿元,高企6588家,两项指标分别为12%和9%,2020年占GDP比重"


def test_spaces_of_a_table_and_between_chinese_words_are_kept():
    text = "地 区        R&D经费(亿元)\n南京 1198.45 30.82\n关键词:科技创新 十三五"
    assert repair.repair(text).text == text


# --- hard wraps ------------------------------------------------------------------------------------------------


def test_hard_wraps_are_joined_and_headings_and_paragraphs_kept():
    paragraphs = [
        "盐城市科技局2017年上半年工作总结",
        "一、上半年工作情况",
        "(一)高新技术产业稳步增长。上半年,全市高新技术产业实现产值1876.4亿元,同比增长15.2%,占规模以上工业"
        "总产值比重达到31.6%,较去年同期提高1.4个百分点,对全市工业增长的贡献进一步加大。",
        "(二)技术市场日趋活跃。1-5月,全市共登记技术合同642项,技术合同成交额28.37亿元,同比增长33.1%。",
        "二、下半年工作安排",
        "力争全年新增高新技术企业100家以上,全社会研发投入占地区生产总值的比重达到2.1%,技术合同成交额突破"
        "60亿元。",
    ]
    clean = "\n".join(paragraphs)
    wrapped = _as_pdf_copy(clean, width=40, page_lines=1000)
    assert wrapped.count("\n") > clean.count("\n") + 5
    assert repair.repair(wrapped).text == clean


def test_a_line_that_cannot_start_a_line_is_joined_in_any_text():
    assert repair.repair("推行“揭榜挂帅”“赛马\n”制度,首次实现网上申报\n、资金直达。").text == (
        "推行“揭榜挂帅”“赛马”制度,首次实现网上申报、资金直达。")


def test_short_web_lines_are_never_joined():
    text = "发布机构:合肥市科学技术局 发文日期:2024-01-18\n宿州市科技局2023年工作总结\n附件:工作总结.docx\n如有疑问请来电。"
    assert repair.repair(text).text == text


@pytest.mark.parametrize("seed", range(6))
def test_a_pdf_style_copy_of_a_synthetic_report_gives_its_facts(seed):
    report = synth.random_report(random.Random(seed))
    assert _facts(_as_pdf_copy(report.text)) == _facts(report.text)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_pdf_style_copy_of_a_seed_gives_the_facts_of_the_seed(seeds_dir, prefix):
    text = seed_path(seeds_dir, prefix).read_text(encoding="utf-8")
    want, got = _facts(text), _facts(_as_pdf_copy(text))
    common = sum((want & got).values())
    assert common >= 0.95 * sum(want.values()) and common >= 0.95 * sum(got.values()), (want - got, got - want)


# --- the map back to the original ------------------------------------------------------------------------------


def _glossed_pdf_copy(text: str) -> str:
    """A PDF copy of `text` with traditional characters, pinyin glosses, full-width digits and spaced units."""
    traditional = {"技术": "技術(shù)", "发": "發(fā)", "达": "達(dá)", "长": "長(zhǎng)", "万": "萬", "亿元": "億 元"}
    for simplified, written in traditional.items():
        text = text.replace(simplified, written)
    text = re.sub(r"\d", lambda m: chr(ord(m.group()) + 0xFEE0) if random.Random(m.start()).random() < 0.3 else
                  m.group(), text)
    return _as_pdf_copy(text, width=40, page_lines=12)


def test_every_kept_character_maps_back_to_its_original():
    for seed in range(5):
        original = "\r\n".join(_glossed_pdf_copy(synth.random_report(random.Random(seed)).text).split("\n"))
        repaired = repair.repair(original)
        for i, ch in enumerate(repaired.text):
            start, end = repair.to_original(repaired.text_starts, repaired.original_starts, i, i + 1)
            assert end == start + 1
            if ch.isascii() and ch.isalnum():
                assert original[start] in (ch, chr(ord(ch) + 0xFEE0)), (i, ch, original[start - 5:start + 5])


def test_a_facts_span_maps_back_to_its_characters_in_the_original(tmp_path: Path):
    from pipelines.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    original = _glossed_pdf_copy(
        "合肥市科技局2023年工作总结\n"
        "2023年,全市技术合同成交额达到367.1亿元,同比增长18.5%;新认定高新技术企业1230家,高新技术企业总数达到"
        "6588家;全社会研发投入强度达到3.52%,比上年提高0.12个百分点;高新技术产业增加值增长12.3%。全年新增省级"
        "以上科技企业孵化器5家,新建省级重点实验室8个,组织实施市级科技计划项目120项,各项工作稳步推进,主要指标"
        "继续走在全省前列。\n"
        "2024年,力争全社会研发投入强度达到3.6%,技术合同成交额突破400亿元,高新技术企业总数达到7000家以上,"
        "继续推进科技成果转化和创新平台建设,进一步优化创新生态,为全市高质量发展提供有力支撑。\n"
    )
    (raw / "report.txt").write_text(original, encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(warehouse)]) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    (kept_original, text, text_starts, original_starts), = con.execute(
        "SELECT original_text, text, text_starts, original_starts FROM source_texts").fetchall()
    assert kept_original == original
    rows = con.execute(
        "SELECT d.file_start + f.span_start, d.file_start + f.span_end, f.value FROM facts f JOIN documents d "
        "USING (doc_id)").fetchall()
    assert len(rows) >= 6
    for start, end, value in rows:
        o_start, o_end = repair.to_original(text_starts, original_starts, start, end)
        written = original[o_start:o_end]
        # the span in the original holds the same figure, with whatever repair took out of it
        assert repair.repair(written).text == text[start:end], (written, text[start:end])
    spans = {original[slice(*repair.to_original(text_starts, original_starts, s, e))] for s, e, _ in rows}
    assert any("\n" in span or " " in span for span in spans)  # at least one figure was broken or spaced


# --- the rules -------------------------------------------------------------------------------------------------


def _rules_with(tmp_path: Path, old: str, new: str) -> Path:
    source = repair.RULES_PATH.read_text("utf-8")
    assert old in source
    path = tmp_path / "repair.toml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_rules_load_and_their_examples_hold():
    rules = repair.load_rules()
    assert all(rules[section]["examples"] for section in ("pinyin_gloss", "page_furniture", "unwrap", "spaces"))
    for section in rules.values():
        for given, expected in section.get("examples", []) if isinstance(section, dict) else []:
            assert repair.repair(given).text == expected


def test_a_broken_pattern_is_reported_with_its_file_and_line(tmp_path):
    path = _rules_with(tmp_path, "'下载本文档'", "'下载(本文档'")
    line = next(i for i, text in enumerate(path.read_text("utf-8").split("\n"), 1) if text.startswith("banner_lines"))
    with pytest.raises(RuleFileError, match=rf"repair\.toml:{line}: \[page_furniture\] banner_lines"):
        repair.load_rules(path)


def test_a_missing_or_mistyped_setting_is_reported(tmp_path):
    path = _rules_with(tmp_path, "min_full_lines = 6", 'min_full_lines = "6"')
    line = next(i for i, text in enumerate(path.read_text("utf-8").split("\n"), 1) if "min_full_lines =" in text)
    with pytest.raises(RuleFileError, match=rf"repair\.toml:{line}: \[unwrap\] min_full_lines must be a int"):
        repair.load_rules(path)
    with pytest.raises(RuleFileError, match=rf"repair\.toml:{line}: not valid TOML"):
        repair.load_rules(_rules_with(tmp_path, "min_full_lines = 6", "min_full_lines = = 6"))
    with pytest.raises(RuleFileError, match=r"unknown key 'min_full_line'"):
        repair.load_rules(_rules_with(tmp_path, "min_full_lines = 6", "min_full_lines = 6\nmin_full_line = 6"))
