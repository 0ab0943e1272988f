"""Kind, period and year of a fact, each an ordered list of named rules: the first rule that answers decides, and
its name goes into the fact (`kind_source`; `year_source` holds the contract's name of the year's origin). Each
kind and year rule declares what it needs (`NEEDS`: a plan part, a year cue in the clause group, a year written
there …), facts found once per document, figure or reading, so that a rule that cannot answer is passed over
uncalled. A new year or kind rule is a function here, its needs and its place in `YEAR_RULES` / `KIND_RULES`
(docs/rules.md)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from pipelines.facts.reading import Figure, Reading
from pipelines.facts.rules import (
    CLAUSE_ONLY_KINDS,
    CODES,
    COMPARISON_BASES,
    CURRENT_YEAR_TITLES,
    FIVE_YEAR_PLANS,
    FORECAST_NOTES,
    REVIEW_OR_PLAN_HEADINGS,
    WON_OUTSIDE_PLANS,
)
from pipelines.facts.scan import CLAUSE_MARKS, CLAUSE_PUNCT, GROUP_PUNCT, DocScan, first_from, tagged

if TYPE_CHECKING:
    from pipelines.documents import Document
    from pipelines.mentions import Mention
    from pipelines.segment import Section, Sentence

# Reports about a past year: their plan part is about the next year. Every report but a plan (工作要点) gives
# R&D figures a year late, as the statistics come out then.
ANNUAL_REPORTS = frozenset({"annual_summary", "summary_and_plan", "other"})
PLANS = frozenset({"work_points"})


def part_role(scan: DocScan, section: Section | None) -> str:
    """The role of the report part holding the section: its outermost ancestor with a role. A sub-heading's own
    words (…行动计划 under 2019年工作完成情况) do not turn achievements into plans."""
    if section is None:
        return "other"
    role = scan.roles.get(section.section_id)
    if role is None:
        role, outer = "other", section
        while outer is not None:
            if outer.role != "other":
                role = "achievements" if outer.role == "plans" and _reviews(scan, outer) else outer.role
            outer = scan.sections.get(outer.parent_id) if outer.parent_id is not None else None
        scan.roles[section.section_id] = role
    return role


def _reviews(scan: DocScan, part: Section) -> bool:
    """二、重点工作 before 三、2021年工作思路 in a report on a year: a part headed only by a word that also names work
    done, followed by a plan part of its own level, gives an account of work done."""
    if scan.doc.doc_type not in ANNUAL_REPORTS or part.heading_year is not None:
        return False
    if part.heading.strip() not in REVIEW_OR_PLAN_HEADINGS:
        return False
    return any(other.role == "plans" and other.level == part.level and other.start > part.start
               for other in scan.sections.values())


def plan_year(doc: Document) -> int | None:
    """The year a document's plan part is for: the next one for a report on a year, else the report's own."""
    if doc.report_year is None:
        return None
    return doc.report_year + 1 if doc.doc_type in ANNUAL_REPORTS else doc.report_year


# ---- what the rules need ------------------------------------------------------------------------------------

# What a kind or year rule may need of a figure, each cheap to know once per document, figure or reading. A rule
# without one of its needs would not answer: the need only spares the call.
NEEDS = {name: 1 << i for i, name in enumerate((
    "no_report_year",      # the document's own year is unknown
    "dateline_year",       # a news item (doc_type other) published in a year other than the report's
    "plan_document",       # a plan (工作要点)
    "plan_part",           # the figure's report part is a plan part (part_role: plans)
    "heading_year",        # the heading over the figure names a year
    "heading_span",        # the heading over the figure names a span of years (“十二五”期间: heading_period MULTI)
    "group_before",        # the figure's clause group is not the first of its sentence
    "cue:year",            # a cue word of the clause group tagged year (上年, 今年)
    "cue:five_year_plan",  # … tagged five_year_plan (“十三五”)
    "annotation",          # a (2023年数据) right after the figure
    "written_year",        # a year written in the clause group (not a comparison base nor an annotation)
    "lagged_indicator",    # the reading's indicator comes out a year late (statistical_lag of facts_codes.csv)
))}
_CUE_NEEDS = {need.removeprefix("cue:"): bit for need, bit in NEEDS.items() if need.startswith("cue:")}


def document_has(doc: Document) -> int:
    """The NEEDS bits of the document itself."""
    has = 0
    if doc.report_year is None:
        has |= NEEDS["no_report_year"]
    if doc.doc_type == "other" and doc.published_date is not None and doc.published_date.year != doc.report_year:
        has |= NEEDS["dateline_year"]
    if doc.doc_type in PLANS:
        has |= NEEDS["plan_document"]
    return has


def figure_has(fig: Figure, section: Section | None, role: str, document: int) -> int:
    """The NEEDS bits of a figure (`document`: those of its document), but for its year words and reading."""
    has = document
    if role == "plans":
        has |= NEEDS["plan_part"]
    if section is not None and section.heading_year is not None:
        has |= NEEDS["heading_year"]
    if section is not None and section.heading_period == "MULTI":
        has |= NEEDS["heading_span"]
    if fig.group_lo > fig.sentence.start:
        has |= NEEDS["group_before"]
    for hit in fig.group_cues:
        for kind, _ in hit.tags:
            has |= _CUE_NEEDS.get(kind, 0)
    return has


def _bits(needs: tuple[str, ...]) -> int:
    return sum(NEEDS[need] for need in needs)


# ---- kind -----------------------------------------------------------------------------------------------------

_NOTE_AFTER = re.compile(r"[(（]([^()（）]{2,4})[)）]")


def forecast_note(scan: DocScan, fig: Figure, role: str) -> str | None:
    """提升到2021年0.82%(预测值): a note in parentheses right after the figure saying it is an estimate makes that
    one figure a forecast, whatever the clause's cue words say."""
    note = _NOTE_AFTER.match(scan.text, fig.mention.end)
    return "forecast" if note is not None and note.group(1) in FORECAST_NOTES else None


