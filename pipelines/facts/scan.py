"""What the facts stage finds once per document: indicator phrases and cue words (two Aho-Corasick scans of only
the sentences that hold a figure or may name a period), clause marks, period cues, written years. Per figure the
engine then bisects over these hits."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import ahocorasick

from pipelines.facts.rules import (
    CUES,
    INSIDE_SCOPES,
    PERIOD_ANCHOR,
    PERIOD_PATTERNS,
    PERIOD_WORD,
    PHRASES,
    PROGRAMME_NAME,
    Hit,
)

if TYPE_CHECKING:
    from pipelines.documents import Document
    from pipelines.mentions import Mention
    from pipelines.segment import Section, Sentence

# Mentions of these categories are never an indicator's value.
NOT_VALUES = frozenset({"year", "duration", "date", "doc_number", "phone", "ordinal", "code"})
CLAUSE_MARKS = ",，;；。:：!！?？\n"  # a clause ends at these
_GROUP_MARKS = ";；。!！?？\n"  # a clause group (the scope of a written year) ends at these
CLAUSE_PUNCT = re.compile(f"[{CLAUSE_MARKS}]")
GROUP_PUNCT = re.compile(f"[{_GROUP_MARKS}]")
# Greedy, so a match ends just after the last mark of the searched slice: a reverse search at C speed.
UP_TO_LAST_CLAUSE_MARK = re.compile(f"(?s:.*)[{CLAUSE_MARKS}]")
UP_TO_LAST_GROUP_MARK = re.compile(f"(?s:.*)[{_GROUP_MARKS}]")
# Figure sentences at most this many characters apart are scanned as one slice: a scan call costs about as much as
# scanning this many characters.
_SCAN_GAP = 50
# A parenthetical aside or book title does not name a figure after it.
_ASIDE = re.compile(r"\([^()]*\)|（[^（）]*）|《[^《》]*》")


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


def after_last(marks: re.Pattern[str], text: str, floor: int, limit: int) -> int:
    """The offset just after the last mark in text[floor:limit], else floor."""
    found = marks.match(text, floor, limit)
    return found.end() if found else floor


def first_from(marks: re.Pattern[str], text: str, start: int, ceiling: int) -> int:
    """The offset of the first mark in text[start:ceiling], else ceiling."""
    found = marks.search(text, start, ceiling)
    return found.start() if found else ceiling


# A fact keeps the sentence it was read from as evidence, whole up to this many characters. A longer one (a run
# cut from text without sentence ends: pipelines.segment.MAX_SENTENCE_CHARS) keeps the whole clauses of a window
# around the figure instead, most of it before the figure, where the words naming it stand: each of the sentence's
# figures would otherwise store the whole sentence again, so a text of such runs made facts several times its size.
# Report sentences stay below it (the longest of the development corpus and seeds has 253 characters).
EVIDENCE_MAX_CHARS = 300
_EVIDENCE_BEFORE = 200
# Windows start on a grid of this step from the sentence start, so the figures near each other share one window
# (one string, not one per fact).
_EVIDENCE_STEP = 100
_EVIDENCE_TRIM = 50  # a window's edges move inward to a clause mark at most this far, so it holds whole clauses


def evidence(text: str, sentence: Sentence, start: int, end: int,
             windows: dict[int, tuple[int, str]]) -> str:
    """The evidence of a figure at text[start:end] of `sentence`: the sentence, or a bounded window of it. `windows`
    keeps the windows made for the figures of one document, by where they start before trimming."""
    if sentence.end - sentence.start <= EVIDENCE_MAX_CHARS:
        return sentence.text
    steps = -(-(start - _EVIDENCE_BEFORE - sentence.start) // _EVIDENCE_STEP)  # at least 100 characters before it
    lo = max(sentence.start, min(sentence.start + steps * _EVIDENCE_STEP, sentence.end - EVIDENCE_MAX_CHARS))
    if (window := windows.get(lo)) is None:
        first, last = lo, min(sentence.end, lo + EVIDENCE_MAX_CHARS)
        if first > sentence.start and (mark := CLAUSE_PUNCT.search(text, first, first + _EVIDENCE_TRIM)):
            first = mark.end()
        if last < sentence.end and (marks := UP_TO_LAST_CLAUSE_MARK.match(text, last - _EVIDENCE_TRIM, last)):
            last = marks.end()
        window = windows[lo] = (first, text[first:last])
    first, words = window
    if not first <= start < end <= first + len(words):  # a figure reaching into a trimmed edge: the untrimmed one
        return text[lo:lo + EVIDENCE_MAX_CHARS]
    return words


class DocScan:
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
        periods = [(hit.start, period) for hit, period in tagged(self.cues, "period")]
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
        # 申报2024年度省“尖兵”攻关项目: a year inside a programme's or award's name is no year of a figure
        self.years = [m for m in mentions if m.category == "year"
                      and not (m.text.endswith("年度") and PROGRAMME_NAME.match(text, m.end))]
        self.values = [m for m in mentions if m.category not in NOT_VALUES]
        self.value_starts = [m.start for m in self.values]
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


def tagged(hits: list[Hit], kind: str) -> list[tuple[Hit, str | None]]:
    if not hits:  # most clauses hold no cue word: skip building a comprehension (called ~5 times a figure)
        return []
    return [(hit, value) for hit in hits for tag_kind, value in hit.tags if tag_kind == kind]

