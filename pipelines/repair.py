"""Repair a file's text before documents are cut from it, whatever format it came in.

In order: line ends become `\\n`; pinyin glosses after traditional characters go (技術(shù) -> 技術); full-width
forms become ASCII and variant glyphs (髙, Kangxi radicals such as ⼤) their standard character; traditional
characters become simplified; page numbers, running headers and sharing-site
banners go; line breaks inside a hard-wrapped paragraph are joined; the spaces PDF layout puts between Chinese,
Latin and digits go; a number split from its unit is joined to it. The rules are data (`rules/repair.toml`, checked
with their examples when loaded).

Every repair deletes characters or replaces one character by one. `repair` therefore returns, beside the text, the
runs of characters it kept: `text[text_starts[i]:text_starts[i + 1]]` came from the original at `original_starts[i]`
on, one character for one. `to_original` turns a span of the repaired text into the span of the original that holds
the same characters (with whatever was removed inside it, such as a line break).
"""

from __future__ import annotations

import bisect
import itertools
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import opencc

from pipelines.rulefiles import TomlRules

RULES_PATH = Path(__file__).parent / "rules" / "repair.toml"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = "。、“”‘’《》「」『』〈〉"  # no brackets: 【打印】 【关闭】 stays as web-page furniture knows it
_LATIN = "0-9A-Za-z%‰"


@dataclass(frozen=True, slots=True)
class Repaired:
    text: str
    text_starts: tuple[int, ...]  # where each kept run starts in `text` (the first is 0)
    original_starts: tuple[int, ...]  # where the same run starts in the original


def to_original(text_starts: tuple[int, ...] | list[int], original_starts: tuple[int, ...] | list[int],
                start: int, end: int) -> tuple[int, int]:
    """The span of the original text holding the characters `text[start:end]` of the repaired text."""
    if not text_starts:
        return start, end
    first = bisect.bisect_right(text_starts, start) - 1
    original_start = original_starts[first] + start - text_starts[first]
    if end <= start:
        return original_start, original_start
    last = bisect.bisect_right(text_starts, end - 1) - 1
    return original_start, original_starts[last] + end - text_starts[last]


# --- rules ----------------------------------------------------------------------------------------------------

_SCHEMA = {
    "variants": {"characters": dict, "nfkc_ranges": list, "examples": list},
    "pinyin_gloss": {"toned_letters": str, "min_toned_glosses_for_toneless": int, "initials": list, "finals": list,
                     "examples": list},
    "page_furniture": {"page_number_lines": list, "banner_lines": list, "banner_words": list,
                       "banner_line_ends": list, "max_banner_line_chars": int, "tail_banner_lines": list,
                       "max_tail_line_chars": int, "bare_page_number_digits": int, "max_running_header_chars": int,
                       "running_header_lines": list, "examples": list},
    "unwrap": {"sentence_enders": str, "closers": str, "continuation_starts": str, "heading_starts": list,
               "title_lines": list,
               "width_quantile": float, "long_line_share": float, "full_line_tolerance": float,
               "min_full_lines": int, "min_wrapped_share": float, "max_wrap_width": int, "examples": list},
    "spaces": {"keep_spaced": list, "examples": list},
    "rd": {"examples": list},
    "units": {"joinable": list, "examples": list},
    "simplify": {"cjk_ranges": list},
}
_PATTERNS = [("page_furniture", "page_number_lines"), ("page_furniture", "banner_lines"),
             ("page_furniture", "banner_line_ends"), ("page_furniture", "tail_banner_lines"),
             ("page_furniture", "running_header_lines"), ("unwrap", "heading_starts"), ("unwrap", "title_lines")]


def load_rules(path: Path = RULES_PATH) -> dict:
    """The repair rules, with every section, key and type checked and every pattern compiled; an error names the
    file and the line (pipelines.rulefiles)."""
    rules = TomlRules(path)
    data = rules.data
    for section, keys in _SCHEMA.items():
        table = rules.check_keys((section,), data.get(section), keys)
        for key, kind in keys.items():
            value = table.get(key)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise rules.error((section, key), f"[{section}] {key} must be a {kind.__name__}")
        for example in table.get("examples", []):
            if not (isinstance(example, list) and len(example) == 2 and all(isinstance(s, str) for s in example)):
                raise rules.error((section, "examples"), f"[{section}] each example is [input, expected output]")
    for variant, standard in data["variants"]["characters"].items():
        if len(variant) != 1 or len(standard) != 1:
            raise rules.error(("variants", "characters"), f"[variants] {variant!r} = {standard!r}: each variant and "
                                                          "its standard character must be one character")
    for section, key in _PATTERNS:
        for pattern in data[section][key]:
            try:
                re.compile(pattern)
            except re.error as error:
                raise rules.error((section, key), f"[{section}] {key}: {pattern!r} is not a valid regular "
                                                  f"expression ({error})") from None
    return data


