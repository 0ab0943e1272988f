"""Synthetic 科技局 work reports whose facts are known, for property tests and scale benchmarks.

A report is composed from the templates in `rules/synth_templates.toml`: a title, a preamble, numbered sections
(achievements, problems, plan) and sentences whose figures carry their truth as the annotation guide defines it
(year, period, kind, bound ...). The text is already normalised (ASCII `,` `(` `)` `%` `;`), so offsets into it
survive `ingest.normalise`.

No maintained library generates Chinese report text with aligned ground truth (Faker and the like give names and
addresses, not figures with their annotation), hence this module.
"""

from __future__ import annotations

import math
import os
import random
import re
import tomllib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

RULES_FILE = Path(__file__).parent / "rules" / "synth_templates.toml"
DOC_TYPES = ("summary_and_plan", "annual_summary", "half_year_summary", "work_points")


@dataclass(frozen=True, slots=True)
class ExpectedFact:
    indicator: str
    measure: str          # level | growth_pct | change_pp | rank | share_pct
    value: float
    unit: str             # CNY | count | percent | pp | rank
    year: int
    year_source: str      # explicit | report | statistical_lag
    period: str           # FY | H1 | M1-5 ...
    kind: str             # actual | target | forecast
    bound: str            # exact | at_least | about | range
    region: str
    offset: int           # the number's first character in the text
    span_start: int       # the figure's first character, bound and scope words included ("突破2000家", "全省第3位")
    span_end: int         # one past the figure's last character (unit, 以上/左右 included)
    value_max: float | None = None   # upper end of a range
    template: str = ""    # the template that wrote the sentence, for failure messages


@dataclass(frozen=True, slots=True)
class SyntheticReport:
    text: str
    facts: list[ExpectedFact]


# ------------------------------------------------------------------ rules, read once

@dataclass(frozen=True, slots=True)
class _Indicator:
    code: str
    unit: str
    written: str
    low: float
    high: float
    decimals: bool
    count_units: tuple[str, ...]
    phrases: tuple[str, ...]
    share_wholes: tuple[str, ...]
    tags: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Template:
    name: str
    kind: str                          # actual | forecast | target
    tokens: tuple[tuple[str, int, str], ...]   # (slot or "", indicator slot number, literal)
    slots: tuple[int, ...]             # indicator slot numbers in use
    eligible: dict[int, tuple[str, ...]]   # slot -> indicator codes that fit it (fixed templates: one each)
    bounds: tuple[str, ...]
    bound: str
    period: str | None
    has_semicolon: bool


@dataclass(frozen=True, slots=True)
class _Prefix:
    text: str
    year: int | None                   # offset from the report year when the prefix writes one
    period: str | None


_NO_PREFIX = _Prefix("", None, None)
_SLOT = re.compile(r"\{([A-Z]+)(\d)\}")
_SCALE = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "元": Decimal(1)}
_CN_DIGITS = "零一二三四五六七八九十"


def _load_indicator(code: str, raw: dict) -> _Indicator:
    tags = set(raw.get("tags", ()))
    tags.add({"CNY": "money", "count": "count", "percent": "percent"}[raw["unit"]])
    if "change" not in tags:  # a change of a stock (净增) has no growth of its own: one written after it is the stock's
        tags.add("pp" if raw["unit"] == "percent" else "growth")
    if raw["unit"] == "count" and raw["amount"][1] <= 200:
        tags.add("small")
    return _Indicator(code, raw["unit"], raw.get("written", ""), raw["amount"][0], raw["amount"][1],
                      raw.get("decimals", False), tuple(raw.get("count_units", ())), tuple(raw["phrases"]),
                      tuple(raw.get("share_wholes", ())), frozenset(tags))


