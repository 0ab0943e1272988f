"""The build's decisions (pipelines.build), without Dagster: which files are read again, which documents are new,
kept under their current names, or retired, and what the published snapshot then holds."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from warehouse_rows import rows as _rows

from pipelines import build

REPORT = "{city}科技局2024年工作总结\n2024年,全市高新技术企业达到{n}家。\n"


def _write(path: Path, n: int, city: str = "安庆市", mtime: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REPORT.format(city=city, n=n), "utf-8")
    if mtime is not None:  # a changed file of the same size must not pass for unchanged within the clock's step
        os.utime(path, ns=(mtime, mtime))


def _build(raw: Path, target: Path, full: bool = False) -> build.Staged:
    """Every step of a build, in the order the assets run them."""
    plan = build.plan_build(raw, target, 50_000_000, full)
    staged = build.stage(plan, workers=1, log=lambda message: None)
    build.publish(plan, staged)
    return staged


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
    staged = _build(raw, target)
    assert staged.read == ["a.txt", "b.txt"] and staged.new == ["a.txt", "b.txt"]
    assert staged.kept == []
    assert _rows(target, FACTS) == [("a.txt", 1200.0), ("b.txt", 300.0)]
    return raw, target


def test_unchanged_files_are_not_read_and_their_documents_are_kept(built):
    raw, target = built
    before = {sql: _rows(target, sql) for sql in (FACTS, DOC_IDS, "SELECT * FROM sentences ORDER BY ALL")}
    staged = _build(raw, target)
    assert staged.read == [] and staged.new == []
    assert staged.kept == ["a.txt", "b.txt"]
    assert {sql: _rows(target, sql) for sql in before} == before


def test_a_full_build_reads_everything_again(built):
    raw, target = built
    staged = _build(raw, target, full=True)
    assert staged.read == ["a.txt", "b.txt"] and staged.kept == []


def test_a_changed_file_is_read_again_and_its_old_document_retired(built):
    raw, target = built
    (old_id,) = _rows(target, "SELECT doc_id FROM documents WHERE source_file = 'a.txt'")[0]
    mtime = (raw / "a.txt").stat().st_mtime_ns + 1_000_000_000
    _write(raw / "a.txt", 1300, mtime=mtime)  # the same size as before
    staged = _build(raw, target)
    assert staged.read == ["a.txt"] and staged.new == ["a.txt"] and staged.kept == ["b.txt"]
    assert (old_id,) not in _rows(target, DOC_IDS)
    assert _rows(target, FACTS) == [("a.txt", 1300.0), ("b.txt", 300.0)]


def test_a_new_file_is_the_only_one_read(built):
    raw, target = built
    _write(raw / "sub" / "c.txt", 77, city="宣城市")
    staged = _build(raw, target)
    assert staged.read == ["sub/c.txt"] and staged.new == ["sub/c.txt"]
    assert staged.kept == ["a.txt", "b.txt"]
    assert _rows(target, FACTS) == [("a.txt", 1200.0), ("b.txt", 300.0), ("sub/c.txt", 77.0)]


def test_a_deleted_file_retires_its_document_and_facts(built):
    raw, target = built
    (raw / "b.txt").unlink()
    staged = _build(raw, target)
    assert staged.read == [] and staged.kept == ["a.txt"]
    assert _rows(target, "SELECT source_file FROM documents") == [("a.txt",)]
    assert _rows(target, FACTS) == [("a.txt", 1200.0)]
    assert _rows(target, "SELECT DISTINCT source_file FROM sentences JOIN documents USING (doc_id)") == [("a.txt",)]


def test_a_renamed_file_keeps_its_document_under_the_new_name(built):
    raw, target = built
    before = _rows(target, DOC_IDS)
    (raw / "b.txt").rename(raw / "renamed.txt")
    staged = _build(raw, target)
    assert staged.read == ["renamed.txt"] and staged.kept == ["a.txt"]
    assert _rows(target, DOC_IDS) == before  # the same text: the same document
    assert _rows(target, FACTS) == [("a.txt", 1200.0), ("renamed.txt", 300.0)]


def test_a_kept_duplicate_takes_over_when_the_first_name_goes(tmp_path):
    raw, target = tmp_path / "raw", tmp_path / "w.duckdb"
    _write(raw / "a.txt", 1200)
    _write(raw / "b.txt", 1200)
    _build(raw, target)
    names = "SELECT source_file, source_files FROM documents"
    assert _rows(target, names) == [("a.txt", ["a.txt", "b.txt"])]
    (raw / "a.txt").unlink()
    staged = _build(raw, target)
    assert staged.read == [] and staged.new == [] and staged.kept == ["b.txt"]
    assert _rows(target, names) == [("b.txt", ["b.txt"])]
    assert _rows(target, FACTS) == [("b.txt", 1200.0)]


def test_an_unreadable_folder_keeps_the_facts_read_there_before(tmp_path, monkeypatch):
    raw, target = tmp_path / "raw", tmp_path / "w.duckdb"
    _write(raw / "open" / "a.txt", 1200)
    _write(raw / "locked" / "b.txt", 300, city="铜陵市")
    _build(raw, target)
    before = _rows(target, FACTS)
    _refuse_listing(monkeypatch, raw / "locked")
    staged = _build(raw, target)
    assert [(r.source_file, r.reason) for r in staged.rejected] == [("locked/", "unreadable_folder")]
    assert "keep their facts" in staged.rejected[0].detail
    assert staged.read == [] and staged.kept == ["locked/b.txt", "open/a.txt"]
    assert _rows(target, FACTS) == before

    monkeypatch.undo()
    staged = _build(raw, target)
    assert staged.rejected == [] and staged.read == []
    assert _rows(target, FACTS) == before


def test_an_unreadable_folder_on_a_first_build_keeps_nothing_and_says_so(tmp_path, monkeypatch):
    raw, target = tmp_path / "raw", tmp_path / "w.duckdb"
    _write(raw / "a.txt", 1200)
    _write(raw / "locked" / "b.txt", 300, city="铜陵市")
    _refuse_listing(monkeypatch, raw / "locked")
    staged = _build(raw, target)
    assert "no earlier facts" in staged.rejected[0].detail
    assert _rows(target, FACTS) == [("a.txt", 1200.0)]


def test_files_are_reused_only_from_a_build_of_the_same_folder(built, tmp_path):
    raw, target = built
    previous = build.previous_build(target, full=False)
    assert sorted(build.reusable_files(previous, raw)) == ["a.txt", "b.txt"]
    assert build.reusable_files(previous, tmp_path / "elsewhere") == {}
    assert build.previous_build(target, full=True) is None


YEARLY = "{city}科技局{year}年工作总结\n{year}年,全市高新技术企业达到{n}家,比上年增长{g}%。全市技术合同成交额{t}亿元。\n"


def _yearly(path: Path, city: str, year: int, n: int, mtime: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(YEARLY.format(city=city, year=year, n=n, g=n % 17 + 3, t=n // 10), "utf-8")
    if mtime is not None:
        os.utime(path, ns=(mtime, mtime))


def _all_tables(path: Path) -> dict[str, list[tuple]]:
    names = [name for (name,) in _rows(path, "SELECT table_name FROM duckdb_tables() ORDER BY 1")]
    return {name: _rows(path, f'SELECT * FROM "{name}" ORDER BY ALL') for name in names}


def test_each_increment_equals_a_full_build_row_for_row_and_rederives_only_its_regions(tmp_path):
    raw, target, clean = tmp_path / "raw", tmp_path / "w.duckdb", tmp_path / "clean.duckdb"
    for i, city in enumerate(("安庆市", "铜陵市", "宣城市")):
        for year in (2022, 2023):
            _yearly(raw / f"{city}{year}.txt", city, year, 100 * (i + 1) + year - 2000)
    _build(raw, target)
    assert _rows(target, "SELECT count(DISTINCT region) FROM derived_metrics")[0][0] == 3

    def add():
        _yearly(raw / "安庆市2024.txt", "安庆市", 2024, 190)

    def change():
        mtime = (raw / "铜陵市2023.txt").stat().st_mtime_ns + 1_000_000_000
        _yearly(raw / "铜陵市2023.txt", "铜陵市", 2023, 250, mtime=mtime)

    def delete():
        (raw / "宣城市2022.txt").unlink()

    def rename():  # a file under a new name is read again: its document is replaced by the same rows
        (raw / "sub").mkdir()
        (raw / "安庆市2022.txt").rename(raw / "sub" / "anqing-2022.txt")

    for edit, regions in ((add, {"安庆市"}), (change, {"铜陵市"}), (delete, {"宣城市"}), (rename, {"安庆市"})):
        edit()
        staged = _build(raw, target)
        assert staged.regions == regions, edit.__name__  # only the regions whose facts changed are derived again
        _build(raw, clean, full=True)
        assert _all_tables(target) == _all_tables(clean), edit.__name__
