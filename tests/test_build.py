"""The build's decisions (pipelines.build), without Dagster: which files are read again, which documents are new,
kept under their current names, or retired, and what the published snapshot then holds."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from warehouse_rows import rows as _rows

from pipelines import build
from pipelines.regions import Gazetteer

REPORT = "{city}科技局2024年工作总结\n2024年,全市高新技术企业达到{n}家。\n"


def _write(path: Path, n: int, city: str = "安庆市", mtime: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REPORT.format(city=city, n=n), "utf-8")
    if mtime is not None:  # a changed file of the same size must not pass for unchanged within the clock's step
        os.utime(path, ns=(mtime, mtime))


def _build(raw: Path, target: Path, full: bool = False) -> tuple[build.Ingested, build.DocumentSet]:
    """Every step of a build, in the order the assets run them."""
    previous = build.previous_build(target, full)
    ingested = build.read_sources(raw, target, 50_000_000, previous)
    documents = build.plan_documents(ingested, Gazetteer())
    extraction = build.extract_documents(documents, previous, workers=1, log=lambda message: None)
    build.publish(target, raw, ingested, documents, extraction, build.reference_gdp(""))
    return ingested, documents


def _read(ingested: build.Ingested) -> list[str]:
    return sorted(name for source in ingested.sources for name in source.source_files)


def _new(documents: build.DocumentSet) -> list[str]:
    return sorted(doc.source_file for doc in documents.new)


def _kept(documents: build.DocumentSet) -> list[str]:
    return sorted(documents.kept["source_file"])


def _refuse_listing(monkeypatch, folder: Path) -> None:
    """Listing `folder` fails as it does without read permission (which root, running the tests, always has)."""
    refused, scandir = str(folder.resolve()), os.scandir

    def listing(path="."):
        if os.fspath(path) == refused:
            raise PermissionError(errno.EACCES, "Permission denied", refused)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", listing)


FACTS = "SELECT source_file, value FROM facts ORDER BY 1"
DOC_IDS = "SELECT doc_id FROM documents ORDER BY 1"


@pytest.fixture
def built(tmp_path):
    raw, target = tmp_path / "raw", tmp_path / "w.duckdb"
    _write(raw / "a.txt", 1200)
    _write(raw / "b.txt", 300, city="铜陵市")
    ingested, documents = _build(raw, target)
    assert _read(ingested) == ["a.txt", "b.txt"] and _new(documents) == ["a.txt", "b.txt"]
    assert documents.kept.is_empty()
    assert _rows(target, FACTS) == [("a.txt", 1200.0), ("b.txt", 300.0)]
    return raw, target


def test_unchanged_files_are_not_read_and_their_documents_are_kept(built):
    raw, target = built
    before = {sql: _rows(target, sql) for sql in (FACTS, DOC_IDS, "SELECT * FROM sentences ORDER BY ALL")}
    ingested, documents = _build(raw, target)
    assert _read(ingested) == [] and _new(documents) == []
    assert _kept(documents) == ["a.txt", "b.txt"]
    assert {sql: _rows(target, sql) for sql in before} == before


def test_a_full_build_reads_everything_again(built):
    raw, target = built
    ingested, documents = _build(raw, target, full=True)
    assert _read(ingested) == ["a.txt", "b.txt"] and documents.kept.is_empty()


def test_a_changed_file_is_read_again_and_its_old_document_retired(built):
    raw, target = built
    (old_id,) = _rows(target, "SELECT doc_id FROM documents WHERE source_file = 'a.txt'")[0]
    mtime = (raw / "a.txt").stat().st_mtime_ns + 1_000_000_000
    _write(raw / "a.txt", 1300, mtime=mtime)  # the same size as before
    ingested, documents = _build(raw, target)
    assert _read(ingested) == ["a.txt"] and _new(documents) == ["a.txt"] and _kept(documents) == ["b.txt"]
    assert old_id not in documents.table["doc_id"].to_list()
    assert _rows(target, FACTS) == [("a.txt", 1300.0), ("b.txt", 300.0)]


def test_a_new_file_is_the_only_one_read(built):
    raw, target = built
    _write(raw / "sub" / "c.txt", 77, city="宣城市")
    ingested, documents = _build(raw, target)
    assert _read(ingested) == ["sub/c.txt"] and _new(documents) == ["sub/c.txt"]
    assert _kept(documents) == ["a.txt", "b.txt"]
    assert _rows(target, FACTS) == [("a.txt", 1200.0), ("b.txt", 300.0), ("sub/c.txt", 77.0)]


def test_a_deleted_file_retires_its_document_and_facts(built):
    raw, target = built
    (raw / "b.txt").unlink()
    ingested, documents = _build(raw, target)
    assert _read(ingested) == [] and _kept(documents) == ["a.txt"]
    assert documents.table["source_file"].to_list() == ["a.txt"]
    assert _rows(target, FACTS) == [("a.txt", 1200.0)]
    assert _rows(target, "SELECT DISTINCT source_file FROM sentences JOIN documents USING (doc_id)") == [("a.txt",)]


def test_a_renamed_file_keeps_its_document_under_the_new_name(built):
    raw, target = built
    before = _rows(target, DOC_IDS)
    (raw / "b.txt").rename(raw / "renamed.txt")
    ingested, documents = _build(raw, target)
    assert _read(ingested) == ["renamed.txt"] and _kept(documents) == ["a.txt"]
    assert _rows(target, DOC_IDS) == before  # the same text: the same document
    assert _rows(target, FACTS) == [("a.txt", 1200.0), ("renamed.txt", 300.0)]


def test_a_kept_duplicate_takes_over_when_the_first_name_goes(tmp_path):
    raw, target = tmp_path / "raw", tmp_path / "w.duckdb"
    _write(raw / "a.txt", 1200)
    _write(raw / "b.txt", 1200)
    _, documents = _build(raw, target)
    assert documents.table.select("source_file", "source_files").rows() == [("a.txt", ["a.txt", "b.txt"])]
    (raw / "a.txt").unlink()
    ingested, documents = _build(raw, target)
    assert _read(ingested) == [] and _new(documents) == []
    assert documents.kept.select("source_file", "source_files").rows() == [("b.txt", ["b.txt"])]
    assert _rows(target, FACTS) == [("b.txt", 1200.0)]


def test_an_unreadable_folder_keeps_the_facts_read_there_before(tmp_path, monkeypatch):
    raw, target = tmp_path / "raw", tmp_path / "w.duckdb"
    _write(raw / "open" / "a.txt", 1200)
    _write(raw / "locked" / "b.txt", 300, city="铜陵市")
    _build(raw, target)
    before = _rows(target, FACTS)
    _refuse_listing(monkeypatch, raw / "locked")
    ingested, documents = _build(raw, target)
    assert [(r.source_file, r.reason) for r in ingested.rejected] == [("locked/", "unreadable_folder")]
    assert "keep their facts" in ingested.rejected[0].detail
    assert _read(ingested) == [] and _kept(documents) == ["locked/b.txt", "open/a.txt"]
    assert _rows(target, FACTS) == before

    monkeypatch.undo()
    ingested, documents = _build(raw, target)
    assert ingested.rejected == [] and _read(ingested) == []
    assert _rows(target, FACTS) == before


def test_an_unreadable_folder_on_a_first_build_keeps_nothing_and_says_so(tmp_path, monkeypatch):
    raw, target = tmp_path / "raw", tmp_path / "w.duckdb"
    _write(raw / "a.txt", 1200)
    _write(raw / "locked" / "b.txt", 300, city="铜陵市")
    _refuse_listing(monkeypatch, raw / "locked")
    ingested, documents = _build(raw, target)
    assert "no earlier facts" in ingested.rejected[0].detail
    assert _rows(target, FACTS) == [("a.txt", 1200.0)]


def test_files_are_reused_only_from_a_build_of_the_same_folder(built, tmp_path):
    raw, target = built
    previous = build.previous_build(target, full=False)
    assert sorted(build.reusable_files(previous, raw)) == ["a.txt", "b.txt"]
    assert build.reusable_files(previous, tmp_path / "elsewhere") == {}
    assert build.previous_build(target, full=True) is None
