"""Each fact's own region: the region its words name, not always the document's.

The rules, tried in order; the name of the one that decided goes into `Fact.region_source`:
- `table_row`, `table_total`, `table_total_province`, `table_total_nation`, `table_column`
  (pipelines/facts/tables.py): a table row's first cell (长沙市), its total row (合计: the document's region;
  全省合计: the province), or a column headed by a region's name (| 指标 | 长沙市 | 株洲市 |);
- `region_list`: `A市、B市、C市分别为X、Y、Z` gives its k-th figure to its k-th region;
- `regions_together`: `A市、B市…两市合计…X` gives X to them together, named as the list (A市、B市);
- `scope_nation`, `scope_province`, `named`, `document`: the nearest of these before the figure in its clause
  group decides: 全国 (the nation), 全省/省内 (the document's province; in a province's own report that is the
  document's region), a region's name as its clause's subject (长沙市成交额358.40亿元, in a province's report), or
  one of the document's own scope words (我市, 全市, its name; 全省…X家,其中我市占Y家 gives Y to the city);
- `sentence_subject`: with none of those in a later clause group of a sentence that opens with a region as its
  subject (济宁市高新技术企业…;高新技术产业产值占比…), that region;
- `paragraph_lead`: with none of those but the document's own words, a paragraph opening `柳州市:` is about 柳州市;
- `document`: else the document's region.
A scope word that scopes a rank (全省第4) or a share's whole (占全省的13.2%), and a name that begins an
institution (南京大学) or scopes a rank among peers (居昆明市各县区第三), do not count. The words are in
`rules/region_rules.toml` and cues.toml's [scope].
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.facts.rules import OUTSIDE_SCOPES, RANK_FOLLOWERS
from pipelines.facts.scan import GROUP_PUNCT, UP_TO_LAST_CLAUSE_MARK, after_last
from pipelines.mentions import COUNTED_RANK
from pipelines.regions import NATION as _NATION_REGION
from pipelines.regions import Gazetteer

if TYPE_CHECKING:
    from pipelines.documents import Document

REGION_RULES_FILE = Path(__file__).parent.parent / "rules" / "region_rules.toml"
_KEYS = {"not_scope_after": list, "institution_followers": list, "peer_followers": list, "list_glue": str,
         "subject_openers": str, "paragraph_lead_marks": list, "together_words": list, "province_words": list,
         "own_words": list}


def load_region_rules(path: Path = REGION_RULES_FILE) -> dict:
    """The region rule words, checked: an unknown or missing key or a wrongly typed value is an error naming the
    file and line."""
    raw = path.read_text("utf-8")
    rules = tomllib.loads(raw)
    lines = raw.splitlines()
    for key, value in rules.items():
        line = next((n for n, text in enumerate(lines, 1) if text.startswith(key)), 0)
        if key not in _KEYS:
            raise ValueError(f"{path}:{line}: unknown key {key!r}")
        if not isinstance(value, _KEYS[key]) or (isinstance(value, list)
                                                and not all(isinstance(w, str) and w for w in value)):
            raise ValueError(f"{path}:{line}: {key} must be a {_KEYS[key].__name__} of words")
    missing = set(_KEYS) - set(rules)
    if missing:
        raise ValueError(f"{path}: missing {sorted(missing)}")
    return rules


_RULES = load_region_rules()
NATION = _NATION_REGION.name  # one name for the nation: documents_regions.toml's
_NOT_SCOPE_AFTER = tuple(_RULES["not_scope_after"])
_NAME_NOT_SUBJECT = tuple(_RULES["institution_followers"]) + tuple(_RULES["peer_followers"])
_LIST_GLUE = frozenset(_RULES["list_glue"])
_SUBJECT_OPENERS = re.compile(_RULES["subject_openers"])
_LEAD_MARKS = tuple(_RULES["paragraph_lead_marks"])
_TOGETHER = tuple(_RULES["together_words"])
# Greedy: one C-speed match ends just after the last sentence mark before the group.
_UP_TO_LAST_SENTENCE_MARK = re.compile("(?s:.*)[。!！?？\n]")
_SENTENCE_REACH = 300  # how far back a group's sentence start is looked for
_SCOPES = OUTSIDE_SCOPES + tuple(_RULES["province_words"])
_ANY_OUTSIDE = re.compile("|".join(map(re.escape, _SCOPES)))
_OWN_WORDS = tuple(_RULES["own_words"])
_LEAD_REACH = 16  # a paragraph's leading name and its mark stand within this many characters
_RESPECTIVELY = "分别"
_ITEM_LINKS = "以(（"  # what may stand between a region's name and its own figure
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_ASIDE = re.compile(r"[(（][^()（）]*[)）]")


@cache
def _gazetteer() -> Gazetteer:
    return Gazetteer()  # the cpca table, read once per process


def region_named(label: str) -> str | None:
    """The full name of the region `label` is nothing but the name of (长沙, 长沙市: 长沙市), else None."""
    gazetteer = _gazetteer()
    if not gazetteer.may_be_a_name(label):
        return None  # region_item asks this of six endings of most clauses: skip the full scan of each
    named = gazetteer.named_in(label)
    return named[0][2].name if len(named) == 1 and named[0][0] == 0 and named[0][1] == len(label) else None


def table_row_region(label: str, doc: Document, province_totals: tuple[str, ...],
                     document_totals: tuple[str, ...]) -> tuple[str | None, str]:
    """(region, rule) of a table row whose first cell is `label`: a total row belongs to the parent region, any
    other row to the region it names, as written (新吴区(无锡高新区) is 新吴区)."""
    if label.startswith(province_totals):
        return doc.province or None, "table_total_province"
    if label.startswith(NATION):
        return NATION, "table_total_nation"
    if label in document_totals:
        return doc.region, "table_total"
    return _ASIDE.sub("", label).strip() or label, "table_row"


def _scope_at(text: str, word: str, lo: int, hi: int) -> int:
    """The last place `word` scopes a figure in [lo, hi): not 全省第4 / 居全省前三 / 在全省16个设区市中排名第三 (a
    ranking's field), nor 占全省 (a share's whole)."""
    at = text.rfind(word, lo, hi)
    while at >= 0 and (text.startswith(RANK_FOLLOWERS, at + len(word)) or COUNTED_RANK.match(text, at + len(word))
                       or text.endswith(_NOT_SCOPE_AFTER, lo, at)):
        at = text.rfind(word, lo, at)
    return at


class RegionScan:
    """The region of each figure of one document (the module's rules). The regions the text names are found once,
    on the first figure that needs them, and looked up per figure by bisecting."""

    def __init__(self, doc: Document, inside_words: tuple[str, ...]):
        self.doc = doc
        self.text = doc.text
        self.inside = _last_word_pattern(inside_words + _OWN_WORDS)
        self.any_inside = _any_word_pattern(inside_words + _OWN_WORDS)
        self._group: tuple[int, int, list] = (-1, -1, [])  # (lo, hi, names) of the clause group read last
        self._subject: tuple[int, tuple[str, str] | None] = (-1, None)  # (lo, subject) of the group read last
        self._leads: dict[int, tuple[str, str] | None] = {}  # paragraph start -> its lead, once it is fixed
        self._openers: dict[int, tuple | None] = {}  # sentence start -> the region opening it, once it is fixed

    def _names_in(self, lo: int, at: int) -> list:
        """The regions named in the clause group from `lo` on, before `at`: the group is read once for all its
        figures (a scan of the whole text costs more than the groups that hold figures)."""
        group_lo, group_hi, named = self._group
        if group_lo != lo or at > group_hi:
            found = GROUP_PUNCT.search(self.text, at)
            group_hi = found.start() if found else len(self.text)
            named = [(a + lo, b + lo, r) for a, b, r in _gazetteer().named_in(self.text[lo:group_hi])]
            self._group = (lo, group_hi, named)
        return [name for name in named if name[1] <= at] if named else named  # most groups name no region

    def region_of(self, lo: int, at: int) -> tuple[str | None, str]:
        """(region, rule) of the figure at `at` whose clause group begins at `lo`."""
        text, doc = self.text, self.doc
        outside, outside_word = -1, None
        if _ANY_OUTSIDE.search(text, lo, at):  # most groups name neither the province nor the nation
            for word in _SCOPES:
                found = _scope_at(text, word, lo, at)
                if found > outside:
                    outside, outside_word = found, word
        inside = self._inside_at(lo, at)
        named = self._names_in(lo, at)
        # 长沙市233.82亿元、株洲市105.61亿元 / 长沙以31.52亿元 / 仅次于济南(1027家): a name right before its figure
        if named and (named[-1][1] == at or named[-1][1] == at - 1 and text[at - 1] in _ITEM_LINKS):
            return (doc.region, "document") if named[-1][2].name == doc.region else (named[-1][2].name, "named")
        names = _subjects(text, named, lo, at) if named else named
        if names and inside == names[-1][1]:
            inside = -1  # 泉州全市: the name's own whole, not the document's
        if names and names[-1][0] > max(outside, inside):
            together = _together(text, names, at)
            if together is not None:
                return together, "regions_together"
            listed = _listed(text, names, at)
            if listed is not None:
                return listed, "region_list"
            name = names[-1][2].name
            return (doc.region, "document") if name == doc.region else (name, "named")
        if outside > inside:
            if outside_word == NATION:
                return NATION, "scope_nation"
            return doc.province or None, "scope_province"
        if inside < 0:
            subject = self._sentence_subject(lo)
            if subject is not None:
                return subject
        return self._paragraph_lead(at) or (doc.region, "document")

    def _inside_at(self, lo: int, hi: int) -> int:
        """The last of the document's own scope words in [lo, hi), but for a ranking's field (居全区首位)."""
        first = self.any_inside.search(self.text, lo, hi)
        if first is None:
            return -1  # most groups hold none: a forward search skips them at C speed, the greedy match does not
        start = first.start()  # the last word is no earlier than the first
        while True:
            found = self.inside.match(self.text, start, hi)
            if found is None:
                return -1
            at = found.start("word")
            if not self.text.endswith(_NOT_SCOPE_AFTER, lo, at):
                return at
            hi = at

    def _sentence_subject(self, lo: int) -> tuple[str, str] | None:
        """(region, "sentence_subject") for a clause group after the first of its sentence, when the sentence
        opens with a region as its subject (济宁市高新技术企业…;高新技术产业产值占比…): the subject carries over.
        Read once per group: its figures come one after another."""
        if self._subject[0] != lo:
            self._subject = (lo, self._read_sentence_subject(lo))
        return self._subject[1]

    def _read_sentence_subject(self, lo: int) -> tuple[str, str] | None:
        text = self.text
        floor = max(0, lo - _SENTENCE_REACH)
        before = _UP_TO_LAST_SENTENCE_MARK.match(text, floor, lo)
        start = before.end() if before else floor if floor == 0 else lo  # no mark within reach: no subject
        if start >= lo:
            return None  # the group is the sentence's first: its own words were read
        if lo < start + _LEAD_REACH:
            opener = self._opener(start, lo)
        else:  # the head is the sentence's whole reach: read once for all the sentence's later groups
            if start not in self._openers:
                self._openers[start] = self._opener(start, start + _LEAD_REACH)
            opener = self._openers[start]
        if opener is None or text.rfind(_RESPECTIVELY, opener[1], lo) >= 0:
            return None  # no region opens the sentence, or a list's subject, which its 分别 gave out
        name = opener[2].name
        return (self.doc.region, "document") if name == self.doc.region else (name, "sentence_subject")

    def _opener(self, start: int, end: int) -> tuple | None:
        """(start, end, region) of the region text[start:end] opens with as its subject, else None."""
        text = self.text
        head = text[start:end]
        named = _subjects(text, [(a + start, b + start, r) for a, b, r in _gazetteer().named_in(head)],
                          start, start + len(head))
        if not named or named[0][0] != start + len(head) - len(head.lstrip()) and not _SUBJECT_OPENERS.fullmatch(
                text, start, named[0][0]):
            return None
        return named[0]

    def _paragraph_lead(self, at: int) -> tuple[str, str] | None:
        """(region, "paragraph_lead") of a paragraph opening with `柳州市:`, else None."""
        text = self.text
        start = text.rfind("\n", 0, at) + 1
        if at >= start + _LEAD_REACH:  # the head is the paragraph's whole reach: read once per paragraph
            if start not in self._leads:
                self._leads[start] = self._lead(start, start + _LEAD_REACH)
            return self._leads[start]
        return self._lead(start, at)

    def _lead(self, start: int, end: int) -> tuple[str, str] | None:
        head = self.text[start:end].lstrip()
        if not any(mark in head for mark in _LEAD_MARKS):
            return None  # the usual paragraph: no name to look up
        first = _gazetteer().named_in(head)
        if not first or first[0][0] != 0 or not head.startswith(_LEAD_MARKS, first[0][1]):
            return None
        return first[0][2].name, "paragraph_lead"


@cache
def _any_word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Finds any of `words`: a plain alternation, whose first characters let a search skip other text."""
    return re.compile("|".join(map(re.escape, words)))


@cache
def _last_word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Matches text[lo:hi] up to the last of `words` in it (its start is group "word"): greedy, so one C-speed
    match finds the last occurrence."""
    return re.compile("(?s:.*)(?P<word>" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")")


def _subjects(text: str, named: list, lo: int, hi: int) -> list:
    """Of the regions `named` in text[lo:hi], those that speak for what follows: not an institution's or a
    ranking's name, and at its clause's start or in a list that is (株洲市、湘潭市分别为)."""
    found = []
    for start, end, region in named:
        if end > hi or text.startswith(_NAME_NOT_SUBJECT, end) or _in_aside(text, lo, start):
            continue
        listed = found and found[-1][1] <= start and text[found[-1][1]:start] and all(
            ch in _LIST_GLUE for ch in text[found[-1][1]:start])
        clause_start = after_last(UP_TO_LAST_CLAUSE_MARK, text, lo, start)
        if listed or _SUBJECT_OPENERS.fullmatch(text, clause_start, start):
            found.append((start, end, region))
    return found


def _in_aside(text: str, lo: int, at: int) -> bool:
    """Whether `at` stands inside a parenthetical aside opened after `lo` (新吴区(无锡高新区): 无锡 is an aside)."""
    opened = max(text.rfind("(", lo, at), text.rfind("（", lo, at))
    return opened >= 0 and max(text.rfind(")", opened, at), text.rfind("）", opened, at)) < 0


def _names(text: str, lo: int, hi: int) -> list:
    """The regions named in text[lo:hi] that speak for what follows (see `_subjects`)."""
    return _subjects(text, [(a + lo, b + lo, r) for a, b, r in _gazetteer().named_in(text[lo:hi])], lo, hi)


def _last_run(text: str, names: list) -> list:
    """The last names of `names` joined by list glue only (株洲市、湘潭市)."""
    run = names[-1:]
    for name in reversed(names[:-1]):
        glue = text[name[1]:run[0][0]]
        if not glue or not all(ch in _LIST_GLUE for ch in glue):
            break
        run.insert(0, name)
    return run


def regions_listed(text: str, lo: int, hi: int) -> int:
    """How many regions the list ending just before `hi` names (株洲市、湘潭市分别为: 2), 0 with none or one. A list
    needs at least two names; what stands between the list and `hi` is not checked."""
    names = _names(text, lo, hi)
    run = _last_run(text, names) if names else []
    return len(run) if len(run) >= 2 else 0


def _together(text: str, names: list, at: int) -> str | None:
    """The regions of a list, joined as written (宁波市、杭州市), for a figure after 两市合计 (and after any 分别 of
    the list): a figure of all of them together."""
    last_end = names[-1][1]
    together = max(text.rfind(word, last_end, at) for word in _TOGETHER)
    if together < 0 or text.rfind(_RESPECTIVELY, last_end, at) > together:
        return None
    run = _last_run(text, names)
    return "、".join(name[2].name for name in run) if len(run) >= 2 else None


def _listed(text: str, names: list, at: int) -> str | None:
    """The region of the figure at `at` in `A市、B市分别为X、Y`: the k-th name of the list for the k-th figure
    after the last 分别 before it."""
    respectively = text.rfind(_RESPECTIVELY, names[-1][1], at)
    if respectively < 0:
        return None
    run = _last_run(text, names)
    if len(run) < 2:
        return None
    k = len(_FIGURE.findall(text, respectively, at))
    return run[k][2].name if k < len(run) else None
