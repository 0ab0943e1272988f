"""The facts stage's rule tables, read once at import: indicator phrases (`rules/indicators.csv`), each code's
units and conditions (`rules/facts_codes.csv`), and the cue words of kind, period, year, measure, lists and variants
(`rules/cues.toml`), compiled into Aho-Corasick automata and regexes for `pipelines.facts`."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path
from typing import NamedTuple

import ahocorasick

_RULES = Path(__file__).parent.parent / "rules"

class Candidate(NamedTuple):
    indicator: str         # a code; "" blocks the figure (the phrase names something else); "~x" is context only
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


def _words(cell: str) -> tuple[str, ...]:
    return tuple(w for w in cell.split("|") if w)


def load_phrases() -> ahocorasick.Automaton:
    phrases: dict[str, list[Candidate]] = {}
    with open(_RULES / "indicators.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            phrases.setdefault(row["phrase"], []).append(Candidate(row["indicator"], frozenset(_words(row["after"]))))
    automaton = ahocorasick.Automaton()
    for phrase, candidates in phrases.items():
        ordered = tuple(sorted(candidates, key=lambda c: not c.after))  # conditional readings first
        # web copies write GDP/gdp and R&D/r&d: add the cases rather than lower-case the text (offsets must hold)
        for variant in {phrase, phrase.lower(), phrase.upper()}:
            automaton.add_word(variant, (len(variant), phrase, ordered))
    automaton.make_automaton()
    return automaton


def load_codes(path: Path = _RULES / "facts_codes.csv") -> dict[str, Code]:
    """Each code's rules, read by column name: the file's other columns (names, aggregation) are not ours."""
    with open(path, encoding="utf-8", newline="") as f:
        return {
            row["code"]: Code(
                row["level_unit"],
                frozenset(row["raw_units"].split("|")) if row["raw_units"] else None,
                row["statistical_lag"] == "true",
                _words(row["requires"]),
                _words(row["vetoes"]),
            )
            for row in csv.DictReader(f)
        }


def load_cues() -> tuple[ahocorasick.Automaton, dict, dict]:
    with open(_RULES / "cues.toml", "rb") as f:
        rules = tomllib.load(f)
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
    tag(rules["continuation"]["words"], "continuation")
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


PHRASES = load_phrases()
CODES = load_codes()
CUES, VARIANTS, CUE_RULES = load_cues()
BASE_OF = {variant: base for base, words in VARIANTS.items() for variant in words.values()}
# Every period cue word, to find the sentences that may hold one (the cue scan then reads them exactly).
PERIOD_WORD = re.compile("|".join(map(re.escape, CUE_RULES["period"]["words"])))
PERIOD_ANCHOR = CUE_RULES["period"]["pattern_anchor"]
PERIOD_PATTERNS = [(re.compile(p), fmt) for p, fmt in CUE_RULES["period"]["patterns"].items()]
OUTSIDE_SCOPES = tuple(CUE_RULES["scope"]["outside"])
INSIDE_SCOPES = tuple(CUE_RULES["scope"]["inside"])
RANK_FOLLOWERS = tuple(CUE_RULES["scope"]["rank_followers"])
RIGHT_WINDOW = int(CUE_RULES["attributive"]["right_window"])
CLAUSE_ONLY_KINDS = frozenset(CUE_RULES["kind_reach"]["clause_only"])
