"""Every number in a document as a typed `Mention`: value in its canonical unit, bound, category and span.

One compiled master regex runs over the whole document text; each match is typed with a few dict lookups and
short backward looks (bound words, rank scope, the clause's cue words). The word lists are data:
rules/units.csv, rules/bounds.toml, rules/mention_cues.toml.

No maintained library finds and types the figures of Chinese prose with their offsets and bound words (cn2an only
converts numeral strings, and its sentence mode rewrites ordinary words: 进一步 -> 进1步), so the scanner is ours;
cn2an converts only the Chinese numerals the regex has isolated.
"""

from __future__ import annotations

import csv
import re
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import cn2an

if TYPE_CHECKING:
    from pipelines.segment import Sentence

RULES = Path(__file__).parent / "rules"


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, 4-5x the cost of
# plain slot stores, and one of these is built per number of the corpus. Nothing mutates it after construction.
@dataclass(slots=True)
class Mention:
    doc_id: str
    mention_id: int       # in document order, from 0
    sentence_id: int      # the sentence holding `start`; -1 when no sentence starts at or before it
    start: int            # span of the number with its unit and bound words, offsets into Document.text
    end: int
    text: str
    value: float | None   # in the canonical unit; None when masked or when the category has no value
    value_max: float | None  # upper end of a range, else None
    unit: str
    raw_unit: str
    category: str
    bound: str
    masked: bool
    rank_scope: str | None


# ---- data ---------------------------------------------------------------------------------------------------

