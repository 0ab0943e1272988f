"""The gold facts of the seeds are well-formed and point at their figures; the evaluator scores as specified."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import duckdb
import pytest

from conftest import REPO
from pipelines.evaluate import (
    GoldFact,
    PredictedFact,
    evaluate,
    format_report,
    match_facts,
    read_gold,
    values_equal,
)

GOLD_CSV = REPO / "tests" / "gold" / "seeds_gold.csv"
GUIDE = REPO / "docs" / "annotation-guide.md"
INDICATOR_CODES = REPO / "pipelines" / "rules" / "facts_codes.csv"
COLUMNS = ["source_file", "offset", "number", "indicator", "measure", "value", "unit", "year", "year_source",
           "period", "kind", "bound", "region"]
REGIONS = {"000": "淮北市", "001": "", "002": "六安市", "003": "连云港市", "004": "芜湖市"}
MEASURE_UNITS = {"growth_pct": "percent", "share_pct": "percent", "change_pp": "pp", "rank": "rank"}


def _level_units() -> dict[str, str]:
    """Indicator code -> level unit, for the contract's core codes and the guide's further codes."""
    with INDICATOR_CODES.open(encoding="utf-8", newline="") as handle:
        units = {row["code"]: row["level_unit"] for row in csv.DictReader(handle) if row["core"] == "true"}
    for code, unit in re.findall(r"^\| `([a-z0-9_]+)` \|.*\| (count|CNY|percent) \|$", GUIDE.read_text("utf-8"), re.M):
        units[code] = unit
    return units


@pytest.fixture(scope="module")
def gold_rows() -> list[dict[str, str]]:
    with GOLD_CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_guide_lists_the_further_codes():
    units = _level_units()
    assert units["key_laboratories"] == "count" and units["sci_tech_loans"] == "CNY"
    assert units["rd_expenditure"] == "CNY" and units["policy_funds_paid"] == "CNY"
    assert len(re.findall(r"^\| `[a-z0-9_]+` \|", GUIDE.read_text("utf-8"), re.M)) >= 10


def test_gold_codes_and_vocabularies_are_valid(gold_rows):
    level_units = _level_units()
    for row in gold_rows:
        where = f"{row['source_file']}:{row['offset']} {row['number']}"
        assert row["indicator"] in level_units, where
        assert row["unit"] == MEASURE_UNITS.get(row["measure"], level_units[row["indicator"]]), where
        assert row["measure"] in {"level", *MEASURE_UNITS}, where
        assert row["kind"] in {"actual", "target", "forecast"}, where
        assert row["bound"] in {"exact", "at_least", "about", "range", "at_most"}, where
        assert re.fullmatch(r"FY|H1|H2|M1-(?:[1-9]|1[01])", row["period"]), where
        assert row["region"] == REGIONS[row["source_file"][:3]], where
        if row["year"]:
            assert 2000 <= int(row["year"]) <= 2030, where
            assert row["year_source"] in {"explicit", "relative", "report", "statistical_lag"}, where
        else:
            assert row["year_source"] == "", where


def test_gold_values_agree_with_the_figures(gold_rows):
    for row in gold_rows:
        where = f"{row['source_file']}:{row['offset']} {row['number']}"
        masked = "x" in row["number"]
        assert (row["value"] == "") == masked, where
        digits = re.search(r"\d+(?:\.\d+)?", row["number"])
        if masked or not digits:  # 千亿, 第一 and 一项 are checked by eye
            continue
        scale = 1e8 if "亿" in row["number"] else 1e4 if "万" in row["number"] else 1
        assert math.isclose(float(digits.group()) * scale, float(row["value"]), rel_tol=1e-9), where


def test_gold_has_no_duplicate_facts(gold_rows):
    keys = [(r["source_file"], r["offset"], r["indicator"], r["measure"]) for r in gold_rows]
    assert len(keys) == len(set(keys))
    assert {r["source_file"][:3] for r in gold_rows} == set(REGIONS)


def test_gold_offsets_point_at_the_figures(gold_rows, seeds_dir):
    texts = {path.name: path.read_text(encoding="utf-8") for path in seeds_dir.glob("*.txt")}
    for row in gold_rows:
        offset = int(row["offset"])
        assert texts[row["source_file"]][offset:].startswith(row["number"]), f"{row['source_file']}:{offset}"


def test_gold_follows_the_guides_worked_examples():
    gold = read_gold(GOLD_CSV)
    huaibei = [f for f in gold if f.indicator == "tech_contract_absorbed" and f.value == 5.061e9]
    assert [(f.period, f.year) for f in huaibei] == [("M1-5", 2023), ("M1-5", 2023)]
    wuhu_rd = next(f for f in gold if f.indicator == "rd_expenditure" and f.source_file.startswith("004"))
    assert (wuhu_rd.value, wuhu_rd.year, wuhu_rd.year_source) == (1.694e10, 2022, "statistical_lag")
    wuhu_plan = [f for f in gold if f.source_file.startswith("004") and f.number == "360家"]
    assert sorted(f.indicator for f in wuhu_plan) == ["high_tech_enterprises_new", "tech_smes"]
    assert {(f.kind, f.year) for f in wuhu_plan} == {("target", 2024)}
    assert all(f.year is None for f in gold if f.value is None)


# --- the evaluator on a warehouse made by hand -------------------------------------------------------------------

def _write_gold(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for source_file, offset, number, indicator, measure, value, unit, year, period in rows:
            writer.writerow([source_file, offset, number, indicator, measure, value, unit, year, "report", period,
                             "actual", "exact", "某市"])
    return path


def _write_warehouse(path: Path, documents: list[tuple], facts: list[tuple]) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE documents (doc_id VARCHAR, source_file VARCHAR, part INTEGER, file_start INTEGER)")
    con.execute(
        "CREATE TABLE facts (doc_id VARCHAR, source_file VARCHAR, indicator VARCHAR, measure VARCHAR, value DOUBLE,"
        " unit VARCHAR, year INTEGER, year_source VARCHAR, period VARCHAR, kind VARCHAR, bound VARCHAR,"
        " span_start INTEGER, span_end INTEGER, region VARCHAR)"
    )
    con.executemany("INSERT INTO documents VALUES (?, ?, ?, ?)", documents)
    con.executemany(
        "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, 'report', ?, 'actual', 'exact', ?, ? + 4, NULL)",
        [(*fact, fact[-1]) for fact in facts],
    )
    con.close()
    return path


@pytest.fixture
def hand_made_case(tmp_path: Path) -> tuple[Path, Path]:
    gold = _write_gold(tmp_path / "gold.csv", [
        ("a.txt", 110, "318家", "tech_smes", "level", 318, "count", 2023, "FY"),            # true positive
        ("a.txt", 150, "7.04%", "fiscal_st_expenditure", "growth_pct", 7.04, "percent", 2023, "FY"),  # offset off
        ("a.txt", 200, "3.76%", "rd_intensity", "level", 3.76, "percent", 2022, "FY"),     # false negative
        ("a.txt", 1008, "xx家", "high_tech_enterprises", "level", "", "count", "", "FY"),  # masked, part 2
        ("a.txt", 1100, "1.9%", "high_tech_enterprises", "share_pct", 1.9, "percent", 2022, "FY"),  # FN
    ])
    warehouse = _write_warehouse(
        tmp_path / "w.duckdb",
        documents=[("d1", "a.txt", 1, 100), ("d2", "a.txt", 2, 1000), ("d3", "b.txt", 1, 0)],
        facts=[
            # doc_id, source_file, indicator, measure, value, unit, year, period, span_start
            ("d1", "a.txt", "tech_smes", "level", 318.0, "count", 2023, "FY", 10),
            ("d1", "a.txt", "fiscal_st_expenditure", "growth_pct", 7.04, "percent", 2023, "FY", 70),
            ("d1", "a.txt", "rd_intensity", "level", 3.67, "percent", 2022, "FY", 100),   # wrong value: FP
            ("d2", "a.txt", "high_tech_enterprises", "level", None, "count", None, "H1", 5),
            ("d3", "b.txt", "tech_smes", "level", 5.0, "count", 2023, "FY", 0),           # file not in gold
        ],
    )
    return gold, warehouse


def test_evaluate_scores_the_hand_made_case(hand_made_case):
    report = evaluate(*hand_made_case)
    assert (report.overall.gold, report.overall.predicted, report.overall.matched) == (5, 4, 2)
    assert report.overall.precision == pytest.approx(0.5)
    assert report.overall.recall == pytest.approx(0.4)
    assert report.overall.f1 == pytest.approx(4 / 9)
    assert [(f.offset, f.indicator) for f in report.false_negatives] == [
        (150, "fiscal_st_expenditure"), (200, "rd_intensity"), (1100, "high_tech_enterprises")]
    assert [(f.offset, f.indicator) for f in report.false_positives] == [
        (170, "fiscal_st_expenditure"), (200, "rd_intensity")]
    smes = report.by_indicator["tech_smes"]
    assert (smes.gold, smes.predicted, smes.matched, smes.f1) == (1, 1, 1, 1.0)
    assert report.by_indicator["rd_intensity"].f1 == 0.0
    # the hand-made facts name no region, the gold rows do
    assert report.attribute_accuracy == {"kind": 1.0, "year": 1.0, "period": 0.5, "bound": 1.0, "region": 0.0}


def test_evaluate_leaves_the_warehouse_closed_and_formats_a_report(hand_made_case):
    report = evaluate(*hand_made_case)
    duckdb.connect(str(hand_made_case[1])).close()  # would fail while a read-only handle were still open
    text = format_report(report, limit=1)
    assert "precision 0.500  recall 0.400  F1 0.444" in text
    assert "a.txt:150  fiscal_st_expenditure growth_pct 7.04  7.04%" in text
    assert "false negatives (gold, not predicted): 3, first 1" in text
    assert "a.txt:200  rd_intensity" not in text


def _gold(offset: int, value: float | None = 318.0) -> GoldFact:
    return GoldFact("a.txt", offset, "318家", "tech_smes", "level", value, "count", 2023, "report", "FY", "actual",
                    "exact", "")


def _predicted(offset: int, value: float | None = 318.0) -> PredictedFact:
    return PredictedFact("a.txt", offset, "tech_smes", "level", value, 2023, "FY", "actual", "exact")


def test_matching_is_one_to_one_and_nearest_first():
    gold = [_gold(100), _gold(110)]
    pairs = match_facts(gold, [_predicted(106), _predicted(112)])
    assert [(g.offset, p.offset) for g, p in pairs] == [(100, 106), (110, 112)]
    assert [(g.offset, p.offset) for g, p in match_facts(gold, [_predicted(107)])] == [(110, 107)]
    assert match_facts([_gold(100)], [_predicted(107)]) == []


def test_values_compare_with_tolerance():
    assert values_equal(5061000000.0, 5061000001.0)
    assert values_equal(None, None)
    assert values_equal(0.0, 1e-10)
    assert not values_equal(3.76, 3.77)
    assert not values_equal(None, 0.0)
