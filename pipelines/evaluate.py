"""Precision, recall and F1 of the warehouse's facts against hand-made gold facts.

Two gold formats, two matchings:
- the seeds' CSV (`tests/gold/seeds_gold.csv`): a predicted fact matches a gold row when both name the same file,
  indicator, measure and value and the prediction's file offset (`documents.file_start + facts.span_start`, mapped
  back to the file as decoded through the repair map of `source_texts`) lies within `OFFSET_TOLERANCE` characters
  of the gold offset; one-to-one, nearest pairs first;
- the development corpus's JSONL (`../shared/corpus/gold/*.jsonl`, a file or their folder): matched exactly as
  `../shared/corpus/score.py`, the scoring the project is judged by: each gold row in turn takes the first unused
  fact (in the warehouse's row order) of its file, indicator and measure whose value agrees within 0.1 %;
  precision counts only facts whose indicator the gold uses; rows marked `uncertain` count neither way.
Both report P/R/F1 overall, per indicator, per measure and per file slice (`c1_…`), and the agreement of kind,
year, period, bound and region over the matched pairs.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.repair import to_original

OFFSET_TOLERANCE = 6
RELATIVE_TOLERANCE = 1e-6
ABSOLUTE_TOLERANCE = 1e-9
CORPUS_RELATIVE_TOLERANCE = 1e-3  # score.py's
ATTRIBUTES = ("kind", "year", "period", "bound", "region")
_SLICE = re.compile(r"^(c\d+)_")


@dataclass(frozen=True, slots=True)
class GoldFact:
    source_file: str
    offset: int
    number: str
    indicator: str
    measure: str
    value: float | None
    unit: str
    year: int | None
    year_source: str
    period: str
    kind: str
    bound: str
    region: str | None
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class PredictedFact:
    source_file: str
    offset: int
    indicator: str
    measure: str
    value: float | None
    year: int | None
    period: str | None
    kind: str | None
    bound: str | None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    overall: Score
    by_indicator: dict[str, Score]  # every indicator of the gold or the predictions, sorted by code
    by_measure: dict[str, Score]
    by_slice: dict[str, Score]      # c1, c2, c3 … of the corpus's file names; "other" for the rest
    attribute_accuracy: dict[str, float | None]  # share of matched pairs agreeing on kind/year/period/bound/region
    matched: tuple[tuple[GoldFact, PredictedFact], ...]
    false_negatives: tuple[GoldFact, ...]
    false_positives: tuple[PredictedFact, ...]


def is_corpus_gold(gold: Path) -> bool:
    """A folder of JSONL files or one JSONL file: the development corpus's gold, scored as score.py scores it."""
    return gold.is_dir() or gold.suffix == ".jsonl"


def read_gold(gold: Path) -> list[GoldFact]:
    """The gold facts of the seeds' CSV, of a corpus JSONL file, or of every *.jsonl of a folder (sorted)."""
    if not is_corpus_gold(gold):
        with gold.open(encoding="utf-8", newline="") as handle:
            return [_gold_fact(row) for row in csv.DictReader(handle)]
    paths = sorted(gold.glob("*.jsonl")) if gold.is_dir() else [gold]
    facts = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        facts.append(_jsonl_fact(json.loads(line)))
                    except (KeyError, TypeError, ValueError) as error:
                        raise ValueError(f"{path}:{number}: not a gold fact ({error!r})") from error
    return facts


def _jsonl_fact(row: dict) -> GoldFact:
    return GoldFact(
        source_file=row["source_file"], offset=int(row["offset"]), number=row["number"],
        indicator=row["indicator"], measure=row["measure"],
        value=None if row["value"] is None else float(row["value"]), unit=row["unit"],
        year=None if row.get("year") is None else int(row["year"]), year_source=row.get("year_source") or "",
        period=row["period"], kind=row["kind"], bound=row["bound"], region=row.get("region"),
        uncertain=bool(row.get("uncertain")),
    )


def _gold_fact(row: dict[str, str]) -> GoldFact:
    return GoldFact(
        source_file=row["source_file"], offset=int(row["offset"]), number=row["number"],
        indicator=row["indicator"], measure=row["measure"],
        value=float(row["value"]) if row["value"] else None, unit=row["unit"],
        year=int(row["year"]) if row["year"] else None, year_source=row["year_source"], period=row["period"],
        kind=row["kind"], bound=row["bound"], region=row["region"],
    )


