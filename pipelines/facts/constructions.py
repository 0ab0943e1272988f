"""The constructions: how a figure's words name the indicator it is a value of. Each is a named function of
(document scan, figure, sentence state) that returns the figure's readings, [] when the construction rules the
figure out, or None when it does not apply; `read_figure` tries them in the order of `CONSTRUCTIONS` and the first
that applies decides. Each also declares what it needs of a figure (`NEEDS`: a phrase in the clause, a fact
before it, a cue word of the clause …), facts found once per figure, so that the loop passes over a construction
that cannot apply without calling it. The examples each must read right sit beside them as data,
`pipelines/rules/examples/construction/<name>.toml`, run by tests/test_rule_examples.py.

A new construction is a function here, its needs and its place in `CONSTRUCTIONS`, and its examples file
(docs/rules.md).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from typing import NamedTuple

from pipelines.facts.reading import (
    Figure,
    Reading,
    SentenceState,
    base_code,
    read_as,
    resolve,
    variants_in,
    with_variant,
)
from pipelines.facts.region import region_named, regions_listed
from pipelines.facts.rules import (
    BLOCKS,
    CARRY_BOUND_WORDS,
    NOT_COUNTS_AFTER,
    PHRASES,
    RIGHT_WINDOW,
    WHOLE_GROUP_CONTEXTS,
    Hit,
    is_context,
    names,
)
from pipelines.facts.scan import UP_TO_LAST_CLAUSE_MARK, DocScan, after_last, tagged

LIST_GLUE = frozenset("、和及与,， ")
_INHERITED_MEASURES = frozenset({"growth", "share", "change", "decline"})
# A net increase is a change of its stock: a growth or a share right after one (净增724家,较上年增长39.43%) is the
# stock's, as a change has no growth of its own.
_CHANGES_OF_STOCK = frozenset({"high_tech_enterprises_net_increase"})


class Construction(NamedTuple):
    name: str
    read: Callable[[DocScan, Figure, SentenceState], list[Reading] | None]
    needs: int  # a bit of NEEDS for each fact the construction needs of a figure: without one it returns None


# What a construction may need of a figure, each cheap to know once per figure (`_figure_has`). A construction
# without one of its needs would return None, with nothing changed: the need only spares the call.
NEEDS = {name: 1 << i for i, name in enumerate((
    "phrase_in_clause",     # an indicator phrase between the clause's start and the figure (fig.in_clause)
    "no_phrase_in_clause",
    "two_phrases_in_clause",
    "clause_before",        # an earlier clause in the figure's clause group
    "fact_before",          # the sentence's previous figure was read as a fact (state.last)
    "list_owed",            # a list earlier in the sentence still owes figures (state.pending)
    "carried",              # the sentence names no indicator, the paragraph's previous sentence's fact carries over
    "count_or_rank",        # the figure's unit is a count or a rank
    "cue:list",             # a cue word of the clause tagged list (分别, 各, 均)
    "cue:span",             # … tagged span (由, 从, 增至)
))}
_CUE_NEEDS = {need.removeprefix("cue:"): bit for need, bit in NEEDS.items() if need.startswith("cue:")}
_ONE_PHRASE = NEEDS["phrase_in_clause"]
_TWO_PHRASES = NEEDS["phrase_in_clause"] | NEEDS["two_phrases_in_clause"]
_NO_PHRASE = NEEDS["no_phrase_in_clause"]
_CLAUSE_BEFORE, _FACT_BEFORE, _LIST_OWED, _CARRIED, _COUNT_OR_RANK = (
    NEEDS[need] for need in ("clause_before", "fact_before", "list_owed", "carried", "count_or_rank"))


def _figure_has(fig: Figure, state: SentenceState) -> int:
    """The NEEDS bits the figure meets."""
    in_clause = fig.in_clause
    has = (_TWO_PHRASES if len(in_clause) > 1 else _ONE_PHRASE) if in_clause else _NO_PHRASE
    if fig.clause_lo > fig.group_lo:
        has |= _CLAUSE_BEFORE
    if state.last is not None:
        has |= _FACT_BEFORE
    if state.pending:
        has |= _LIST_OWED
    if state.carried is not None:
        has |= _CARRIED
    if fig.mention.unit in _COUNTS_OR_RANKS:
        has |= _COUNT_OR_RANK
    for hit in fig.clause_cues:
        for kind, _ in hit.tags:
            has |= _CUE_NEEDS.get(kind, 0)
    return has


_COUNTS_OR_RANKS = frozenset({"count", "rank"})


def gap(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """高于全省平均0.8个百分点: a gap to something else is no figure of the indicator itself; nor is the rank of a
    completion rate opening its clause group (…;年度任务完成率128%,全市排名第2: after the indicator's own rank; but
    成交额6.42亿元,完成率128.4%,居全市第三位 ranks the amount), nor a count that is one of them (四家之一)."""
    for _, value in fig.clause_tagged("measure"):
        if value == "gap":
            return []
    mention = fig.mention
    if (mention.category == "rank" or mention.unit == "rank") and fig.clause_lo > fig.group_lo:
        previous_lo = after_last(UP_TO_LAST_CLAUSE_MARK, scan.text, fig.group_lo, fig.clause_lo - 1)
        if previous_lo == fig.group_lo and tagged(fig.cues(scan, previous_lo, fig.clause_lo), "completion"):
            return []
    return [] if scan.text.startswith(NOT_COUNTS_AFTER, mention.end) else None


def aligned_list(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """A、B分别突破2000家、3000家 (the first figure of a list: one phrase per figure, in order) and A、B各360家
    (every phrase, one figure); …分别为120件、80件,分别增长12%、9%: a second 分别 with no phrase reads the list again."""
    marks = fig.clause_tagged("list")
    if not marks:
        return None
    mention = fig.mention
    respectively = next((hit for hit, v in marks if v == "respectively"), None)
    each = next((hit for hit, v in marks if v == "each" and hit.end >= mention.start - 1), None)
    marker = respectively or each
    if marker is None:
        return None
    named = _listed(scan, fig, [h for h in fig.in_clause if h.end <= marker.start], marker.start)
    if not named and respectively is not None and state.listed and state.listed_lo == fig.group_lo:
        named = state.listed  # the list of its own clause group (after a `;` another list begins)
    if not named and respectively is not None and not fig.in_clause:
        earlier = _earlier_figures(scan, fig, state)
        if earlier is not None:
            return earlier
    if len(named) < 2:
        return _region_list(scan, fig, state, respectively, named) if respectively is not None else None
    state.listed, state.listed_lo = named, fig.group_lo
    owed = named if each is not None else named[:1]
    state.pending = [] if each is not None else named[1:]
    state.pending_bound, state.pending_from = mention.bound, marker.end
    return [r for ind, word in owed
            if (r := read_as(scan, fig, with_variant(scan, fig, ind, fig.clause_lo, mention.start), word,
                             marker.end, marker.end))]


# Between the figures of a list written without 分别 (6588家、6403家): list words only, never a comma.
_FIGURE_GLUE = frozenset("、和及与 ")


def unmarked_list(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """高新技术企业、科技型中小企业达6588家、6403家: N phrases joined by list words, then N figures joined by 、,
    without 分别: the k-th figure is the k-th phrase's (the first here; list_item reads the others)."""
    hits = fig.in_clause
    if len(hits) < 2 or state.pending:
        return None
    text = scan.text
    run = hits[-1:]
    for hit in reversed(hits[:-1]):
        glue = text[hit.end:run[0].start]
        if not glue or not all(ch in LIST_GLUE for ch in glue):
            break
        run.insert(0, hit)
    named = _listed(scan, fig, run, fig.mention.start) if len(run) >= 2 else []
    if len(named) < 2 or len(set(named)) < len(named):
        return None
    i = bisect_left(scan.value_starts, fig.mention.start)
    n = 1
    while (i + n < len(scan.values) and scan.values[i + n].sentence_id == fig.mention.sentence_id
           and all(ch in _FIGURE_GLUE for ch in text[scan.values[i + n - 1].end:scan.values[i + n].start])):
        n += 1
    if n != len(named):
        return None
    state.pending = named[1:]  # not state.listed: a later 分别 with no phrase reads the figures before it
    state.pending_bound, state.pending_from = fig.mention.bound, run[-1].end
    indicator, word = named[0]
    reading = read_as(scan, fig, with_variant(scan, fig, indicator, fig.clause_lo, fig.mention.start), word,
                      run[-1].end, run[-1].end)
    return [reading] if reading else []


