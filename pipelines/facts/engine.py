"""From mentions to facts: which indicator, measure, kind, year and period each figure of a report states.

The rules are data: `rules/indicators.csv` (indicator phrases, their conditions and the phrases that block them),
`rules/facts_codes.csv` (each code's level unit, counting words, statistical lag) and `rules/cues.toml` (kind,
period, year, measure, list and variant cue words). Two Aho-Corasick automata (phrases, cues) scan, once per
document, only the sentences that hold a figure (and, for cues, those that may name a period); per figure the work
is bisects over those hits and dict lookups. No maintained library reads Chinese report phrasing into indicator
facts, hence these hand-written rules.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import ahocorasick

from pipelines.facts.tables import read_tables
from pipelines.facts.rules import (
    BASE_OF,
    CLAUSE_ONLY_KINDS,
    CODES,
    CUES,
    INSIDE_SCOPES,
    OUTSIDE_SCOPE,
    OUTSIDE_SCOPES,
    PERIOD_ANCHOR,
    PERIOD_PATTERNS,
    PERIOD_WORD,
    PHRASES,
    RANK_FOLLOWERS,
    RIGHT_WINDOW,
    VARIANTS,
    Hit,
)

if TYPE_CHECKING:
    from pipelines.documents import Document
    from pipelines.mentions import Mention
    from pipelines.segment import Section, Sentence


# Mentions of these categories are never an indicator's value.
NOT_VALUES = frozenset({"year", "duration", "date", "doc_number", "phone", "ordinal", "code"})
# Reports about a past year: their plan part is about the next year. Every report but a plan (工作要点) gives
# R&D figures a year late, as the statistics come out then.
_ANNUAL_REPORTS = frozenset({"annual_summary", "summary_and_plan", "other"})
_PLANS = frozenset({"work_points"})
_CLAUSE_MARKS = ",，;；。:：!！?？\n"  # a clause ends at these
_GROUP_MARKS = ";；。!！?？\n"  # a clause group (the scope of a written year) ends at these
_CLAUSE_PUNCT = re.compile(f"[{_CLAUSE_MARKS}]")
_GROUP_PUNCT = re.compile(f"[{_GROUP_MARKS}]")
# Greedy, so a match ends just after the last mark of the searched slice: a reverse search at C speed.
_UP_TO_LAST_CLAUSE_MARK = re.compile(f"(?s:.*)[{_CLAUSE_MARKS}]")
_UP_TO_LAST_GROUP_MARK = re.compile(f"(?s:.*)[{_GROUP_MARKS}]")
# Figure sentences at most this many characters apart are scanned as one slice: a scan call costs about as much as
# scanning this many characters.
_SCAN_GAP = 50
_LIST_GLUE = frozenset("、和及与,， ")
# A parenthetical aside or book title does not name a figure after it.
_ASIDE = re.compile(r"\([^()]*\)|（[^（）]*）|《[^《》]*》")
_PERCENT_MEASURES = {"growth": "growth_pct", "share": "share_pct"}


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


# ---- one scan per document ------------------------------------------------------------------------------------

def _scan(automaton: ahocorasick.Automaton, text: str, offset: int = 0) -> tuple[list[int], list[Hit]]:
    """Leftmost-longest, non-overlapping hits in `text` (which starts at `offset` of the document), and their start
    offsets for bisecting. Pass a slice rather than bounds: the automaton copies its whole argument to 4-byte
    characters on every call."""
    # tuple.__new__ skips the NamedTuple's Python-level __new__: this runs for every hit
    new = tuple.__new__
    offset += 1
    hits = [new(Hit, (end - length + offset, end + offset, word, tags))
            for end, (length, word, tags) in automaton.iter_long(text)]
    return [h[0] for h in hits], hits


def _figure_sentence_ids(mentions: Sequence[Mention]) -> list[int]:
    """The sentences holding a figure that may be a value, in order: only their words are read for a figure."""
    ids: list[int] = []
    last = -1  # mentions come in text order, so their sentence ids never go down; -1 is no sentence
    for mention in mentions:
        if mention.sentence_id > last and mention.category not in NOT_VALUES:
            last = mention.sentence_id
            ids.append(last)
    return ids


def _period_sentence_ids(text: str, sentences: Sequence[Sentence]) -> list[int]:
    """The sentences that may hold a period cue word, read for the period of a later figure of their paragraph."""
    starts = [sentence.start for sentence in sentences]
    found = {bisect_right(starts, word.start()) - 1 for word in PERIOD_WORD.finditer(text)}
    return [sentences[i].sentence_id for i in found if i >= 0]


def _scan_sentences(automaton: ahocorasick.Automaton, text: str, sentences: dict[int, Sentence],
                    ids: Sequence[int]) -> tuple[list[int], list[Hit]]:
    """The hits in the sentences `ids` (ascending), near ones scanned together as one slice with the sentences
    between them (a call costs as much as scanning ~_SCAN_GAP characters). No phrase or cue word holds a sentence
    break (a terminator, closing quote or space), so these are exactly the hits a scan of the whole text finds in
    the sentences it covers."""
    runs: list[list[int]] = []  # [start, end]
    for sentence_id in ids:
        sentence = sentences.get(sentence_id)
        if sentence is None:
            continue
        if runs and sentence.start - runs[-1][1] <= _SCAN_GAP:
            runs[-1][1] = sentence.end
        else:
            runs.append([sentence.start, sentence.end])
    starts: list[int] = []
    hits: list[Hit] = []
    for start, end in runs:
        more_starts, more_hits = _scan(automaton, text[start:end], start)
        starts += more_starts
        hits += more_hits
    return starts, hits


def _lines_holding(text: str, char: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line holding `char`: str.find skips the others far faster than a regex scan."""
    at = text.find(char)
    while at >= 0:
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        yield text.rfind("\n", 0, at) + 1, end
        at = text.find(char, end)