_PREDICTIONS_SQL = """
    SELECT d.source_file, d.file_start + f.span_start, f.indicator, f.measure, f.value,
           f.year, f.period, f.kind, f.bound, f.region
    FROM facts AS f JOIN documents AS d ON d.doc_id = f.doc_id
    WHERE list_contains(?, d.source_file)
    ORDER BY 1, 2
"""
# score.py's own scan of `facts`, in the warehouse's row order (the order its first-unused matching walks); the
# file offsets are added from `documents` afterwards, so that no join reorders the rows.
_CORPUS_PREDICTIONS_SQL = """
    SELECT source_file, indicator, measure, value, kind, year, period, bound, region, doc_id, span_start FROM facts
"""


_REPAIR_MAPS_SQL = "SELECT source_file, text_starts, original_starts FROM source_texts"
_HAS_REPAIR_MAPS_SQL = """SELECT count(*) FROM information_schema.columns
    WHERE table_name = 'source_texts' AND column_name IN ('text_starts', 'original_starts')"""


def read_predictions(warehouse: Path, source_files: list[str], corpus: bool = False) -> list[PredictedFact]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        maps = {}
        if con.execute(_HAS_REPAIR_MAPS_SQL).fetchone()[0] == 2:  # a hand-made warehouse may lack them
            maps = {name: (starts, origins) for name, starts, origins in con.execute(_REPAIR_MAPS_SQL).fetchall()}
        if not corpus:
            return [PredictedFact(row[0], _original_offset(maps, row[0], row[1]), *row[2:])
                    for row in con.execute(_PREDICTIONS_SQL, [source_files]).fetchall()]
        starts = dict(con.execute("SELECT doc_id, file_start FROM documents").fetchall())
        rows = con.execute(_CORPUS_PREDICTIONS_SQL).fetchall()
    finally:
        con.close()
    wanted = set(source_files)
    return [PredictedFact(file, _original_offset(maps, file, starts.get(doc_id, 0) + span_start), indicator, measure,
                          value, year, period, kind, bound, region)
            for file, indicator, measure, value, kind, year, period, bound, region, doc_id, span_start in rows
            if file in wanted]


def _original_offset(maps: dict, source_file: str, offset: int) -> int:
    """Gold offsets are in the file as decoded; a repaired text (joined lines, removed glosses) has moved them."""
    if source_file not in maps:
        return offset
    return to_original(*maps[source_file], offset, offset + 1)[0]


