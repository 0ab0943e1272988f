"""End to end on the development corpus: `zhibiao build` over ../shared/seeds, as the spine issue asks."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(seeds_warehouse):
    con = duckdb.connect(str(seeds_warehouse), read_only=True)
    yield con
    con.close()


def _document(con, prefix: str):
    return con.execute(
        "SELECT region, province, doc_type, report_year FROM documents WHERE source_file LIKE ? ORDER BY part",
        [f"{prefix}_%"],
    ).fetchall()


@pytest.mark.parametrize(
    ("prefix", "region", "province", "doc_type", "year"),
    [
        ("000", "淮北市", "安徽省", "half_year_summary", 2023),
        ("002", "六安市", "安徽省", "work_points", 2022),
        ("003", "连云港市", "江苏省", "summary_and_plan", 2021),
        ("004", "芜湖市", "安徽省", "summary_and_plan", 2023),
    ],
)
def test_single_report_seeds_are_one_document_with_region_type_and_year(con, prefix, region, province, doc_type, year):
    assert _document(con, prefix) == [(region, province, doc_type, year)]


def test_compilation_splits_into_anonymised_documents(con):
    parts = _document(con, "001")
    assert len(parts) >= 6
    assert all(region is None for region, *_ in parts)


def test_nothing_rejected_and_every_file_accounted_for(con, seeds_dir):
    assert con.execute("SELECT count(*) FROM rejected_files").fetchone()[0] == 0
    files = sorted(p.name for p in seeds_dir.iterdir() if p.is_file())
    assert sorted(r[0] for r in con.execute("SELECT source_file FROM raw_files").fetchall()) == files


def test_every_fact_span_points_at_its_figure(con):
    bad = con.execute(
        """SELECT f.fact_id FROM facts f JOIN documents d USING (doc_id)
           WHERE substr(d.text, f.span_start + 1, f.span_end - f.span_start) IS DISTINCT FROM
                 (SELECT m.text FROM mentions m WHERE m.doc_id = f.doc_id AND m.mention_id = f.mention_id)"""
    ).fetchall()
    assert bad == []


def test_sentences_are_slices_of_their_document(con):
    bad = con.execute(
        """SELECT count(*) FROM sentences s JOIN documents d USING (doc_id)
           WHERE substr(d.text, s.start + 1, s."end" - s.start) <> s.text"""
    ).fetchone()[0]
    assert bad == 0


def test_a_traditional_character_copy_gives_the_same_facts(con, seeds_dir, tmp_path):
    import opencc

    from pipelines.cli import main
    from tests.conftest import seed_path

    original = seed_path(seeds_dir, "004")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / original.name).write_text(opencc.OpenCC("s2t").convert(original.read_text("utf-8")), "utf-8")
    target = tmp_path / "traditional.duckdb"
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 0
    facts = "SELECT fact_id, indicator, measure, value, year, period, kind, bound, span_start FROM facts ORDER BY ALL"
    traditional = duckdb.connect(str(target), read_only=True)
    try:
        got = traditional.execute(facts).fetchall()
    finally:
        traditional.close()
    expected = con.execute(
        facts.replace("FROM facts", "FROM facts WHERE source_file = ?"), [original.name]
    ).fetchall()
    assert got == expected and len(got) > 20


def test_the_original_and_normalised_texts_are_kept(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        gbk = con.execute(
            "SELECT encoding, original_text, text FROM source_texts WHERE source_file LIKE '%_gbk.txt'"
        ).fetchall()
        slices_hold = con.execute(
            """SELECT bool_and(substr(t.text, d.file_start + 1, d.file_end - d.file_start) = d.text)
               FROM documents d JOIN raw_files r USING (source_file) JOIN source_texts t USING (text_sha256)"""
        ).fetchall()
    finally:
        con.close()
    [(encoding, original, text)] = gbk
    assert encoding == "gb18030" and "\r\n" in original and "\r" not in text
    assert slices_hold == [(True,)]