def _after_last(marks: re.Pattern[str], text: str, floor: int, limit: int) -> int:
    """The offset just after the last mark in text[floor:limit], else floor."""
    found = marks.match(text, floor, limit)
    return found.end() if found else floor


def _first_from(marks: re.Pattern[str], text: str, start: int, ceiling: int) -> int:
    """The offset of the first mark in text[start:ceiling], else ceiling."""
    found = marks.search(text, start, ceiling)
    return found.start() if found else ceiling


class _DocScan:
    """What is found once per document (indicator phrases, cue words, clause marks, periods) and looked up per
    figure by bisecting."""

    def __init__(self, doc: Document, sections: Sequence[Section], sentences: Sequence[Sentence],
                 mentions: Sequence[Mention]):
        self.doc = doc
        self.text = text = doc.text
        self.sections = {s.section_id: s for s in sections}
        self.sentences = {s.sentence_id: s for s in sentences}
        figure_ids = _figure_sentence_ids(mentions)
        self.phrase_starts, self.phrases = _scan_sentences(PHRASES, text, self.sentences, figure_ids)
        cue_ids = sorted(set(figure_ids).union(_period_sentence_ids(text, sentences)))
        self.cue_starts, self.cues = _scan_sentences(CUES, text, self.sentences, cue_ids)
        periods = [(hit.start, period) for hit, period in _tagged(self.cues, "period")]
        periods += [(m.start(), fmt.format(**m.groupdict())) for lo, hi in _lines_holding(text, PERIOD_ANCHOR)
                    for pattern, fmt in PERIOD_PATTERNS for m in pattern.finditer(text, lo, hi)]
        periods.sort()
        self.period_starts = [start for start, _ in periods]
        self.periods = [period for _, period in periods]
        self.roles: dict[int, str] = {}
        # where the parenthetical aside or book title holding each phrase closes (-1: none)
        self.phrase_aside_ends = [-1] * len(self.phrases)
        for aside in _ASIDE.finditer(text):
            first, last = bisect_left(self.phrase_starts, aside.start()), bisect_left(self.phrase_starts, aside.end())
            self.phrase_aside_ends[first:last] = [aside.end()] * (last - first)
        self.years = [m for m in mentions if m.category == "year"]
        self.year_starts = [m.start for m in self.years]
        region = doc.region
        # 芜湖市 and 芜湖 both speak of the region itself
        own_names = () if not region else (region, region[:-1]) if len(region) > 2 else (region,)
        self.inside_scopes = INSIDE_SCOPES + own_names

    def period_before(self, at: int) -> tuple[int, str] | None:
        """(start, period) of the last period cue (1-10月, 截止9月份, 上半年 …) before `at` in its paragraph."""
        i = bisect_left(self.period_starts, at)
        if not i or self.text.rfind("\n", self.period_starts[i - 1], at) >= 0:
            return None
        return self.period_starts[i - 1], self.periods[i - 1]

    def phrases_in(self, lo: int, hi: int) -> list[Hit]:
        """Phrase hits wholly inside [lo, hi), but for those in a parenthetical aside or book title closed before hi."""
        i, j = bisect_left(self.phrase_starts, lo), bisect_left(self.phrase_starts, hi)
        if i == j:  # the usual case: no comprehension to build
            return []
        ends = self.phrase_aside_ends
        return [h for k, h in enumerate(self.phrases[i:j], i) if h.end <= hi and not 0 <= ends[k] <= hi]

    def cue_hits(self, lo: int, hi: int) -> list[Hit]:
        i, j = bisect_left(self.cue_starts, lo), bisect_left(self.cue_starts, hi)
        return [h for h in self.cues[i:j] if h.end <= hi] if i < j else []