def kind_cue(scan: DocScan, fig: Figure, role: str) -> str | None:
    """力争/目标/预计…: the nearest kind cue of the clause group. A clause-only cue (预计) of an earlier clause reaches
    the clauses that follow on from its own, up to one that names another indicator."""
    at = fig.mention.start
    # 要突破2000件: the cue may end inside the figure, whose bound word (突破) it holds. Cue hits do not overlap, so
    # only the last one starting before the figure can (a bisect, not a list per figure).
    i = bisect_left(scan.cue_starts, at) - 1
    last = scan.cues[i] if i >= 0 else None
    straddles = last is not None and max(fig.group_lo, at - 8) <= last.start and at < last.end <= fig.mention.end
    for hit, kind in reversed(tagged(fig.group_cues + [last], "kind") if straddles else fig.group_tagged("kind")):
        if kind in CLAUSE_ONLY_KINDS and hit.start < fig.clause_lo:
            cue_clause_end = first_from(CLAUSE_PUNCT, scan.text, hit.end, fig.mention.start)
            if scan.phrases_in(cue_clause_end, fig.mention.start):
                continue
        if hit.word in WON_OUTSIDE_PLANS and role != "plans" and scan.doc.doc_type not in PLANS:
            return "actual"  # 争取省级以上科技项目12项 in an account of work done: projects won
        return kind
    return None


def lead_in(scan: DocScan, fig: Figure, role: str) -> str | None:
    """今年…要努力实现六个目标:一是…;二是新增高新技术企业50家: after a lead-in opening a list of targets, every
    figure of the sentence is a target."""
    if fig.group_lo <= fig.sentence.start:
        return None
    leads = tagged(scan.cue_hits(fig.sentence.start, fig.group_lo), "lead")
    return leads[-1][1] if leads else None


def future_year(scan: DocScan, fig: Figure, role: str) -> str | None:
    """到2020年,…达到6000家以上 / 高新技术企业数量到2025年突破7.5万家: a figure of a year after the one the report (or
    its dateline) speaks from, or of a year a clause opens with 到 (not 到2015年底, a state reached), is a target."""
    i = bisect_left(scan.year_starts, fig.mention.start)
    if i == 0 or scan.year_starts[i - 1] < fig.group_lo:
        return None
    written = scan.years[i - 1]
    if written.value is None:
        return None
    text = scan.text
    opens_by = text[written.start - 1:written.start] == "到" and (
        written.start - 1 == fig.group_lo or text[written.start - 2] in CLAUSE_MARKS)
    if opens_by and text[written.end:written.end + 1] not in ("底", "末"):
        return "target"
    doc = scan.doc
    now = max(doc.report_year or 0, doc.published_date.year if doc.published_date else 0)
    return "target" if now and written.value > now else None


