"""From mentions to facts: which indicator, measure, kind, year and period each figure of a report states.

The layout (docs/rules.md says where a new phrase, construction or year rule goes):
- `rules.py` loads the rule tables of `pipelines/rules/` once per process: indicator phrases (`indicators.csv`),
  each code's units and conditions (`facts_codes.csv`), cue words (`cues.toml`).
- `scan.py` finds phrases and cue words once per document; `reading.py` reads one figure as one indicator
  (measure, unit and scope rules).
- `constructions.py` holds the named constructions (a phrase before the number, a 分别 list, …) tried in order.
- `when.py` holds the ordered kind, period and year rules.
- This module is the generic figure loop: it knows no construction by name.

No maintained library reads Chinese report phrasing into indicator facts, hence these hand-written rules.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pipelines.facts.constructions import read_figure
from pipelines.facts.reading import Figure, Reading, SentenceState
from pipelines.facts.rules import RIGHT_WINDOW
from pipelines.facts.scan import (
    CLAUSE_PUNCT,
    NOT_VALUES,
    UP_TO_LAST_CLAUSE_MARK,
    UP_TO_LAST_GROUP_MARK,
    DocScan,
    after_last,
    evidence,
    first_from,
)
from pipelines.facts.region import RegionScan
from pipelines.facts.tables import read_tables
from pipelines.facts.when import document_has, figure_has, kind_of, part_role, period_of, plan_year, year_of

if TYPE_CHECKING:
    from pipelines.documents import Document
    from pipelines.mentions import Mention
    from pipelines.segment import Section, Sentence


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, 4-5x the cost of
# plain slot stores, and one of these is built per fact of the corpus. Nothing mutates it after construction.
@dataclass(slots=True)
class Fact:               # the columns of ../shared/spec/facts-contract.md, then ours
    doc_id: str
    source_file: str
    region: str | None
    indicator: str
    measure: str
    value: float | None
    unit: str
    year: int | None
    year_source: str | None
    period: str
    kind: str
    bound: str
    span_start: int
    span_end: int
    evidence: str
    mention_id: int
    sentence_id: int
    section_id: int
    part: int
    value_max: float | None
    indicator_phrase: str  # the words that named the indicator
    kind_source: str       # the kind rule that gave `kind` (pipelines/facts/when.py KIND_RULES, or recalled_year)
    region_source: str     # the region rule that gave `region` (pipelines/facts/region.py, tables.py)
    construction: str      # the construction that read the figure (pipelines/facts/constructions.py, or table)


def _carried(facts: list[Fact], sentence: Sentence, text: str) -> Reading | None:
    """For a sentence naming no indicator: the last fact of the sentence just before it in its paragraph (read by
    the previous_sentence construction), else None."""
    if not facts:
        return None
    last = facts[-1]
    if last.sentence_id != sentence.sentence_id - 1 or text.find("\n", last.span_end, sentence.start) >= 0:
        return None
    return Reading(last.indicator, last.indicator_phrase, last.measure, None, last.unit, last.span_end)


# ---- the stage ------------------------------------------------------------------------------------------------

def extract_facts(doc: Document, sections: Sequence[Section], sentences: Sequence[Sentence],
                  mentions: Sequence[Mention]) -> list[Fact]:
    """The facts the document's figures state; a figure whose words name no indicator stays a mention only."""
    scan = DocScan(doc, sections, sentences, mentions)
    table_facts, table_sentences = read_tables(doc, sentences, mentions, Fact)  # their lines are not prose
    regions = RegionScan(doc, scan.inside_scopes)
    facts: list[Fact] = []
    stated_periods: dict[tuple[str, str, float], str] = {}
    defaulted: list[int] = []
    state = SentenceState()
    sentence = None
    skipped_sentence = None
    previous_end = 0
    starts = scan.phrase_starts
    text = doc.text
    plans_for = plan_year(doc)
    doc_has = document_has(doc)
    windows: dict[int, tuple[int, str]] = {}  # evidence windows of long sentences, shared by their figures
    for index, mention in enumerate(mentions):
        if mention.sentence_id == skipped_sentence:
            continue
        if sentence is None or mention.sentence_id != sentence.sentence_id:
            sentence = scan.sentences.get(mention.sentence_id)
            if sentence is None or mention.sentence_id in table_sentences:
                skipped_sentence = mention.sentence_id  # a table's: no fact here
                continue
            carried = None
            if bisect_left(starts, sentence.start) == bisect_left(starts, sentence.end):
                carried = _carried(facts, sentence, text)
                if carried is None:
                    skipped_sentence = mention.sentence_id  # no indicator phrase in it: no fact here
                    continue
            state = SentenceState(carried=carried)
            previous_end = sentence.start
        if mention.category in NOT_VALUES:
            continue  # a year or date is no figure of another indicator: the words before it stay in the clause
        floor = previous_end
        previous_end = mention.end
        group_lo = after_last(UP_TO_LAST_GROUP_MARK, text, sentence.start, mention.start)
        if (state.last is None and state.carried is None
                and bisect_left(starts, group_lo) == bisect_left(starts, mention.end + RIGHT_WINDOW)):
            state.figures.append(None)
            continue  # no phrase near and no fact before: most figures end here, cheaply
        clause_lo = after_last(UP_TO_LAST_CLAUSE_MARK, text, max(group_lo, floor), mention.start)
        next_start = mentions[index + 1].start if index + 1 < len(mentions) else sentence.end
        group_cues = scan.cue_hits(group_lo, mention.start)
        fig = Figure(
            mention, sentence, clause_lo, max(clause_lo, state.consumed_until), group_lo,
            min(first_from(CLAUSE_PUNCT, text, mention.end, sentence.end), max(next_start, mention.end)),
            group_cues, [h for h in group_cues if h.start >= clause_lo] if group_cues else group_cues,
        )
        after_span = state.last is not None and state.last.construction == "span_to"
        readings = read_figure(scan, fig, state)
        state.figures.append(readings[-1] if readings else None)
        if not readings:
            if not fig.clause_tagged("measure") and mention.category not in ("pp", "rank"):
                state.last = None  # an unrelated figure breaks the chain of growth/share/rank
            continue
        state.last = readings[-1]
        if readings[-1].phrase_end > mention.end:
            state.consumed_until = readings[-1].phrase_end
        bound = readings[-1].bound or mention.bound
        section = scan.sections.get(sentence.section_id)
        role = part_role(scan, section)
        has = figure_has(fig, section, role, doc_has)
        kind, kind_source = kind_of(scan, role, fig, has)
        period, origin = period_of(scan, section, fig, readings[-1], after_span)
        region, region_source = regions.region_of(group_lo, mention.start)
        for reading in readings:
            year, year_source = year_of(scan, section, role, reading.indicator, kind, period, fig, has)
            # A plan recalling 2023年全市高新技术企业达到968家 (or 去年…) states what was achieved, not a goal.
            recalled = (kind_source in ("plan_section", "plan_document") and year_source in ("explicit", "relative")
                        and year is not None and plans_for is not None and year < plans_for)
            # A half-year report citing 2023年全市研发投入强度 states a whole other year's figure.
            stated = "FY" if origin == "default" and year_source == "explicit" and year != doc.report_year else period
            if reading.value is not None and reading.measure != "rank":  # ranks 1-20 coincide too often
                key = (reading.indicator, reading.measure, reading.value)
                if origin == "sentence":
                    stated_periods.setdefault(key, period)
                elif origin != "heading":
                    defaulted.append(len(facts))
            facts.append(Fact(  # positional, in field order: 24 keywords cost as much as the rest of the call
                doc.doc_id, doc.source_file, region, reading.indicator, reading.measure, reading.value,
                reading.unit, year, year_source, stated, "actual" if recalled else kind, bound, mention.start,
                mention.end, evidence(text, sentence, mention.start, mention.end, windows),
                mention.mention_id, mention.sentence_id, sentence.section_id, doc.part, mention.value_max,
                reading.phrase, "recalled_year" if recalled else kind_source, region_source,
                reading.construction,
            ))
    # 淮北's 50.61亿元: first in the opening summary with no period of its own, then "至5月底": both are Jan-May
    for i in defaulted:
        period = stated_periods.get((facts[i].indicator, facts[i].measure, facts[i].value))
        if period is not None:
            facts[i] = replace(facts[i], period=period)
    return facts + table_facts
