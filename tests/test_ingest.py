"""Reading a raw folder: encodings, HTML, normalisation, duplicates and every kind of rejected file."""

from __future__ import annotations

import os
from pathlib import Path

import opencc
import pytest

from pipelines.ingest import normalise, read_raw_folder
from tests.conftest import seed_path


def _read(folder: Path, **kwargs):
    raw_files, sources, rejected = read_raw_folder(folder, **kwargs)
    return {r.source_file: r for r in raw_files}, sources, {r.source_file: r for r in rejected}


def _source_named(sources, name):
    (source,) = [s for s in sources if name in s.source_files]
    return source


# --- normalise -------------------------------------------------------------------------------------------------


def test_full_width_digits_letters_and_punctuation_become_ascii():
    assert normalise("全年新增ＡＩ企业１２家，占比３５．５％；（一）：完成") == "全年新增AI企业12家,占比35.5%;(一):完成"


def test_chinese_punctuation_without_an_ascii_twin_is_kept():
    assert normalise("“揭榜挂帅”项目、《实施意见》。") == "“揭榜挂帅”项目、《实施意见》。"


def test_traditional_characters_become_simplified():
    assert normalise("全市研發經費投入達到12.5億元") == "全市研发经费投入达到12.5亿元"


def test_simplified_text_is_left_alone_even_where_opencc_phrases_would_rewrite_it():
    # t2s's phrase table reads 打坏 as the traditional word for 打坯; a text with no traditional character skips it.
    assert normalise("施工中不慎打坏管线2处。") == "施工中不慎打坏管线2处。"
    assert normalise("施工中不慎打壞管線2處。") == "施工中不慎打坏管线2处。"


def test_a_number_split_from_its_unit_is_joined():
    assert normalise("技术合同成交额367.1\n亿元,同比增长") == "技术合同成交额367.1亿元,同比增长"
    assert normalise("财政科技支出823.57 亿 元") == "财政科技支出823.57亿元"
    assert normalise("提高0.4 个百分点,新增高企 58 家") == "提高0.4个百分点,新增高企58家"


def test_two_paragraphs_are_never_merged():
    text = "全年完成目标任务的2023\n\n家家户户参与科普活动。"
    assert normalise(text) == text


def test_a_digit_followed_by_prose_on_the_next_line_is_not_joined():
    assert normalise("新增省级平台12\n企业研发投入增长") == "新增省级平台12\n企业研发投入增长"


def test_line_endings_become_line_feeds():
    assert normalise("第一行\r\n第二行\r第三行\n") == "第一行\n第二行\n第三行\n"


# --- encodings --------------------------------------------------------------------------------------------------


