"""The facts stage's rule tables, read and validated once at import: indicator phrases (`rules/indicators.csv`),
each code's units and conditions (`rules/facts_codes.csv`), and the cue words of kind, period, year, measure, lists
and variants (`rules/cues.toml`), compiled into Aho-Corasick automata and regexes for `pipelines.facts`.

Every value is checked when it loads (`pipelines.rulefiles`): an unknown code, a misspelled cue key or a stray
marker is an error naming the file and line, never a rule silently dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import ahocorasick

from pipelines import schema
from pipelines.rulefiles import RuleFileError, TomlRules, csv_rows

_RULES = Path(__file__).parent.parent / "rules"
PHRASES_FILE = _RULES / "indicators.csv"
CODES_FILE = _RULES / "facts_codes.csv"
CUES_FILE = _RULES / "cues.toml"

# The `indicator` cell of indicators.csv: a code names the indicator; left empty the phrase blocks the figure (it
# names something else: 企业研发投入 is no whole-society R&D); `~name` makes it context only, read by the `after`
# cell of other phrases (研发投入 before 占GDP比重 makes that the R&D intensity).
BLOCKS = ""
CONTEXT_MARK = "~"
_CONTEXT_NAME = re.compile(r"~[a-z][a-z0-9_]*")
_CODE = re.compile(r"[a-z][a-z0-9_]*")
_PERIOD = re.compile(schema.allowed_values("facts", "period").pattern)  # the codes facts.period may hold
_KINDS = ("target", "forecast", "actual")


class Candidate(NamedTuple):
    indicator: str         # a code, BLOCKS, or a ~context name
    after: frozenset[str]  # the phrase names `indicator` only right after one of these (占GDP比重 after R&D words)


class Hit(NamedTuple):
    start: int
    end: int
    word: str
    tags: tuple


class Code(NamedTuple):
    level_unit: str
    raw_units: frozenset[str] | None
    statistical_lag: bool
    requires: tuple[str, ...]
    vetoes: tuple[str, ...]


def names(indicator: str | None) -> bool:
    """Whether a resolved phrase names an indicator (not None, not blocking, not context only)."""
    return bool(indicator) and not indicator.startswith(CONTEXT_MARK)


def is_context(indicator: str) -> bool:
    """Whether a resolved phrase is context only (研发投入: read by the next phrase, names no figure itself)."""
    return indicator.startswith(CONTEXT_MARK)


def _words(cell: str) -> tuple[str, ...]:
    return tuple(w for w in cell.split("|") if w)


def _units(path: Path) -> frozenset[str]:
    return frozenset(row["unit"] for _, row in csv_rows(path, ("word", "unit")))


def load_codes(path: Path = CODES_FILE, units_path: Path = _RULES / "units.csv") -> dict[str, Code]:
    """Each code's rules, read by column name: the file's other columns (names, aggregation) are not ours."""
    units = _units(units_path) | {"count", "percent", "CNY"}
    codes: dict[str, Code] = {}
    for line, row in csv_rows(path, ("code", "level_unit", "raw_units", "statistical_lag", "requires", "vetoes")):
        code = row["code"]
        if not _CODE.fullmatch(code):
            raise RuleFileError(path, line, f"{code!r} is no code (lower-case letters, digits and _)")
        if code in codes:
            raise RuleFileError(path, line, f"the code {code!r} is defined twice")
        if row["level_unit"] not in units:
            raise RuleFileError(path, line, f"unknown level_unit {row['level_unit']!r} (not in units.csv)")
        if row["statistical_lag"] not in ("true", "false"):
            raise RuleFileError(path, line, f"statistical_lag must be true or false, not {row['statistical_lag']!r}")
        codes[code] = Code(
            row["level_unit"],
            frozenset(row["raw_units"].split("|")) if row["raw_units"] else None,
            row["statistical_lag"] == "true",
            _words(row["requires"]),
            _words(row["vetoes"]),
        )
    return codes


def load_phrases(codes: dict[str, Code], path: Path = PHRASES_FILE) -> ahocorasick.Automaton:
    rows = list(csv_rows(path, ("phrase", "indicator", "after")))
    contexts = {row["indicator"] for _, row in rows if row["indicator"].startswith(CONTEXT_MARK)}
    phrases: dict[str, list[Candidate]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in rows:
        phrase, indicator, after = row["phrase"], row["indicator"], row["after"]
        if not phrase.strip() or phrase != phrase.strip():
            raise RuleFileError(path, line, f"blank or space-padded phrase {phrase!r}")
        if indicator != BLOCKS and indicator not in codes and not _CONTEXT_NAME.fullmatch(indicator):
            raise RuleFileError(path, line, f"{indicator!r} is no code of {CODES_FILE.name}, nor empty (the phrase "
                                            f"blocks the figure) nor a ~context name")
        for word in _words(after):
            if word not in codes and word not in contexts:
                raise RuleFileError(path, line, f"after names {word!r}, which is no code nor a ~context of the file")
        key = (phrase, indicator, after)
        if key in seen:
            raise RuleFileError(path, line, f"the same row as line {seen[key]}")
        seen[key] = line
        phrases.setdefault(phrase, []).append(Candidate(indicator, frozenset(_words(after))))
    automaton = ahocorasick.Automaton()
    for phrase, candidates in phrases.items():
        ordered = tuple(sorted(candidates, key=lambda c: not c.after))  # conditional readings first
        # web copies write GDP/gdp and R&D/r&d: add the cases rather than lower-case the text (offsets must hold)
        for variant in {phrase, phrase.lower(), phrase.upper()}:
            automaton.add_word(variant, (len(variant), phrase, ordered))
    automaton.make_automaton()
    return automaton


# What each table of cues.toml may hold: "words" is a list of cue words; a dict gives the keys a table may have.
_WORD_TABLES = {
    "kind": _KINDS,
    "year": ("previous", "current"),
    "measure": ("growth", "change", "decline", "share", "gap", "net"),
    "list": ("respectively", "each", "all"),
    "neutral": ("words",),
    "activity": ("words",),
    "completion": ("words",),
    "not_counts": ("after",),
    "contexts": ("whole_group",),
    "continuation": ("words",),
    "scope": ("outside", "inside", "rank_followers"),
    "span": ("from", "to"),
    "comparison": ("base",),
    "statistical_lag": ("current_year_titles",),
    "programme_year": ("name_ends",),
    "carry": ("bound_words",),
}
_OTHER_TABLES = ("kind_reach", "period", "variants", "attributive", "five_year_plans")


def _check_cues(toml: TomlRules, codes: dict[str, Code]) -> dict:
    rules = toml.check_keys((), toml.data, (*_WORD_TABLES, *_OTHER_TABLES))
    for table in (*_WORD_TABLES, *_OTHER_TABLES):
        if table not in rules:
            raise toml.error((), f"the table [{table}] is missing")
    for table, keys in _WORD_TABLES.items():
        for key, words in toml.check_keys((table,), rules[table], keys).items():
            toml.words((table, key), words)
    reach = toml.check_keys(("kind_reach",), rules["kind_reach"], ("clause_only", "won_outside_plans",
                                                                   "review_or_plan_headings", "target_leads",
                                                                   "forecast_notes"))
    for word in rules["contexts"].get("whole_group", ()):
        if not word.startswith("~"):
            raise toml.error(("contexts", "whole_group"), f"{word!r} is no ~context of indicators.csv")
    for key in ("won_outside_plans", "review_or_plan_headings", "target_leads", "forecast_notes"):
        toml.words(("kind_reach", key), reach.get(key, []))
    for kind in reach.get("clause_only", ()):
        if kind not in _KINDS:
            raise toml.error(("kind_reach", "clause_only"), f"unknown kind {kind!r}; the kinds are {', '.join(_KINDS)}")
    period = toml.check_keys(("period",), rules["period"], ("pattern_anchor", "words", "patterns"))
    for word, value in period["words"].items():
        if not isinstance(value, str) or not _PERIOD.fullmatch(value):
            raise toml.error(("period", "words", word), f"{value!r} is no period (FY, H1, H2, M1-6, MULTI)")
    for pattern, fmt in period["patterns"].items():
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise toml.error(("period", "patterns", pattern), f"bad regex {pattern!r}: {error}") from None
        if period["pattern_anchor"] not in pattern:
            raise toml.error(("period", "patterns", pattern), f"the pattern lacks the anchor {period['pattern_anchor']!r}")
        try:
            fmt.format(**dict.fromkeys(compiled.groupindex, "1"))
        except (KeyError, IndexError):
            raise toml.error(("period", "patterns", pattern), f"{fmt!r} names a group the pattern lacks") from None
    for base, by_code in rules["variants"].items():
        if base not in codes:
            raise toml.error(("variants", base), f"[variants.{base}]: {base!r} is no code of {CODES_FILE.name}")
        for code, words in toml.check_keys(("variants", base), by_code, codes).items():
            toml.words(("variants", base, code), words)
    for word, year in rules["five_year_plans"].items():
        if not isinstance(year, int) or not 1950 < year < 2100:
            raise toml.error(("five_year_plans", word), f"{word!r} must give the plan's last year, not {year!r}")
    attributive = toml.check_keys(("attributive",), rules["attributive"], ("right_window",))
    if not isinstance(attributive.get("right_window"), int):
        raise toml.error(("attributive", "right_window"), "right_window must be a whole number of characters")
    return rules


def load_cues(codes: dict[str, Code], path: Path = CUES_FILE) -> tuple[ahocorasick.Automaton, dict, dict]:
    rules = _check_cues(TomlRules(path), codes)
    tagged: dict[str, list[tuple[str, str | None]]] = {}

    def tag(words, kind, value=None):
        for word in words:
            tagged.setdefault(word, []).append((kind, value))

    for group in ("kind", "year", "measure", "list"):
        for value, words in rules[group].items():
            tag(words, group, value)
    for word, period in rules["period"]["words"].items():
        tag([word], "period", period)
    tag(rules["neutral"]["words"], "neutral")
    tag(rules["activity"]["words"], "activity")
    for word in rules["kind_reach"].get("target_leads", ()):  # a target cue of its own group too
        tag([word], "kind", "target")
        tag([word], "lead", "target")
    tag(rules["completion"]["words"], "measure", "gap")  # a completion rate is a gap, and more: see `completion`
    tag(rules["completion"]["words"], "completion")
    tag(rules["continuation"]["words"], "continuation")
    for plan, year in rules["five_year_plans"].items():  # also inside a longer cue word: “十三五”期间
        tag([plan, *(word for word in tagged if plan in word and word != plan)], "five_year_plan", year)
    for value, words in rules["span"].items():
        tag(words, "span", value)
    variants: dict[str, dict[str, str]] = {}
    for base, by_indicator in rules["variants"].items():
        for indicator, words in by_indicator.items():
            tag(words, "variant", base)
            variants.setdefault(base, {}).update(dict.fromkeys(words, indicator))
    automaton = ahocorasick.Automaton()
    for word, tags in tagged.items():
        automaton.add_word(word, (len(word), word, tuple(tags)))
    automaton.make_automaton()
    return automaton, variants, rules


CODES = load_codes()
PHRASES = load_phrases(CODES)
CUES, VARIANTS, CUE_RULES = load_cues(CODES)
BASE_OF = {variant: base for base, words in VARIANTS.items() for variant in words.values()}
# Every period cue word, to find the sentences that may hold one (the cue scan then reads them exactly).
PERIOD_WORD = re.compile("|".join(map(re.escape, CUE_RULES["period"]["words"])))
PERIOD_ANCHOR = CUE_RULES["period"]["pattern_anchor"]
PERIOD_PATTERNS = [(re.compile(p), fmt) for p, fmt in CUE_RULES["period"]["patterns"].items()]
OUTSIDE_SCOPES = tuple(CUE_RULES["scope"]["outside"])
INSIDE_SCOPES = tuple(CUE_RULES["scope"]["inside"])
RANK_FOLLOWERS = tuple(CUE_RULES["scope"]["rank_followers"])
WHOLE_GROUP_CONTEXTS = frozenset(CUE_RULES["contexts"].get("whole_group", ()))
NOT_COUNTS_AFTER = tuple(CUE_RULES["not_counts"]["after"])
RIGHT_WINDOW = int(CUE_RULES["attributive"]["right_window"])
CLAUSE_ONLY_KINDS = frozenset(CUE_RULES["kind_reach"]["clause_only"])
WON_OUTSIDE_PLANS = frozenset(CUE_RULES["kind_reach"].get("won_outside_plans", ()))
REVIEW_OR_PLAN_HEADINGS = frozenset(CUE_RULES["kind_reach"].get("review_or_plan_headings", ()))
FORECAST_NOTES = frozenset(CUE_RULES["kind_reach"].get("forecast_notes", ()))
FIVE_YEAR_PLANS = dict(CUE_RULES["five_year_plans"])
COMPARISON_BASES = tuple(CUE_RULES["comparison"]["base"])
CURRENT_YEAR_TITLES = tuple(CUE_RULES["statistical_lag"]["current_year_titles"])
CARRY_BOUND_WORDS = tuple(CUE_RULES["carry"]["bound_words"])
# what may follow a …年度 that opens a programme's or award's name: a short run of its clause, no digit, then its end
PROGRAMME_NAME = re.compile(
    "[^\\d,，;；。:：\n]{0,14}?(?:" + "|".join(map(re.escape, CUE_RULES["programme_year"]["name_ends"])) + ")")