def _tagged(hits: list[Hit], kind: str) -> list[tuple[Hit, str | None]]:
    if not hits:  # most clauses hold no cue word: skip building a comprehension (called ~5 times a figure)
        return []
    return [(hit, value) for hit in hits for tag_kind, value in hit.tags if tag_kind == kind]


# ---- one figure -----------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Figure:
    mention: Mention
    sentence: Sentence
    clause_lo: int        # after the previous , ; 。 or number
    phrase_lo: int        # clause_lo, or after a phrase the previous figure took from its right
    group_lo: int         # after the previous ; or 。
    right_hi: int         # where the clause or the next number begins
    group_cues: list[Hit]   # the cue words in [group_lo, mention.start)
    clause_cues: list[Hit]  # the cue words in [clause_lo, mention.start)

    def cues(self, scan: _DocScan, lo: int, hi: int) -> list[Hit]:
        """The cue words in [lo, hi), from the figure's own lists where they hold them."""
        if hi == self.mention.start and lo >= self.group_lo:
            return self.clause_cues if lo == self.clause_lo else [h for h in self.group_cues if h.start >= lo]
        return scan.cue_hits(lo, hi)


@dataclass(slots=True)
class _Reading:
    indicator: str
    phrase: str
    measure: str
    value: float | None
    unit: str
    phrase_end: int       # how far right the words read for this figure reach
    bound: str | None = None  # a bound the figure takes from its list (分别突破2000家、3000家)


@dataclass(slots=True)
class _SentenceState:
    last: _Reading | None = None           # the sentence's previous fact, for growth/share/rank right after it
    listed: list[tuple[str, str]] = field(default_factory=list)   # the indicators of the sentence's 分别 list
    pending: list[tuple[str, str]] = field(default_factory=list)  # those still owed a figure
    pending_bound: str = "exact"
    pending_from: int = 0                  # where the list's words (分别增长 …) begin, read for each of its figures
    consumed_until: int = 0                # a phrase read right of a count is not read again left of the next


def _resolve(hit: Hit, context: str | None) -> str | None:
    """The indicator a phrase names here, "" when it blocks, None when its condition fails."""
    for candidate in hit.tags:
        if not candidate.after or context in candidate.after:
            return candidate.indicator
    return None


