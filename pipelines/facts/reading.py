"""One figure and what it is read as: the figure's clause bounds and cue words (`Figure`), a reading of it as one
indicator (`Reading`, built by `read_as`, which applies the measure rules and each code's unit, counting-word and
scope conditions), and the state a sentence carries from figure to figure (`SentenceState`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.facts.rules import BASE_OF, CODES, VARIANTS, Hit
from pipelines.facts.scan import DocScan, tagged

if TYPE_CHECKING:
    from pipelines.mentions import Mention
    from pipelines.segment import Sentence

_PERCENT_MEASURES = {"growth": "growth_pct", "share": "share_pct"}


# ---- one figure -----------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Figure:
    mention: Mention
    sentence: Sentence
    clause_lo: int        # after the previous , ; 。 or number
    phrase_lo: int        # clause_lo, or after a phrase the previous figure took from its right
    group_lo: int         # after the previous ; or 。
    right_hi: int         # where the clause or the next number begins
    group_cues: list[Hit]   # the cue words in [group_lo, mention.start)
    clause_cues: list[Hit]  # the cue words in [clause_lo, mention.start)
    in_clause: Sequence[Hit] = ()  # the phrases in [phrase_lo, mention.start), set when the figure is read
    _clause_tags: dict | None = None  # clause_cues by tag kind, built on first use (read ~10 times a figure)
    _group_tags: dict | None = None   # group_cues by tag kind, likewise

    def clause_tagged(self, kind: str) -> list[tuple[Hit, str | None]]:
        """(hit, value) of the clause's cue words tagged `kind` (tagged(clause_cues, kind), computed once)."""
        if self._clause_tags is None:
            self._clause_tags = _by_tag(self.clause_cues)
        return self._clause_tags.get(kind, [])

    def group_tagged(self, kind: str) -> list[tuple[Hit, str | None]]:
        """(hit, value) of the clause group's cue words tagged `kind` (tagged(group_cues, kind), computed once)."""
        if self._group_tags is None:
            self._group_tags = _by_tag(self.group_cues)
        return self._group_tags.get(kind, [])

    def cues(self, scan: DocScan, lo: int, hi: int) -> list[Hit]:
        """The cue words in [lo, hi), from the figure's own lists where they hold them."""
        if hi == self.mention.start and lo >= self.group_lo:
            return self.clause_cues if lo == self.clause_lo else [h for h in self.group_cues if h.start >= lo]
        return scan.cue_hits(lo, hi)


@dataclass(slots=True)
class Reading:
    indicator: str
    phrase: str
    measure: str
    value: float | None
    unit: str
    phrase_end: int       # how far right the words read for this figure reach
    bound: str | None = None  # a bound the figure takes from its list (分别突破2000家、3000家)
    construction: str = ""    # the construction that read it (pipelines/facts/constructions.py)


@dataclass(slots=True)
class SentenceState:
    last: Reading | None = None           # the sentence's previous fact, for growth/share/rank right after it
    listed: list[tuple[str, str]] = field(default_factory=list)   # the indicators of the sentence's 分别 list
    listed_lo: int = -1                    # where that list's clause group begins
    pending: list[tuple[str, str] | None] = field(default_factory=list)  # those still owed a figure (None: no fact)
    pending_bound: str = "exact"
    pending_from: int = 0                  # where the list's words (分别增长 …) begin, read for each of its figures
    consumed_until: int = 0                # a phrase read right of a count is not read again left of the next
    figures: list[Reading | None] = field(default_factory=list)  # what each value figure so far was read as
    loose: bool = False                    # list items may bring their own measure word (、提高0.06个百分点)
    carried: Reading | None = None         # a sentence naming no indicator: the paragraph's previous sentence's last fact


def resolve(hit: Hit, context: str | None) -> str | None:
    """The indicator a phrase names here, BLOCKS ("") when it blocks, None when its condition fails."""
    for candidate in hit.tags:
        if not candidate.after or context in candidate.after:
            return candidate.indicator
    return None


def base_code(indicator: str) -> str:
    return BASE_OF.get(indicator, indicator)


def variants_in(hits: list[Hit], base: str) -> list[str]:
    """The flows or stocks the variant cues among `hits` name, in text order (高企新申报数 -> applications)."""
    words = VARIANTS.get(base)
    if not words:
        return []
    return [words[hit.word] for hit, value in tagged(hits, "variant") if value == base]


def with_variant(scan: DocScan, fig: Figure, indicator: str, lo: int, hi: int) -> str:
    named = variants_in(fig.cues(scan, lo, hi), base_code(indicator)) if base_code(indicator) in VARIANTS else None
    return named[-1] if named else indicator


def measure_of(mention: Mention, cue: str | None, level_unit: str) -> tuple[str, float | None, str] | None:
    """(measure, value, unit) the figure states given the nearest measure cue before it, or None."""
    value, category = mention.value, mention.category
    if category == "pp" or mention.unit == "pp":
        return "change_pp", (-value if cue == "decline" and value else value), "pp"
    if category == "rank" or mention.unit == "rank":
        return "rank", value, "rank"
    if category in ("multiple", "fraction"):
        # 增长2.1倍 is 210 percent; a fraction (超1/3, 三分之一, 九成) is already a percent in its mention
        scaled = None if value is None else round(value if category == "fraction" else value * 100, 2)
        if cue in ("growth", "change"):
            return "growth_pct", scaled, "percent"
        return ("share_pct", scaled, "percent") if cue == "share" and category == "fraction" else None
    bare = not mention.raw_unit and mention.unit in ("none", "")
    if mention.unit == "percent" or (bare and (cue in _PERCENT_MEASURES or level_unit == "percent")):
        if cue in _PERCENT_MEASURES:
            return _PERCENT_MEASURES[cue], value, "percent"
        if cue in ("change", "decline"):
            if level_unit != "percent":  # 同比下降8.7%: a fall is a negative growth
                return "growth_pct", (-value if cue == "decline" and value else value), "percent"
            return "change_pp", (-value if cue == "decline" and value else value), "pp"  # 提高0.04% of a ratio
        return "level", value, "percent"
    if cue in ("change", "decline"):
        return None  # 比上年增加312家: an absolute change, which no measure of the contract holds (a mention only)
    if bare and level_unit == "count":
        return "level", value, "count"  # 万人有效发明专利5.63
    return "level", value, mention.unit


def read_as(scan: DocScan, fig: Figure, indicator: str, phrase: str, measure_lo: int, reach: int,
             inherited: bool = False) -> Reading | None:
    """The figure read as `indicator`, or None when its unit, counting word, scope or wording rules it out."""
    mention = fig.mention
    code = CODES.get(indicator)
    if code is None:
        return None
    cues = (fig.clause_tagged("measure") if measure_lo == fig.clause_lo
            else tagged(fig.cues(scan, measure_lo, mention.start), "measure"))
    cue = cues[-1][1] if cues else None
    if cue == "net":
        if base_code(indicator) not in VARIANTS:
            return None  # 发明专利拥有量净增加440件: no code holds a net change of this stock
        cue = None  # 净增高新技术企业40家: the variant holds it, as a level
    measured = measure_of(mention, cue, code.level_unit)
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
    return Reading(indicator, phrase, measure, value, unit, reach)


def _by_tag(hits: Sequence[Hit]) -> dict[str, list[tuple[Hit, str | None]]]:
    """Cue hits indexed by tag kind: (hit, value) of each tag, in text order."""
    tags: dict[str, list[tuple[Hit, str | None]]] = {}
    for hit in hits:
        for tag_kind, value in hit.tags:
            tags.setdefault(tag_kind, []).append((hit, value))
    return tags
