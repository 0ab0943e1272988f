"""Cut a source text into the reports it holds, without the web page around them, and read their metadata.

A `Document` is a contiguous slice of the normalised file text, so every offset in it maps back to the file. Page
furniture and metadata lines are trimmed only at the top and bottom; what they tell (title, issuer, dates, index
number) is kept as fields. A compilation page ("…【精选6篇】", parts headed "… 篇一") gives one document per report.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import tomllib
import dataclasses
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest import RawFile, RejectedFile, SourceText
from pipelines.regions import Gazetteer

_RULES_DIR = Path(__file__).parent / "rules"
_FURNITURE = tomllib.loads((_RULES_DIR / "furniture.toml").read_text("utf-8"))
_DOC_TYPES = tomllib.loads((_RULES_DIR / "doc_types.toml").read_text("utf-8"))
_COMPILATION = tomllib.loads((_RULES_DIR / "documents_compilation.toml").read_text("utf-8"))

_EXACT_FURNITURE = frozenset(_FURNITURE["exact_lines"])
_FURNITURE_PREFIXES = tuple(_FURNITURE["line_prefixes"])
_ATTACHMENT_EXTENSIONS = tuple(_FURNITURE["attachment_extensions"])
_FURNITURE_PATTERN = re.compile("|".join(f"(?:{p})" for p in _FURNITURE["line_patterns"]))
_LABELS = "|".join(sorted(map(re.escape, _FURNITURE["metadata_labels"]), key=len, reverse=True))
# `发布日期: 2025-02-18`, and the table form of some portals, `[ 发布日期 ] | 2025-02-18 |`
_METADATA_LINE = re.compile(rf"^(?:\[[ \t]*)?(?:{_LABELS})[ \t]*(?::|\][ \t]*\|)")
_METADATA_LABEL = re.compile(rf"(?:\[[ \t]*)?({_LABELS})[ \t]*(?::|\][ \t]*\|)")
_DATE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")

_TITLE_CUES = re.compile("|".join(_DOC_TYPES["title_cues"]))
_DOC_TYPE_RULES = [(rule["doc_type"], [re.compile(p) for p in rule["patterns"]]) for rule in _DOC_TYPES["rules"]]

_PART_HEADING = re.compile(_COMPILATION["part_heading"])
_REPORT_INTRO = re.compile("|".join(_COMPILATION["report_intro_patterns"]))
_FIRST_HEADING = re.compile(_COMPILATION["first_heading"])
_PLAN_LINE_END = re.compile(_COMPILATION["plan_line_end"])
_YEAR = re.compile(_COMPILATION["year_pattern"])
_BODY_YEAR = _COMPILATION["body_year"]


def _with_year(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("{year}", _COMPILATION["year_pattern"]))


_BODY_YEAR_CUES = [_with_year(cue) for cue in _BODY_YEAR["cues"]]
_FIRST_PARAGRAPH_YEAR = _with_year(_BODY_YEAR["first_paragraph"])
_THIS_YEAR = re.compile(_BODY_YEAR["this_year"])
_PLAN_LINE = _with_year(_BODY_YEAR["plan_line"])
_ACHIEVEMENTS = re.compile("|".join(_DOC_TYPES["body"]["achievement_patterns"]))
_OPENING_LINES = _COMPILATION["opening_lines"]
_LAST_YEAR = re.compile(_BODY_YEAR["last_year_headline"])
_EARLY_REVIEW = re.compile(_BODY_YEAR["early_review"])
_MEETING = _with_year(_BODY_YEAR["meeting"])

# How many lines at the top may be page header before the report must have begun.
_HEADER_SCAN_LINES = 20
_MAX_TITLE_LENGTH = 80


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    source_file: str
    source_files: tuple[str, ...]
    part: int
    file_start: int
    file_end: int
    text: str
    title: str | None
    issuer: str | None
    published_date: datetime.date | None
    index_number: str | None
    doc_type: str
    region: str | None
    region_level: str | None
    province: str | None
    report_year: int | None
    encoding: str


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # offsets of the line's text without surrounding white space
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class _Report:
    first_line: int
    end_line: int  # exclusive
    title: str | None


def _body(lines: list[_Line]) -> tuple[int, int]:
    """The lines between the page furniture at the top and at the bottom: [start, end), empty when there are none."""
    body_start = _header_end(lines)
    return body_start, _footer_start(lines, body_start)


def furniture_only(source: SourceText) -> str | None:
    """The first line of a text that is page furniture from top to bottom (breadcrumbs, navigation, footer lines:
    rules/furniture.toml), to show in its rejection; None for a text with a report in it."""
    lines = _nonblank_lines(source.text)
    start, end = _body(lines)
    return (lines[0].text if lines else "") if start >= end else None


def reject_furniture_only(
    raw_files: list[RawFile], rejected: list[RejectedFile], empty: dict[str, str]
) -> tuple[list[RawFile], list[RejectedFile]]:
    """The rows of a folder with each file holding a text of `empty` (text_sha256 -> its first line, from
    `furniture_only`) rejected as `no_report_text`: such a file gives no document, and without a row of its own it
    would vanish from the warehouse in silence."""
    if not empty:
        return raw_files, rejected
    files, rejected = [], list(rejected)
    for row in raw_files:
        if row.text_sha256 in empty:
            rejected.append(RejectedFile(
                row.source_file, row.byte_size, "no_report_text",
                "The file holds only page furniture (breadcrumbs, navigation and footer lines such as "
                f"{empty[row.text_sha256][:40]!r}) and no report text; no document was made of it."))
            row = dataclasses.replace(row, status="rejected", text_sha256=None)
        files.append(row)
    return files, rejected


def build_documents(source: SourceText, gazetteer: Gazetteer) -> list[Document]:
    lines = _nonblank_lines(source.text)
    body_start, body_end = _body(lines)
    if body_start >= body_end:
        return []  # nothing but page furniture (a build rejects such a file first: reject_furniture_only)
    page_lines = lines[:body_start] + lines[body_end:]
    metadata = _metadata(page_lines)
    title = _title(lines[: body_start + 1], metadata)
    reports = _compilation_reports(lines, body_start, body_end) or [_Report(body_start, body_end, title)]
    documents = []
    for part, report in enumerate(reports, start=1):
        file_start, file_end = lines[report.first_line].start, lines[report.end_line - 1].end
        text = source.text[file_start:file_end]
        report_lines = lines[report.first_line: report.end_line]
        opening = "\n".join(line.text for line in report_lines[:_OPENING_LINES])
        first_paragraph = next((line.text for line in report_lines if _looks_like_body(line.text)), "")
        top = _top_lines(lines)
        published = (_parse_date(_first_field(metadata, "published_date"))
                     or next(filter(None, (_parse_date(line.text) for line in top)), None))
        report_year = _report_year(report.title, opening, first_paragraph, text)
        if report_year is None and published is not None:
            report_year = _published_report_year(published, top, first_paragraph)
        region = gazetteer.find_region(f"{report.title}\n{text}" if report.title else text)
        documents.append(Document(
            doc_id=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
            source_file=source.source_file,
            source_files=source.source_files,
            part=part,
            file_start=file_start,
            file_end=file_end,
            text=text,
            title=report.title,
            issuer=_first_field(metadata, "issuer"),
            published_date=published,
            index_number=_first_field(metadata, "index_number"),
            doc_type=_doc_type(report.title, opening, text, report_year),
            region=region.name if region else None,
            region_level=region.level if region else None,
            province=(region.province or None) if region else None,
            report_year=report_year,
            encoding=source.encoding,
        ))
    return documents


def _nonblank_lines(text: str) -> list[_Line]:
    return [_Line(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\s](?:[^\n]*[^\s])?", text)]


def _is_furniture(text: str) -> bool:
    if len(text) > _FURNITURE["max_furniture_line_length"]:
        return False
    return (
        text in _EXACT_FURNITURE
        or text.startswith(_FURNITURE_PREFIXES)
        or _FURNITURE_PATTERN.search(text) is not None
        or _METADATA_LINE.match(text) is not None
        or (text.lower().endswith(_ATTACHMENT_EXTENSIONS) and len(text) <= _FURNITURE["max_attachment_line_length"])
    )


def _looks_like_body(text: str) -> bool:
    return "。" in text or len(text) > _MAX_TITLE_LENGTH or _FIRST_HEADING.match(text) is not None


def _header_end(lines: list[_Line]) -> int:
    """Index of the first line after the page header: after its last furniture line, before the report's body."""
    after_furniture = 0
    for index, line in enumerate(lines[:_HEADER_SCAN_LINES]):
        if _is_furniture(line.text):
            after_furniture = index + 1
        elif _looks_like_body(line.text):
            break
    return after_furniture


