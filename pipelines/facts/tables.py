"""Tables: the facts of pipe-, tab- and space-aligned tables, one per cell, pointing at the cell's characters.

A table is a run of lines that split into cells alike. Its header rows (those before the first row holding a
figure) say what each column holds: the indicator (an indicator phrase, else a word of `rules/tables.toml` or the
caption's indicator), the measure (增长, 比重, 排名), the kind (年度目标), the unit (`成交额(亿元)`) and the year or
period (`2016年1-9月`). A row's first text cell says whom the row is about (a region, 全省合计, a year) or what (an
indicator, in a 指标 | 年度目标 | 完成值 table). The shapes are data in `rules/tables.toml`, checked at load; its
examples are run by the tests. No maintained library reads aligned plain-text tables with Chinese headers into
typed cells, and the cells must keep their character offsets, hence this small reader.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.facts.region import region_named, table_row_region
from pipelines.facts.rules import CODES, CUE_RULES, CUES, PERIOD_PATTERNS, PHRASES, VARIANTS
from pipelines.facts.scan import evidence
from pipelines.mentions import SCALES, UNITS

if TYPE_CHECKING:
    from pipelines.documents import Document
    from pipelines.facts.engine import Fact
    from pipelines.mentions import Mention
    from pipelines.segment import Sentence

TABLES_FILE = Path(__file__).parent.parent / "rules" / "tables.toml"
_SECTIONS = {
    "columns": {"skip", "indicator_labels", "unit_labels"},
    "measures": {"growth_pct", "share_pct", "rank"},
    "kinds": {"target", "forecast", "actual"},
    "ratios": {"note_words", "min_decimals"},
    "totals": {"province", "document"},
}
_WORD_KEYS = {"word", "indicator", "requires"}
_EXAMPLE_KEYS = {"name", "text", "facts"}


class TableRulesError(ValueError):
    """A bad row of the table rule file, naming the file and line."""


@dataclass(frozen=True, slots=True)
class TableRules:
    skip: tuple[str, ...]
    indicator_labels: tuple[str, ...]
    unit_labels: tuple[str, ...]
    measures: tuple[tuple[str, str], ...]   # (word, measure), longest first
    kinds: tuple[tuple[str, str], ...]      # (word, kind), longest first
    ratio_notes: tuple[str, ...]
    ratio_decimals: int
    province_totals: tuple[str, ...]
    document_totals: tuple[str, ...]
    words: tuple[tuple[str, str, tuple[str, ...]], ...]  # (word, indicator, requires)
    examples: tuple[dict, ...]


def _line_of(raw: str, needle: str) -> int:
    """The 1-based line of `raw` that starts with `needle`, else the first holding it outside a comment (for error
    messages; 0 when it is not there)."""
    lines = raw.splitlines()
    for test in (lambda line: line.lstrip().startswith(needle),
                 lambda line: needle in line and not line.lstrip().startswith("#")):
        found = next((n for n, line in enumerate(lines, 1) if test(line)), 0)
        if found:
            return found
    return 0


def load_table_rules(path: Path = TABLES_FILE) -> TableRules:
    """The table rules, checked: an unknown section or key, a code that is no indicator, or a word that is not a
    list of strings is an error naming the file and line."""
    raw = path.read_text("utf-8")
    try:
        rules = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise TableRulesError(f"{path}: {error}") from error

    def fail(message: str, needle: str) -> None:
        raise TableRulesError(f"{path}:{_line_of(raw, needle)}: {message}")

    for section, value in rules.items():
        if section in ("words", "examples"):
            continue
        if section not in _SECTIONS:
            fail(f"unknown section [{section}]", f"[{section}]")
        for key, words in value.items():
            if key not in _SECTIONS[section]:
                fail(f"unknown key {key!r} in [{section}]", key)
            if key == "min_decimals":
                if not isinstance(words, int) or words < 1:
                    fail("min_decimals must be a positive integer", key)
            elif not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
                fail(f"[{section}] {key} must be a non-empty list of words", key)
    for missing in (s for s in _SECTIONS if s not in rules):
        raise TableRulesError(f"{path}: section [{missing}] is missing")
    for row in rules.get("words", []):
        if set(row) != _WORD_KEYS:
            fail(f"a [[words]] row needs exactly {sorted(_WORD_KEYS)}", f'"{row.get("word", "")}"')
        if row["indicator"] not in CODES:
            fail(f"unknown indicator code {row['indicator']!r}", f'"{row["indicator"]}"')
    for example in rules.get("examples", []):
        if set(example) != _EXAMPLE_KEYS:
            fail(f"an [[examples]] row needs exactly {sorted(_EXAMPLE_KEYS)}", f'"{example.get("name", "")}"')
        for fact in example["facts"]:
            if len(fact.split()) != 8 or fact.split()[0] not in CODES:
                fail(f"an example fact is 'indicator measure value unit kind year period region': {fact!r}", fact)

    def longest_first(section: dict[str, list[str]]) -> tuple[tuple[str, str], ...]:
        pairs = [(word, name) for name, words in section.items() for word in words]
        return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))

    columns, ratios, totals = rules["columns"], rules["ratios"], rules["totals"]
    return TableRules(
        tuple(columns["skip"]), tuple(columns["indicator_labels"]), tuple(columns["unit_labels"]),
        longest_first(rules["measures"]), longest_first(rules["kinds"]),
        tuple(ratios["note_words"]), ratios["min_decimals"],
        tuple(totals["province"]), tuple(totals["document"]),
        tuple((row["word"], row["indicator"], tuple(row["requires"])) for row in rules.get("words", [])),
        tuple(rules.get("examples", [])),
    )


RULES = load_table_rules()
_TABLE_WORDS = frozenset(word for word, _, _ in RULES.words)  # 成交额: a header word the caption qualifies

# ---- cells --------------------------------------------------------------------------------------------------

_SPACE_GAP = re.compile(r"[ \u3000]{2,}")
_RULER = re.compile(r"^[\s|:：\-—–=+]*$")  # |---|:---:| and the like
_NUMBER = re.compile(r"([-+−]?)(\d[\d,]*(?:\.(\d+))?)\s*(%?)\s*(\D{0,3})")
_CELL_UNITS = frozenset({"CNY", "count", "percent"})  # a cell's own unit; 2016年 is no figure
_UNIT_LINE = re.compile(r"(?:计量)?单位\s*[:：]\s*(.+)")
_MASKED = re.compile(r"[xX×]+(?:\.[xX×]+)?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_CELL = re.compile(r"((?:19|20)\d{2})\s*年?(?:度)?")
_PARENS = re.compile(r"[(（]([^()（）]*)[)）]")
_DASH = re.compile(r"[-—–/\s]*")


@dataclass(slots=True)
class _Cell:
    text: str
    start: int  # offsets in the document text of the stripped cell
    end: int


def _split(text: str, lo: int, hi: int, separator: str) -> list[_Cell]:
    """The cells of text[lo:hi]; a `|` at either end of the line opens or closes the row, it starts no cell."""
    if separator == " ":
        line = text[lo:hi]
        lo, hi = lo + len(line) - len(line.lstrip()), lo + len(line.rstrip())  # an indent opens no cell
        pieces, at = [], lo
        for gap in _SPACE_GAP.finditer(text, lo, hi):
            pieces.append((at, gap.start()))
            at = gap.end()
        pieces.append((at, hi))
    else:
        pieces, at = [], lo
        while True:
            found = text.find(separator, at, hi)
            if found < 0:
                pieces.append((at, hi))
                break
            pieces.append((at, found))
            at = found + 1
        if separator == "|":
            line = text[lo:hi].strip()
            if line.startswith("|"):
                pieces = pieces[1:]
            if line.endswith("|") and pieces:
                pieces = pieces[:-1]
    cells = []
    for a, b in pieces:
        raw = text[a:b]
        stripped = raw.strip()
        start = a + (len(raw) - len(raw.lstrip())) if stripped else a
        cells.append(_Cell(stripped, start, start + len(stripped)))
    return cells


@dataclass(slots=True)
class _Number:
    value: float | None  # None: masked
    decimals: int
    percent: bool
    start: int
    end: int
    unit: tuple[str, float] | None = None  # a unit written in the cell (3.5亿元)


def _number(cell: _Cell) -> _Number | None:
    """The figure a cell holds when it is nothing but a figure, perhaps with its unit (13,562 / 0.409 / -3.27 /
    108% / 3.5亿元 / xx)."""
    text = cell.text
    found = _NUMBER.fullmatch(text)
    if found:
        sign, digits, decimals, percent, unit_word = found.groups()
        unit = _unit_word(unit_word) if unit_word else None
        if unit_word and (unit is None or unit[0] not in _CELL_UNITS):
            return None  # 2016年, 12月: not a figure of the table
        value = float(digits.replace(",", ""))
        return _Number(-value if sign in ("-", "−") else value, len(decimals or ""), bool(percent),
                       cell.start, cell.end, unit)
    if _MASKED.fullmatch(text):
        return _Number(None, 0, False, cell.start, cell.end)
    return None


def _blank(text: str) -> bool:
    return _DASH.fullmatch(text) is not None


# ---- blocks -------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Block:
    rows: list[list[_Cell]]  # right-aligned to the header's width
    header_rows: int
    caption: str
    notes: str
    units: list[tuple[str, float]]  # a 单位：亿元、% line above the table: the units of columns with none


def _line_bounds(text: str) -> list[tuple[int, int]]:
    bounds, at = [], 0
    for line in text.split("\n"):
        bounds.append((at, at + len(line)))
        at += len(line) + 1
    return bounds


def _separator(line: str) -> str | None:
    if "|" in line:
        return "|"
    if "\t" in line:
        return "\t"
    if "  " not in line and "\u3000\u3000" not in line:
        return None  # the usual line: no gap at all
    if len(_SPACE_GAP.findall(line)) >= 2:
        return " "
    return None


def _blocks(text: str) -> list[_Block]:
    """Runs of at least two lines split by the same separator whose rows after the header hold figures."""
    if "|" not in text and "\t" not in text and "  " not in text and "\u3000\u3000" not in text:
        return []
    lines = _line_bounds(text)
    blocks: list[_Block] = []
    i = 0
    while i < len(lines):
        lo, hi = lines[i]
        separator = _separator(text[lo:hi])
        if separator is None:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and _separator(text[slice(*lines[j + 1])]) == separator:
            j += 1
        if j > i:
            block = _block(text, lines, i, j + 1, separator)
            if block is not None:
                blocks.append(block)
        i = j + 1
    return blocks


def _is_data(row: list[_Cell], first: bool = False) -> bool:
    """A row holding a figure after its first cell; the first row of a table whose figures are all years
    (| 指标 | 2021 | 2022 |) is its header."""
    numbers = [cell.text for cell in row[1:] if _number(cell) is not None]
    return bool(numbers) and not (first and all(_YEAR_CELL.fullmatch(n) for n in numbers))


def _block(text: str, lines: list[tuple[int, int]], first: int, end: int, separator: str) -> _Block | None:
    rows = [_split(text, lo, hi, separator) for lo, hi in lines[first:end] if not _RULER.match(text[lo:hi])]
    data_at = next((k for k, row in enumerate(rows) if _is_data(row, first=k == 0)), None)
    if not data_at:  # no figure, or no header above the first one
        return None
    width = max(len(row) for row in rows[:data_at])
    aligned = []
    for row in rows:
        while len(row) > width and _number(row[0]) is None and _number(row[1]) is None:
            row = [_Cell(row[0].text + row[1].text, row[0].start, row[1].end)] + row[2:]  # 全  省, spaced to align
        row = row[:width]  # a row run into the next one (0.093台山市): its first cells are its own
        aligned.append([_Cell("", row[0].start, row[0].start)] * (width - len(row)) + row if row else row)
    caption, units = "", []
    for lo, hi in reversed(lines[max(0, first - 2):first]):  # the caption, and a 单位 line, just above
        line = text[lo:hi].strip()
        unit_line = _UNIT_LINE.match(line)
        if unit_line:
            units = [u for word in re.split(r"[、,，/;；\s]+", unit_line.group(1)) if (u := _unit_word(word))]
        elif line and hi - lo <= 80:
            caption = line
            break
        elif line:
            break
    notes = []
    for lo, hi in lines[end:end + 2]:
        line = text[lo:hi].strip()
        if not line.startswith(("注", "说明", "备注")):
            break
        notes.append(line)
    return _Block(aligned, data_at, caption, "\n".join(notes), units)


# ---- what a header or a row's first cell names --------------------------------------------------------------

@dataclass(slots=True)
class _Named:
    indicator: str | None
    phrase: str
    measure: str | None
    kind: str | None
    unit: tuple[str, float] | None  # (unit, scale of the written figure)
    unit_word: str
    year: int | None
    period: str | None


def _indicator(words: str) -> tuple[str | None, str, list[tuple[int, int]]]:
    """(indicator, phrase, spans of the phrases) the words name: the last phrase that names one, read after the
    one before it (R&D经费支出占GDP比重 is the intensity), its flow or stock from the variant words (新认定)."""
    hits = [(end - length + 1, end + 1, word, tags) for end, (length, word, tags) in PHRASES.iter_long(words)]
    spans = []  # of the phrases read: 占GDP比重 after 高新技术产业增加值 names nothing, so its 比重 is a share
    named, phrase, context = None, "", None
    for start, end, word, candidates in hits:
        resolved = next((c.indicator for c in candidates if not c.after or context in c.after), None)
        if resolved is None:
            continue
        context = resolved
        spans.append((start, end))
        if resolved and not resolved.startswith("~"):
            named, phrase = resolved, word
        elif resolved == "":
            named, phrase = None, ""
    if named is not None:
        base = next((b for b, variants in VARIANTS.items() if named == b or named in variants.values()), None)
        if base is not None:
            found = [VARIANTS[base][word] for _, (_, word, tags) in CUES.iter_long(words)
                     for kind, value in tags if kind == "variant" and value == base]
            if found:
                named = found[-1]
    return named, phrase, spans


def _unit(words: str) -> tuple[tuple[str, float] | None, str]:
    """The unit a header or label gives in parentheses (亿元, %, 家; 2020年，% gives %) and the scale of its
    figures, with the unit word as written."""
    for inside in reversed(_PARENS.findall(words)):
        for token in re.split(r"[，,、;；\s]+", inside):
            found = _unit_word(token)
            if found is not None:
                return found, token
    return None, ""


def _unit_word(token: str) -> tuple[str, float] | None:
    if token in ("%", "％"):
        return "percent", 1.0
    if token in UNITS:
        unit, scale, _ = UNITS[token]
        return unit, scale
    for scale_word, scale in SCALES.items():
        rest = token.removeprefix(scale_word)
        if rest != token and rest in UNITS and UNITS[rest][0] == "CNY":
            return "CNY", scale * UNITS[rest][1]
    return None


def _period(words: str) -> str | None:
    for pattern, fmt in PERIOD_PATTERNS:
        found = pattern.search(words)
        if found:
            return fmt.format(**found.groupdict())
    for word, period in CUE_RULES["period"]["words"].items():
        if word in words and period != "FY":
            return period
    return None


def _outside(spans: list[tuple[int, int]], at: int) -> bool:
    return not any(a <= at < b for a, b in spans)


def _named(words: str) -> _Named:
    indicator, phrase, spans = _indicator(words)
    measure = next((m for w, m in RULES.measures if (at := words.find(w)) >= 0 and _outside(spans, at)), None)
    kind = next((k for w, k in RULES.kinds if w in words), None)
    unit, unit_word = _unit(words)
    year = _YEAR.search(words)
    return _Named(indicator, phrase, measure, kind, unit, unit_word, int(year.group(1)) if year else None,
                  _period(words))


def _table_word(words: str, context: str) -> tuple[str | None, str]:
    """The indicator a table-only word of a header names (成交额 under a caption about 技术合同)."""
    for word, indicator, requires in RULES.words:
        if word in words and any(r in context for r in requires):
            return indicator, word
    return None, ""


# ---- columns --------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Column:
    index: int
    named: _Named
    ratio: bool
    region: str | None = None  # | 指标 | 长沙市 | 株洲市 |: a column a region's


def _columns(block: _Block, caption: _Named, context: str) -> tuple[list[_Column], int | None, int]:
    """The value columns (left to right) with what their headers name, the unit column (指标 | 单位 | …), and the
    label column (the first that holds no figure)."""
    width = len(block.rows[0])
    data = block.rows[block.header_rows:]
    headers = [" ".join(row[k].text for row in block.rows[:block.header_rows] if row[k].text) for k in range(width)]
    numeric = [any(_number(row[k]) is not None for row in data if k < len(row)) for k in range(width)]
    label = next((k for k in range(width) if not numeric[k]), 0)
    unit_column = next((k for k in range(width) if not numeric[k] and any(w in headers[k] for w in RULES.unit_labels)),
                       None)
    columns: list[_Column] = []
    left: _Named | None = None
    for k in range(width):
        if not numeric[k] or k == label or any(w in headers[k] for w in RULES.skip):
            continue
        named = _named(headers[k])
        if named.year is None and _YEAR_CELL.fullmatch(headers[k]):
            named.year = int(headers[k][:4])  # | 2021 | 2022 |
        if named.indicator is None or named.phrase in _TABLE_WORDS:
            # a bare 成交额 says no more than a table word: the caption decides (各市吸纳技术合同情况: absorbed)
            word_indicator, word = _table_word(headers[k], context)
            if word_indicator is not None or named.indicator is None:
                named.indicator, named.phrase = word_indicator, word
        if named.indicator is None and left is not None and (named.measure or named.kind):
            # 占规上工业比重 / 年度目标 beside a column: that column's indicator (and, for a bare target, measure)
            named.indicator, named.phrase = left.indicator, left.phrase
            if named.measure is None:
                named.measure = left.measure
        if named.indicator is None and named.measure is None and caption.indicator is not None:
            named.indicator, named.phrase = caption.indicator, caption.phrase  # 有效数(家) under its caption
        numbers = [n for row in data if k < len(row) and (n := _number(row[k])) is not None and n.value is not None]
        ratio = (named.measure in ("growth_pct", "share_pct") and not (named.unit and named.unit[0] == "percent")
                 and not any(n.percent for n in numbers)
                 and (any(w in block.notes for w in RULES.ratio_notes)
                      or bool(numbers) and all(n.decimals >= RULES.ratio_decimals for n in numbers)))
        columns.append(_Column(k, named, ratio, region_named(headers[k]) if named.indicator is None else None))
        if named.indicator is not None:
            left = named
    return columns, unit_column, label


# ---- cells into facts ------------------------------------------------------------------------------------------

def _value(number: _Number, measure: str, unit: tuple[str, float] | None, level_unit: str, ratio: bool
           ) -> tuple[float | None, str] | None:
    """(value in the canonical unit, unit) of a cell, or None when its unit is not the measure's."""
    value = number.value
    if measure == "rank":
        return value, "rank"
    if measure in ("growth_pct", "share_pct"):
        if number.unit is not None and number.unit[0] != "percent" or unit is not None and unit[0] != "percent":
            return None
        return (None if value is None else round(value * 100, 6) if ratio else value), "percent"
    if number.percent:
        unit = ("percent", 1.0)
    elif number.unit is not None:
        unit = number.unit
    if unit is None:
        if level_unit != "count" or (value is not None and value != int(value)):
            return None  # a bare figure is only read as a count
        unit = ("count", 1.0)
    if unit[0] != level_unit:
        return None
    return (None if value is None else round(value * unit[1], 6)), unit[0]


