"""Real input: PDF, DOCX, XLSX, RTF and HTML files written here with their own libraries, damaged bytes, and the
files that must be rejected, each ending as it should (pipelines/formats/)."""

from __future__ import annotations

import io
import random
import zipfile
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipelines import formats
from pipelines.documents import build_documents
from pipelines.extract import extract_document
from pipelines.ingest import read_raw_folder
from pipelines.regions import Gazetteer

# A CJK TrueType font embedded as a subset (what most Chinese PDFs carry); `make fonts` installs it. The CID font
# STSong-Light ships with reportlab and is not embedded: the reader must map it through its CMap.
_TTF = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
_FONTS = ["STSong-Light", pytest.param("zh-ttf", marks=pytest.mark.skipif(
    not _TTF.exists(), reason=f"{_TTF} is absent: run `make fonts` (fonts-wqy-zenhei)"))]
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
if _TTF.exists():
    pdfmetrics.registerFont(TTFont("zh-ttf", str(_TTF), subfontIndex=0))


# --- writing real files ------------------------------------------------------------------------------------------


def _pdf(text: str, font: str = "STSong-Light", page_numbers: bool = True) -> bytes:
    """The text set on A4 pages as a word processor prints it: lines wrapped at the margin, so every paragraph is
    hard-wrapped, and a page number `— n —` at the foot of every page."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    y, page = height - 60, 1
    for paragraph in text.split("\n"):
        rest = paragraph
        while True:
            line = ""
            while rest and pdfmetrics.stringWidth(line + rest[0], font, 11) < width - 120:
                line, rest = line + rest[0], rest[1:]
            pdf.setFont(font, 11)
            pdf.drawString(60, y, line)
            y -= 17
            if y < 70:
                if page_numbers:
                    pdf.drawCentredString(width / 2, 40, f"— {page} —")
                pdf.showPage()
                y, page = height - 60, page + 1
            if not rest:
                break
    if page_numbers:
        pdf.setFont(font, 11)
        pdf.drawCentredString(width / 2, 40, f"— {page} —")
    pdf.save()
    return out.getvalue()


def _scanned_pdf(pages: int = 2) -> bytes:
    """A scan: every page one image, no text layer."""
    from reportlab.lib.utils import ImageReader
    from PIL import Image

    image = io.BytesIO()
    Image.new("L", (120, 160), color=200).save(image, format="PNG")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for _ in range(pages):
        pdf.drawImage(ImageReader(io.BytesIO(image.getvalue())), 40, 40, width=500, height=750)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _docx(text: str, table: list[list[str]] | None = None, picture: bool = False) -> bytes:
    document = docx.Document()
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        if number == 0:
            document.add_heading(line, level=1)
        else:
            document.add_paragraph(line)
    if table:
        cells = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                cells.cell(r, c).text = value
    if picture:
        from PIL import Image

        image = io.BytesIO()
        Image.new("RGB", (20, 20), color=(200, 0, 0)).save(image, format="PNG")
        document.add_picture(io.BytesIO(image.getvalue()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(title: str, table: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table[0]))
    for r, row in enumerate(table):
        sheet.append([value if r == 0 or c == 0 else float(value) for c, value in enumerate(row)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _html(title: str, table: list[list[str]]) -> bytes:
    header = "".join(f"<th>{cell}</th>" for cell in table[0])
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in table[1:])
    return (f"<html><body><h1>{title}</h1><table border=1><thead><tr>{header}</tr></thead>"
            f"<tbody>{body}</tbody></table></body></html>").encode("utf-8")


# --- facts of a folder -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def _facts(folder: Path, gazetteer: Gazetteer) -> dict[str, Counter]:
    """Every file's facts as a multiset of what they say (not where): indicator, measure, value, unit, year,
    period, kind, region."""
    _, sources, rejected = read_raw_folder(folder)
    assert not rejected, [(r.source_file, r.reason, r.detail) for r in rejected]
    found = {}
    for source in sources:
        said = Counter(
            (f.indicator, f.measure, f.value, f.unit, f.year, f.period, f.kind, f.region)
            for document in build_documents(source, gazetteer)
            for f in extract_document(document)[3]
        )
        found.update({name: said for name in source.source_files})
    return found


def _agreement(copy: Counter, original: Counter) -> tuple[float, float]:
    """Shares of the copy's facts found in the original, and of the original's found in the copy."""
    both = sum((copy & original).values())
    return both / max(sum(copy.values()), 1), both / max(sum(original.values()), 1)


def _seed_texts(seeds_dir: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt"))}


def _write_all(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# --- a seed as PDF and DOCX gives the seed's facts ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_facts(seeds_dir, gazetteer, tmp_path_factory) -> dict[str, Counter]:
    folder = tmp_path_factory.mktemp("originals")
    for name, text in _seed_texts(seeds_dir).items():
        (folder / name).write_text(text, encoding="utf-8")
    return _facts(folder, gazetteer)


@pytest.mark.parametrize("font", _FONTS)
def test_a_pdf_copy_of_every_seed_gives_the_seeds_facts(seeds_dir, seed_facts, gazetteer, tmp_path, font):
    texts = _seed_texts(seeds_dir)
    folder = _write_all(tmp_path / "pdf", {f"{name}.pdf": _pdf(text, font) for name, text in texts.items()})
    raw, _, _ = read_raw_folder(folder)
    assert {r.media_type for r in raw} == {"application/pdf"}
    copies = _facts(folder, gazetteer)
    for name in texts:
        precision, recall = _agreement(copies[f"{name}.pdf"], seed_facts[name])
        assert precision >= 0.9 and recall >= 0.9, (name, precision, recall)


def test_a_docx_copy_of_every_seed_gives_the_seeds_facts(seeds_dir, seed_facts, gazetteer, tmp_path):
    texts = _seed_texts(seeds_dir)
    # Named .doc: the content, not the name, says what a file is.
    folder = _write_all(tmp_path / "docx", {f"{name}.doc": _docx(text) for name, text in texts.items()})
    raw, _, _ = read_raw_folder(folder)
    assert {r.media_type for r in raw} == {formats.docx.MEDIA_TYPE}
    copies = _facts(folder, gazetteer)
    for name in texts:
        precision, recall = _agreement(copies[f"{name}.doc"], seed_facts[name])
        assert precision >= 0.9 and recall >= 0.9, (name, precision, recall)


def test_pdf_pages_are_read_in_order_with_their_breaks():
    text = "\n".join(f"第{n}段:全年新增高新技术企业{100 + n}家,同比增长{n}.5%。" * 3 for n in range(1, 40))
    read = formats.read("report.bin", _pdf(text, page_numbers=False))
    assert read.media_type == "application/pdf" and read.pages == read.text.count("\f") + 1 > 1
    flat = read.text.replace("\n", "").replace("\f", "")
    assert flat == text.replace("\n", "")  # every character, in reading order, across the page breaks


# --- tables ------------------------------------------------------------------------------------------------------

_TITLE = "湖南省2023年各市州科技创新主要指标"
_TABLE = [
    ["地区", "高新技术企业(家)", "技术合同成交额(亿元)"],
    ["长沙市", "5985", "358.4"],
    ["株洲市", "1120", "137.25"],
    ["湘潭市", "986", "87.47"],
]
_PIPE_ROWS = "\n".join("| " + " | ".join(row) + " |" for row in _TABLE)


@pytest.mark.parametrize("kind", ["html", "docx", "xlsx"])
def test_a_table_reaches_the_text_as_pipe_rows_with_its_cells(kind):
    data = {"html": _html(_TITLE, _TABLE), "docx": _docx(_TITLE, _TABLE), "xlsx": _xlsx(_TITLE, _TABLE)}[kind]
    read = formats.read(f"table.{kind}", data)
    assert _PIPE_ROWS in read.text and read.text.startswith(_TITLE)
    (table,) = read.tables
    assert table.header_rows == 1 and table.units == (None, "家", "亿元")
    for row, spans in zip(_TABLE, table.cells):
        assert [read.text[start:end] for start, end in spans] == row  # each cell's offsets hold the cell


@pytest.mark.parametrize("kind", ["html", "docx", "xlsx"])
def test_a_table_gives_one_fact_per_cell_with_the_rows_region(kind, gazetteer, tmp_path):
    data = {"html": _html(_TITLE, _TABLE), "docx": _docx(_TITLE, _TABLE), "xlsx": _xlsx(_TITLE, _TABLE)}[kind]
    folder = _write_all(tmp_path / kind, {f"table.{kind}": data})
    facts = _facts(folder, gazetteer)[f"table.{kind}"]
    expected = Counter()
    for region, firms, turnover in _TABLE[1:]:
        expected[("high_tech_enterprises", "level", float(firms), "count", 2023, "FY", "actual", region)] += 1
        expected[("tech_contract_turnover", "level", round(float(turnover) * 1e8), "CNY", 2023, "FY", "actual",
                  region)] += 1
    got = Counter({(i, m, round(v) if u == "CNY" else v, u, y, p, k, r): n
                   for (i, m, v, u, y, p, k, r), n in facts.items()})
    assert got == expected


def test_merged_header_cells_are_spread_and_rowspans_fill_their_rows():
    page = ("<html><body><table>"
            "<tr><th rowspan=2>地区</th><th colspan=2>2023年</th></tr>"
            "<tr><th>成交额(亿元)</th><th>增长(%)</th></tr>"
            "<tr><td rowspan=2>长沙市</td><td>358.4</td><td>40.9</td></tr>"
            "<tr><td>12.1</td><td>3.3</td></tr>"
            "</table></body></html>")
    read = formats.read("t.html", page.encode())
    assert read.text.split("\n") == [
        "| 地区 | 2023年 | 2023年 |", "| 地区 | 成交额(亿元) | 增长(%) |",
        "| 长沙市 | 358.4 | 40.9 |", "| 长沙市 | 12.1 | 3.3 |",
    ]
    assert read.tables[0].header_rows == 2 and read.tables[0].units == (None, "亿元", "%")


def test_an_html_table_keeps_its_caption_and_a_header_of_years_and_frames_are_counted():
    page = ("<html><body><table><caption>主要科技指标</caption>"
            "<tr><td>指标</td><td>2022</td><td>2023</td></tr><tr><td>专利授权量(件)</td><td>1200</td><td>1350</td></tr>"
            "</table><iframe src='attachment.pdf'></iframe><img src='logo.png'></body></html>")
    read = formats.read("t.html", page.encode())
    assert read.text == "主要科技指标\n| 指标 | 2022 | 2023 |\n| 专利授权量(件) | 1200 | 1350 |"
    assert read.tables[0].header_rows == 1
    assert read.unread_parts == 1  # the frame (an attachment viewer, say); pictures on a page are decoration


def test_xlsx_cells_read_as_the_sheet_shows_them():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "2023年主要指标"
    sheet.append(["地区", "成交额(亿元)", "增长"])
    sheet.append(["长沙市", 358.4, 0.409])
    sheet["B2"].number_format = "0.00"
    sheet["C2"].number_format = "0.0%"
    workbook.create_sheet("Sheet2").append(["指标", "数值"])
    workbook["Sheet2"].append(["专利授权量(件)", 1234])
    out = io.BytesIO()
    workbook.save(out)
    read = formats.read("book.bin", out.getvalue())
    assert read.text == ("2023年主要指标\n| 地区 | 成交额(亿元) | 增长 |\n| 长沙市 | 358.40 | 40.9% |\n"
                         "| 指标 | 数值 |\n| 专利授权量(件) | 1234 |")  # a default sheet name is no heading


def test_charts_in_a_workbook_are_counted_as_unread_parts():
    from openpyxl.chart import BarChart, Reference

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in _TABLE:
        sheet.append(row)
    for holder in (sheet, workbook.create_chartsheet()):
        chart = BarChart()
        chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(_TABLE)))
        holder.add_chart(chart, "E2") if holder is sheet else holder.add_chart(chart)
    out = io.BytesIO()
    workbook.save(out)
    read = formats.read("book.xlsx", out.getvalue())
    assert (read.text, read.unread_parts) == (_PIPE_ROWS, 2)


def test_a_password_protected_pdf_is_rejected_with_the_advice_to_remove_it():
    from reportlab.lib.pdfencrypt import StandardEncryption

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=StandardEncryption("secret", "owner"))
    pdf.drawString(60, 700, "2023")
    pdf.save()
    with pytest.raises(formats.Rejected) as rejected:
        formats.read("locked.pdf", out.getvalue())
    assert rejected.value.reason == "unsupported_format" and "password" in rejected.value.detail


def test_layout_and_form_tables_are_read_as_text_not_rows():
    long_cell = "全年新增高新技术企业86家。" * 20
    page = (f"<html><body><table><tr><td>导航</td><td><p>{long_cell}</p></td></tr></table>"
            "<table><tr><td>发布机构:市科技局</td><td>发布时间:2024-02-26</td></tr></table></body></html>")
    read = formats.read("p.html", page.encode())
    assert "|" not in read.text and read.tables == ()
    assert read.text.split("\n") == ["导航", long_cell, "发布机构:市科技局", "发布时间:2024-02-26"]


def test_docx_keeps_paragraphs_and_tables_in_document_order_and_counts_pictures():
    read = formats.read("r.docx", _docx("市科技局2023年工作总结\n全年新增高企12家。", _TABLE, picture=True))
    assert read.text == f"市科技局2023年工作总结\n全年新增高企12家。\n{_PIPE_ROWS}"
    assert read.unread_parts == 1


def test_word_list_numbers_are_written_as_word_shows_them():
    """Headings numbered by Word (一、 (一)) carry their number only in the numbering part, not in their text."""
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in [(0, "总体要求"), (1, "强化企业主体"), (1, "提升平台能级"), (0, "主要目标"), (1, "研发投入")]:
        num_pr = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val, num_pr.get_or_add_numId().val = level, 90
    document.add_paragraph("全年新增高企12家。", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    assert formats.read("plan.docx", out.getvalue()).text.split("\n") == [
        "一、总体要求", "(一)强化企业主体", "(二)提升平台能级", "二、主要目标", "(一)研发投入", "全年新增高企12家。"]


# --- damaged bytes -----------------------------------------------------------------------------------------------


def _damaged(text: str, how: str, rng: random.Random) -> bytes:
    data = text.encode("utf-8")
    if how == "stray_ff":  # three stray bytes between characters
        chars = list(text)
        for _ in range(3):
            chars.insert(rng.randrange(len(chars)), "\udcff")
        return "".join(chars).encode("utf-8", errors="surrogateescape")
    if how == "cut_last_char":
        body = text.rstrip()
        return body.encode("utf-8")[:-1]
    if how == "gb18030_cut":
        return text.rstrip().encode("gb18030")[:-1]
    if how == "mixed_gbk_utf8":
        lines = text.split("\n")
        return b"\n".join(line.encode("gbk" if i % 2 else "utf-8") for i, line in enumerate(lines))
    if how == "nuls":
        cut = sorted(rng.sample(range(len(text)), 4))
        pieces = [text[a:b] for a, b in zip([0, *cut], [*cut, len(text)])]
        return b"\x00".join(piece.encode("utf-8") for piece in pieces)
    raise ValueError(how)


_DAMAGE = ["stray_ff", "cut_last_char", "gb18030_cut", "mixed_gbk_utf8", "nuls"]


@pytest.mark.parametrize("how", _DAMAGE)
def test_damaged_copies_of_every_seed_keep_their_facts(seeds_dir, seed_facts, gazetteer, tmp_path, how):
    texts = _seed_texts(seeds_dir)
    rng = random.Random(10)
    folder = _write_all(tmp_path / how, {name: _damaged(text, how, rng) for name, text in texts.items()})
    raw = {r.source_file: r for r in read_raw_folder(folder)[0]}
    copies = _facts(folder, gazetteer)
    for name in texts:
        assert raw[name].status == "read"
        assert raw[name].replaced_chars == {"stray_ff": 3, "cut_last_char": 1, "gb18030_cut": 1,
                                            "mixed_gbk_utf8": 0, "nuls": 4}[how]
        precision, recall = _agreement(copies[name], seed_facts[name])
        assert recall >= 0.95, (name, precision, recall)


def test_mixed_encodings_are_decoded_line_by_line():
    data = "全年新增高企12家。\n".encode("utf-8") * 5 + "技术合同成交额45.2亿元。\n".encode("gbk") * 5
    decoded = formats.read("mixed.txt", data)
    assert decoded.encoding == "utf-8+gb18030" and decoded.replaced_chars == 0
    assert decoded.text == "全年新增高企12家。\n" * 5 + "技术合同成交额45.2亿元。\n" * 5


def test_utf16_without_a_byte_order_mark_is_read():
    read = formats.read("u.txt", "全年新增高企12家。\n".encode("utf-16-le") * 10)
    assert (read.encoding, read.text) == ("utf-16-le", "全年新增高企12家。\n" * 10)


# --- what is rejected, and why -----------------------------------------------------------------------------------


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def _ole2(stream: str) -> bytes:
    """A minimal OLE2 compound file holding one stream of that name (what Word 97-2003 and WPS write)."""
    sector = 512
    name = stream.encode("utf-16-le") + b"\x00\x00"
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26], header[26:28], header[28:30] = (0x3E).to_bytes(2, "little"), (3).to_bytes(2, "little"), b"\xfe\xff"
    header[30:32], header[32:34] = (9).to_bytes(2, "little"), (6).to_bytes(2, "little")
    header[44:48] = (1).to_bytes(4, "little")  # one FAT sector
    header[48:52] = (1).to_bytes(4, "little")  # the directory starts at sector 1
    header[56:60] = (4096).to_bytes(4, "little")  # streams under this go to the mini stream
    header[60:64] = (0xFFFFFFFE).to_bytes(4, "little")  # no mini FAT
    header[68:72] = (0xFFFFFFFE).to_bytes(4, "little")  # no DIFAT sectors
    header[76:80] = (0).to_bytes(4, "little")  # the FAT is sector 0
    header[80:sector] = b"\xff" * (sector - 80)
    fat = bytearray(b"\xff" * sector)
    for index, value in enumerate([0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE]):  # FAT, directory, the stream's sector
        fat[index * 4: index * 4 + 4] = value.to_bytes(4, "little")

    def entry(entry_name: bytes, kind: int, start: int, size: int, child: int) -> bytes:
        raw = bytearray(128)
        raw[0:len(entry_name)] = entry_name
        raw[64:66] = len(entry_name).to_bytes(2, "little")
        raw[66], raw[67] = kind, 1
        raw[68:80] = (0xFFFFFFFF).to_bytes(4, "little") * 3
        raw[76:80] = child.to_bytes(4, "little", signed=False)
        raw[116:120] = start.to_bytes(4, "little", signed=False)
        raw[120:124] = size.to_bytes(4, "little")
        return bytes(raw)

    root = entry("Root Entry".encode("utf-16-le") + b"\x00\x00", 5, 0xFFFFFFFE, 0, 1)
    directory = root + entry(name, 2, 2, 4096, 0xFFFFFFFF) + bytes(256)
    return bytes(header) + bytes(fat) + directory + b"\x00" * 4096


@pytest.mark.parametrize(
    ("name", "data", "reason", "says"),
    [
        ("scan.pdf", _scanned_pdf(), "no_text_layer", "2 page(s) are images only"),
        ("old.doc", _ole2("WordDocument"), "unsupported_format", "save it as .docx"),
        ("old.wps", _ole2("WordDocument"), "unsupported_format", "save it as .docx"),
        ("book.xls", _ole2("Workbook"), "unsupported_format", "save it as .xlsx"),
        ("reports.zip", _zip({"a.txt": "全年新增高企12家。", "b.txt": "研发投入增长9.5%。"}), "archive", "unpack it"),
        ("slides.pptx", _zip({"ppt/presentation.xml": "<p/>"}), "unsupported_format", "export it as PDF"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary", "a PNG image"),
        ("data.txt", "<?xml version='1.0'?><root><a>12</a></root>".encode(), "unsupported_format", "XML data"),
        ("word2003.doc", '<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument/>'.encode(),
         "unsupported_format", "Word 2003 XML"),
        ("page.mht", b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n", "unsupported_format",
         "no HTML or text part"),
        ("blob.txt", b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w\n" * 30, "unsupported_format",
         "base64"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "damaged", "PDFium cannot open it"),
        ("broken.docx", _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document"}), "damaged",
         "reader failed on it"),
        # A text layer of glyphs that map to no Chinese or ASCII (as fonts without a Unicode map give) is no text.
        ("glyphs.pdf", _pdf("αβγδεζηθικλμνξοπρστυφχψω" * 4, page_numbers=False), "undecodable", "not readable text"),
        ("random.txt", random.Random(1).randbytes(4000), "binary", "binary data"),
        ("latin1.txt", ("Texte écrit en français, déjà accentué à l'excès. " * 10).encode("latin-1"), "undecodable",
         "do not decode"),
    ],
)
def test_what_is_not_a_report_text_is_rejected_with_a_true_reason(tmp_path, name, data, reason, says):
    (tmp_path / name).write_bytes(data)
    raw, sources, rejected = read_raw_folder(tmp_path)
    assert sources == []
    (row,) = rejected
    assert (row.reason, raw[0].status) == (reason, "rejected")
    assert says in row.detail and row.detail.endswith("."), row.detail


def test_an_rtf_saved_as_doc_is_read_as_rtf():
    rtf = (rb"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}}"
           rb"{\*\generator Msftedit;}\f0\fs24 \'ca\'d0\'bf\'c6\'bc\'bc\'be\'d62023\'c4\'ea\'b9\'a4\'d7\'f7\'d7\'dc"
           rb"\'bd\'e1\par \'c8\'ab\'c4\'ea\'d0\'c2\'d4\'f6\'b8\'df\'d0\'c2\'bc\'bc\'ca\'f5\'c6\'f3\'d2\'b5"
           rb"86\'bc\'d2\'a1\'a3\par{\*\shppict{\pict\pngblip 89504e47}}{\nonshppict{\pict\wmetafile8 0100}}}")
    read = formats.read("report.doc", rtf)
    assert (read.media_type, read.encoding) == ("application/rtf", "cp936")
    assert read.text == "市科技局2023年工作总结\n全年新增高新技术企业86家。"
    assert read.unread_parts == 1  # one picture (Word writes it twice, once for old readers)


def test_a_web_page_saved_as_mht_is_read_as_its_html():
    from email.message import EmailMessage

    message = EmailMessage()
    message["MIME-Version"] = "1.0"
    message.set_content(_html(_TITLE, _TABLE).decode(), subtype="html", charset="gb2312", cte="quoted-printable")
    message.make_related()
    message.add_related(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png")
    read = formats.read("page.mht", message.as_bytes())
    assert (read.media_type, read.unread_parts) == ("multipart/related", 1)
    assert read.text == f"{_TITLE}\n{_PIPE_ROWS}"


def test_a_pdf_with_format_syntax_is_never_stored_as_text(tmp_path):
    """An uncompressed PDF is mostly readable ASCII: it is still a PDF, read by the PDF reader."""
    data = _pdf("全年新增高新技术企业86家。", page_numbers=False)
    (tmp_path / "report.txt").write_bytes(data)
    _, (source,), _ = read_raw_folder(tmp_path)
    assert source.media_type == "application/pdf"
    assert source.text == "全年新增高新技术企业86家。" and "obj" not in source.original_text