def _names(indicator: str | None) -> bool:
    return bool(indicator) and not indicator.startswith("~")


def _base(indicator: str) -> str:
    return BASE_OF.get(indicator, indicator)


def _variants_in(hits: list[Hit], base: str) -> list[str]:
    """The flows or stocks the variant cues among `hits` name, in text order (高企新申报数 -> applications)."""
    words = VARIANTS.get(base)
    if not words:
        return []
    return [words[hit.word] for hit, value in _tagged(hits, "variant") if value == base]


def _with_variant(scan: _DocScan, fig: _Figure, indicator: str, lo: int, hi: int) -> str:
    named = _variants_in(fig.cues(scan, lo, hi), _base(indicator)) if _base(indicator) in VARIANTS else None
    return named[-1] if named else indicator


def _measure(mention: Mention, cue: str | None, level_unit: str) -> tuple[str, float | None, str] | None:
    """(measure, value, unit) the figure states given the nearest measure cue before it, or None."""
    value, category = mention.value, mention.category
    if category == "pp" or mention.unit == "pp":
        return "change_pp", (-value if cue == "decline" and value else value), "pp"
    if category == "rank" or mention.unit == "rank":
        return "rank", value, "rank"
    scaled = None if value is None else round(value * 100, 2)
    if category in ("multiple", "fraction"):
        if cue in ("growth", "change"):
            return "growth_pct", scaled, "percent"  # 增长2.1倍 -> 210
        return ("share_pct", scaled, "percent") if cue == "share" and category == "fraction" else None
    bare = not mention.raw_unit and mention.unit in ("none", "")
    if mention.unit == "percent" or (bare and (cue in _PERCENT_MEASURES or level_unit == "percent")):
        if cue in _PERCENT_MEASURES:
            return _PERCENT_MEASURES[cue], value, "percent"
        if cue in ("change", "decline"):
            if level_unit != "percent":
                return "growth_pct", value, "percent"
            return "change_pp", (-value if cue == "decline" and value else value), "pp"  # 提高0.04% of a ratio
        return "level", value, "percent"
    if cue in ("change", "decline"):
        return None  # 比上年增加312家: an absolute change, which no measure of the contract holds (a mention only)
    if bare and level_unit == "count":
        return "level", value, "count"  # 万人有效发明专利5.63
    return "level", value, mention.unit


def _reading(scan: _DocScan, fig: _Figure, indicator: str, phrase: str, measure_lo: int, reach: int,
             inherited: bool = False) -> _Reading | None:
    """The figure read as `indicator`, or None when its unit, counting word, scope or wording rules it out."""
    mention = fig.mention
    code = CODES.get(indicator)
    if code is None:
        return None
    cues = _tagged(fig.cues(scan, measure_lo, mention.start), "measure")
    cue = cues[-1][1] if cues else None
    if cue == "net":
        if _base(indicator) not in VARIANTS:
            return None  # 发明专利拥有量净增加440件: no code holds a net change of this stock
        cue = None  # 净增高新技术企业40家: the variant holds it, as a level
    measured = _measure(mention, cue, code.level_unit)
    if measured is None:
        return None
    measure, value, unit = measured
    if code.requires or code.vetoes:
        words = scan.text[fig.clause_lo:max(mention.end, reach)]
        if code.requires and not inherited and not any(w in words for w in code.requires):
            return None
        if any(w in words for w in code.vetoes):
            return None
    if measure == "level":
        if unit != code.level_unit:
            return None
        if code.raw_units is not None and mention.raw_unit not in code.raw_units:
            return None
        if _outside_scope(scan, fig):
            return None
    return _Reading(indicator, phrase, measure, value, unit, reach)


def _outside_scope(scan: _DocScan, fig: _Figure) -> bool:
    """全省新认定11家…: the nearest scope word before the figure in its clause group is the province or nation."""
    text, lo, hi = scan.text, fig.group_lo, fig.mention.start
    if not OUTSIDE_SCOPE.search(text, lo, hi):
        return False
    outside = max(_scope_position(text, w, lo, hi) for w in OUTSIDE_SCOPES)
    if outside < 0:
        return False
    return outside > max(text.rfind(w, lo, hi) for w in scan.inside_scopes)