def test_gbk_and_utf16_copies_of_a_seed_give_exactly_its_normalised_text(seeds_dir, tmp_path):
    original = seed_path(seeds_dir, "004").read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(original.encode("gbk"))
    (tmp_path / "utf16.txt").write_bytes(original.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(original.encode("utf-8-sig"))
    raw, sources, rejected = _read(tmp_path)
    assert rejected == {}
    (source,) = sources  # all three decode to one text
    assert source.text == normalise(original)
    assert source.source_files == ("bom.txt", "gbk.txt", "utf16.txt")
    assert source.encoding == "utf-8-sig"
    assert [raw[n].status for n in ("bom.txt", "gbk.txt", "utf16.txt")] == ["read", "duplicate", "duplicate"]


def test_each_encoding_is_reported(tmp_path):
    text = "市科技局2023年工作总结\n全年新认定高新技术企业86家,同比增长14.7%。\n"
    (tmp_path / "a.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "b.txt").write_bytes(text.replace("86", "87").encode("utf-16"))
    (tmp_path / "c.txt").write_bytes(text.replace("86", "88").encode("utf-8"))
    _, sources, _ = _read(tmp_path)
    assert {s.source_file: s.encoding for s in sources} == {"a.txt": "gb18030", "b.txt": "utf-16", "c.txt": "utf-8"}


def test_a_big5_file_reads_as_simplified_text(tmp_path):
    text = "市科技局2022年工作總結\n全市技術合同成交額達到45.2億元,同比增長18.3%。\n"
    (tmp_path / "big5.txt").write_bytes(text.encode("big5"))
    _, (source,), _ = _read(tmp_path)
    assert source.encoding == "big5"
    assert source.text == "市科技局2022年工作总结\n全市技术合同成交额达到45.2亿元,同比增长18.3%。\n"
    assert source.original_text == text


def test_a_traditional_copy_of_a_seed_normalises_to_the_seed(seeds_dir, tmp_path):
    original = seed_path(seeds_dir, "003").read_text(encoding="utf-8")
    (tmp_path / "traditional.txt").write_text(opencc.OpenCC("s2t").convert(original), encoding="utf-8")
    _, (source,), _ = _read(tmp_path)
    assert source.original_text != original
    assert source.text == normalise(original)


# --- HTML -------------------------------------------------------------------------------------------------------


def test_html_becomes_its_visible_text_with_blocks_on_their_own_lines(tmp_path):
    page = (
        "<!DOCTYPE html><html><head><title>站点标题</title><style>p{color:red}</style>"
        "<script>var hits = 1;</script></head><body>"
        "<div>市科技局2023年工作总结</div><p>全年新增<b>省级</b>研发平台\n  12家。</p>"
        "<script>track();</script><ul><li>一是加强合作</li><li>二是优化服务</li></ul>"
        "<p>研发投入&nbsp;增长9.5%</p></body></html>"
    )
    (tmp_path / "page.htm").write_text(page, encoding="utf-8")
    _, (source,), _ = _read(tmp_path)
    assert source.media_type == "text/html"
    assert source.text == (
        "市科技局2023年工作总结\n全年新增省级研发平台12家。\n一是加强合作\n二是优化服务\n研发投入 增长9.5%"
    )


def test_an_html_page_is_recognised_by_its_content_whatever_its_name(tmp_path):
    (tmp_path / "page.txt").write_text("<html><body><p>全年新增高企12家。</p></body></html>", encoding="utf-8")
    _, (source,), _ = _read(tmp_path)
    assert (source.media_type, source.text) == ("text/html", "全年新增高企12家。")


def test_a_gbk_html_page_is_decoded(tmp_path):
    page = '<html><head><meta charset="gb2312"></head><body><p>全市技术合同成交额达到56.8亿元,同比增长12.4%。</p></body></html>'
    (tmp_path / "page.html").write_bytes(page.encode("gbk"))
    _, (source,), _ = _read(tmp_path)
    assert (source.encoding, source.text) == ("gb18030", "全市技术合同成交额达到56.8亿元,同比增长12.4%。")


# --- rejected files ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t \r\n", "empty"),
        ("\n \n".encode("utf-16"), "empty"),
        (b"%PDF-1.7\x00\x01\x02\x03binary stream\x00\x00" * 20, "damaged"),  # a PDF that PDFium cannot open
        (bytes(range(1, 32)) * 40, "binary"),
        (b"\x81\x20\xff\xfe\x80\x7f" * 50, "undecodable"),
        ("Texte écrit en français, déjà accentué à l'excès.".encode("latin-1"), "undecodable"),
    ],
)
def test_unreadable_content_is_rejected_with_its_reason(tmp_path, content, reason):
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text("全年新增高企12家。", encoding="utf-8")
    raw, sources, rejected = _read(tmp_path)
    assert rejected["bad.txt"].reason == reason
    assert rejected["bad.txt"].byte_size == len(content)
    assert rejected["bad.txt"].detail.endswith(".")
    assert (raw["bad.txt"].status, raw["bad.txt"].text_sha256) == ("rejected", None)
    assert [s.source_file for s in sources] == ["good.txt"]


def test_a_file_over_the_size_limit_is_rejected(tmp_path):
    (tmp_path / "big.txt").write_text("全年新增高企12家。" * 100, encoding="utf-8")
    raw, sources, rejected = _read(tmp_path, max_bytes=1000)
    assert rejected["big.txt"].reason == "too_large"
    assert rejected["big.txt"].byte_size == (tmp_path / "big.txt").stat().st_size
    assert raw["big.txt"].status == "rejected"
    assert sources == []