def values_equal(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    difference = abs(a - b)
    return difference <= ABSOLUTE_TOLERANCE or difference <= RELATIVE_TOLERANCE * max(abs(a), abs(b))


def match_facts(gold: list[GoldFact], predicted: list[PredictedFact]) -> list[tuple[GoldFact, PredictedFact]]:
    """One-to-one pairs, the nearest offsets first (ties in document order)."""
    predicted_by_key: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for pi, fact in enumerate(predicted):
        predicted_by_key[(fact.source_file, fact.indicator, fact.measure)].append(pi)
    candidates = sorted(
        (abs(predicted[pi].offset - g.offset), g.offset, predicted[pi].offset, gi, pi)
        for gi, g in enumerate(gold)
        for pi in predicted_by_key[(g.source_file, g.indicator, g.measure)]
        if abs(predicted[pi].offset - g.offset) <= OFFSET_TOLERANCE and values_equal(g.value, predicted[pi].value)
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, _, _, gi, pi in candidates:
        if gi in used_gold or pi in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pi)
        pairs.append((gold[gi], predicted[pi]))
    return sorted(pairs, key=lambda pair: (pair[0].source_file, pair[0].offset))


def match_like_corpus_score(gold: list[GoldFact], predicted: list[PredictedFact]
                            ) -> tuple[list[tuple[GoldFact, PredictedFact]], list[PredictedFact]]:
    """score.py's matching: (pairs, the predictions that count). Each certain gold row in turn takes the first
    unused prediction of its file, indicator and measure whose value agrees within 0.1 %; predictions of a code the
    gold never uses do not count, nor one an uncertain gold row takes."""
    codes = {g.indicator for g in gold}
    counted = [p for p in predicted if p.indicator in codes]
    by_key: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, fact in enumerate(counted):
        by_key[(fact.source_file, fact.indicator, fact.measure)].append(i)
    used: set[int] = set()

    def take(g: GoldFact) -> int | None:
        for i in by_key.get((g.source_file, g.indicator, g.measure), ()):
            if i not in used and _close(counted[i].value, g.value):
                used.add(i)
                return i
        return None

    pairs = [(g, counted[i]) for g in gold if not g.uncertain and (i := take(g)) is not None]
    ignored = {i for g in gold if g.uncertain and (i := take(g)) is not None}
    return pairs, [p for i, p in enumerate(counted) if i not in ignored]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= CORPUS_RELATIVE_TOLERANCE * max(abs(a), abs(b), 1e-9)


def evaluate(gold_path: Path, warehouse: Path) -> EvaluationReport:
    gold = read_gold(gold_path)
    corpus = is_corpus_gold(gold_path)
    predicted = read_predictions(warehouse, sorted({fact.source_file for fact in gold}), corpus)
    return score(gold, predicted, corpus)


def score(gold: list[GoldFact], predicted: list[PredictedFact], corpus: bool = False) -> EvaluationReport:
    if corpus:
        pairs, predicted = match_like_corpus_score(gold, predicted)
        gold = [g for g in gold if not g.uncertain]
    else:
        pairs = match_facts(gold, predicted)
    matched_gold = {id(g) for g, _ in pairs}
    matched_predicted = {id(p) for _, p in pairs}
    return EvaluationReport(
        overall=Score(gold=len(gold), predicted=len(predicted), matched=len(pairs)),
        by_indicator=_scores_by(lambda f: f.indicator, gold, predicted, pairs),
        by_measure=_scores_by(lambda f: f.measure, gold, predicted, pairs),
        by_slice=_scores_by(file_slice, gold, predicted, pairs),
        attribute_accuracy={name: _agreement(name, pairs) for name in ATTRIBUTES},
        matched=tuple(pairs),
        false_negatives=tuple(f for f in gold if id(f) not in matched_gold),
        false_positives=tuple(f for f in predicted if id(f) not in matched_predicted),
    )


def file_slice(fact: GoldFact | PredictedFact) -> str:
    """The corpus slice of a fact's file: c1 (cities), c2 (provinces), c3 (counties and zones); else other."""
    found = _SLICE.match(fact.source_file)
    return found.group(1) if found else "other"


def _scores_by(key, gold: list[GoldFact], predicted: list[PredictedFact],
               pairs: list[tuple[GoldFact, PredictedFact]]) -> dict[str, Score]:
    groups = sorted({key(f) for f in gold} | {key(f) for f in predicted})
    return {group: Score(gold=sum(key(f) == group for f in gold),
                         predicted=sum(key(f) == group for f in predicted),
                         matched=sum(key(g) == group for g, _ in pairs))
            for group in groups}


def _agreement(name: str, pairs: list[tuple[GoldFact, PredictedFact]]) -> float | None:
    """The share of matched pairs agreeing on `name`; a gold year that is unknown (null) is not scored, as in
    score.py. A seed gold row's empty region is the anonymised region, null."""
    scored = [(getattr(g, name) or None, getattr(p, name) or None) for g, p in pairs
              if name != "year" or g.year is not None]
    return sum(a == b for a, b in scored) / len(scored) if scored else None


def format_report(report: EvaluationReport, limit: int = 20) -> str:
    overall = report.overall
    lines = [
        f"facts: {overall.gold} gold, {overall.predicted} predicted, {overall.matched} matched",
        f"precision {overall.precision:.3f}  recall {overall.recall:.3f}  F1 {overall.f1:.3f}",
        "",
    ]
    for title, scores in (("indicator", report.by_indicator), ("measure", report.by_measure),
                          ("file slice", report.by_slice)):
        lines += _score_lines(title, scores)
    lines += ["over matched pairs: " + "  ".join(
        f"{name} {'n/a' if accuracy is None else f'{accuracy:.3f}'}"
        for name, accuracy in report.attribute_accuracy.items()
    )]
    lines += _error_lines("false negatives (gold, not predicted)", report.false_negatives, limit)
    lines += _error_lines("false positives (predicted, not gold)", report.false_positives, limit)
    return "\n".join(lines)


def _score_lines(title: str, scores: dict[str, Score]) -> list[str]:
    lines = [f"{title:<40}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}"]
    for group, s in scores.items():
        lines.append(
            f"{group:<40}{s.gold:>6}{s.predicted:>6}{s.matched:>7}{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}"
        )
    return lines + [""]


def _error_lines(title: str, facts: tuple[GoldFact, ...] | tuple[PredictedFact, ...], limit: int) -> list[str]:
    lines = ["", f"{title}: {len(facts)}" + (f", first {limit}" if len(facts) > limit else "")]
    for fact in facts[:limit]:
        number = f"  {fact.number}" if isinstance(fact, GoldFact) else ""
        lines.append(f"  {fact.source_file}:{fact.offset}  {fact.indicator} {fact.measure} {fact.value}{number}")
    return lines
