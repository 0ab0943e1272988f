"""Precision, recall and F1 of the warehouse's facts against a hand-made gold CSV.

A predicted fact matches a gold row when both name the same file, indicator, measure and value and the prediction's
file offset (`documents.file_start + facts.span_start`, mapped back to the file as decoded through the repair map of
`source_texts`) lies within `OFFSET_TOLERANCE` characters of the gold offset. Matching is one-to-one, nearest pairs
first, so a figure stated twice in a file needs two predictions.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.repair import to_original

OFFSET_TOLERANCE = 6
RELATIVE_TOLERANCE = 1e-6
ABSOLUTE_TOLERANCE = 1e-9
ATTRIBUTES = ("kind", "year", "period", "bound")


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
    region: str


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
    attribute_accuracy: dict[str, float | None]  # share of matched pairs agreeing on kind/year/period/bound
    matched: tuple[tuple[GoldFact, PredictedFact], ...]
    false_negatives: tuple[GoldFact, ...]
    false_positives: tuple[PredictedFact, ...]


def read_gold(gold_csv: Path) -> list[GoldFact]:
    with gold_csv.open(encoding="utf-8", newline="") as handle:
        return [_gold_fact(row) for row in csv.DictReader(handle)]


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
           f.year, f.period, f.kind, f.bound
    FROM facts AS f JOIN documents AS d ON d.doc_id = f.doc_id
    WHERE list_contains(?, d.source_file)
    ORDER BY 1, 2
"""


_REPAIR_MAPS_SQL = "SELECT source_file, text_starts, original_starts FROM source_texts"
_HAS_REPAIR_MAPS_SQL = """SELECT count(*) FROM information_schema.columns
    WHERE table_name = 'source_texts' AND column_name IN ('text_starts', 'original_starts')"""


def read_predictions(warehouse: Path, source_files: list[str]) -> list[PredictedFact]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(_PREDICTIONS_SQL, [source_files]).fetchall()
        maps = {}
        if con.execute(_HAS_REPAIR_MAPS_SQL).fetchone()[0] == 2:  # a hand-made warehouse may lack them
            maps = {name: (starts, origins) for name, starts, origins in con.execute(_REPAIR_MAPS_SQL).fetchall()}
    finally:
        con.close()
    # Gold offsets are in the file as decoded; a repaired text (joined lines, removed glosses) has moved them.
    return [
        PredictedFact(row[0], to_original(*maps[row[0]], row[1], row[1] + 1)[0] if row[0] in maps else row[1], *row[2:])
        for row in rows
    ]


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


def evaluate(gold_csv: Path, warehouse: Path) -> EvaluationReport:
    gold = read_gold(gold_csv)
    predicted = read_predictions(warehouse, sorted({fact.source_file for fact in gold}))
    return score(gold, predicted)


def score(gold: list[GoldFact], predicted: list[PredictedFact]) -> EvaluationReport:
    pairs = match_facts(gold, predicted)
    matched_gold = {id(g) for g, _ in pairs}
    matched_predicted = {id(p) for _, p in pairs}
    indicators = sorted({f.indicator for f in gold} | {f.indicator for f in predicted})
    by_indicator = {
        code: Score(
            gold=sum(f.indicator == code for f in gold),
            predicted=sum(f.indicator == code for f in predicted),
            matched=sum(g.indicator == code for g, _ in pairs),
        )
        for code in indicators
    }
    return EvaluationReport(
        overall=Score(gold=len(gold), predicted=len(predicted), matched=len(pairs)),
        by_indicator=by_indicator,
        attribute_accuracy={
            name: (sum(getattr(g, name) == getattr(p, name) for g, p in pairs) / len(pairs) if pairs else None)
            for name in ATTRIBUTES
        },
        matched=tuple(pairs),
        false_negatives=tuple(f for f in gold if id(f) not in matched_gold),
        false_positives=tuple(f for f in predicted if id(f) not in matched_predicted),
    )


def format_report(report: EvaluationReport, limit: int = 20) -> str:
    overall = report.overall
    lines = [
        f"facts: {overall.gold} gold, {overall.predicted} predicted, {overall.matched} matched",
        f"precision {overall.precision:.3f}  recall {overall.recall:.3f}  F1 {overall.f1:.3f}",
        "",
        f"{'indicator':<40}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}",
    ]
    for code, s in report.by_indicator.items():
        lines.append(
            f"{code:<40}{s.gold:>6}{s.predicted:>6}{s.matched:>7}{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}"
        )
    lines += ["", "over matched pairs: " + "  ".join(
        f"{name} {'n/a' if accuracy is None else f'{accuracy:.3f}'}"
        for name, accuracy in report.attribute_accuracy.items()
    )]
    lines += _error_lines("false negatives (gold, not predicted)", report.false_negatives, limit)
    lines += _error_lines("false positives (predicted, not gold)", report.false_positives, limit)
    return "\n".join(lines)


def _error_lines(title: str, facts: tuple[GoldFact, ...] | tuple[PredictedFact, ...], limit: int) -> list[str]:
    lines = ["", f"{title}: {len(facts)}" + (f", first {limit}" if len(facts) > limit else "")]
    for fact in facts[:limit]:
        number = f"  {fact.number}" if isinstance(fact, GoldFact) else ""
        lines.append(f"  {fact.source_file}:{fact.offset}  {fact.indicator} {fact.measure} {fact.value}{number}")
    return lines