# A list item that writes only what differs from its neighbour: 吸纳、输出技术合同成交额 (the words before a phrase)
# and 发明专利申请量、授权量 (the words after it), each at most this many characters.
_ELIDED_BEFORE = re.compile(r"(?:[^\W\d_]{1,4}、)+$")
_ELIDED_AFTER = re.compile(r"(?:、[^\W\d_]{1,4})+")


def _listed(scan: DocScan, fig: Figure, hits: list[Hit], hi: int) -> list[tuple[str, str]]:
    """The indicators a list names before its 分别, in order, with the items that elide their shared words."""
    named: list[tuple[str, str]] = []
    text = scan.text
    for k, hit in enumerate(hits):
        indicator = resolve(hit, None)
        if not names(indicator):
            continue
        before = _ELIDED_BEFORE.search(text, fig.clause_lo, hit.start)
        if before:
            named += _completed(item + hit.word[len(item):] for item in before.group().split("、") if item)
        named.append((indicator, hit.word))
        after = _ELIDED_AFTER.match(text, hit.end, hits[k + 1].start if k + 1 < len(hits) else hi)
        if after and after.end() == (hits[k + 1].start if k + 1 < len(hits) else hi):
            named += _completed(hit.word[:len(hit.word) - len(item)] + item
                                for item in after.group().split("、") if item)
    return named