def _scope_position(text: str, word: str, lo: int, hi: int) -> int:
    """The last place `word` scopes a figure in [lo, hi); 全省第4 / 全省排名 scope a rank, not what follows."""
    at = text.rfind(word, lo, hi)
    while at >= 0 and text.startswith(RANK_FOLLOWERS, at + len(word)):
        at = text.rfind(word, lo, at)
    return at


def _read(scan: _DocScan, fig: _Figure, state: _SentenceState) -> list[_Reading]:
    """The indicator(s) and measure of one figure: the nearest phrase left in its clause, else a 分别 list, the
    previous fact (for its growth, share, change or rank), the phrase right after a count, or a phrase earlier in
    the clause group after a continuation word."""
    mention, text = fig.mention, scan.text
    measure_cues = [v for _, v in _tagged(fig.clause_cues, "measure")]
    if "gap" in measure_cues:
        return []
    in_clause = scan.phrases_in(fig.phrase_lo, mention.start)
    listed = _from_list(scan, fig, state, in_clause)
    if listed is not None:
        return listed

    for i in range(len(in_clause) - 1, -1, -1):
        hit = in_clause[i]
        # 研发投入占GDP比重 / 研发经费投入达…,占GDP比重: the R&D words just before make it the intensity
        context = _resolve(in_clause[i - 1], None) if i else (state.last.indicator if state.last else None)
        indicator = _resolve(hit, context)
        if indicator is None or indicator.startswith("~"):
            continue
        if not indicator or _joined_with_other(in_clause, i, indicator, text):
            return []
        reading = _reading(scan, fig, _with_variant(scan, fig, indicator, fig.clause_lo, mention.start),
                           hit.word, hit.end, hit.end)
        return [reading] if reading else []

    if state.last is not None and (mention.category in ("pp", "rank") or any(
            v in ("growth", "share", "change", "decline") for v in measure_cues)):
        return _inherited(scan, fig, state.last)

    right = _right_phrase(scan, fig)
    if right is not None:
        return right
    return _continued(scan, fig)


def _from_list(scan: _DocScan, fig: _Figure, state: _SentenceState, in_clause: list[Hit]) -> list[_Reading] | None:
    """分别突破2000家、3000家 (one phrase per figure, in order) and 各360家 (every phrase, one figure)."""
    mention = fig.mention
    marks = _tagged(fig.clause_cues, "list")
    if not marks and not state.pending:
        return None
    respectively = next((hit for hit, v in marks if v == "respectively"), None)
    each = next((hit for hit, v in marks if v == "each" and hit.end >= mention.start - 1), None)
    marker = respectively or each
    if marker is not None:
        named = [(ind, h.word) for h in in_clause if h.end <= marker.start and _names(ind := _resolve(h, None))]
        if not named and respectively is not None and state.listed:
            named = state.listed  # …分别为120件、80件,分别增长12%、9%: the list again, for its growth
        if len(named) >= 2:
            state.listed = named
            owed = named if each is not None else named[:1]
            state.pending = [] if each is not None else named[1:]
            state.pending_bound, state.pending_from = mention.bound, marker.end
            return [r for ind, word in owed
                    if (r := _reading(scan, fig, _with_variant(scan, fig, ind, fig.clause_lo, mention.start), word,
                                      marker.end, marker.end))]
    if state.pending and not in_clause and all(ch in _LIST_GLUE for ch in scan.text[fig.clause_lo:mention.start]):
        indicator, word = state.pending.pop(0)
        reading = _reading(scan, fig, _with_variant(scan, fig, indicator, fig.group_lo, mention.start), word,
                           max(state.pending_from, fig.group_lo), fig.clause_lo)
        if reading is None:
            return []
        if mention.bound == "exact":
            reading.bound = state.pending_bound
        return [reading]
    state.pending = []
    return None