def _footer_start(lines: list[_Line], body_start: int) -> int:
    end = len(lines)
    while end > body_start and _is_furniture(lines[end - 1].text):
        end -= 1
    return end


def _metadata(page_lines: list[_Line]) -> dict[str, str]:
    """`label: value` pairs of the metadata lines; several may share a line ("发布机构: 市科技局 发文日期: …")."""
    found: dict[str, str] = {}
    for line in page_lines:
        if not _METADATA_LINE.match(line.text):
            continue
        labels = list(_METADATA_LABEL.finditer(line.text))
        for label, following in zip(labels, [*labels[1:], None]):
            value = line.text[label.end(): following.start() if following else None].strip(" \t|")
            if value:
                found.setdefault(label.group(1), value)
    return found


def _first_field(metadata: dict[str, str], field: str) -> str | None:
    return next((metadata[label] for label in _FURNITURE["fields"][field] if label in metadata), None)


def _parse_date(value: str | None) -> datetime.date | None:
    match = _DATE.search(value or "")
    if not match:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None


def _title(header_lines: list[_Line], metadata: dict[str, str]) -> str | None:
    """The report's own title line: the first header line with a title cue, else the page's title field, else
    the first short line before the body."""
    candidates = [line.text for line in header_lines
                  if not _is_furniture(line.text) and not _looks_like_body(line.text)]
    return (next((text for text in candidates if _TITLE_CUES.search(text)), None)
            or _first_field(metadata, "title")
            or next(iter(candidates), None))