def _read_units() -> tuple[dict[str, float], dict[str, tuple[str, float, str]]]:
    scales: dict[str, float] = {}
    units: dict[str, tuple[str, float, str]] = {}
    with (RULES / "units.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["category"] == "scale":
                scales[row["word"]] = float(row["scale"])
            else:
                units[row["word"]] = (row["unit"], float(row["scale"]), row["category"])
    return scales, units


def _read_toml(name: str) -> dict:
    with (RULES / name).open("rb") as handle:
        return tomllib.load(handle)


def _word_to_bound(section: dict[str, list[str]]) -> dict[str, str]:
    return {word: bound for bound, words in section.items() for word in words}


SCALES, UNITS = _read_units()
_BOUNDS = _read_toml("bounds.toml")
BOUND_BEFORE = _word_to_bound(_BOUNDS["before"])
BOUND_BETWEEN = _word_to_bound(_BOUNDS["between"])
BOUND_AFTER = _word_to_bound(_BOUNDS["after"])
CUES = _read_toml("mention_cues.toml")
_BEFORE_LENGTHS = sorted({len(word) for word in BOUND_BEFORE}, reverse=True)
_BEFORE_LAST_CHARS = frozenset(word[-1] for word in BOUND_BEFORE)
_ORDINAL_AFTER_DI = tuple(CUES["ordinal_after_di"])

CN_DIGITS = "〇零一二两三四五六七八九"
CN_NUMERAL_CHARS = CN_DIGITS + "十百千"
_CN_SINGLE = {c: float(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0.0, "两": 2.0, "十": 10.0,
                                                                          "百": 100.0, "千": 1000.0}
_POWERS_OF_TEN = {10.0**exponent: exponent for exponent in range(1, 16)}
_PUNCT = ",;。，；:：!?！？\n"


def _alternation(words, traps: Sequence[str] = ()) -> str:
    """A regex matching any of `words`, written as a trie so each position costs one test per first letter.
    Longer words are tried first (个百分点 before 个, 万亿 before 万). A word is refused where it begins one of
    `traps` (支 in 支行) and, for a Latin unit (m), where a longer Latin word goes on."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def guard(word: str) -> str:
        refused = [re.escape(trap[len(word):]) for trap in traps if trap.startswith(word) and trap != word]
        if word.isascii() and word.isalpha():
            refused.append("[A-Za-z]")
        return f"(?!{'|'.join(refused)})" if refused else ""

    def emit(node: dict, prefix: str) -> str:
        branches = [re.escape(char) + emit(child, prefix + char) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append(guard(prefix))  # last: the longer words are tried first
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie, "")


def _optional(pattern: str) -> str:
    """`(?:pattern)?` written as a branch with an empty alternative: the same greedy match, but `re` runs a branch
    faster than the general repeat it compiles `(...)?` of a longer pattern into (the number shape's seven optional
    parts cost a fifth of its scan that way)."""
    return f"(?:{pattern}|)"


_UNIT = _alternation(UNITS, CUES["unit_traps"])
_SCALE = _alternation(SCALES)
_NUMBER = r"\d+(?:,\d{3}(?!\d))*" + _optional(r"\.\d+")
# A mask character stands for a hidden digit (xx亿元, ×亿元, 申报高企**家); 占gdpx.x% glues the mask to a word,
# hence the gdp exception. _M is the mask character class, _DM digits or masks.
MASK_CHARS = CUES["mask_chars"]
_M = "[" + re.escape(MASK_CHARS) + "]"
_DM = "[\\d" + re.escape(MASK_CHARS) + "]"
_MASK = (f"(?:(?<![A-Za-z])|(?<=gdp)|(?<=GDP))\\d*+(?:{_M}{_DM}*+(?:\\.{_DM}++)?|\\.{_M}{_DM}*+)(?![A-Za-z])")
_CN = f"[{CN_NUMERAL_CHARS.replace('零', '')}][{CN_NUMERAL_CHARS}]*"  # 零部件 is a word
# A Chinese numeral is a number only before a unit, a scale or a range (一批, 一流, 统一 are words); deciding it in
# the regex keeps the prose out of Python.
_CN_COUNTED = f"{_CN}(?=[-~～—至余多]|{_SCALE}|{_UNIT})"
_LO = f"{_MASK}|{_NUMBER}|{_CN_COUNTED}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
# N成 is N tenths (九成 is 90 %, 超过六成, 7成多, 七成以上) unless the 成 begins a word (成果, 成为, 成功, 一成不变)
# or the numeral ends one (统一成, 合一成).
def _tenths_shape(numeral: str) -> str:
    return (f"(?P<tenths_num>{numeral})成(?![果为功立员本熟交长都型品就效绩套败色份分人年材像片群倍不])"
            + _optional(f"(?P<tenths_more>{_alternation(BOUND_BETWEEN)})")
            + _optional(f"(?P<tenths_after>{_alternation(BOUND_AFTER)})"))

_STOPS = CUES["stop_phrases"]
_START = r"\d" + re.escape(MASK_CHARS) + CN_NUMERAL_CHARS + "万亿第首(（〔\\[［⑴-⒇①-⑳" + "".join(sorted({w[0] for w in _STOPS}))

# (name, pattern) in priority order: at one position the first shape that fits wins, so the specific shapes
# (phone, date, document number ...) come before the general number. Shapes are grouped by their first
# character (digit or x / anything else) so that a position tries only the shapes that can start there.
DIGIT_SHAPES = [
    ("phone", r"(?<!\d)(?:0\d{2,3}-\d{5,8}|1[3-9]\d{9})(?!\d)"),
    ("code", r"\d++(?:/\d{4}-\d+|(?:\+\d+)+)"),
    ("datetime", r"[12]\d{3}(?P<dsep>[-/.])\d{1,2}(?P=dsep)\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"),
    ("date", f"(?P<month>{_DM}{{1,2}})" + _optional("[-~～至](?P<month_hi>\\d{1,2})") + "月"
             + _optional("份|底|末|初|中旬|上旬|下旬") + _optional(f"{_DM}{{1,2}}日") + f"|(?P<day>{_DM}{{1,2}})日"),
    ("ar_ord", r"(?<![\d.,])(?P<ar_ord_num>\d{1,2})[.、．](?![\d%" + re.escape(MASK_CHARS) + "])"),
    ("tenths_digit", "(?<![\\d.,])(?=[1-9]成)" + _tenths_shape("[1-9]").replace("tenths_", "tenths_digit_")),
    ("frac", f"(?<![\\d/])(?P<frac_num>\\d++|{_M}++)/(?P<frac_den>\\d++|{_M}++)(?![\\d/])"),
]
WORD_SHAPES = [
    ("stop", _alternation(_STOPS)),
    ("docnum", r"[〔\[［][12]\d{3}[〕\]］]\s*\d+\s*号"),
    ("revision", r"[(（][12]\d{3}年(?:修订|修正|修改|版)[)）]"),
    ("paren_ord", r"[(（]\s*(?P<paren_num>\d{1,2}|" + _CN_SMALL + r")\s*[)）]|[⑴-⒇①-⑳]"),
    ("rank", f"第(?P<rank_num>\\d+|{_M}+|[{CN_NUMERAL_CHARS}]+)" + _optional("(?P<rank_tail>位|名)")
             + _optional(f"(?P<rank_after>{_alternation(BOUND_AFTER)})")),
    ("first", r"首位(?![\u4e00-\u9fff])"),
    ("cn_ord", r"(?<![\u4e00-\u9fff])" + _CN_SMALL + "(?:是|、)"),  # not 统一是: inside a word
    ("tenths", "(?<![统合唯归单万第])" + _tenths_shape("[一二两三四五六七八九]")),
    ("cn_frac", f"(?P<cn_frac_den>[{CN_NUMERAL_CHARS}]+)分之(?P<cn_frac_num>[{CN_NUMERAL_CHARS}]+)"),
    ("bare", f"(?<=[超破逾近过约])(?P<bare_scale>万亿|亿|万)" + _optional(f"(?P<bare_unit>{_UNIT})")),
]
NUMBER_SHAPE = (
    f"(?P<lo>{_LO})" + _optional("(?P<lo_pct>[%％])") + _optional(f"\\s?[-~～—至]\\s?(?P<hi>{_LO})")
    + _optional(f"(?P<scale>{_SCALE})") + _optional(f"(?P<between>{_alternation(BOUND_BETWEEN)})")
    + _optional(f"(?P<scale2>{_SCALE})") + _optional(f"(?P<unit>{_UNIT})")
    + _optional(f"(?P<after>{_alternation(BOUND_AFTER)})")
)


def _shapes(shapes) -> str:
    return "|".join(f"(?P<{name}>{pattern})" for name, pattern in shapes)


# Every digit shape has one of these characters right after its first digit run (or is a mobile number), so a
# plain 36家 or 2023年 skips them all with one test.
# A "." counts only where a shape can use it: an ordinal's 1. (no digit after) or a date's 2023.10.; a decimal
# point (15.2%, 38.6亿元), the commonest case, skips the digit shapes.
_DIGIT_SHAPE_AHEAD = (f"(?={_DM}++(?:[-/+月日、．~～至成]|\\.(?![\\d%{re.escape(MASK_CHARS)}])|\\.\\d{{1,2}}\\.)|"
                      + r"1[3-9]\d{9}(?!\d))")
MASTER = re.compile(
    f"(?=[{_START}])(?:{_DIGIT_SHAPE_AHEAD}(?:{_shapes(DIGIT_SHAPES)})|(?!{_DM})(?:{_shapes(WORD_SHAPES)})"
    f"|(?P<num>{NUMBER_SHAPE}))"
)

_SCOPE = re.compile(
    f"(?P<verb0>{_alternation(CUES['rank_verbs'])})?(?P<scope>{_alternation(CUES['rank_scopes'])})"
    f"(?P<verb1>(?:{_alternation(CUES['rank_verbs'])}){{1,2}})?\\Z"
)
_NAMED_SCOPE = re.compile(
    f"(?P<verb0>{_alternation(CUES['rank_verbs'])})(?P<scope>[\u4e00-\u9fff]{{1,6}}?[{CUES['place_suffixes']}])"
    f"(?P<verb1>)\\Z"
)
# 居全市12个县区第一, 在全省16个地市中排名第三: a counted field of peers before a rank (its count, right after the
# number, makes that number no figure) is the rank's scope, count and all.
_RANK_VERBS = _alternation(CUES["rank_verbs"])
_COUNTED_PEERS = f"(?:\\d{{1,3}}|[{CN_NUMERAL_CHARS}]{{1,3}})个(?:{_alternation(CUES['counted_peers'])})"
_AMONG = "(?:当中|中|里)?[,，]?"
# (pipelines/facts/region.py: 全省 before a counted field of a rank is the ranking's field, not the figure's region)
COUNTED_RANK = re.compile(f"{_COUNTED_PEERS}{_AMONG}(?:{_RANK_VERBS}){{0,2}}(?:第|首位)")
_COUNTED_SCOPE = re.compile(
    f"(?P<verb0>{_RANK_VERBS})?(?P<scope>(?:{_alternation(CUES['rank_scopes'])})?{_COUNTED_PEERS}){_AMONG}"
    f"(?P<verb1>(?:{_RANK_VERBS}){{1,2}})?\\Z"
)
# 分别位列第二、三位: two ranks sharing one 第 and one 位
_RANK_PAIR_NEXT = re.compile(f"、(?:\\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,3}})[位名]")
_RANK_PAIR_FIRST = re.compile(f"第(?:\\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,3}})、\\Z")
_RANK_CHANGE = re.compile(f"(?:{_alternation(CUES['rank_change_verbs'])})了?\\Z")
_PUNCT_CLASS = "[^" + re.escape(_PUNCT) + "]"
_PERCENT_CUE = re.compile(f"(?:{_alternation(CUES['percent_cues'])}){_PUNCT_CLASS}*\\Z")
_MONEY_CUE = re.compile(f"(?:{_alternation(CUES['money_cues'])}){_PUNCT_CLASS}*\\Z")
_CLAUSE_WINDOW = 40
_BARE_YEARS = range(CUES["bare_year_min"], CUES["bare_year_max"] + 1)
_OPEN_QUOTES = "“\"「『‘"
_CLOSE_QUOTES = "”\"」』’"


# ---- helpers ------------------------------------------------------------------------------------------------

def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@lru_cache(maxsize=4096)
def _cn_value(numeral: str) -> float | None:
    if len(numeral) == 1:
        return _CN_SINGLE[numeral]
    if all(c in CN_DIGITS for c in numeral):  # 二〇二三: digit by digit
        return float("".join(str(int(_CN_SINGLE[c])) for c in numeral))
    if numeral[0] in "百千":  # cn2an wants 一百, 一千
        numeral = "一" + numeral
    try:
        return float(cn2an.cn2an(numeral, "normal"))
    except ValueError:
        return None


_MASK_SET = frozenset(MASK_CHARS)
_ARABIC_START = frozenset("0123456789")


def _parse(number: str) -> tuple[float | None, bool]:
    """(value, masked) of a number as written: arabic, masked (xx.x) or a Chinese numeral."""
    if not _MASK_SET.isdisjoint(number):  # a set test, not a generator: this runs once per number
        return None, True
    if number[0] in CN_NUMERAL_CHARS:
        return _cn_value(number), False
    return float(number.replace(",", "")), False


def _times(number: str, value: float, factor: float) -> float:
    """value * factor without float noise (146.7 * 1e8 is 14669999999.999998): shift the decimal text."""
    exponent = _POWERS_OF_TEN.get(factor)
    if exponent is not None and number[0] not in CN_NUMERAL_CHARS:
        return float(f"{number.replace(',', '')}e{exponent}")
    return value * factor


def _bound_before(text: str, start: int) -> tuple[str | None, int]:
    if not start or text[start - 1] not in _BEFORE_LAST_CHARS:  # the usual case, decided by one character
        return None, start
    for length in _BEFORE_LENGTHS:
        bound = BOUND_BEFORE.get(text[start - length:start]) if start >= length else None
        if bound:
            return bound, start - length
    return None, start


def _clause_has(cue: re.Pattern, text: str, start: int, floor: int) -> bool:
    return cue.search(text, max(floor, start - _CLAUSE_WINDOW), start) is not None


def _scope(text: str, start: int):
    """The rank scope words right before `start`: a counted field (全市12个县区), a listed scope (全省, 全市县域), else
    a verb of standing before a place name (居许昌市第一, 位列赣州市第五位)."""
    return (_COUNTED_SCOPE.search(text, max(0, start - 18), start) or _SCOPE.search(text, max(0, start - 12), start)
            or _NAMED_SCOPE.search(text, max(0, start - 10), start))


def _is_year(number: str, value: float | None) -> bool:
    if value is None:
        return len(number) == 4
    return 1900 <= value <= 2100 and value.is_integer() and len(number) == 4


# Each reader takes the match, the text and the end of the previous match; it returns
# (start, end, value, value_max, unit, raw_unit, category, bound, masked, rank_scope) or None (not a mention).

def _skip(m, text, floor):
    return None


def _whole(category: str):
    def read(m, text, floor):
        return m.start(), m.end(), None, None, "none", "", category, "exact", False, None
    return read


def _date(m, text, floor):
    number = m["month"] or m["day"]
    value, masked = _parse(number)
    high = float(m["month_hi"]) if m["month_hi"] else None
    return (m.start(), m.end(), value, high, "date", "月" if m["month"] else "日", "date",
            "range" if high is not None else "exact", masked, None)


def _datetime(m, text, floor):
    return m.start(), m.end(), float(m.group()[:4]), None, "date", "", "date", "exact", False, None


def _docnum(m, text, floor):
    start = m.start()
    run = 0  # the issuer's abbreviation (淮政, 芜政办秘) joins the span when it stands alone before the bracket
    while run < 7 and start - run > 0 and _is_cjk(text[start - run - 1]):
        run += 1
    if 0 < run <= 6:
        start -= run
    return start, m.end(), None, None, "none", "", "doc_number", "exact", False, None


def _paren_ordinal(m, text, floor):
    number = m["paren_num"]
    if number is None:  # ⑴ or ①
        char = m.group()
        value = float(ord(char) - (0x2473 if char >= "⑴" else 0x245F))
    else:
        value = _parse(number)[0]
    return m.start(), m.end(), value, None, "none", "", "ordinal", "exact", False, None


def _cn_ordinal(m, text, floor):
    return m.start(), m.end(), _cn_value(m.group()[:-1]), None, "none", "", "ordinal", "exact", False, None


def _arabic_ordinal(m, text, floor):
    start = m.start()
    if start == 0 or text[start - 1] in " \t\u3000" + _PUNCT:
        return start, m.end(), float(m["ar_ord_num"]), None, "none", "", "ordinal", "exact", False, None
    return _unitless(text, start, m.end("ar_ord_num"), m["ar_ord_num"], floor)


def _rank(m, text, floor):
    start, number, tail = m.start(), m["rank_num"], m["rank_tail"]
    scope = _scope(text, start)
    after = text[m.end("rank_num"):m.end("rank_num") + 2]
    if not tail and after.startswith(_ORDINAL_AFTER_DI):
        return start, m.end("rank_num"), _parse(number)[0], None, "none", "", "ordinal", "exact", False, None
    if not tail and _RANK_PAIR_NEXT.match(text, m.end("rank_num")):
        tail = "位"  # 位列第二、三位: the first of a pair of ranks
    if number[0] in CN_NUMERAL_CHARS and not (scope or tail):  # 第三方, 第三,我们...: prose
        return None
    bound = BOUND_AFTER.get(m["rank_after"], "exact")
    value, masked = _parse(number)  # 居全省第x位: a hidden rank is still a rank
    return (start, m.end(), value, None, "rank", tail or "", "rank", bound, masked,
            scope["scope"] if scope else None)


def _first_place(m, text, floor):
    start = m.start()
    scope = _scope(text, start)
    if not scope and text[start - 1:start] not in ("居", "列"):  # 首位产业 is excluded by the regex
        return None
    return start, m.end(), 1.0, None, "rank", "首位", "rank", "exact", False, scope["scope"] if scope else None


def _fraction(m, text, floor):
    numerator, masked_n = _parse(m["frac_num"])
    denominator, masked_d = _parse(m["frac_den"])
    if denominator == 0:
        return m.start(), m.end(), None, None, "none", "", "code", "exact", False, None
    bound, start = _bound_before(text, m.start())
    value = None if masked_n or masked_d else numerator / denominator * 100
    return start, m.end(), value, None, "percent", "/", "fraction", bound or "exact", masked_n or masked_d, None


def _cn_fraction(m, text, floor):
    numerator, denominator = _cn_value(m["cn_frac_num"]), _cn_value(m["cn_frac_den"])
    if not numerator or not denominator:
        return None
    bound, start = _bound_before(text, m.start())
    return (start, m.end(), numerator / denominator * 100, None, "percent", "分之", "fraction",
            bound or "exact", False, None)


def _tenths(prefix: str):
    def read(m, text, floor):
        bound, start = _bound_before(text, m.start())
        numeral, more, after = m[prefix + "num"], m[prefix + "more"], m[prefix + "after"]
        value = (_CN_SINGLE[numeral] if numeral in _CN_SINGLE else float(numeral)) * 10
        bound = BOUND_AFTER[after] if after else BOUND_BETWEEN[more] if more else bound or "exact"
        return start, m.end(), value, None, "percent", "成", "fraction", bound, False, None
    return read


def _bare_scale(m, text, floor):
    bound, start = _bound_before(text, m.start())
    if bound is None:
        return None
    value = SCALES[m["bare_scale"]]
    unit_word = m["bare_unit"]
    if unit_word:
        unit, unit_scale, category = UNITS[unit_word]
        value *= unit_scale
    else:
        unit = "CNY" if _clause_has(_MONEY_CUE, text, start, floor) else "none"
        category = "quantity"
    raw_unit = m["bare_scale"] + (unit_word or "")
    return start, m.end(), value, None, unit, raw_unit, category, bound, False, None


def _unitless(text: str, start: int, end: int, number: str, floor: int):
    """A number with no unit word: a code, a year, a share whose % sign was lost, or a plain quantity."""
    value, masked = _parse(number)
    before, after = text[start - 1:start], text[end:end + 1]
    quoted = before and before in _OPEN_QUOTES and after and after in _CLOSE_QUOTES  # “426”宣传周
    if quoted or (after.isascii() and after.isalpha()):  # or 5G
        return start, end, None, None, "none", "", "code", "exact", False, None
    if value is not None and value.is_integer() and len(number) == 4 and int(value) in _BARE_YEARS:
        return start, end, value, None, "year", "", "year", "exact", False, None
    bound, start = _bound_before(text, start)
    if masked and _is_cjk(after or "。"):  # xx市, x明正变电: a hidden name, not a figure
        return None
    if _clause_has(_PERCENT_CUE, text, start, floor):
        return start, end, value, None, "percent", "", "percent", bound or "exact", masked, None
    if masked:  # a hidden number with neither unit nor share words says nothing
        return None
    return start, end, value, None, "none", "", "quantity", bound or "exact", False, None


def _places(text: str, start: int) -> tuple[str, str, str | None]:
    """(unit, category, rank_scope) of N位: a change of rank (排名上升4位), a rank (居全省5位) or N persons."""
    if _RANK_CHANGE.search(text, max(0, start - 4), start):
        return "rank_places", "quantity", None
    if _RANK_PAIR_FIRST.search(text, max(0, start - 5), start):
        return "rank", "rank", None  # 位列第二、三位: the second of a pair of ranks
    scope = _scope(text, start)
    if scope and (scope["verb0"] or scope["verb1"]):
        return "rank", "rank", scope["scope"]
    return "count", "quantity", None


_CONTEXT_UNITS = frozenset(word for word, (unit, _, _) in UNITS.items() if unit == "years") | {"位", "名"}
_NUMBER_GROUPS = ("lo", "lo_pct", "hi", "scale", "between", "scale2", "unit", "after")


def _number(m, text, floor):
    start, end = m.span()
    lo, lo_pct, hi, scale_word, between, scale2, unit_word, after = m.group(*_NUMBER_GROUPS)
    scale_word = scale_word or scale2
    if lo_pct and not unit_word:
        unit_word = lo_pct
    if unit_word == "个" and COUNTED_RANK.match(text, start):
        return None  # 全市12个县区第一: the size of a ranking's field
    if not unit_word and not scale_word:
        if lo[0] in CN_NUMERAL_CHARS:  # 十多, 一至: the unit the regex saw ahead did not follow
            return None
        if hi is None and between is None and after is None:
            return _unitless(text, start, end, lo, floor)
    if lo[0] in _ARABIC_START and _MASK_SET.isdisjoint(lo):  # _parse's commonest case, without the call
        value, masked = float(lo.replace(",", "")), False
    else:
        value, masked = _parse(lo)
        if value is None and not masked:
            return None
    high = None
    if hi:
        high, masked_hi = _parse(hi)
        masked = masked or masked_hi
    factor = SCALES[scale_word] if scale_word else 1.0
    rank_scope = None
    if unit_word:
        unit, unit_scale, category = UNITS[unit_word]
        factor *= unit_scale
        if unit_word in _CONTEXT_UNITS:  # 年, 位 and 名 read by their context
            if unit == "years" and not scale_word and _is_year(lo, value):
                unit, category, factor = "year", "year", 1.0
            elif unit_word == "位":
                unit, category, rank_scope = _places(text, start)
            elif unit_word == "名" and _RANK_PAIR_FIRST.search(text, max(0, start - 5), start):
                unit, category = "rank", "rank"  # 居全省第2、3名: the second of a pair of ranks
    elif scale_word:
        category = "quantity"
        unit = "CNY" if _clause_has(_MONEY_CUE, text, start, floor) else "none"
    else:  # 占80以上, 8-10: bounded or ranged with no unit
        share = _clause_has(_PERCENT_CUE, text, start, floor)
        category, unit = ("percent", "percent") if share else ("quantity", "none")
    bound = None
    if start and text[start - 1] in _BEFORE_LAST_CHARS:  # _bound_before's first test, without the call
        bound, start = _bound_before(text, start)
    if hi is not None:
        bound = "range"
    elif after:
        bound = BOUND_AFTER[after]
    elif between:
        bound = BOUND_BETWEEN[between]
    if factor != 1.0:
        value = None if value is None else _times(lo, value, factor)
        high = None if high is None else _times(hi, high, factor)
    raw_unit = (scale_word or "") + (unit_word or "")
    return start, end, value, high, unit, raw_unit, category, bound or "exact", masked, rank_scope


_READERS = {
    "stop": _skip,
    "phone": _whole("phone"),
    "code": _whole("code"),
    "datetime": _datetime,
    "date": _date,
    "docnum": _docnum,
    "revision": _whole("doc_number"),
    "paren_ord": _paren_ordinal,
    "rank": _rank,
    "first": _first_place,
    "cn_ord": _cn_ordinal,
    "ar_ord": _arabic_ordinal,
    "frac": _fraction,
    "tenths": _tenths("tenths_"),
    "tenths_digit": _tenths("tenths_digit_"),
    "cn_frac": _cn_fraction,
    "bare": _bare_scale,
    "num": _number,
}


def extract_mentions(doc_id: str, text: str, sentences: Sequence[Sentence]) -> list[Mention]:
    sentence_starts = [sentence.start for sentence in sentences]
    # -1 last: a number before the first sentence start (index -1 below) belongs to no sentence
    sentence_ids = [sentence.sentence_id for sentence in sentences] + [-1]
    mentions: list[Mention] = []
    # locals: this loop runs once per number of the corpus
    append, readers, new, sentence_at = mentions.append, _READERS, Mention, bisect_right
    floor = 0  # end of the previous number: a clause's cue words are looked for after it
    for m in MASTER.finditer(text):
        found = readers[m.lastgroup](m, text, floor)
        floor = m.end()
        if found is None:
            continue
        start, end, value, value_max, unit, raw_unit, category, bound, masked, rank_scope = found
        append(new(
            doc_id, len(mentions), sentence_ids[sentence_at(sentence_starts, start) - 1], start, end,
            text[start:end], value, value_max, unit, raw_unit, category, bound, masked, rank_scope,
        ))
    return mentions