def _load_template(raw: dict, kind: str, indicators: dict[str, _Indicator]) -> _Template:
    text = raw["text"]
    tokens, last = [], 0
    for match in _SLOT.finditer(text):
        if match.start() > last:
            tokens.append(("", 0, text[last:match.start()]))
        tokens.append((match.group(1), int(match.group(2)), ""))
        last = match.end()
    if last < len(text):
        tokens.append(("", 0, text[last:]))
    slots = tuple(sorted({n for slot, n, _ in tokens if slot}))
    fixed = raw.get("indicators")
    if fixed:
        eligible = {n: (fixed[n - 1],) for n in slots}
    else:
        eligible = {n: tuple(code for code, ind in indicators.items()
                             if set(raw.get(f"needs{n}", ())) <= ind.tags
                             and not ind.tags & set(raw.get("avoid", ()))
                             and not (raw.get("no_lag") and "lag" in ind.tags)) for n in slots}
    return _Template(raw["name"], kind, tuple(tokens), slots, eligible,
                     tuple(raw.get("bounds", ("exact", "at_least", "about"))), raw.get("bound", "exact"),
                     raw.get("period"), ";" in text)


def _load_rules() -> dict:
    raw = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    indicators = {code: _load_indicator(code, spec) for code, spec in raw["indicators"].items()}
    templates = {part: [_load_template(t, kind, indicators) for t in raw[part]]
                 for part, kind in (("summary", "actual"), ("forecast", "forecast"), ("plan", "target"))}
    prefixes = {name: [_Prefix(p["text"], p.get("year"), p.get("period")) for p in entries]
                for name, entries in raw["prefixes"].items()}
    return {"raw": raw, "indicators": indicators, "templates": templates, "prefixes": prefixes,
            "level_forms": {b: [tuple(f) for f in forms] for b, forms in raw["level_forms"].items()},
            "level_forms_flow": {b: [tuple(f) for f in forms] for b, forms in raw["level_forms_flow"].items()},
            "bound_prefix_words": tuple(raw["bound_prefix_words"])}


RULES = _load_rules()
_RAW = RULES["raw"]
_DOC = _RAW["doc"]
_FILLER = _RAW["filler"]


# ------------------------------------------------------------------ numbers

def _pick(rng: random.Random, options):
    # random.choice and randint cost several times a bare random() call; corpus generation draws a few hundred
    # times per report, so the hot paths use these two.
    return options[int(rng.random() * len(options))]


