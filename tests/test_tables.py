"""Tables: every worked example of rules/tables.toml read through the real stages, and the rule file failing
loudly on a bad row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.documents import Document
from pipelines.extract import extract_document
from pipelines.facts.tables import RULES, TableRulesError, load_table_rules, TABLES_FILE


def _document(text: str) -> Document:
    return Document(
        doc_id="composed", source_file="composed.txt", source_files=("composed.txt",), part=1, file_start=0,
        file_end=len(text), text=text, title=None, issuer=None, published_date=None, index_number=None,
        doc_type="annual_summary", region="芜湖市", region_level="city", province="安徽省", report_year=2023,
        encoding="utf-8",
    )


def _row(fact, doc: Document) -> str:
    region = {doc.province: "@province", doc.region: "@document"}.get(fact.region, fact.region)
    value = int(fact.value) if fact.value == int(fact.value) else fact.value
    return " ".join(map(str, (fact.indicator, fact.measure, value, fact.unit, fact.kind, fact.year, fact.period,
                              region)))


@pytest.mark.parametrize("example", RULES.examples, ids=[e["name"] for e in RULES.examples])
def test_every_table_example_gives_its_facts(example):
    doc = _document(example["text"].strip("\n"))
    facts = extract_document(doc)[3]
    expected = [" ".join(f.split()[:2] + [str(_number(f.split()[2]))] + f.split()[3:]) for f in example["facts"]]
    assert sorted(_row(f, doc) for f in facts) == sorted(expected)
    for fact in facts:  # each fact points at its cell's characters
        assert doc.text[fact.span_start:fact.span_end].rstrip("%").lstrip("-").replace(",", "")
        assert fact.region_source.startswith(("table", "document"))


def _number(written: str) -> int | float:
    value = float(written)
    return int(value) if value == int(value) else value


def test_a_table_is_read_once_not_again_as_prose():
    doc = _document(RULES.examples[0]["text"].strip("\n"))
    facts = extract_document(doc)[3]
    assert len({(f.span_start, f.indicator, f.measure) for f in facts}) == len(facts)


@pytest.mark.parametrize(("change", "message"), [
    (('indicator = "tech_contract_turnover"', 'indicator = "tech_contract_turnovr"'), "unknown indicator code"),
    (("[measures]", "[measure]"), "unknown section [measure]"),
    (("growth_pct = [", "growth = ["), "unknown key 'growth'"),
    (("min_decimals = 3", "min_decimals = 0"), "min_decimals"),
])
def test_a_bad_rule_row_is_an_error_naming_file_and_line(tmp_path: Path, change, message):
    raw = TABLES_FILE.read_text("utf-8")
    assert change[0] in raw
    bad = tmp_path / "tables.toml"
    bad.write_text(raw.replace(change[0], change[1], 1), "utf-8")
    with pytest.raises(TableRulesError, match=re.escape(message)) as error:
        load_table_rules(bad)
    line = int(str(error.value).split(":")[1])
    assert change[1].split()[0] in bad.read_text("utf-8").splitlines()[line - 1]
