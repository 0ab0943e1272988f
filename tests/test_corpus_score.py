"""The development corpus, scored: `zhibiao evaluate` on its JSONL gold agrees with ../shared/corpus/score.py (the
scoring the project is judged by) on the same warehouse, and the corpus F1 holds its floor. The corpus-matching
rules themselves are checked on composed rows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHARED, _require_shared
from pipelines.evaluate import GoldFact, PredictedFact, evaluate, format_report, read_gold, score

CORPUS = SHARED / "corpus"
# main reached F1 0.980 (P 0.995, R 0.965) on the corpus when this floor was set (2026-12-02, near the end of
# the work); the floor sits a little below, so a rule change that trades a fact or two passes and a lost construction does not. The
# issue's bar is 0.88. Raise it as the extractor improves, never lower it to let a change through.
CORPUS_F1_FLOOR = 0.96


@pytest.fixture(scope="module")
def corpus_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipelines.cli import main

    reports = _require_shared(CORPUS / "reports")
    target = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    assert main(["build", "--raw-dir", str(reports), "--warehouse", str(target), "--full"]) == 0
    return target


def test_evaluate_agrees_with_the_corpus_score_script(corpus_warehouse: Path):
    script = _require_shared(CORPUS / "score.py")
    judged = json.loads(subprocess.run([sys.executable, str(script), str(corpus_warehouse), "--json"],
                                       check=True, capture_output=True, text=True).stdout)
    report = evaluate(CORPUS / "gold", corpus_warehouse)
    ours = report.overall
    assert (ours.gold, ours.predicted, ours.matched) == (judged["gold"], judged["pred"], judged["tp"])
    assert round(ours.f1, 3) == judged["f1"]
    assert round(report.attribute_accuracy["kind"], 3) == judged["kind_acc"]
    assert round(report.attribute_accuracy["year"], 3) == judged["year_acc"]
    assert set(report.by_slice) == {"c1", "c2", "c3"}
    assert sum(s.matched for s in report.by_slice.values()) == ours.matched
    assert "file slice" in format_report(report) and "region" in format_report(report)


def test_corpus_f1_holds_its_floor(corpus_warehouse: Path):
    report = evaluate(CORPUS / "gold", corpus_warehouse)
    assert report.overall.f1 >= CORPUS_F1_FLOOR, format_report(report, limit=10)


def _gold(value: float | None, indicator: str = "tech_smes", uncertain: bool = False, year: int | None = 2020):
    return GoldFact("c1_x.txt", 0, "", indicator, "level", value, "count", year, "", "FY", "actual", "exact",
                    "甲市", uncertain)


def _predicted(value: float | None, indicator: str = "tech_smes", kind: str = "actual"):
    return PredictedFact("c1_x.txt", 500, indicator, "level", value, 2020, "FY", kind, "exact", "甲市")


def test_corpus_matching_ignores_offsets_and_uncertain_rows_and_unused_codes():
    gold = [_gold(100), _gold(200, uncertain=True), _gold(300, year=None)]
    predicted = [_predicted(100.05), _predicted(200), _predicted(301), _predicted(7, "key_laboratories"),
                 _predicted(300, kind="target")]
    report = score(gold, predicted, corpus=True)
    # 100.05 is within 0.1 %; 200 meets an uncertain row and counts neither way; 301 is a miss; the code the
    # gold never uses is not counted; 300 matches but disagrees on kind, and its gold year is unknown
    assert (report.overall.gold, report.overall.predicted, report.overall.matched) == (2, 3, 2)
    assert report.attribute_accuracy["kind"] == 0.5
    assert report.attribute_accuracy["year"] == 1.0


def test_read_gold_names_the_file_and_line_of_a_bad_row(tmp_path: Path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"source_file": "a.txt"}\n', "utf-8")
    with pytest.raises(ValueError, match=r"gold.jsonl:1: not a gold fact"):
        read_gold(bad)