def test_a_symlink_out_of_the_raw_folder_is_rejected_and_not_followed(tmp_path):
    raw_dir, outside = tmp_path / "raw", tmp_path / "outside"
    raw_dir.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("外部文件:研发投入99亿元。", encoding="utf-8")
    (raw_dir / "link.txt").symlink_to(outside / "secret.txt")
    (raw_dir / "linked_dir").symlink_to(outside, target_is_directory=True)
    (raw_dir / "own.txt").write_text("全年新增高企12家。", encoding="utf-8")
    (raw_dir / "inner_link.txt").symlink_to(raw_dir / "own.txt")
    raw, sources, rejected = _read(raw_dir)
    assert {n: r.reason for n, r in rejected.items()} == {"link.txt": "outside_raw_dir",
                                                          "linked_dir": "outside_raw_dir"}
    assert all("外部文件" not in s.original_text for s in sources)
    (source,) = sources  # a link inside the folder is read, as a second name of the same text
    assert source.source_files == ("inner_link.txt", "own.txt")


def test_a_named_pipe_is_rejected_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    _, sources, rejected = _read(tmp_path)
    assert rejected["pipe.txt"].reason == "unreadable"
    assert sources == []


def test_a_broken_link_inside_the_folder_is_unreadable(tmp_path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    _, _, rejected = _read(tmp_path)
    assert rejected["dangling.txt"].reason == "unreadable"


# --- names, duplicates, order -----------------------------------------------------------------------------------


def test_every_file_is_listed_recursively_in_sorted_order_with_any_name(tmp_path):
    names = ["b 报告 2023.txt", "a/科技局 😀 总结.txt", "a/c/深层.txt", "z.txt"]
    for i, name in enumerate(names):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"全年新增高企{i + 10}家。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    raw_files, sources, _ = read_raw_folder(tmp_path)
    assert [r.source_file for r in raw_files] == sorted([*names, "empty.txt"])
    assert [s.source_file for s in sources] == sorted(names)


def test_duplicate_content_under_two_names_is_one_source_with_both_names(tmp_path):
    text = "市科技局2023年工作总结\n全年新增高企12家。"
    (tmp_path / "second.txt").write_text(text, encoding="utf-8")
    (tmp_path / "first.txt").write_text(text.replace("\n", "\r\n"), encoding="utf-8")  # same text once normalised
    (tmp_path / "other.txt").write_text("全年新增高企13家。", encoding="utf-8")
    raw, sources, _ = _read(tmp_path)
    dup = _source_named(sources, "first.txt")
    assert (dup.source_file, dup.source_files) == ("first.txt", ("first.txt", "second.txt"))
    assert len(sources) == 2
    assert (raw["first.txt"].status, raw["second.txt"].status) == ("read", "duplicate")
    assert raw["first.txt"].text_sha256 == raw["second.txt"].text_sha256 == dup.text_sha256
    assert raw["first.txt"].byte_sha256 != raw["second.txt"].byte_sha256


def test_the_sample_corpus_reads_without_rejections():
    sample = Path(__file__).resolve().parents[1] / "sample_corpus" / "reports"
    raw, sources, rejected = _read(sample)
    assert rejected == {}
    by_encoding = {s.encoding for s in sources}
    assert {"gb18030", "utf-16", "utf-8-sig", "utf-8"} <= by_encoding
    assert any(s.media_type == "text/html" for s in sources)
    assert all("研發" not in s.text for s in sources)  # the traditional-character file is simplified


def test_files_unchanged_since_the_last_build_are_not_read_again(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("全年新增高企12家。", encoding="utf-8")
    (first,), _, _ = read_raw_folder(tmp_path)
    stamp = report.stat()
    report.write_text("全年新增高企13家。", encoding="utf-8")  # same size and, below, the same time: looks unchanged
    os.utime(report, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    (again,), sources, _ = read_raw_folder(tmp_path, known={"report.txt": first})
    assert sources == [] and again == first
    os.utime(report, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1))  # touched: read again
    (changed,), sources, _ = read_raw_folder(tmp_path, known={"report.txt": first})
    assert [s.text for s in sources] == ["全年新增高企13家。"] and changed.text_sha256 != first.text_sha256