@dataclass(slots=True)
class _Row:
    region: str | None
    region_source: str
    year: int | None
    named: _Named | None  # an indicator row's own words


def _row(block: _Block, row: list[_Cell], label: int, doc: Document) -> _Row | None:
    """Whom or what a data row is about, from its first text cells."""
    text = next((c.text for c in row[:max(label + 1, 1)] if c.text and not _blank(c.text)
                 and _number(c) is None), "")
    if not text:
        text = next((c.text for c in row if c.text and not _blank(c.text) and _number(c) is None), "")
    if not text:
        return None
    named = _named(text)
    if named.indicator is not None:
        return _Row(doc.region, "document", None, named)
    year = _YEAR_CELL.fullmatch(text)
    if year:
        return _Row(doc.region, "document", int(year.group(1)), None)
    region, source = table_row_region(text, doc, RULES.province_totals, RULES.document_totals)
    return _Row(region, source, None, None)


def read_tables(doc: Document, sentences: Sequence[Sentence], mentions: Sequence[Mention],
                fact_type: type[Fact]) -> tuple[list[Fact], set[int]]:
    """The facts of the document's tables, and the sentences of the tables read (the figure loop skips them)."""
    blocks = _blocks(doc.text)
    if not blocks:
        return [], set()
    starts = [s.start for s in sentences]
    mention_at = {m.start: m for m in mentions}
    facts: list[Fact] = []
    covered: set[int] = set()
    windows: dict[int, tuple[int, str]] = {}  # evidence windows of long lines (pipelines.facts.scan.evidence)
    for block in blocks:
        header_words = " ".join(c.text for row in block.rows[:block.header_rows] for c in row)
        caption = _named(block.caption)
        context = f"{block.caption} {header_words}"
        columns, unit_column, label = _columns(block, caption, context)
        if not columns:
            continue
        header_years = [int(y) for y in _YEAR.findall(header_words)] + [c.named.year for c in columns if c.named.year]
        table_year = caption.year or (max(header_years) if header_years else None)  # 增长 beside 2021年 | 2022年
        table_period = caption.period or _period(header_words)
        found = []
        for row in block.rows[block.header_rows:]:
            about = _row(block, row, label, doc)
            if about is None:
                continue
            for column in columns:
                cell_facts = _cell_fact(doc, block, row, about, column, unit_column, table_year, table_period)
                if cell_facts is not None:
                    found.append(cell_facts)
        for number, indicator, phrase, measure, value, unit, year, year_source, period, kind, about in found:
            mention = mention_at.get(number.start) or mention_at.get(number.start + 1)  # -3.27: the sign aside
            i = bisect_right(starts, number.start) - 1
            if mention is None or i < 0 or sentences[i].end < number.end:
                continue
            sentence = sentences[i]
            covered.add(sentence.sentence_id)
            facts.append(fact_type(
                doc.doc_id, doc.source_file, about.region, indicator, measure, value, unit, year, year_source,
                period, kind, "exact", number.start, number.end,
                evidence(doc.text, sentence, number.start, number.end, windows), mention.mention_id,
                sentence.sentence_id, sentence.section_id, doc.part, None, phrase, "table_column",
                about.region_source, "table",
            ))
        if found:  # the table was read: none of its lines is read again as prose
            for row in block.rows:
                for cell in row:
                    i = bisect_right(starts, cell.start) - 1
                    if i >= 0:
                        covered.add(sentences[i].sentence_id)
    return facts, covered


