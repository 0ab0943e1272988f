"""`zhibiao show`: a seed report's page marks each of its facts once, links each table row to its mark, shows the
numbers read as no fact faintly, and fetches nothing."""

from __future__ import annotations

import html
import re

import duckdb
import polars as pl
import pytest

from pipelines.cli import main
from pipelines.show import _marked_text

# Anything a browser would fetch: a src or href that is not a #fragment, a stylesheet link, a CSS url(), an import.
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?!#)|<link\b|url\(|@import""", re.IGNORECASE)


@pytest.fixture(scope="module")
def seed_doc(seeds_warehouse):
    """The seed report with the most facts, and its facts and unread mentions."""
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        ((doc_id,),) = con.execute(
            "SELECT doc_id FROM facts GROUP BY doc_id ORDER BY count(*) DESC, doc_id LIMIT 1").fetchall()
        fact_ids = [i for (i,) in con.execute("SELECT fact_id FROM facts WHERE doc_id = ?", [doc_id]).fetchall()]
        unread = con.execute(
            "SELECT count(*) FROM mentions m WHERE doc_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM facts f WHERE f.doc_id = m.doc_id AND f.mention_id = m.mention_id)", [doc_id]
        ).fetchall()[0][0]
    return doc_id, fact_ids, unread


def test_a_seed_page_marks_every_fact_once_and_fetches_nothing(seeds_warehouse, seed_doc, tmp_path):
    doc_id, fact_ids, unread = seed_doc
    out = tmp_path / "page.html"
    assert main(["show", "--warehouse", str(seeds_warehouse), "--doc", doc_id, "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    marks = re.findall(r'<mark id="([^"]+)"', page)
    assert len(marks) == len(fact_ids) > 0
    assert sorted(html.unescape(m) for m in marks) == sorted(fact_ids)
    links = re.findall(r'<a href="#([^"]+)"', page)
    assert sorted(html.unescape(link) for link in links) == sorted(fact_ids)
    assert page.count('class="zb-unread"') == unread
    assert EXTERNAL.search(page) is None


def test_marks_leave_the_text_as_it_was_even_when_spans_share_characters():
    text = "全年技术合同成交额首破100亿元,其中吸纳50亿元<注>。"
    start = text.index("100亿元")
    facts = pl.DataFrame({
        "fact_id": ["a", "b", "c"], "indicator": ["tech_contract_turnover", "tech_contract_absorbed", "x"],
        "span_start": [start, start, start + 2], "span_end": [start + 5, start + 5, start + 9],
        **{c: ["v"] * 3 for c in ["indicator_name", "value_shown", "period", "kind", "measure", "region", "bound",
                                   "unit"]},
        "year": [2023] * 3, "value": [100.0] * 3,
    })
    unread = pl.DataFrame({"start": [text.index("50")], "end": [text.index("50") + 2], "text": ["50"],
                           "category": ["number"]})
    marked = _marked_text(text, facts, unread)
    assert marked.count("<mark ") == 3 and marked.count("</mark>") == 3
    assert html.unescape(re.sub(r"<[^>]+>", "", marked)) == text


def test_all_writes_an_index_and_a_page_per_document(seeds_warehouse, tmp_path):
    assert main(["show", "--warehouse", str(seeds_warehouse), "--all", "--out", str(tmp_path)]) == 0
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        doc_ids = {d for (d,) in con.execute("SELECT doc_id FROM documents").fetchall()}
    assert {p.stem for p in tmp_path.glob("*.html")} == doc_ids | {"index"}
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{d}.html"' in index for d in doc_ids)


def test_an_unknown_document_writes_nothing(seeds_warehouse, tmp_path, capsys):
    out = tmp_path / "page.html"
    assert main(["show", "--warehouse", str(seeds_warehouse), "--doc", "no-such-report", "--out", str(out)]) == 2
    assert not out.exists() and "no document" in capsys.readouterr().err