_RULES = load_rules()

# --- pinyin glosses --------------------------------------------------------------------------------------------

_TONED = _RULES["pinyin_gloss"]["toned_letters"]
# A line break may fall before or inside a gloss (技術(sh|ù), 研發|(fā)) in a hard-wrapped copy: it goes with it.
# A gloss may be printed twice (強(qiáng)(qiáng)度): a run of glosses after one Han character goes whole.
_TONED_GLOSS = re.compile(
    rf"(?<=[{_HAN}])(?:\n?[(（](?=[^)）]{{0,40}}[{_TONED}])[a-zü{_TONED} \n]{{1,40}}[)）])+")
_TONELESS_GLOSS = re.compile(
    rf"(?<=[{_HAN}])[(（](?:{'|'.join(_RULES['pinyin_gloss']['initials'])})?"
    rf"(?:{'|'.join(_RULES['pinyin_gloss']['finals'])})[)）]"
)
_MIN_TONED_FOR_TONELESS = _RULES["pinyin_gloss"]["min_toned_glosses_for_toneless"]


def _pinyin_glosses(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _TONED_GLOSS.finditer(text) if m.group().count("\n") <= 1]
    if len(spans) >= _MIN_TONED_FOR_TONELESS:
        spans = sorted({*spans, *(m.span() for m in _TONELESS_GLOSS.finditer(text))})
    return spans


# --- full-width forms and traditional characters ---------------------------------------------------------------

# unicodedata's NFKC would also rewrite ⑴, ①, ㎡ and the like, which carry meaning in these reports; only the
# full-width ASCII block, the ideographic space and the no-break space are folded, one character for one.
# Variant glyphs (髙 -> 高) and Kangxi radicals (⼤ -> 大) are folded the same way (rules/repair.toml [variants]).
_VARIANTS = _RULES["variants"]
_NFKC_ONE_FOR_ONE = {
    ch: folded for first, end in _VARIANTS["nfkc_ranges"] for ch in map(chr, range(first, end))
    if len(folded := unicodedata.normalize("NFKC", ch)) == 1 and folded != ch
}
_FOLD = ({chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " ", "\u00a0": " "}
         | _NFKC_ONE_FOR_ONE | _VARIANTS["characters"])


def _folded(text: str, present: set[str]) -> str:
    # A report holds a handful of distinct full-width characters: one str.replace each (C speed) is several times
    # faster than str.translate, which looks every character up in a dict.
    for ch in present & _FOLD.keys():
        text = text.replace(ch, _FOLD[ch])
    return text
# A byte-order mark left inside the text, zero-width spaces. The form feed a PDF reader writes before each page after
# the first tells the furniture step where pages meet, then goes too: a page break is furniture inside the body (the
# original text keeps it, and the map leads from every character to its place there, so its page stays known).
_INVISIBLE = re.compile("[\ufeff\u200b]+")
_FORM_FEED = re.compile("\f")
# One scan tells which of the character-level repairs a text needs at all (most need few of them).
_SPECIAL = re.compile(f"[\r\f{_TONED}\uff01-\uff5e\u3000\u00a0\ufeff\u200b"
                      f"{re.escape(''.join(_NFKC_ONE_FOR_ONE) + ''.join(_VARIANTS['characters']))}]")
_TONED_SET = frozenset(_TONED)
_INVISIBLE_SET = frozenset("\ufeff\u200b")

_T2S = opencc.OpenCC("t2s")