def _randint(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _fmt(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _two_significant(x: float) -> float:
    step = 10.0 ** (math.floor(math.log10(x)) - 1)
    return max(round(x / step) * step, step)


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _level_number(rng: random.Random, ind: _Indicator, bound: str) -> tuple[str, str, float]:
    """(number as written, unit as written, value in the canonical unit) of a level of `ind`."""
    round_figure = bound != "exact"
    if ind.unit == "percent":
        x = rng.uniform(ind.low, ind.high)
        number = _fmt(x, _pick(rng, (0, 1)) if round_figure else _pick(rng, (1, 2, 2)))
        return number, "%", float(number)
    if ind.unit == "count":
        x = _log_uniform(rng, ind.low, ind.high)
        if ind.decimals:
            number = _fmt(x, 0 if round_figure else _pick(rng, (1, 2)))
        else:
            number = str(int(_two_significant(x) if round_figure else max(round(x), 1)))
        return number, _pick(rng, ind.count_units), float(number)
    x, written = _log_uniform(rng, ind.low, ind.high), ind.written
    roll = rng.random()
    if written == "亿元" and x < 10 and roll < 0.3:
        x, written = x * 10_000, "万元"
    elif written == "万元" and x >= 10_000 and roll < 0.3:
        x, written = x / 10_000, "亿元"
    elif written == "万元" and x < 1_000 and roll < 0.1:
        x, written = x * 10_000, "元"
    if round_figure:
        x = _two_significant(x)
        number = _fmt(x, 0 if x >= 10 else 1)
    else:
        number = _fmt(x, 0 if written == "元" else _pick(rng, (0, 1, 2, 2)))
    if float(number) == 0:
        number = "1"
    return number, written, float(Decimal(number) * _SCALE[written])


# ------------------------------------------------------------------ writing with offsets

@dataclass(slots=True)
class _Part:
    """What a sentence's figures are when the sentence itself says nothing about time or kind."""
    kind: str                 # actual | target
    heading_year: int | None  # a year named in the section heading
    period: str               # FY, or H1 in a half-year summary's achievements
    statistical_lag: bool     # an annual summary's achievements: R&D figures are about the year before
    allow_lag: bool           # whether R&D figures may appear at all (not in half-year achievements)
    prefixes: list[_Prefix]   # time words one of which starts each sentence ("" among them: none)
    lag_prefixes: list[_Prefix]   # the same for sentences holding a lagged R&D figure, when statistical_lag
    allow_lists: bool = True  # templates with ";" (a prefix reaches only their first clause group)
    # A period other than the part's default was said earlier in the current paragraph. Whether it reaches the
    # next sentences is not settled by the guide, so from then on every sentence of the paragraph says its own.
    period_said: bool = False


class _Writer:
    def __init__(self, rng: random.Random, region: str, province: str, year: int, record: bool) -> None:
        self.rng, self.region, self.year = rng, region, year
        self.record = record      # False when only the text is wanted (corpus files): facts cost time to build
        self.short = region.removesuffix("市")
        self.province = province
        self.chunks: list[str] = []
        self.pos = 0
        self.facts: list[ExpectedFact] = []
        # (indicator, measure, value) already stated: the guide merges equal statements' periods, so none repeats.
        self.stated: set[tuple[str, str, float]] = set()

    def add(self, text: str) -> None:
        self.chunks.append(text)
        self.pos += len(text)

    def fill(self, text: str) -> str:
        if "{" not in text:
            return text
        return (text.replace("{Y}", str(self.year)).replace("{Y-1}", str(self.year - 1))
                .replace("{Y+1}", str(self.year + 1)).replace("{CITY}", self.region)
                .replace("{SHORT}", self.short).replace("{PROVINCE}", self.province))

    def line(self, text: str) -> None:
        self.add(self.fill(text) + "\n")


def _when(w: _Writer, part: _Part, ind: _Indicator, prefix: _Prefix | None,
          template_period: str | None) -> tuple[int, str, str]:
    """(year, year_source, period) of a figure of `ind`, by the annotation guide's rules."""
    period = (prefix.period if prefix else None) or template_period or part.period
    if prefix is not None and prefix.year is not None:
        return w.year + prefix.year, "explicit", period
    if part.heading_year is not None:
        return part.heading_year, "explicit", period
    if part.statistical_lag and "lag" in ind.tags:
        return w.year - 1, "statistical_lag", period
    return w.year, "report", period


def _figure(w: _Writer, slot: str, ind: _Indicator, tpl: _Template, bound: str, preceding: str
            ) -> tuple[str, int, int, str, float, str, str, float | None]:
    """(text, offset of the number in text, offset of the figure in text, measure, value, unit, bound, value_max)."""
    rng = w.rng
    if slot == "LV":
        verb, before, after = _pick(rng, RULES["level_forms_flow" if "flow" in ind.tags else "level_forms"][bound])
        number, unit, value = _level_number(rng, ind, bound)
        if after == "余" and ("." in number or value < 10 or unit == "%"):
            verb, before, after = "", "近", ""
        figure = before + number + ("余" + unit if after == "余" else unit + after)
        return verb + figure, len(verb) + len(before), len(verb), "level", value, ind.unit, bound, None
    if slot == "L":
        number, unit, value = _level_number(rng, ind, tpl.bound)
        start = next((-len(word) for word in RULES["bound_prefix_words"] if preceding.endswith(word)), 0)
        return number + unit, 0, start, "level", value, ind.unit, tpl.bound, None
    if slot == "LR":
        low = int(_two_significant(_log_uniform(rng, max(ind.low, 2), ind.high)))
        high = low + max(1, int(_two_significant(low * rng.uniform(0.1, 0.3))))
        return f"{low}-{high}{_pick(rng, ind.count_units)}", 0, 0, "level", float(low), ind.unit, "range", float(high)
    if slot in ("G", "GB"):
        if slot == "G" and rng.random() < 0.05:
            number = _fmt(rng.uniform(1.1, 3.5), 1)
            return number + "倍", 0, 0, "growth_pct", float(Decimal(number) * 100), "percent", "exact", None
        if slot == "GB":   # a target growth: a rounder figure, maybe with 以上/左右
            growth_bound, number = _pick(rng, ("exact", "at_least", "about")), _fmt(rng.uniform(3, 30), _pick(rng, (0, 1)))
        else:
            growth_bound, number = "exact", _fmt(rng.uniform(0.5, 60), _pick(rng, (0, 1, 2)))
        suffix = _RAW["growth"]["target_suffix"].get(growth_bound, "")
        return number + "%" + suffix, 0, 0, "growth_pct", float(number), "percent", growth_bound, None
    if slot in ("C", "CU"):
        number = _fmt(rng.uniform(0.01, 1.2), 2) if slot == "C" else _fmt(rng.uniform(0.1, 1.0), _pick(rng, (1, 2)))
        down = slot == "C" and rng.random() < 0.2
        word = "" if slot == "CU" else _pick(rng, _RAW["growth"]["pp_down" if down else "pp_up"])
        value = -float(number) if down else float(number)
        return word + number + "个百分点", len(word), len(word), "change_pp", value, "pp", "exact", None
    if slot == "S":
        number = _fmt(rng.uniform(5, 95), _pick(rng, (1, 2)))
        return number + "%", 0, 0, "share_pct", float(number), "percent", "exact", None
    if slot == "R":
        scope, top = _pick(rng, _RAW["rank"]["scopes"])
        n = _randint(rng, 1, top)
        written = _CN_DIGITS[n] if n <= 10 and rng.random() < 0.3 else str(n)
        form = _pick(rng, _RAW["rank"]["forms"])
        text = form.format(scope=scope, n=written)
        return text, text.index("第") + 1, 0, "rank", float(n), "rank", "exact", None
    raise ValueError(f"unknown slot {slot!r} in template {tpl.name}")


def _fits(code: str, tpl: _Template, part: _Part, taken: set[str]) -> bool:
    if code in taken:
        return False
    if "lag" not in RULES["indicators"][code].tags:
        return True
    return part.allow_lag and not (tpl.has_semicolon and part.heading_year is not None)


def _pick_indicators(w: _Writer, tpl: _Template, part: _Part, used: set[str]) -> dict[int, _Indicator] | None:
    """Indicators for the template's slots, each unused so far in this part of the report; None if none fit."""
    if tpl.has_semicolon and not part.allow_lists:
        return None
    rng, indicators = w.rng, RULES["indicators"]
    chosen: dict[int, _Indicator] = {}
    taken = set(used)
    for n in tpl.slots:
        options = tpl.eligible[n]
        # A few random draws find a free indicator almost always; the full scan is only the fallback.
        code = next((c for c in (options[int(rng.random() * len(options))] for _ in range(6))
                     if _fits(c, tpl, part, taken)), None)
        if code is None:
            free = [c for c in options if _fits(c, tpl, part, taken)]
            if not free:
                return None
            code = free[int(rng.random() * len(free))]
        chosen[n] = indicators[code]
        taken.add(code)
    return chosen


def _sentence(w: _Writer, tpl: _Template, part: _Part, used: set[str]) -> bool:
    """Write one sentence of `tpl` with its facts; False (nothing written) when it cannot be written here."""
    if tpl.has_semicolon and part.period_said:
        return False   # it would write figures with no period of their own after a period cue in the paragraph
    chosen = _pick_indicators(w, tpl, part, used)
    if chosen is None:
        return False
    rng = w.rng
    prefix = None
    if tpl.kind != "forecast" and not tpl.has_semicolon:
        holds_lag = any("lag" in ind.tags for ind in chosen.values())
        options = part.lag_prefixes if holds_lag and part.statistical_lag else part.prefixes
        if holds_lag and part.heading_year is not None:
            options = [p for p in options if p.year is not None]   # under a year heading R&D names its own year
        if part.period_said:
            options = [p for p in options if p.period]
            if not options:
                return False
        prefix = _pick(rng, options) if options else None
    said = (prefix.period if prefix else None) or tpl.period
    if said and said != part.period:
        part.period_said = True
    used.update(ind.code for ind in chosen.values())
    if prefix is not None:
        w.add(w.fill(prefix.text))
    bound = _pick(rng, tpl.bounds)
    clause_group, preceding = 0, ""
    for slot, n, literal in tpl.tokens:
        if not slot:
            text = w.fill(literal)
            clause_group += text.count(";")
            preceding = text
            w.add(text)
            continue
        ind = chosen[n]
        if slot == "P":
            preceding = _pick(rng, ind.phrases)
            w.add(preceding)
            continue
        if slot == "W":
            preceding = _pick(rng, ind.share_wholes)
            w.add(preceding)
            continue
        for _ in range(8):
            text, number_at, figure_at, measure, value, unit, fact_bound, value_max = _figure(
                w, slot, ind, tpl, bound, preceding)
            if (ind.code, measure, value) not in w.stated:
                break
        w.stated.add((ind.code, measure, value))
        if w.record:
            year, year_source, period = _when(w, part, ind, prefix if clause_group == 0 else None, tpl.period)
            kind = tpl.kind if tpl.kind != "actual" else part.kind
            w.facts.append(ExpectedFact(ind.code, measure, value, unit, year, year_source, period, kind, fact_bound,
                                        w.region, w.pos + number_at, w.pos + figure_at, w.pos + len(text),
                                        value_max, tpl.name))
        preceding = text
        w.add(text)
    return True


# ------------------------------------------------------------------ filler and structure

def _compose_fillers(count: int) -> tuple[str, ...]:
    # Composed once at import with a fixed seed: drawing whole sentences from this pool keeps corpus generation
    # fast (filler is most of a report's text) while every report still reads differently.
    rng = random.Random(0)
    openers, objects, results = _FILLER["openers"], _FILLER["objects"], _FILLER["results"]
    sentences = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.45:
            sentences.append(f"{rng.choice(openers)}{rng.choice(objects)},{rng.choice(results)}。")
        elif roll < 0.75:
            sentences.append(f"{rng.choice(openers)}{rng.choice(objects)},{rng.choice(openers)}"
                             f"{rng.choice(objects)},{rng.choice(results)}。")
        elif roll < 0.9:
            sentences.append(rng.choice(_FILLER["standalone"]))
        else:
            sentences.append(rng.choice(_FILLER["numeric"]).format(n=rng.randint(3, 60), m=rng.randint(60, 3000)))
    return tuple(sentences)


_FILLERS = _compose_fillers(4000)


def _fillers(rng: random.Random, count: int) -> str:
    return "".join(rng.choices(_FILLERS, k=count))


def _paragraph(w: _Writer, part: _Part, used: set[str], n_facts: int, n_fillers: int,
               forecast_chance: float = 0.0) -> None:
    """A paragraph of filler with `n_facts` fact sentences spread through it, then a line break."""
    rng = w.rng
    pools = RULES["templates"]
    part.period_said = False
    gap = n_fillers // (n_facts + 1)
    for _ in range(n_facts):
        w.add(_fillers(rng, int(rng.random() * (2 * gap + 1))))
        if part.kind == "target":
            pool = pools["plan"]
        elif rng.random() < forecast_chance:
            pool = pools["forecast"]
        else:
            pool = pools["summary"]
        for _ in range(4):   # a template whose indicators are all used: try another
            if _sentence(w, pool[int(rng.random() * len(pool))], part, used):
                break
    w.add(_fillers(rng, gap))
    w.add("\n")


def _subsections(w: _Writer, part: _Part, used: set[str], headings: list[str], count: int,
                 facts: tuple[int, int], fillers: tuple[int, int], forecast_chance: float = 0.0) -> None:
    rng = w.rng
    for i, heading in enumerate(rng.sample(headings, count)):
        w.line(f"({_DOC['ordinals'][i]}){heading}")
        _paragraph(w, part, used, _randint(rng, *facts), _randint(rng, *fillers), forecast_chance)


def _problems(w: _Writer, number: str) -> None:
    rng = w.rng
    w.line(f"{number}、{_pick(rng, _DOC['problem_headings'])}")
    w.line("".join(rng.sample(_DOC["subsections"]["problems"], _randint(rng, 2, 4))))


def _annual(w: _Writer, with_plan: bool) -> None:
    rng, year = w.rng, w.year
    prefixes = RULES["prefixes"]
    w.line(_pick(rng, _DOC["titles"]["summary_and_plan" if with_plan else "annual_summary"]))
    root = _Part("actual", None, "FY", statistical_lag=True, allow_lag=True, prefixes=prefixes["annual"],
                 lag_prefixes=prefixes["annual_lag"])
    used: set[str] = set()
    w.add(w.fill(_pick(rng, _DOC["preamble"]["summary"])))
    _paragraph(w, root, used, _randint(rng, 1, 2), 0)
    heading_has_year = rng.random() < 0.25
    heading = _pick(rng, _DOC["summary_headings_with_year" if heading_has_year else "summary_headings"])
    w.line(f"一、{heading}")
    achievements = _Part("actual", year if heading_has_year else None, "FY", statistical_lag=True, allow_lag=True,
                         prefixes=prefixes["annual"], lag_prefixes=prefixes["annual_lag"])
    # A summary without a plan part says more about the year, so that every kind of report is 8-12 KB.
    fillers = (9, 15) if with_plan else (15, 22)
    _subsections(w, achievements, used, _DOC["subsections"]["summary"], _randint(rng, 4, 6), (2, 4), fillers, 0.08)
    number = 1
    if rng.random() < 0.8:
        number += 1
        _problems(w, _DOC["ordinals"][number - 1])
    if with_plan:
        number += 1
        _plan(w, _DOC["ordinals"][number - 1], _pick(rng, _DOC["plan_headings"]), _DOC["preamble"]["plan_intro"],
              _Part("target", year + 1, "FY", statistical_lag=False, allow_lag=True, prefixes=[_NO_PREFIX],
                    lag_prefixes=[]))


def _plan(w: _Writer, number: str, heading: str, intro: list[str], part: _Part) -> None:
    rng = w.rng
    w.line(f"{number}、{heading}")
    w.line(_pick(rng, intro))
    used: set[str] = set()
    count = _randint(rng, 3, 5)
    w.line(f"(一){_DOC['work_points_target_heading']}")
    _paragraph(w, part, used, _randint(rng, 2, 4), 0)
    for i, sub in enumerate(rng.sample(_DOC["subsections"]["plan"], count - 1), start=1):
        w.line(f"({_DOC['ordinals'][i]}){sub}")
        _paragraph(w, part, used, _randint(rng, 1, 2), _randint(rng, 6, 10))


def _half_year(w: _Writer) -> None:
    rng = w.rng
    prefixes = RULES["prefixes"]
    w.line(_pick(rng, _DOC["titles"]["half_year_summary"]))
    achievements = _Part("actual", None, "H1", statistical_lag=False, allow_lag=False, prefixes=prefixes["half_year"],
                         lag_prefixes=[])
    used: set[str] = set()
    w.add(w.fill(_pick(rng, _DOC["preamble"]["half_year"])))
    _paragraph(w, achievements, used, _randint(rng, 1, 2), 0)
    w.line(f"一、{_pick(rng, _DOC['half_year_headings'])}")
    _subsections(w, achievements, used, _DOC["subsections"]["summary"], _randint(rng, 4, 6), (2, 4), (9, 15), 0.1)
    _problems(w, "二")
    # Plan targets of a half-year report say 全年 so that the 下半年 heading does not make them H2; a list
    # sentence could not carry 全年 into its later clause groups, so none is written.
    plan_part = _Part("target", None, "FY", statistical_lag=False, allow_lag=True, prefixes=prefixes["half_year_plan"],
                      lag_prefixes=[], allow_lists=False)
    _plan(w, "三", _pick(rng, _DOC["half_year_plan_headings"]), _DOC["preamble"]["half_year_plan_intro"], plan_part)


def _work_points(w: _Writer) -> None:
    rng = w.rng
    prefixes = RULES["prefixes"]
    w.line(_pick(rng, _DOC["titles"]["work_points"]))
    w.add(w.fill(_pick(rng, _DOC["preamble"]["work_points"])))
    recalled = _Part("actual", None, "FY", statistical_lag=False, allow_lag=True, prefixes=prefixes["previous_year"],
                     lag_prefixes=[])
    _paragraph(w, recalled, set(), _randint(rng, 0, 2), 0)
    w.line(f"一、{_DOC['work_points_idea_heading']}")
    w.line(_pick(rng, _DOC["preamble"]["work_points_idea"]))
    targets = _Part("target", None, "FY", statistical_lag=False, allow_lag=True, prefixes=[_NO_PREFIX], lag_prefixes=[])
    used: set[str] = set()
    w.line(f"二、{_DOC['work_points_target_heading']}")
    _paragraph(w, targets, used, _randint(rng, 3, 5), 0)
    w.line(f"三、{_DOC['work_points_task_heading']}")
    _subsections(w, targets, used, _DOC["subsections"]["plan"], _randint(rng, 4, 6), (1, 3), (16, 24))


def _compose(rng: random.Random, region: str, province: str, year: int, doc_type: str, record: bool) -> _Writer:
    w = _Writer(rng, region, province, year, record)
    if doc_type in ("summary_and_plan", "annual_summary"):
        _annual(w, with_plan=doc_type == "summary_and_plan")
    elif doc_type == "half_year_summary":
        _half_year(w)
    elif doc_type == "work_points":
        _work_points(w)
    else:
        raise ValueError(f"doc_type must be one of {DOC_TYPES}, not {doc_type!r}")
    return w


def generate_report(rng: random.Random, *, region: str, province: str, year: int, doc_type: str
                    ) -> SyntheticReport:
    """One report of `doc_type` about `region` for `year`, with every fact its text states."""
    w = _compose(rng, region, province, year, doc_type, record=True)
    return SyntheticReport("".join(w.chunks), sorted(w.facts, key=lambda f: f.offset))


def _random_kind(rng: random.Random) -> dict:
    regions = _RAW["regions"]
    region, province = _pick(rng, regions["cities"])
    weights = regions["doc_type_weights"]
    doc_type = rng.choices(list(weights), weights=list(weights.values()))[0]
    return {"region": region, "province": province, "year": _randint(rng, *regions["years"]), "doc_type": doc_type}


def random_report(rng: random.Random) -> SyntheticReport:
    """A report of a random city, year and kind."""
    return generate_report(rng, **_random_kind(rng))


def corpus_text(seed: int, i: int) -> str:
    """The text of document `i` of the corpus for `seed`: `random_report`'s text for the same generator."""
    rng = random.Random(seed * 1_000_003 + i)   # one generator per document: document i never depends on n_docs
    return "".join(_compose(rng, **_random_kind(rng), record=False).chunks)


def _write_range(seed: int, out_dir: Path, start: int, stop: int) -> list[Path]:
    paths = []
    for i in range(start, stop):
        path = out_dir / f"synth_{i:05d}.txt"
        path.write_text(corpus_text(seed, i), encoding="utf-8")
        paths.append(path)
    return paths


def generate_corpus(n_docs: int, seed: int, out_dir: Path) -> list[Path]:
    """Write `n_docs` UTF-8 reports to `out_dir` (synth_00000.txt ...); the same seed writes the same files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = os.cpu_count() or 1
    if n_docs < 2_000 or workers == 1:
        return _write_range(seed, out_dir, 0, n_docs)
    # Generation is pure Python and CPU-bound: for scale corpora, one process per core.
    bounds = [n_docs * k // workers for k in range(workers + 1)]
    with ProcessPoolExecutor(workers) as pool:
        parts = pool.map(_write_range, [seed] * workers, [out_dir] * workers, bounds[:-1], bounds[1:])
        return [path for part in parts for path in part]


if __name__ == "__main__":
    import sys

    sample = random_report(random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    print(sample.text)
    for fact in sample.facts:
        print(sample.text[fact.span_start:fact.span_end], fact)