def plan_section(scan: DocScan, fig: Figure, role: str) -> str | None:
    """A figure in a plan part (2024年工作安排) with no cue word is a target."""
    return "target" if role == "plans" else None


def plan_document(scan: DocScan, fig: Figure, role: str) -> str | None:
    """A plan (工作要点) states targets outside any part that reviews work done; its recall of a past year is actual
    (the figure loop's recalled_year)."""
    return "target" if scan.doc.doc_type in PLANS and role != "achievements" else None


def default_kind(scan: DocScan, fig: Figure, role: str) -> str | None:
    return "actual"


# (name, rule, the bits of what it needs): the order is the precedence
KIND_RULES: tuple[tuple[str, Callable[[DocScan, Figure, str], str | None], int], ...] = tuple(
    (name, rule, _bits(needs)) for name, rule, needs in (
        ("forecast_note", forecast_note, ()),
        ("cue", kind_cue, ()),
        ("lead_in", lead_in, ("group_before",)),
        ("future_year", future_year, ()),
        ("plan_section", plan_section, ("plan_part",)),
        ("plan_document", plan_document, ("plan_document",)),
        ("default", default_kind, ()),
    ))


def kind_of(scan: DocScan, role: str, fig: Figure, has: int) -> tuple[str, str]:
    """(kind, the name of the rule that gave it); `has`: the figure's NEEDS bits (figure_has)."""
    for name, rule, needs in KIND_RULES:
        if needs & has == needs:
            kind = rule(scan, fig, role)
            if kind is not None:
                return kind, name
    raise AssertionError("the default kind rule always answers")


# ---- period ---------------------------------------------------------------------------------------------------

def period_of(scan: DocScan, section: Section | None, fig: Figure, reading: Reading, after_span: bool
              ) -> tuple[str, str]:
    """(period, where it was read), by the first of these that answers:
    - "span": the growth or change of a span (由3141家增至6348家,增长1.02倍) is of the span, MULTI;
    - "sentence": a period cue before the figure in its sentence (1-10月, 上半年; 五年来, “十三五”期间: MULTI);
    - "years": a span of years written before it in its clause group (2016年至2020年,全省共有146项…), MULTI,
      unless the figure is an end of the span (由2018年的X增至2022年的Y: each of its own year);
    - "paragraph": a period cue earlier in its paragraph, but a multi-year one;
    - "heading": the heading's half-year, or its span (“十二五”期间) for a figure writing no year;
      else "default": H1 for a half-year summary, else FY."""
    if after_span and reading.construction == "previous_fact" and reading.measure in ("growth_pct", "change_pp"):
        return "MULTI", "span"
    sentence, at = fig.sentence, fig.mention.start
    found = scan.period_before(at)
    if found is not None and found[0] >= sentence.start:
        return found[1], "sentence"
    spans = fig.clause_tagged("span")
    if reading.construction != "span_to" and not (spans and any(v == "from" for _, v in spans)):
        if _spans_years(scan, fig):
            return "MULTI", "years"
    if found is not None and found[1] != "MULTI":
        return found[1], "paragraph"
    if section is not None and section.heading_period and not (
            section.heading_period == "MULTI" and _writes_year(scan, fig)):  # 2019年新增… under “十三五”期间: that year's
        return section.heading_period, "heading"
    return ("H1" if scan.doc.doc_type == "half_year_summary" else "FY"), "default"


def _writes_year(scan: DocScan, fig: Figure) -> bool:
    """A year written before the figure in its clause group."""
    return bisect_left(scan.year_starts, fig.group_lo) < bisect_left(scan.year_starts, fig.mention.start)


def _spans_years(scan: DocScan, fig: Figure) -> bool:
    """A span of years (2018—2022年, 2016年至2020年) written before the figure in its clause group."""
    lo, hi = bisect_left(scan.year_starts, fig.group_lo), bisect_left(scan.year_starts, fig.mention.start)
    for k in range(lo, hi):
        year = scan.years[k]
        if _RANGE_END.search(year.text):
            return True
        if k + 1 < hi and _SPAN_GLUE.fullmatch(scan.text, year.end, scan.years[k + 1].start):
            return True
    return False


# ---- year -----------------------------------------------------------------------------------------------------

class YearClues(NamedTuple):
    section: Section | None
    role: str
    indicator: str
    kind: str
    written: list[Mention]  # the years written in the figure's clause group (not comparison bases, annotations)
    left: list[Mention]     # those before the figure
    annotation: int | None  # the year of a (2023年数据) right after the figure
    period: str             # the figure's period (period_of)