def _traditional_characters() -> re.Pattern[str]:
    """A character class of every character t2s rewrites on its own, asked of t2s itself once at import.

    OpenCC ships its dictionaries compiled (.ocd2), not as text, so the set is read off the converter. A text
    without any of them is already simplified and skips OpenCC: that is faster, and it keeps simplified words that
    t2s's phrase table would rewrite (打坏 -> 打坯). Characters beyond the BMP (rare here) always go through OpenCC:
    `re` matches a large class quickly only within the BMP."""
    chars = [chr(cp) for first, end in _RULES["simplify"]["cjk_ranges"] for cp in range(first, end)]
    converted = _T2S.convert("\n".join(chars)).split("\n")
    rewritten = "".join(ch for ch, out in zip(chars, converted) if ch != out and ord(ch) <= 0xFFFF)
    return re.compile(f"[{re.escape(rewritten)}\U00010000-\U0010FFFF]")


_TRADITIONAL = _traditional_characters()


def _simplified(text: str) -> str:
    """t2s, one character for one. Its phrase table could in principle change a length; a line where it does is
    converted character by character instead, so the offsets still hold."""
    if not _TRADITIONAL.search(text):
        return text
    converted = _T2S.convert(text)
    if len(converted) == len(text):
        return converted
    lines = []
    for line in text.split("\n"):
        out = _T2S.convert(line)
        if len(out) != len(line):
            out = "".join(c if len(c := _T2S.convert(ch)) == 1 else ch for ch in line)
        lines.append(out)
    return "\n".join(lines)


# --- layout: line widths, tables, hard wrapping ----------------------------------------------------------------

_UNWRAP = _RULES["unwrap"]
_ENDERS = frozenset(_UNWRAP["sentence_enders"])
_CLOSERS = _UNWRAP["closers"]
_HEADING_START = re.compile(r"[ \t]*(?:" + "|".join(_UNWRAP["heading_starts"]) + ")")
_TITLE_LINE = re.compile("|".join(f"(?:{p})" for p in _UNWRAP["title_lines"]))
_CONTINUATION_STARTS = frozenset(_UNWRAP["continuation_starts"])
# A line that reads as a table: cells separated by |, a tab, spaced columns, or two numbers side by side.
# Each branch starts with a literal character, so `re` skips straight to candidates.
_TABLE_LIKE = re.compile(r"\||\t| (?:(?<=\S ) +(?=\S)|(?<=\d ) *[-+]?\d)")
_INDENTED = re.compile(r"(?: {2,}|\t)\S")


def _ends_sentence(line: str) -> bool:
    end = line.rstrip(" \t").rstrip(_CLOSERS)[-1:]
    return end != "" and end in _ENDERS


def _width(line: str) -> int:
    """Display width with a CJK character counting 2 and ASCII 1: (UTF-8 bytes + characters) // 2 is exactly that
    for ASCII (1 byte) and the BMP's CJK (3 bytes), computed in C."""
    return (len(line.encode("utf-8")) + len(line)) // 2


# A line that does not start like a heading and does not end a sentence: a text with few of them is not
# hard-wrapped, and the widths of its lines are never measured. (It is matched in "\n" + text + "\n": a literal
# first lets `re` skip straight to line breaks.)
_UNENDED_LINE = re.compile(
    rf"\n(?![ \t]*(?:{'|'.join(_UNWRAP['heading_starts'])}))[^\n]*+"
    rf"(?<=[^\s{re.escape(_UNWRAP['sentence_enders'] + _CLOSERS)}])(?=\n)"
)


class _Lines:
    """A text cut into lines, with what the repairs ask of each: where it starts, how wide it is stripped, and
    whether it reads as a table. Widths and tables are measured for every line only where the text may be
    hard-wrapped; elsewhere the few lines asked about are measured when asked."""

    __slots__ = ("lines", "starts", "long_width", "full_width", "hard_wrapped", "_widths", "_tables")

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.starts = list(itertools.accumulate((len(line) + 1 for line in self.lines), initial=0))[:-1]
        self.long_width = self.full_width = 1  # a line at least this wide is long, or full (the wrap ended it)
        self.hard_wrapped = False
        self._widths: list[int] | None = None
        self._tables: set[int] | None = None
        unended = _UNENDED_LINE.finditer(f"\n{text}\n")
        if sum(1 for _ in itertools.islice(unended, _UNWRAP["min_full_lines"])) == _UNWRAP["min_full_lines"]:
            self._measure(text)

    def width(self, i: int) -> int:
        return self._widths[i] if self._widths is not None else _width(self.lines[i].strip())

    def is_table(self, i: int) -> bool:
        return i in self._tables if self._tables is not None else _TABLE_LIKE.search(self.lines[i]) is not None

    def _measure(self, text: str) -> None:
        tables = self._tables = set()
        match = _TABLE_LIKE.search(text)
        while match:
            line = bisect.bisect_right(self.starts, match.start()) - 1
            tables.add(line)
            match = _TABLE_LIKE.search(text, self.starts[line + 1]) if line + 1 < len(self.starts) else None
        widths = self._widths = [_width(line.strip()) for line in self.lines]
        prose = sorted(w for i, w in enumerate(widths) if w and i not in tables)
        if len(prose) < _UNWRAP["min_full_lines"]:
            return
        width = prose[int(_UNWRAP["width_quantile"] * (len(prose) - 1))]
        self.long_width = max(1, int(_UNWRAP["long_line_share"] * width))
        low, high = (1 - _UNWRAP["full_line_tolerance"]) * width, (1 + _UNWRAP["full_line_tolerance"]) * width
        self.full_width = int(low)
        long_lines = full = 0
        for i, line_width in enumerate(widths):
            if line_width >= self.long_width and i not in tables:
                long_lines += 1
                full += low <= line_width <= high and not _ends_sentence(self.lines[i])
        self.hard_wrapped = (
            full >= _UNWRAP["min_full_lines"]
            and full >= _UNWRAP["min_wrapped_share"] * long_lines
            and width <= _UNWRAP["max_wrap_width"]
        )