def _cell_fact(doc: Document, block: _Block, row: list[_Cell], about: _Row, column: _Column,
               unit_column: int | None, table_year: int | None, table_period: str | None):
    number = _number(row[column.index]) if column.index < len(row) else None
    if number is None:
        return None
    named, own = column.named, about.named
    indicator = own.indicator if own is not None else named.indicator
    if indicator is None or indicator not in CODES:
        return None
    phrase = own.phrase if own is not None else named.phrase
    measure = named.measure or (own.measure if own is not None else None) or "level"
    unit = named.unit
    if unit is None and own is not None and measure not in ("growth_pct", "share_pct"):
        unit = own.unit  # 高新技术企业(家): the unit of the row's levels, not of its growth column
    if unit is None and unit_column is not None and measure not in ("growth_pct", "share_pct"):
        written = row[unit_column].text
        unit = _unit_word(written) or (("percent", 1.0) if written in ("%", "％") else None)
    code = CODES[indicator]
    if unit is None and block.units and measure == "level":
        unit = next((u for u in block.units if u[0] == code.level_unit), None)
    read = _value(number, measure, unit, code.level_unit, column.ratio)
    if read is None:
        return None
    value, unit_code = read
    kind = named.kind or "actual"
    year = about.year or named.year or (own.year if own is not None else None) or table_year
    year_source = "explicit"
    if year is None:
        year, year_source = doc.report_year, "report"
        if code.statistical_lag and kind == "actual" and year is not None and doc.doc_type != "work_points":
            year, year_source = year - 1, "statistical_lag"
    period = named.period or table_period or ("H1" if doc.doc_type == "half_year_summary" else "FY")
    if column.region is not None and own is not None:
        about = _Row(column.region, "table_column", about.year, own)
    return number, indicator, phrase, measure, value, unit_code, year, year_source, period, kind, about