def _completed(words) -> list[tuple[str, str]]:
    """The indicators the completed list items name (those that are phrases of indicators.csv)."""
    found = []
    for word in words:
        value = PHRASES.get(word, None)
        if value is not None and names(indicator := resolve(Hit(0, len(word), word, value[2]), None)):
            found.append((indicator, word))
    return found

def _region_list(scan: DocScan, fig: Figure, state: SentenceState, respectively: Hit,
                 named: list[tuple[str, str]]) -> list[Reading] | None:
    """A市、B市分别为X、Y / 两市分别实现技术合同成交额X、Y / 三市…分别达到X、Y、Z: one indicator (named in the clause,
    else after 分别, else earlier in the clause group, else the sentence's previous fact), a figure per region;
    pipelines/facts/region.py gives each figure its region."""
    count = regions_listed(scan.text, fig.group_lo, respectively.start)
    if count < 2:
        return None
    mention = fig.mention
    if not named:
        for lo, hi in ((respectively.end, mention.start), (fig.group_lo, respectively.start)):
            named = [(ind, h.word) for h in scan.phrases_in(lo, hi) if names(ind := resolve(h, None))][-1:]
            if named:
                break
    if not named and state.last is not None:
        named = [(state.last.indicator, state.last.phrase)]
    if not named:
        return None
    indicator, word = named[-1]
    # 增长率分别为 / 占全省的比例分别为: the measure word may stand before the 分别, in the figure's clause
    measure_lo = min(fig.clause_lo, respectively.start)
    state.pending = [(indicator, word)] * (count - 1)
    state.pending_bound, state.pending_from = mention.bound, measure_lo
    reading = read_as(scan, fig, with_variant(scan, fig, indicator, fig.clause_lo, mention.start), word,
                      measure_lo, respectively.end)
    return [reading] if reading else []