Year = tuple[int | None, str | None]
_RANGE_END = re.compile(r"[-—–~～至到]\s*((?:19|20)\d{2})年$")
# （2016年数据）: a year annotating the figure before it
_ANNOTATION = re.compile(r"年?数据[)）]")
_PARAGRAPH_YEAR = re.compile(r"[ \t]*((?:19|20)\d{2})年[,，]")
_SPAN_GLUE = re.compile(r"\s*[-—–~～至到]\s*")
_HEAD_YEAR_END = (",", "，")  # 2022年, opening a sentence


def annotated_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """达到3.96%（2023年数据）: a year annotating the figure right before it is that figure's year."""
    return (clues.annotation, "explicit") if clues.annotation is not None else None


def relative_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """上年/去年 (the report's year before) or 今年/当年 nearer before the figure than any written year. A news item
    (doc_type other) with a dateline speaks from the year it was published."""
    relative, left, report_year = fig.group_tagged("year"), clues.left, scan.doc.report_year
    if scan.doc.doc_type == "other" and scan.doc.published_date is not None:
        report_year = scan.doc.published_date.year
    if relative and report_year is not None and (not left or relative[-1][0].start > left[-1].start):
        if relative[-1][1] == "previous":
            return report_year - 1, "relative"
        return report_year, "report"
    return None


def written_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """2021年…: the last year written before the figure in its clause group, else the first after it; xxxx年
    (anonymised) gives no year."""
    if not clues.written:
        return None
    return _year_written(clues.left[-1] if clues.left else clues.written[0], fig)


def _year_written(mention: Mention, fig: Figure) -> Year:
    if mention.value is None:
        return None, None
    last = _RANGE_END.search(mention.text)  # 2018—2022年: a span's figure is of its last year, but the one it
    if last and not any(v == "from" for _, v in fig.clause_tagged("span")):  # grew from (由3141家) of its first
        return int(last.group(1)), "explicit"
    return int(mention.value), "explicit"


def sentence_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """2018-2022年,A由X增至Y;B由X增至Y;…: the year (or span) a sentence opens with dates every clause group of
    the sentence that writes none of its own (and so no R&D figure of it is a year late)."""
    sentence = fig.sentence
    if fig.group_lo <= sentence.start:
        return None
    i = bisect_left(scan.year_starts, sentence.start)
    if i == len(scan.year_starts) or scan.year_starts[i] >= fig.group_lo:
        return None
    head = scan.years[i]
    text = scan.text
    if text[sentence.start:head.start].strip() or text[head.end:head.end + 1] not in _HEAD_YEAR_END:
        return None  # only a year opening the sentence as its topic (2022年,全国…), not one inside a clause
    return _year_written(head, fig)


def paragraph_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """2024年,全省科技系统…。预计全年研发投入强度达到3.3%…: the year a paragraph's topic sentence opens with is that
    of the paragraph's later figures that write none."""
    text = scan.text
    start = text.rfind("\n", 0, fig.group_lo) + 1
    opening = _PARAGRAPH_YEAR.match(text, start, fig.group_lo)
    if opening is None:
        return None
    # only a topic sentence's year (2024年,全省科技系统…取得新进展。): one stating figures (2021年,全社会研发投入…)
    # dates those alone
    topic_end = text.find("。", opening.end(), fig.group_lo)
    if topic_end < 0 or bisect_left(scan.value_starts, opening.end()) != bisect_left(scan.value_starts, topic_end):
        return None
    year = int(opening.group(1))  # not written in the figure's sentence: the report's own year is the report's
    return year, ("report" if year == scan.doc.report_year else "explicit")