def _joined_with_other(in_clause: list[Hit], i: int, indicator: str, text: str) -> bool:
    """新认定高新技术企业、科技型中小企业50家: one figure for two indicators together is neither's."""
    if i == 0:
        return False
    previous = in_clause[i - 1]
    glue = text[previous.end:in_clause[i].start]
    other = _resolve(previous, None)
    return bool(glue) and all(ch in _LIST_GLUE for ch in glue) and _names(other) and other != indicator


def _inherited(scan: _DocScan, fig: _Figure, last: _Reading) -> list[_Reading]:
    """同比增长7.04% / 占比88.93% / 全省第12位 right after a figure: that figure's indicator; 申报数、认定数、
    净增数均居全市第1: one reading per variant named."""
    variants = _variants_in(fig.clause_cues, _base(last.indicator))
    every = any(v == "all" for _, v in _tagged(fig.clause_cues, "list"))
    indicators = list(dict.fromkeys(variants)) if every and variants else [variants[-1] if variants else last.indicator]
    return [r for ind in indicators
            if (r := _reading(scan, fig, ind, last.phrase, fig.clause_lo, fig.clause_lo, inherited=True))]


def _right_phrase(scan: _DocScan, fig: _Figure) -> list[_Reading] | None:
    """新获批9个省级以上科技企业孵化器: a count (or rank) followed closely by the phrase naming what it counts."""
    mention, text = fig.mention, scan.text
    if mention.unit not in ("count", "rank") or _tagged(fig.clause_cues, "activity"):
        return None
    if mention.end >= len(text) or not _is_word(text[mention.end]):
        return None  # 省产业链项目1项、…: the count closes its item
    hi = min(fig.right_hi, mention.end + RIGHT_WINDOW)
    for hit in scan.phrases_in(mention.end, hi):
        indicator = _resolve(hit, None)
        if indicator is None or indicator.startswith("~"):
            continue
        if not indicator:
            return None
        reach = min(hit.end + 4, fig.right_hi)  # 24家企业国家高新技术企业申报工作: the variant word may follow
        reading = _reading(scan, fig, _with_variant(scan, fig, indicator, fig.clause_lo, reach), hit.word,
                           fig.clause_lo, reach)
        return [reading] if reading else []
    return None


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "“\""


def _continued(scan: _DocScan, fig: _Figure) -> list[_Reading]:
    """其中认定31家 / 总数达到1511件: no phrase in the clause, but a continuation or variant word, so the
    indicator named last in the clause group."""
    mention = fig.mention
    earlier = scan.phrases_in(fig.group_lo, fig.clause_lo)
    for hit in reversed(earlier):
        indicator = _resolve(hit, None)
        if indicator is None or indicator.startswith("~"):
            continue
        if not indicator:
            return []
        if not _tagged(fig.clause_cues, "continuation") and not _variants_in(fig.clause_cues, _base(indicator)):
            return []
        # 高新技术企业认定xx家,力争完成xx家: the nearest variant word since the phrase's clause
        variants = _variants_in(fig.cues(scan, _after_last(_UP_TO_LAST_CLAUSE_MARK, scan.text, fig.group_lo, hit.start),
                                         mention.start), _base(indicator))
        reading = _reading(scan, fig, variants[-1] if variants else indicator, hit.word, fig.clause_lo,
                           fig.clause_lo)
        return [reading] if reading else []
    return []


# ---- kind, period, year ---------------------------------------------------------------------------------------

def _part_role(scan: _DocScan, section: Section | None) -> str:
    """The role of the report part holding the section: its outermost ancestor with a role. A sub-heading's own
    words (…行动计划 under 2019年工作完成情况) do not turn achievements into plans."""
    if section is None:
        return "other"
    role = scan.roles.get(section.section_id)
    if role is None:
        role, outer = "other", section
        while outer is not None:
            if outer.role != "other":
                role = outer.role
            outer = scan.sections.get(outer.parent_id) if outer.parent_id is not None else None
        scan.roles[section.section_id] = role
    return role