def _earlier_figures(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """研发投入57.8亿元、投入强度1.40%,分别增长11.6%、提高0.06个百分点 / 技术合同18,735项,成交金额261亿元,分别增长
    14.8%和21.95%: a 分别 list with no phrase of its own is about the sentence's figures just before it, one to one
    (a figure that was no fact, 18,735项, gives none)."""
    mention, text = fig.mention, scan.text
    i = bisect_left(scan.value_starts, mention.start)
    n = 1
    while (i + n < len(scan.values) and scan.values[i + n].sentence_id == mention.sentence_id
           and _joined(scan, scan.values[i + n - 1].end, scan.values[i + n].start)):
        n += 1
    earlier = state.figures[-n:]
    if len(earlier) < n or n < 2 or earlier[0] is None and not any(earlier):
        return None
    state.pending = [(r.indicator, r.phrase) if r else None for r in earlier[1:]]
    state.loose, state.pending_bound, state.pending_from = True, mention.bound, fig.clause_lo
    first = earlier[0]
    if first is None:
        return []
    reading = read_as(scan, fig, first.indicator, first.phrase, fig.clause_lo, fig.clause_lo, inherited=True)
    return [reading] if reading else []


def _joined(scan: DocScan, lo: int, hi: int) -> bool:
    """Whether only list glue and measure words (、提高) lie between two figures of a list."""
    rest = scan.text[lo:hi]
    for hit in scan.cue_hits(lo, hi):
        if any(kind == "measure" for kind, _ in hit.tags):
            rest = rest.replace(hit.word, "", 1)
    return all(ch in LIST_GLUE for ch in rest)


def list_item(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """The later figures of a 分别 list (…分别突破2000家、3000家: the 3000家), each the next phrase of the list, with
    the list's bound; anything else between them ends the list."""
    if not state.pending:
        return None
    mention = fig.mention
    glued = (_joined(scan, fig.clause_lo, mention.start) if state.loose
             else all(ch in LIST_GLUE for ch in scan.text[fig.clause_lo:mention.start]))
    if not fig.in_clause and glued:
        item = state.pending.pop(0)
        if item is None:
            return []
        indicator, word = item
        reading = read_as(scan, fig, with_variant(scan, fig, indicator, fig.group_lo, mention.start), word,
                          max(state.pending_from, fig.group_lo), fig.clause_lo, inherited=state.loose)
        if reading is None:
            return []
        if mention.bound == "exact":
            reading.bound = state.pending_bound
        return [reading]
    state.pending = []
    return None


def phrase_before(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """全市高新技术企业达到1511家: the nearest indicator phrase left of the figure in its clause. 研发投入占GDP比重 /
    研发经费投入达…,占GDP比重: the R&D words just before (or the previous fact's) make the share the intensity."""
    in_clause = fig.in_clause
    for i in range(len(in_clause) - 1, -1, -1):
        hit = in_clause[i]
        context = None
        if hit.tags[0].after:  # only a conditional reading (they come first) reads the context
            context = resolve(in_clause[i - 1], None) if i else (
                state.last.indicator if state.last else _context_before(scan, fig))
        indicator = resolve(hit, context)
        if indicator is None or is_context(indicator):
            continue
        if indicator == BLOCKS or _joined_with_other(in_clause, i, indicator, scan.text):
            return []
        named = with_variant(scan, fig, indicator, fig.clause_lo, fig.mention.start)
        reading = read_as(scan, fig, named, hit.word, hit.end, hit.end)
        if reading is None and _share_word_before(scan, fig, hit):
            # 占全省高新技术企业总数的18.2%: the share word stands before the phrase naming the whole
            reading = read_as(scan, fig, named, hit.word, fig.clause_lo, hit.end)
        return [reading] if reading else []
    return None


def _share_word_before(scan: DocScan, fig: Figure, phrase: Hit) -> bool:
    """A share word (占) of the figure's clause before `phrase`, with no other measure word after it, in a clause
    group about the region itself: 高校技术合同成交额…,占全省技术合同成交额的2.1% is a part's share, no fact."""
    words = [(hit, cue) for hit, cue in fig.clause_tagged("measure") if hit.start < fig.mention.start]
    if not words or words[-1][1] != "share" or words[-1][0].end > phrase.start:
        return False
    earlier = (resolve(hit, None) for hit in scan.phrases_in(fig.group_lo, phrase.start))
    return not any(indicator == BLOCKS or indicator in WHOLE_GROUP_CONTEXTS for indicator in earlier)


def _context_before(scan: DocScan, fig: Figure) -> str | None:
    """输出技术合同18,412项,成交金额…: with no fact before it, a clause's first phrase reads the context of the
    last phrase earlier in its clause group; a part (企业法人输出技术合同…项,成交额…) holds to the group's end."""
    earlier = scan.phrases_in(fig.group_lo, fig.clause_lo)
    if not earlier:
        return None
    contexts = [resolve(hit, None) for hit in earlier]
    held = [c for c in contexts if c in WHOLE_GROUP_CONTEXTS]
    return held[-1] if held else contexts[-1]


def _joined_with_other(in_clause: list[Hit], i: int, indicator: str, text: str) -> bool:
    """新认定高新技术企业、科技型中小企业50家: one figure for two indicators together is neither's."""
    if i == 0:
        return False
    previous = in_clause[i - 1]
    glue = text[previous.end:in_clause[i].start]
    other = resolve(previous, None)
    return bool(glue) and all(ch in LIST_GLUE for ch in glue) and names(other) and other != indicator


def previous_fact(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """同比增长7.04% / 占比88.93% / 全省第12位 right after a figure: that figure's indicator (the stock's after a net
    increase); 申报数、认定数、净增数均居全市第1: one reading per variant named."""
    last = state.last
    if last is None:
        return None
    if fig.mention.category not in ("pp", "rank") and not any(
            v in _INHERITED_MEASURES for _, v in fig.clause_tagged("measure")):
        return None
    variants = variants_in(fig.clause_cues, base_code(last.indicator))
    every = any(v == "all" for _, v in fig.clause_tagged("list"))
    indicators = list(dict.fromkeys(variants)) if every and variants else [variants[-1] if variants else last.indicator]
    if not variants and last.indicator in _CHANGES_OF_STOCK and any(
            v in ("growth", "share") for _, v in fig.clause_tagged("measure")):
        indicators = [base_code(last.indicator)]
    readings = [r for ind in indicators
                if (r := read_as(scan, fig, ind, last.phrase, fig.clause_lo, fig.clause_lo, inherited=True))]
    if last.measure == "share_pct":
        cues = fig.clause_tagged("measure")
        if cues and cues[-1][1] in ("change", "decline"):
            for r in readings:  # 占GDP比重27.4%,比上年提高0.8%: a share moves in points, however it is written
                if r.measure == "growth_pct" and r.value is not None:
                    r.measure, r.unit = "change_pp", "pp"
                    r.value = -r.value if cues[-1][1] == "decline" else r.value
    return readings


def span_to(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """由2017年的1120家增长到2022年的2436家 / 从188.3亿元增至725.6亿元: after a `to` word, the figure is the later level
    of the indicator the figure before it was read as, when a `from` word comes before that figure."""
    last = state.last
    if last is None or not any(v == "to" for _, v in fig.clause_tagged("span")):
        return None
    if not any(v == "from" for _, v in tagged(fig.cues(scan, fig.group_lo, fig.clause_lo), "span")):
        return None
    reading = read_as(scan, fig, last.indicator, last.phrase, fig.clause_lo, fig.clause_lo, inherited=True)
    return [reading] if reading else []


def phrase_after_count(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """新获批9个省级以上科技企业孵化器: a count (or rank) followed closely by the phrase naming what it counts."""
    mention, text = fig.mention, scan.text
    if mention.unit not in ("count", "rank") or fig.clause_tagged("activity"):
        return None
    if mention.end >= len(text) or not _is_word(text[mention.end]):
        return None  # 省产业链项目1项、…: the count closes its item
    hi = min(fig.right_hi, mention.end + RIGHT_WINDOW)
    for hit in scan.phrases_in(mention.end, hi):
        indicator = resolve(hit, None)
        if indicator is None or is_context(indicator):
            continue
        if indicator == BLOCKS:
            return None
        reach = min(hit.end + 4, fig.right_hi)  # 24家企业国家高新技术企业申报工作: the variant word may follow
        reading = read_as(scan, fig, with_variant(scan, fig, indicator, fig.clause_lo, reach), hit.word,
                          fig.clause_lo, reach)
        return [reading] if reading else []
    return None


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "“\""


def continuation(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """其中认定31家 / 总数达到1511件: no phrase in the clause, but a continuation or variant word, so the
    indicator named last in the clause group."""
    mention = fig.mention
    for hit in reversed(scan.phrases_in(fig.group_lo, fig.clause_lo)):
        indicator = resolve(hit, None)
        if indicator is None or is_context(indicator):
            continue
        if indicator == BLOCKS:
            return []
        if not fig.clause_tagged("continuation") and not variants_in(fig.clause_cues, base_code(indicator)):
            return []
        # 高新技术企业认定xx家,力争完成xx家: the nearest variant word since the phrase's clause
        variants = variants_in(fig.cues(scan, after_last(UP_TO_LAST_CLAUSE_MARK, scan.text, fig.group_lo, hit.start),
                                        mention.start), base_code(indicator))
        reading = read_as(scan, fig, variants[-1] if variants else indicator, hit.word, fig.clause_lo,
                          fig.clause_lo)
        return [reading] if reading else []
    return None


_ITEM_LINKS = "以(（"  # 长沙以31.52亿元 / 济南(1027家): what may stand between a region's name and its figure
_REGION_NAME_CHARS = range(2, 8)  # the lengths of a region's name (长沙 … 湘西土家族苗族自治州 is longer: not read)


def region_item(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """从技术合同成交额来看,长沙以31.52亿元居各地区之首 / 仅次于济南(1027家): a figure right after a region's name
    (with 以 or an opening parenthesis between) and no phrase in its clause is that region's amount of the indicator
    named last in its clause group, else of the sentence's previous fact, when the unit fits."""
    if fig.in_clause:
        return None
    text, at = scan.text, fig.mention.start
    end = at - 1 if text[at - 1:at] and text[at - 1] in _ITEM_LINKS else at
    if not any(region_named(text[end - k:end]) for k in _REGION_NAME_CHARS if end - k >= fig.clause_lo):
        return None
    named = [(ind, h.word) for h in scan.phrases_in(fig.group_lo, fig.clause_lo) if names(ind := resolve(h, None))]
    if named:
        indicator, word = named[-1]
    elif state.last is not None:
        indicator, word = state.last.indicator, state.last.phrase
    else:
        return None
    reading = read_as(scan, fig, indicator, word, fig.clause_lo, fig.clause_lo, inherited=True)
    return [reading] if reading and reading.measure == "level" else None


# what may stand before a carried figure's bound word: a time (继2020年, 今年, 全年, 首次), at most this many characters
# once digits and time words are taken out
_TIME_WORDS = re.compile(r"[\d年月底末]")
_CARRY_SUBJECT_CHARS = 3


def previous_sentence(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading] | None:
    """其中,长沙市233.82亿元、株洲市105.61亿元 / 继2020年突破300亿元后,今年突破500亿元: in a sentence naming no
    indicator, a region's item (the region's name right before its figure) or a figure with 突破/达到 is of the
    indicator of its paragraph's previous sentence's last fact, when the unit fits (亿元 is no count)."""
    carried = state.carried
    if carried is None:
        return None
    text, mention = scan.text, fig.mention
    if not mention.raw_unit:
        return None  # 指数达到160以上: a bare number is no amount of the indicator
    before = text[fig.clause_lo:mention.start].lstrip("、和及与 ")
    if not region_named(before):
        bound = next((w for w in CARRY_BOUND_WORDS if mention.text.startswith(w) or before.endswith(w)), None)
        # only a time (继2020年, 今年, 首次) before the bound word: 综合科技创新指数达到72% names another thing
        if bound is None or len(_TIME_WORDS.sub("", before.removesuffix(bound))) > _CARRY_SUBJECT_CHARS:
            return None
    reading = read_as(scan, fig, carried.indicator, carried.phrase, fig.clause_lo, fig.clause_lo, inherited=True)
    return [reading] if reading and reading.measure == "level" else None


# The order is the precedence: the first construction that applies reads the figure. Beside each, what it needs.
CONSTRUCTIONS: tuple[Construction, ...] = tuple(
    Construction(read.__name__, read, sum(NEEDS[need] for need in needs)) for read, needs in (
        (gap, ()),
        (aligned_list, ("cue:list",)),
        (list_item, ("list_owed",)),
        (unmarked_list, ("two_phrases_in_clause",)),
        (phrase_before, ("phrase_in_clause",)),
        (span_to, ("fact_before", "cue:span")),
        (previous_fact, ("fact_before",)),
        (region_item, ("no_phrase_in_clause",)),
        (phrase_after_count, ("count_or_rank",)),
        (continuation, ("clause_before",)),
        (previous_sentence, ("carried",)),
    ))


def read_figure(scan: DocScan, fig: Figure, state: SentenceState) -> list[Reading]:
    """The indicator(s) and measure of one figure, by the first construction that applies; each reading keeps the
    construction's name."""
    fig.in_clause = scan.phrases_in(fig.phrase_lo, fig.mention.start)
    has = _figure_has(fig, state)
    for name, read, needs in CONSTRUCTIONS:
        if needs & has != needs:
            continue
        readings = read(scan, fig, state)
        if readings is not None:
            for reading in readings:
                reading.construction = name
            return readings
    return []
