"""Split a document's text into a heading tree of sections (with roles) and into sentences.

Both passes are single compiled-regex scans over the whole text; Python objects are built only per heading and
per sentence (about 8 million characters a second on one core). The heading styles and roles are those of
Chinese government work reports, which no maintained sentence splitter or outline parser knows, and those keep
no character offsets.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

_RULES = Path(__file__).parent / "rules"


@dataclass(frozen=True, slots=True)
class Section:
    doc_id: str
    section_id: int       # 0 is the root (text before the first heading); then in document order
    parent_id: int | None
    level: int            # 0 root, 1 "一、", 2 "(一)", 3 "1." / "1、", 4 "一是" / "(1)"
    number: str           # "一", "(一)", "1", "一是" ...
    heading: str          # heading text without its number, up to the first 。 or : or line end
    role: str             # "achievements" | "problems" | "plans" | "other"
    heading_year: int | None
    heading_period: str | None
    start: int            # offset of the heading's first character
    end: int              # offset where the next section at the same or a higher level starts
    path: str             # "三、下半年工作计划 > 2.持续推进..." for display


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, 4-5x the cost of
# plain slot stores, and one of these is built per sentence of the corpus. Nothing mutates it after construction.
@dataclass(slots=True)
class Sentence:
    doc_id: str
    sentence_id: int
    section_id: int       # the innermost section holding the sentence's start
    start: int
    end: int
    text: str             # Document.text[start:end]


def _load_cues() -> tuple[ahocorasick.Automaton, int]:
    """The heading cue automaton and the longest heading whose cues count."""
    with open(_RULES / "section_roles.toml", "rb") as f:
        rules = tomllib.load(f)
    tagged = [(cue, "neutral", None) for cue in rules["neutral"]["phrases"]]
    tagged += [(cue, "role", role) for role, cues in rules["roles"].items() for cue in cues]
    tagged += [(cue, "period", period) for period, cues in rules["periods"].items() for cue in cues]
    automaton = ahocorasick.Automaton()
    for cue, kind, value in tagged:
        automaton.add_word(cue, (kind, value, len(cue)))
    automaton.make_automaton()
    return automaton, rules["max_heading_chars"]


def _load_plain_rules() -> tuple[int, frozenset[str]]:
    with open(_RULES / "segment_headings.toml", "rb") as f:
        rules = tomllib.load(f)
    return rules["max_chars"], frozenset(rules["title_characters"])


_CUES, _MAX_CUE_HEADING_CHARS = _load_cues()
_PLAIN_MAX_CHARS, _TITLE_CHARACTERS = _load_plain_rules()

_CN = "[一二三四五六七八九十]{1,3}"
# Punctuation that never stands in a plain-line heading.
_PLAIN_EXCLUDED = r"\s,，。.．:：;；!！?？、“”\"'《》()（）\[\]【】"
# The words of a plain heading: possessive, as giving back a character can never reach the line end, and after
# every 。 the engine would otherwise retry each shorter run.
_PLAIN_WORDS = rf"[^{_PLAIN_EXCLUDED}]{{2,{_PLAIN_MAX_CHARS}}}+"
# Heading candidates at a line start. Numbered styles are tried before the plain line, so a numbered line is
# never read as a plain heading.
_LINE_HEADING = rf"""[ \t\u3000]*(?P<line_heading_start>)(?:
    (?P<cn>{_CN})、
  | [(（](?P<paren_cn>{_CN})[)）]
  | (?P<arabic>\d{{1,2}})[.、．](?!\d)
  | [(（](?P<paren_arabic>\d{{1,2}})[)）]
  | (?P<circled>[⑴-⒇])
  | (?P<shi>{_CN}是)
  | (?P<plain>{_PLAIN_WORDS})[ \t\u3000]*$
)"""
_HEADING_AT_TEXT_START = re.compile(_LINE_HEADING, re.MULTILINE | re.VERBOSE)
# One scan finds every later heading. 一是/二是 also starts after 。, as reports enumerate inside one paragraph;
# and a web copy that lost a line break glues a plain heading to the end of the paragraph before it
# (…等。2020年工作思路\n): a short tail after a line's last 。 is read like a plain line.
# Each branch opens with a literal character, which lets the regex engine skip straight to candidates.
_HEADING = re.compile(
    rf"""\n{_LINE_HEADING}
  | 。[ \t\u3000]*(?P<inline_shi>{_CN}是)
  | 。(?P<tail>{_PLAIN_WORDS})[ \t\u3000]*$""",
    re.MULTILINE | re.VERBOSE,
)
# Group name -> (style, nominal level). Styles decide siblinghood; nominal levels decide nesting between styles.
_STYLES = {
    "cn": ("一、", 1),
    "plain": ("plain", 1),
    "tail": ("plain", 1),
    "paren_cn": ("(一)", 2),
    "arabic": ("1.", 3),
    "paren_arabic": ("(1)", 4),
    "circled": ("(1)", 4),
    "shi": ("一是", 4),
    "inline_shi": ("一是", 4),
}
_HEADING_TEXT = re.compile(r"[ \t\u3000]*([^。｡:：!！?？\n\r]*)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")

_ENDERS = "。｡!！?？"
_CLOSERS = "”’\"'」』)）"
# A sentence runs from a non-space character to its terminator (with any closing quotes) or to the line end,
# whichever comes first; a stray terminator is a sentence of its own, so every non-space character is covered.
_SENTENCE = re.compile(
    rf"[^\s{_ENDERS}](?:[^\n\r{_ENDERS}]*[^\s{_ENDERS}])?(?:[^\S\n\r]*[{_ENDERS}]+[{_CLOSERS}]*)?"
    rf"|[{_ENDERS}]+[{_CLOSERS}]*"
)


# A run of text with no sentence end is cut into pieces of at most this many characters, at the last ; or , (not
# inside a figure like 1,250) or 、 or space of the window, else at the window's end. Every fact keeps its sentence
# as evidence and the facts step rescans a sentence per figure, so an unbounded sentence (a 1 MB text without 。)
# costs time and memory with the square of its length; bounded, both grow linearly with the file. Real report
# sentences stay far below it (the longest in the development corpus and seeds has 253 characters).
MAX_SENTENCE_CHARS = 1000
_MIN_PIECE_CHARS = MAX_SENTENCE_CHARS // 2


@dataclass(slots=True)
class _Open:
    """A section still collecting its end while later headings are read."""
    section_id: int
    parent_id: int | None
    style: str
    level: int
    number: str
    heading: str
    role: str
    year: int | None
    period: str | None
    start: int
    path: str


def segment(doc_id: str, text: str) -> tuple[list[Section], list[Sentence]]:
    sections = _sections(doc_id, text)
    return sections, _sentences(doc_id, text, sections)


def _sections(doc_id: str, text: str) -> list[Section]:
    root = _Open(0, None, "root", 0, "", "", "other", None, None, 0, "")
    opened = [root]
    stack = [root]
    ends: dict[int, int] = {}
    title_end = _first_line_end(text)
    first = _HEADING_AT_TEXT_START.match(text)
    for match in itertools.chain([first] if first else [], _HEADING.finditer(text)):
        kind = match.lastgroup
        written = match.group(kind)
        # The number of (一) and (1) sits inside its brackets: the heading starts at the bracket.
        start = match.start(kind) if kind in ("inline_shi", "tail") else match.start("line_heading_start")
        if kind in ("plain", "tail"):
            if not _is_plain_heading(written, start, title_end):
                continue
            number, heading, label_end = "", written, match.end(kind)
        else:
            number = f"({written})" if kind in ("paren_cn", "paren_arabic") else written
            body = _HEADING_TEXT.match(text, match.end())
            heading, label_end = body.group(1).rstrip(), body.end(1)
        style, level = _STYLES[kind]
        for closed in _close_for(stack, style, level):
            ends[closed.section_id] = start
        parent = stack[-1]
        role, period, year = _own_labels(heading)
        label = text[start:label_end].strip()
        section = _Open(
            section_id=len(opened), parent_id=parent.section_id, style=style, level=level, number=number,
            heading=heading, role=role or parent.role, year=year or parent.year, period=period or parent.period,
            start=start, path=f"{parent.path} > {label}" if parent.path else label,
        )
        opened.append(section)
        stack.append(section)
    return [
        Section(doc_id, s.section_id, s.parent_id, s.level, s.number, s.heading, s.role, s.year, s.period,
                s.start, ends.get(s.section_id, len(text)), s.path)
        for s in opened
    ]


def _close_for(stack: list[_Open], style: str, level: int) -> list[_Open]:
    """Pop the open sections a new heading closes: back to its previous sibling of the same style if one is open,
    else those of a deeper nominal level. A style missing above (a document starting at (一)) closes nothing."""
    closed = []
    if any(s.style == style for s in stack):
        while stack[-1].style != style:
            closed.append(stack.pop())
        closed.append(stack.pop())
    else:
        while stack[-1].level > level:
            closed.append(stack.pop())
    return closed


def _first_line_end(text: str) -> int:
    """End of the first non-blank line (the title), which is never a plain heading."""
    first = re.search(r"\S[^\n\r]*", text)
    return first.end() if first else 0


def _is_plain_heading(line: str, start: int, title_end: int) -> bool:
    if start < title_end or not _TITLE_CHARACTERS.isdisjoint(line):
        return False
    # Only a line that ends in a role cue names a section; other short lines are titles, captions or furniture.
    return any(end == len(line) - 1 and kind == "role" for end, (kind, _, _) in _CUES.iter(line))


def _own_labels(heading: str) -> tuple[str | None, str | None, int | None]:
    """The role, half-year and year a heading names itself; None where its parent's apply.

    The cue that ends last wins (a longer one at the same end), and cues inside neutral phrases are ignored.
    """
    if len(heading) > _MAX_CUE_HEADING_CHARS:
        return None, None, None
    years = _YEAR.findall(heading)
    found = [(end - length + 1, end, kind, value) for end, (kind, value, length) in _CUES.iter(heading)]
    neutral = [(start, end) for start, end, kind, _ in found if kind == "neutral"]
    role = period = None
    role_at = period_at = (-1, 0)
    for start, end, kind, value in found:
        if any(n_start <= start and end <= n_end for n_start, n_end in neutral):
            continue
        rank = (end, end - start)
        if kind == "role" and rank > role_at:
            role, role_at = value, rank
        elif kind == "period" and rank > period_at:
            period, period_at = value, rank
    return role, period, int(years[-1]) if years else None


def _sentences(doc_id: str, text: str, sections: list[Section]) -> list[Sentence]:
    # Every section starts where a later one cannot have closed it yet, so the innermost section holding a
    # position is the last one started at or before it. A start past the text ends the walk.
    later_starts = iter([s.start for s in sections[1:]] + [len(text) + 1])
    next_start = next(later_starts)
    current = 0
    sentences = []
    for start, end in _bounded(text, _SENTENCE.finditer(text)):
        while next_start <= start:
            current += 1
            next_start = next(later_starts)
        sentences.append(Sentence(doc_id, len(sentences), current, start, end, text[start:end]))
    return sentences


def _bounded(text: str, matches: Iterator[re.Match[str]]) -> Iterator[tuple[int, int]]:
    """The spans of the sentence matches, a span longer than MAX_SENTENCE_CHARS cut into pieces."""
    for match in matches:
        start, end = match.span()
        while end - start > MAX_SENTENCE_CHARS:
            cut = _cut(text, start)
            yield start, cut
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            yield start, end


def _cut(text: str, start: int) -> int:
    """Where a piece starting at `start` ends: after the last separator of its window, else at the window's end,
    moved back off a figure or a word written in ASCII."""
    low, high = start + _MIN_PIECE_CHARS, start + MAX_SENTENCE_CHARS
    for separator in (";", ",", "、", " "):
        at = text.rfind(separator, low, high)
        while at > 0 and separator == "," and text[at - 1].isdigit() and text[at + 1: at + 2].isdigit():
            at = text.rfind(separator, low, at)  # a thousands separator, inside a figure
        if at >= 0:
            return at + 1
    cut = high
    while cut > low and text[cut - 1].isascii() and text[cut - 1].isalnum() and text[cut].isascii() \
            and text[cut].isalnum():
        cut -= 1
    return cut