def dateline_period(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """A news item published 2022-03-18 about last year (去年全省…) reporting 截至2月底,泉州…: a year-to-date period
    ending before the month it was published in is of the year it was published."""
    published, period = scan.doc.published_date, clues.period
    if scan.doc.doc_type != "other" or published is None or published.year == scan.doc.report_year:
        return None
    if not period.startswith("M1-") or int(period[3:]) >= published.month:
        return None
    return published.year, "report"


def five_year_plan_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """“十三五”期间,全市累计新增高新技术企业71家: a figure of a five-year plan's span is of the span's last year."""
    plans = fig.group_tagged("five_year_plan")
    return (plans[-1][1], "explicit") if plans else None


def five_year_plan_heading(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """一、“十二五”期间主要工作回顾 / 全市高新技术企业达到156家: a figure under a heading on a five-year plan's span that
    writes no year of its own is of the span's last year (its period is the heading's, MULTI)."""
    path = clues.section.path
    found = max(((path.rfind(plan), year) for plan, year in FIVE_YEAR_PLANS.items()), default=(-1, None))
    return (found[1], "explicit") if found[0] >= 0 else None


def no_report_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """A report whose own year is unknown gives no year to a figure that writes none."""
    return (None, None) if scan.doc.report_year is None else None


def statistical_lag(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """R&D spending and intensity come out a year late: a report's actual figure is of the year before (not in a
    plan, 工作要点, which states targets)."""
    doc = scan.doc
    if not CODES[clues.indicator].statistical_lag:
        return None  # most indicators: checked first, as it is cheaper than reading the title
    if clues.period.startswith("M"):
        return None  # 1-11月规上工业研发费用占营业收入比重: a year-to-date figure is counted as the year goes, not late
    if doc.title and any(word in doc.title for word in CURRENT_YEAR_TITLES):
        return None  # 2021年科技经费投入统计公报: the statistics themselves, of the year they name
    if doc.doc_type not in PLANS and clues.kind == "actual":
        return scan.doc.report_year - 1, "statistical_lag"
    return None


def heading_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """The year of the heading over the figure (2023年工作总结)."""
    section = clues.section
    return (section.heading_year, "explicit") if section is not None and section.heading_year is not None else None


def plan_section_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    """The plan part of a report on a year is about the next year."""
    if clues.role == "plans" and scan.doc.doc_type in ANNUAL_REPORTS:
        return scan.doc.report_year + 1, "report"
    return None


def report_year(scan: DocScan, fig: Figure, clues: YearClues) -> Year | None:
    return scan.doc.report_year, "report"


# (name, rule, the bits of what it needs): the order is the precedence
YEAR_RULES: tuple[tuple[str, Callable[[DocScan, Figure, YearClues], Year | None], int], ...] = tuple(
    (rule.__name__, rule, _bits(needs)) for rule, needs in (
        (annotated_year, ("annotation",)),
        (relative_year, ("cue:year",)),
        (written_year, ("written_year",)),
        (sentence_year, ("group_before",)),
        (dateline_period, ("dateline_year",)),
        (five_year_plan_year, ("cue:five_year_plan",)),
        (five_year_plan_heading, ("heading_span",)),
        (no_report_year, ("no_report_year",)),
        (statistical_lag, ("lagged_indicator",)),
        (paragraph_year, ()),
        (heading_year, ("heading_year",)),
        (plan_section_year, ("plan_part",)),
        (report_year, ()),
    ))


def year_of(scan: DocScan, section: Section | None, role: str, indicator: str, kind: str, period: str,
            fig: Figure, has: int) -> Year:
    """(year, year_source) by the first year rule that answers; `has`: the figure's NEEDS bits (figure_has)."""
    at = fig.mention.start
    first = bisect_left(scan.year_starts, fig.group_lo)
    written, left = [], []
    annotation = None
    if first < len(scan.year_starts) and scan.year_starts[first] < fig.sentence.end:
        group_hi = first_from(GROUP_PUNCT, scan.text, fig.mention.end, fig.sentence.end)
        written = []
        for m in scan.years[first:bisect_left(scan.year_starts, group_hi)]:
            if _ANNOTATION.match(scan.text, m.end) and scan.text[m.start - 1:m.start] in ("(", "（"):
                if m.start - 2 <= fig.mention.end <= m.start - 1 and m.value is not None:
                    annotation = int(m.value)
            elif not scan.text.endswith(COMPARISON_BASES, max(0, m.start - 2), m.start):
                written.append(m)
        left = [m for m in written if m.start < at]
    if written:
        has |= NEEDS["written_year"]
    if annotation is not None:
        has |= NEEDS["annotation"]
    if CODES[indicator].statistical_lag:
        has |= NEEDS["lagged_indicator"]
    # tuple.__new__ skips the NamedTuple's Python-level __new__: this runs for every fact
    clues = tuple.__new__(YearClues, (section, role, indicator, kind, written, left, annotation, period))
    for _, rule, needs in YEAR_RULES:
        if needs & has == needs:
            year = rule(scan, fig, clues)
            if year is not None:
                return year
    raise AssertionError("the report_year rule always answers")