def _kind(scan: _DocScan, role: str, fig: _Figure) -> tuple[str, bool]:
    """(kind, whether a cue word said it): the nearest kind cue of the clause group, else the part's role. A
    clause-only cue (预计) of an earlier clause reaches the clauses that follow on from its own, up to one that names
    another indicator."""
    for hit, kind in reversed(_tagged(fig.group_cues, "kind")):
        if kind in CLAUSE_ONLY_KINDS and hit.start < fig.clause_lo:
            cue_clause_end = _first_from(_CLAUSE_PUNCT, scan.text, hit.end, fig.mention.start)
            if scan.phrases_in(cue_clause_end, fig.mention.start):
                continue
        return kind, True
    return ("target" if role == "plans" else "actual"), False


def _plan_year(doc: Document) -> int | None:
    """The year a document's plan part is for: the next one for a report on a year, else the report's own."""
    if doc.report_year is None:
        return None
    return doc.report_year + 1 if doc.doc_type in _ANNUAL_REPORTS else doc.report_year


def _period(scan: _DocScan, section: Section | None, sentence: Sentence, at: int) -> tuple[str, str]:
    """(period, where it was read): the nearest period cue before the figure in its sentence ("sentence"), else in
    its paragraph ("paragraph"), else the heading's ("heading"), else the document's default, H1 for a half-year
    summary."""
    found = scan.period_before(at)
    if found is not None:
        return found[1], ("sentence" if found[0] >= sentence.start else "paragraph")
    if section is not None and section.heading_period:
        return section.heading_period, "heading"
    return ("H1" if scan.doc.doc_type == "half_year_summary" else "FY"), "default"


def _year(scan: _DocScan, section: Section | None, role: str, indicator: str, kind: str, fig: _Figure
          ) -> tuple[int | None, str | None]:
    """A year written in the clause group (or 上年/今年 nearer before the figure), else the R&D statistical lag,
    else the heading's year, else the year a plan section is for, else the report's year."""
    doc, at = scan.doc, fig.mention.start
    first = bisect_left(scan.year_starts, fig.group_lo)
    written, left = [], []
    if first < len(scan.year_starts) and scan.year_starts[first] < fig.sentence.end:
        group_hi = _first_from(_GROUP_PUNCT, scan.text, fig.mention.end, fig.sentence.end)
        written = scan.years[first:bisect_left(scan.year_starts, group_hi)]
        left = [m for m in written if m.start < at]
    relative = _tagged(fig.group_cues, "year")
    if relative and doc.report_year is not None and (not left or relative[-1][0].start > left[-1].start):
        if relative[-1][1] == "previous":
            return doc.report_year - 1, "relative"
        return doc.report_year, "report"
    if written:
        year = (left[-1] if left else written[0]).value
        return (None, None) if year is None else (int(year), "explicit")  # xxxx年: anonymised
    if doc.report_year is None:
        return None, None
    if CODES[indicator].statistical_lag and doc.doc_type not in _PLANS and kind == "actual":
        return doc.report_year - 1, "statistical_lag"
    if section is not None and section.heading_year is not None:
        return section.heading_year, "explicit"
    if role == "plans" and doc.doc_type in _ANNUAL_REPORTS:
        return doc.report_year + 1, "report"
    return doc.report_year, "report"


# ---- the stage ------------------------------------------------------------------------------------------------