def _compilation_reports(lines: list[_Line], body_start: int, body_end: int) -> list[_Report]:
    """The reports of a compilation page, or [] when the page holds one report."""
    headings = [i for i in range(body_start, body_end) if _PART_HEADING.match(lines[i].text)]
    if len(headings) < 2:
        return []
    reports = []
    for heading, part_end in zip(headings, [*headings[1:], body_end]):
        starts = _report_starts(lines, heading, part_end)
        for index, (first, end) in enumerate(zip(starts, [*starts[1:], part_end])):
            reports.append(_Report(first, end, lines[heading].text if index == 0 else None))
    return reports


def _report_starts(lines: list[_Line], first: int, end: int) -> list[int]:
    """Where each report of one compilation part starts: at the part heading, and at every paragraph introducing a
    report that is followed at once by a "一、" heading after this part's numbering has begun."""
    starts = [first]
    numbering_started = False
    for index in range(first + 1, end):
        if not _FIRST_HEADING.match(lines[index].text):
            continue
        intro = lines[index - 1].text
        before_intro = lines[index - 2].text if index - 2 >= first else ""
        if (numbering_started and index - 1 > starts[-1] and _REPORT_INTRO.search(intro)
                and not _PLAN_LINE_END.search(before_intro)):
            starts.append(index - 1)
        numbering_started = True
    return starts


def _doc_type(title: str | None, opening: str, text: str, report_year: int | None) -> str:
    for source in (title or "", opening):
        for doc_type, patterns in _DOC_TYPE_RULES:
            if any(pattern.search(source) for pattern in patterns):
                return doc_type
    if title is None and report_year is not None and _ACHIEVEMENTS.search(text):
        plan_years = {_year_value(match) for match in _PLAN_LINE.finditer(text)}
        return "summary_and_plan" if report_year + 1 in plan_years else "annual_summary"
    return "other"


def _report_year(title: str | None, opening: str, first_paragraph: str, text: str) -> int | None:
    """The year the report is about: the first year in the title, else in the opening lines, else the year of the
    achievements the body reports. A masked year (xxxx年) found first gives None: it is never guessed."""
    for source in (title or "", opening):
        if match := _YEAR.search(source):
            year = _year_value(match)
            # 2023年全市科技工作会议 / 在2022年全县科技创新工作会议上的讲话: the meeting reviews the year before
            meeting = _MEETING.search(source)
            return year - 1 if year is not None and meeting and meeting.start() == match.start() else year
    for match in (*(cue.search(text) for cue in _BODY_YEAR_CUES), _FIRST_PARAGRAPH_YEAR.search(first_paragraph)):
        if match:
            return _year_value(match)
    plan = _PLAN_LINE.search(text)
    if plan and _THIS_YEAR.search(text):
        plan_year = _year_value(plan)
        return plan_year - 1 if plan_year is not None else None
    return None


def _top_lines(lines: list[_Line]) -> list[_Line]:
    """The lines above the first paragraph (page header, title, dateline), where a news page writes its date."""
    top = []
    for line in lines[:_HEADER_SCAN_LINES]:
        if _looks_like_body(line.text):
            break
        top.append(line)
    return top


def _published_report_year(published: datetime.date, header: list[_Line], first_paragraph: str) -> int:
    """A text that names no year of its own is about the year its first paragraph writes when that is the year it
    was published or the one before (published 2021-02-25: 截至2020年底…), else the year it was published, or the
    year before when its headline speaks of 去年 (去年全省技术合同成交金额超260亿元), or when it is published early in
    the year about a work report or conference (1月29日电…人大一次会议上获悉: the year that report reviews)."""
    written = _YEAR.search(first_paragraph)
    if written and _year_value(written) in (published.year - 1, published.year):
        return _year_value(written)
    headline = [line.text for line in header if not _is_furniture(line.text)]
    if any(_LAST_YEAR.search(line) for line in headline):
        return published.year - 1
    if published.month <= _BODY_YEAR["early_review_last_month"] and any(
            _EARLY_REVIEW.search(line) for line in (*headline, first_paragraph)):
        return published.year - 1
    return published.year


def _year_value(match: re.Match[str]) -> int | None:
    year = match.group("year")
    return int(year) if year.isdigit() else None