# --- page furniture --------------------------------------------------------------------------------------------

_FURNITURE = _RULES["page_furniture"]


def _alternatives(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_PAGE_NUMBER = re.compile(_alternatives(_FURNITURE["page_number_lines"]))
_BANNER = re.compile(_alternatives(_FURNITURE["banner_lines"]))
_BANNER_WORD = re.compile("|".join(map(re.escape, _FURNITURE["banner_words"])))
_BANNER_END = re.compile(rf"(?:{_alternatives(_FURNITURE['banner_line_ends'])})[ \t]*$", re.MULTILINE)
_TAIL_BANNER = re.compile(_alternatives(_FURNITURE["tail_banner_lines"]))
_ISSUER_LINE = re.compile(_alternatives(_FURNITURE["running_header_lines"]))
_BARE_NUMBER = re.compile(rf"\d{{1,{_FURNITURE['bare_page_number_digits']}}}")
# Scans of the whole text find every line that may be furniture; only those are looked at line by line. The
# patterns are anchored at a line start or on a word, never on `.*`, so the scans stay linear and fast.
# Starting with the line break itself (the text is given one in front) lets `re` skip straight to line starts.
_FURNITURE_LINE = re.compile(
    rf"\n[ \t\f]*(?:{_PAGE_NUMBER.pattern}|{_BANNER.pattern}|{_TAIL_BANNER.pattern}|{_BARE_NUMBER.pattern})[ \t]*(?=\n)"
)
_PUNCTUATION = re.compile(r"[,.;:!?、。“”\"'()《》%]")


def _furniture_lines(text: str, lines: _Lines) -> set[int]:
    """Indices of the lines that are page numbers, running headers or footers, or sharing-site banners."""
    # in "\n" + text + "\n", a match's line break stands at the offset of the line it opens
    candidates = [bisect.bisect_right(lines.starts, m.start()) - 1 for m in _FURNITURE_LINE.finditer(f"\n{text}\n")]
    banners = {
        bisect.bisect_right(lines.starts, m.start()) - 1
        for pattern in (_BANNER_WORD, _BANNER_END)
        for m in pattern.finditer(text)
    }
    banners = {i for i in banners if len(lines.lines[i].strip()) <= _FURNITURE["max_banner_line_chars"]}
    breaks = [bisect.bisect_right(lines.starts, m.start()) - 1 for m in _FORM_FEED.finditer(text)]
    if not candidates and not banners and not breaks:
        return set()
    stripped = [line.strip() for line in lines.lines]
    filled = [i for i, line in enumerate(stripped) if line]
    position_of = {i: position for position, i in enumerate(filled)}
    furniture: set[int] = banners
    pages = []
    for i in candidates:
        line, position = stripped[i], position_of[i]
        if _PAGE_NUMBER.fullmatch(line):
            pages.append(position)
        elif _BANNER.fullmatch(line):
            furniture.add(i)
        elif _TAIL_BANNER.fullmatch(line):
            rest = (stripped[j] for j in filled[position + 1:])
            if all(len(s) <= _FURNITURE["max_tail_line_chars"] and not _ends_sentence(s) for s in rest):
                furniture |= set(range(i, len(stripped)))
        elif lines.hard_wrapped and 0 < position < len(filled) - 1:  # a bare number
            before = filled[position - 1]
            if not _ends_sentence(stripped[before]) and lines.width(before) >= lines.long_width:
                pages.append(position)
    if pages or breaks:
        counts = Counter(stripped[i] for i in filled)
        for position in pages:
            furniture.add(filled[position])
            for neighbour in (position - 1, position + 1):
                if 0 < neighbour < len(filled) and _running_header(stripped, filled, neighbour, counts, lines):
                    furniture.add(filled[neighbour])
        # A PDF reader's page break: the first lines of a page and the last of the one before are a running header
        # or footer when the same short line stands there again elsewhere (no page number needed).
        last = len(filled)
        for first in [bisect.bisect_left(filled, i) for i in breaks] + ([last] if breaks else []):  # the text's end
            for position in (first - 2, first - 1, first, first + 1):
                if 0 < position < len(filled) and _repeated_short_line(stripped[filled[position]], counts):
                    furniture.add(filled[position])
    return furniture


def _repeated_short_line(line: str, counts: Counter) -> bool:
    return (counts[line] >= 2 and len(line) <= _FURNITURE["max_running_header_chars"] and not _ends_sentence(line)
            and not _HEADING_START.match(line))


def _running_header(stripped: list[str], filled: list[int], position: int, counts: Counter, lines: _Lines) -> bool:
    """A short line beside a page number that repeats in the text, or a short line without punctuation that stands
    between a page number and the rest of a paragraph the page break cut."""
    line = stripped[filled[position]]
    if len(line) > _FURNITURE["max_running_header_chars"] or _ends_sentence(line) or _HEADING_START.match(line):
        return False
    if counts[line] >= 2 or _ISSUER_LINE.fullmatch(line):
        return True
    if _PUNCTUATION.search(line) or _width(line) >= lines.long_width or position < 2:
        return False
    before_page = stripped[filled[position - 2]]  # the line before the page number, for a header after it
    return _PAGE_NUMBER.fullmatch(stripped[filled[position - 1]]) is not None and not _ends_sentence(before_page)


def _line_deletions(lines: _Lines, indices: set[int]) -> list[tuple[int, int]]:
    """Spans deleting whole lines with their line break (the one before, for a last line without one)."""
    total = lines.starts[-1] + len(lines.lines[-1])
    spans = []
    for i in sorted(indices):
        start, end = lines.starts[i], lines.starts[i] + len(lines.lines[i]) + 1
        spans.append((start, end) if end <= total else (max(0, start - 1), total))
    return spans


# --- hard wraps ------------------------------------------------------------------------------------------------

# A line break before a character that cannot start a line, or inside a decimal number (提高0.|12个百分点): the only
# joins a text that is not hard-wrapped gets.
_BEFORE_CONTINUATION = re.compile(
    rf"\n(?:[ \t]?(?=[{re.escape(_UNWRAP['continuation_starts'])}])|(?<=\d\.\n)(?=\d))"
)
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


_PUNCTUATED = re.compile(r"[,.;:!?、。“”]")
_SENTENCE_INSIDE = re.compile(r"[。!?;]")
_LATIN_RUN_END = re.compile(r"([^\x00-\x7f]?)[A-Za-z]+[ \t]*$")
_LATIN_RUN_START = re.compile(r"[ \t]*[A-Za-z]+([^\x00-\x7f]?)")


def _heading_line(line: str) -> bool:
    """A line that starts like a heading and holds no punctuation after its number is a heading of its own."""
    heading = _HEADING_START.match(line)
    return heading is not None and not _PUNCTUATED.search(line, heading.end())


def _latin_inside_chinese(line: str, following: str) -> bool:
    """Letters at the end of a line and the start of the next are one token when Chinese touches them (占G|DP比重,
    现将xx|xx年): English words would be separated by a space."""
    end, start = _LATIN_RUN_END.search(line), _LATIN_RUN_START.match(following)
    return bool(end and start and (end.group(1) or start.group(1)))


def _joins(text: str, lines: _Lines) -> list[tuple[int, int]]:
    """Spans (a line break with the spaces beside it) whose removal joins a line to the next one."""
    if lines.hard_wrapped:
        breaks: Iterable[int] = range(len(lines.lines) - 1)
    else:
        breaks = [bisect.bisect_right(lines.starts, m.start()) - 1 for m in _BEFORE_CONTINUATION.finditer(text)]
    spans = []
    for i in breaks:
        line, following = lines.lines[i], lines.lines[i + 1]
        if not line.strip() or not following.strip() or lines.is_table(i) or lines.is_table(i + 1):
            continue
        if _INDENTED.match(following):
            continue
        head = following.lstrip(" ")[:1]
        if head not in _CONTINUATION_STARTS and not (line.endswith(".") and line[-2:-1].isdigit() and head.isdigit()):
            if lines.width(i) < lines.long_width or _HEADING_START.match(following):
                continue
            if _ends_sentence(line) and lines.width(i) < lines.full_width:
                continue
            if _TITLE_LINE.fullmatch(line.strip()) or _heading_line(line):
                continue
            if _HEADING_START.match(line) and not _SENTENCE_INSIDE.search(line) and lines.width(i) < lines.full_width:
                continue  # a heading with commas (一、搭建平台,创建园区) short of the full width is a line of its own
            if line.rstrip()[-1:] in _ASCII_LETTERS and head in _ASCII_LETTERS and not _latin_inside_chinese(
                    line, following):
                continue  # two Latin words: joining would glue them
        spans.append((lines.starts[i] + len(line.rstrip(" ")),
                      lines.starts[i + 1] + len(following) - len(following.lstrip(" "))))
    return spans


# --- spaces ----------------------------------------------------------------------------------------------------

# A literal space first lets `re` skip to spaces; the lookbehinds (two characters, the space included) and the
# lookaheads then ask for Chinese on one side and Latin, a digit or Chinese punctuation on the other.
_LAYOUT_SPACE = re.compile(
    rf" (?:(?<=[{_HAN}{_CJK_PUNCT}] )(?=[{_LATIN}{_CJK_PUNCT}])"
    rf"|(?<=[{_LATIN}{_CJK_PUNCT},;:.] )(?=[{_HAN}{_CJK_PUNCT}]))"
)
# A space between two Han characters; a chain of them every other character is a spaced-out word (分 别 为).
_HAN_SPACE = re.compile(rf" (?<=[{_HAN}] )(?=[{_HAN}])")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_KEEP_SPACED = tuple(_RULES["spaces"]["keep_spaced"])


def _layout_spaces(text: str) -> list[tuple[int, int]]:
    if " " not in text:
        return []
    table_line: dict[int, bool] = {}

    def in_table(position: int) -> bool:
        start = text.rfind("\n", 0, position) + 1
        if start not in table_line:
            end = text.find("\n", position)
            table_line[start] = _TABLE_LIKE.search(text, start, len(text) if end < 0 else end) is not None
        return table_line[start]

    spans = [m.span() for m in _LAYOUT_SPACE.finditer(text) if not in_table(m.start())]
    chains: list[list[int]] = []
    for m in _HAN_SPACE.finditer(text):
        if chains and m.start() == chains[-1][-1] + 2:
            chains[-1].append(m.start())
        else:
            chains.append([m.start()])
    for chain in chains:
        first, last = chain[0], chain[-1]
        if len(chain) == 1:  # two characters: a spaced word only when neither is part of a longer word
            if (first >= 2 and _HAN_CHAR.match(text, first - 2)) or _HAN_CHAR.match(text, first + 2):
                continue
        word = text[first - 1:last + 2]
        if in_table(first) or any(keep in word or word in keep for keep in _KEEP_SPACED):
            continue
        spans += [(p, p + 1) for p in chain]
    return spans


# --- R&D -------------------------------------------------------------------------------------------------------

# R&amp;D, R & D, R D: a lone R, then the & written as an entity or with spaces, or a lone space, then a lone D
_RD = re.compile(r"(?<![A-Za-z])R(?:(?P<space> )|[ \t]*&(?:amp;)?[ \t]*)D(?![A-Za-z])")


def _rd_spellings(t: _Text) -> None:
    """R D -> R&D (the space replaced, one for one), then R&amp;D / R & D -> R&D (the rest deleted)."""
    matches = list(_RD.finditer(t.text))
    spaces = [m.start("space") for m in matches if m["space"]]
    if spaces:
        chars = list(t.text)
        for at in spaces:
            chars[at] = "&"
        t.replace("".join(chars))
    cuts = []
    for m in matches:
        if not m["space"]:
            amp = t.text.index("&", m.start(), m.end())
            cuts += [(m.start() + 1, amp), (amp + 1, m.end() - 1)]
    t.delete(cuts)


# --- numbers and units -----------------------------------------------------------------------------------------

_GAP = r"[ \t]*\n?[ \t]*"  # spaces, at most one line break: a blank line (paragraph break) never matches
_NUMBER_UNIT = re.compile(
    # Starting with the digit itself (not a lookbehind) lets `re` skip to digits; the lookahead is a fast guard:
    # white space right after the digit or after a unit's first character.
    r"\d(?=[ \t\n]|[^\s\d][ \t\n])(?:"
    + "|".join(
        rf"{_GAP}" + _GAP.join(re.escape(ch) for ch in unit)
        for unit in sorted(_RULES["units"]["joinable"], key=len, reverse=True)
    )
    + ")"
)
_WHITE = re.compile(r"\s+")


def _unit_gaps(text: str) -> list[tuple[int, int]]:
    return [
        (m.start() + gap.start(), m.start() + gap.end())
        for m in _NUMBER_UNIT.finditer(text)
        for gap in _WHITE.finditer(m.group())
    ]


# --- the repair ------------------------------------------------------------------------------------------------


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        elif end > start:
            out.append((start, end))
    return out


class _Text:
    """The text being repaired and, for each run of it, where the run came from in the original."""

    def __init__(self, original: str) -> None:
        self.text = original
        self.starts = [0]
        self.origins = [0]

    def delete(self, spans: list[tuple[int, int]]) -> None:
        """Removes the spans (of the current text), keeping the map to the original."""
        spans = _merged(spans)
        if not spans:
            return
        text, starts, origins = self.text, self.starts, self.origins
        pieces: list[str] = []
        new_starts: list[int] = []
        new_origins: list[int] = []
        out = run = position = 0
        for cut_start, cut_end in [*spans, (len(text), len(text))]:
            if cut_start > position:
                pieces.append(text[position:cut_start])
                while run + 1 < len(starts) and starts[run + 1] <= position:
                    run += 1
                while position < cut_start:
                    origin = origins[run] + position - starts[run]
                    if not new_starts or origin - new_origins[-1] != out - new_starts[-1]:
                        new_starts.append(out)
                        new_origins.append(origin)
                    run_end = starts[run + 1] if run + 1 < len(starts) else len(text)
                    step_end = min(cut_start, run_end)
                    out += step_end - position
                    position = step_end
                    if position < cut_start:
                        run += 1
            position = max(position, cut_end)
        self.text = "".join(pieces)
        self.starts, self.origins = new_starts or [0], new_origins or [0]

    def replace(self, text: str) -> None:
        """A replacement of one character by one: the map stays."""
        assert len(text) == len(self.text)
        self.text = text


def repair(original: str) -> Repaired:
    """The repaired text of a file and the map of its characters back to `original`."""
    t = _Text(original)
    present = set(_SPECIAL.findall(original))
    if "\r" in present:
        t.delete([(m.start(), m.start() + 1) for m in re.finditer("\r\n", original)])
        t.replace(t.text.replace("\r", "\n"))
    if present & _TONED_SET:
        t.delete(_pinyin_glosses(t.text))
    if present & _INVISIBLE_SET:
        t.delete([m.span() for m in _INVISIBLE.finditer(t.text)])
    t.replace(_folded(t.text, present))
    t.replace(_simplified(t.text))
    lines = _Lines(t.text)
    furniture = _furniture_lines(t.text, lines)
    if furniture or "\f" in present:
        t.delete(_line_deletions(lines, furniture) + [m.span() for m in _FORM_FEED.finditer(t.text)])
        lines = _Lines(t.text)
    t.delete(_joins(t.text, lines))
    if "R" in t.text:
        _rd_spellings(t)
    t.delete(_layout_spaces(t.text))
    t.delete(_unit_gaps(t.text))
    return Repaired(t.text, tuple(t.starts), tuple(t.origins))


def _check_examples(path: Path = RULES_PATH) -> None:
    """Every example of the rule file holds, or the import fails naming the example's line."""
    rules = TomlRules(path)
    for section, body in rules.data.items():
        for given, expected in body.get("examples", []):
            got = repair(given).text
            if got != expected:
                raise rules.error((section, "examples"), f"[{section}] example {given!r} gives {got!r}, not "
                                                         f"{expected!r}")


_check_examples()