def extract_facts(doc: Document, sections: Sequence[Section], sentences: Sequence[Sentence],
                  mentions: Sequence[Mention]) -> list[Fact]:
    """The facts the document's figures state; a figure whose words name no indicator stays a mention only."""
    scan = _DocScan(doc, sections, sentences, mentions)
    table_facts, table_sentences = read_tables(doc, sentences, mentions, Fact)  # their lines are not prose
    facts: list[Fact] = []
    stated_periods: dict[tuple[str, str, float], str] = {}
    defaulted: list[int] = []
    state = _SentenceState()
    sentence = None
    skipped_sentence = None
    previous_end = 0
    starts = scan.phrase_starts
    text = doc.text
    for index, mention in enumerate(mentions):
        if mention.sentence_id == skipped_sentence:
            continue
        if sentence is None or mention.sentence_id != sentence.sentence_id:
            sentence = scan.sentences.get(mention.sentence_id)
            if (sentence is None or mention.sentence_id in table_sentences
                    or bisect_left(starts, sentence.start) == bisect_left(starts, sentence.end)):
                skipped_sentence = mention.sentence_id  # a table's, or no indicator phrase in it: no fact here
                continue
            state = _SentenceState()
            previous_end = sentence.start
        floor = previous_end
        previous_end = mention.end
        if mention.category in NOT_VALUES:
            continue
        group_lo = _after_last(_UP_TO_LAST_GROUP_MARK, text, sentence.start, mention.start)
        if state.last is None and bisect_left(starts, group_lo) == bisect_left(starts, mention.end + RIGHT_WINDOW):
            continue  # no phrase near and no fact before: most figures end here, cheaply
        clause_lo = _after_last(_UP_TO_LAST_CLAUSE_MARK, text, max(group_lo, floor), mention.start)
        next_start = mentions[index + 1].start if index + 1 < len(mentions) else sentence.end
        group_cues = scan.cue_hits(group_lo, mention.start)
        fig = _Figure(
            mention, sentence, clause_lo, max(clause_lo, state.consumed_until), group_lo,
            min(_first_from(_CLAUSE_PUNCT, text, mention.end, sentence.end), max(next_start, mention.end)),
            group_cues, [h for h in group_cues if h.start >= clause_lo] if group_cues else group_cues,
        )
        readings = _read(scan, fig, state)
        if not readings:
            if not _tagged(fig.clause_cues, "measure") and mention.category not in ("pp", "rank"):
                state.last = None  # an unrelated figure breaks the chain of growth/share/rank
            continue
        state.last = readings[-1]
        if readings[-1].phrase_end > mention.end:
            state.consumed_until = readings[-1].phrase_end
        bound = readings[-1].bound or mention.bound
        section = scan.sections.get(sentence.section_id)
        role = _part_role(scan, section)
        kind, cued = _kind(scan, role, fig)
        period, origin = _period(scan, section, sentence, mention.start)
        plan_year = _plan_year(doc)
        for reading in readings:
            year, year_source = _year(scan, section, role, reading.indicator, kind, fig)
            # A plan recalling 2023年全市高新技术企业达到968家 states what was achieved, not a goal.
            recalled = (not cued and kind == "target" and year_source == "explicit"
                        and year is not None and plan_year is not None and year < plan_year)
            # A half-year report citing 2023年全市研发投入强度 states a whole other year's figure.
            stated = "FY" if origin == "default" and year_source == "explicit" and year != doc.report_year else period
            if reading.value is not None and reading.measure != "rank":  # ranks 1-20 coincide too often
                key = (reading.indicator, reading.measure, reading.value)
                if origin == "sentence":
                    stated_periods.setdefault(key, period)
                elif origin != "heading":
                    defaulted.append(len(facts))
            facts.append(Fact(  # positional, in field order: 21 keywords cost as much as the rest of the call
                doc.doc_id, doc.source_file, doc.region, reading.indicator, reading.measure, reading.value,
                reading.unit, year, year_source, stated, "actual" if recalled else kind, bound, mention.start,
                mention.end, sentence.text,
                mention.mention_id, mention.sentence_id, sentence.section_id, doc.part, mention.value_max,
                reading.phrase,
            ))
    # 淮北's 50.61亿元: first in the opening summary with no period of its own, then "至5月底": both are Jan-May
    for i in defaulted:
        period = stated_periods.get((facts[i].indicator, facts[i].measure, facts[i].value))
        if period is not None:
            facts[i] = replace(facts[i], period=period)
    return facts + table_facts
