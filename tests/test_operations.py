"""Operations: readers are never blocked, faults lose nothing, reruns change nothing, bad input is accounted for."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from warehouse_rows import rows as _rows

from pipelines import warehouse
from pipelines.cli import main
from tests.conftest import SAMPLE_CORPUS

FACT_KEY = "SELECT fact_id, indicator, measure, value, year, period, kind FROM facts ORDER BY fact_id"


def _build(raw: Path, target: Path, *extra: str) -> None:
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target), *extra]) == 0


def _copy_corpus(dst: Path, copies: int = 1) -> Path:
    """The sample corpus, `copies` times over with each copy's text made distinct."""
    dst.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for path in sorted(SAMPLE_CORPUS.iterdir()):
            if path.suffix == ".md":
                continue
            name = f"{i:04d}_{path.name}" if copies > 1 else path.name
            data = path.read_bytes()
            if copies > 1 and path.suffix == ".txt" and b"\x00" not in data:
                data += f"\n本文编号{i}。\n".encode("utf-8") if _is_utf8(data) else b""
            (dst / name).write_bytes(data)
    return dst


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_a_reader_holding_the_file_never_blocks_a_build(tmp_path):
    raw = _copy_corpus(tmp_path / "raw")
    target = tmp_path / "w.duckdb"
    _build(raw, target)
    before = _rows(target, "SELECT count(*) FROM documents")[0][0]

    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb,sys,time; c=duckdb.connect(sys.argv[1], read_only=True);"
         "print(c.execute('SELECT count(*) FROM documents').fetchone()[0], flush=True); time.sleep(120)", str(target)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert int(reader.stdout.readline()) == before  # the reader holds the file open from here on
        (raw / "extra.txt").write_text("安庆市科技局2024年工作总结\n2024年,全市高新技术企业达到1200家。\n", "utf-8")
        _build(raw, target)
        assert reader.poll() is None, "the reader was disturbed"
        assert _rows(target, "SELECT count(*) FROM documents")[0][0] == before + 1
    finally:
        reader.kill()
        reader.wait()


def test_kill_9_during_a_build_then_rerun_equals_a_clean_build(tmp_path):
    raw = _copy_corpus(tmp_path / "raw", copies=60)
    target, clean = tmp_path / "w.duckdb", tmp_path / "clean.duckdb"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    build = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "build", "--raw-dir", str(raw), "--warehouse", str(target),
         "--workers", "1", "--verbose"],  # --verbose: the moment to kill is read from Dagster's log lines
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    for line in build.stderr:  # kill it in the middle of extraction, after the first batch
        if "extracted " in line:
            break
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert build.returncode == -signal.SIGKILL
    _build(raw, target)
    _build(raw, clean, "--full")
    docs = "SELECT doc_id FROM documents ORDER BY doc_id"
    assert _rows(target, docs) == _rows(clean, docs)
    assert _rows(target, FACT_KEY) == _rows(clean, FACT_KEY)
    assert not list(tmp_path.glob(".w.duckdb.building-*")), "a rerun cleans up what a killed build left"


def test_a_failing_write_leaves_the_previous_warehouse_and_says_why(tmp_path, monkeypatch, capsys):
    raw = _copy_corpus(tmp_path / "raw")
    target = tmp_path / "w.duckdb"
    _build(raw, target)
    before = _rows(target, FACT_KEY)

    def no_space(con, tables):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(warehouse, "create_tables", no_space)
    (raw / "extra.txt").write_text("安庆市科技局2024年工作总结\n全市高新技术企业达到1200家。\n", "utf-8")
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert _rows(target, FACT_KEY) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".w.duckdb.building")] == []


def test_a_warehouse_path_that_cannot_be_written_fails_clearly(tmp_path, capsys):
    raw = _copy_corpus(tmp_path / "raw")
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the warehouse folder should be")
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(blocker / "w.duckdb")]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "not_a_folder is not a folder" in last


def test_a_rerun_on_unchanged_input_changes_nothing(tmp_path):
    raw = _copy_corpus(tmp_path / "raw")
    target = tmp_path / "w.duckdb"
    _build(raw, target)
    first = {t: _rows(target, f"SELECT * FROM {t} ORDER BY ALL") for t in ("documents", "facts", "rejected_files")}
    _build(raw, target)
    assert {t: _rows(target, f"SELECT * FROM {t} ORDER BY ALL") for t in first} == first


def test_changed_and_deleted_files_replace_and_retire_their_facts(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("安庆市科技局2024年工作总结\n2024年,全市高新技术企业达到1200家。\n", "utf-8")
    (raw / "b.txt").write_text("铜陵市科技局2024年工作总结\n2024年,全市高新技术企业达到300家。\n", "utf-8")
    target = tmp_path / "w.duckdb"
    _build(raw, target)
    (raw / "a.txt").write_text("安庆市科技局2024年工作总结\n2024年,全市高新技术企业达到1300家。\n", "utf-8")
    (raw / "b.txt").unlink()
    _build(raw, target)
    files = _rows(target, "SELECT DISTINCT source_file FROM facts ORDER BY 1")
    assert files == [("a.txt",)]
    values = _rows(target, "SELECT value FROM facts WHERE indicator = 'high_tech_enterprises'")
    assert values == [(1300.0,)]


def test_bad_inputs_are_read_or_rejected_never_skipped(tmp_path):
    raw = tmp_path / "raw"
    deep = raw / "a" / "b" / "c" / "d" / "e"
    deep.mkdir(parents=True)
    report = "宣城市科技局2024年工作总结\n全市高新技术企业达到500家。\n"
    (raw / "name with spaces.txt").write_text(report, "utf-8")
    (raw / "报告 2024 🚀.txt").write_text(report.replace("500", "501"), "utf-8")
    (deep / "deep.txt").write_text(report.replace("500", "502"), "utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (raw / "undecodable.txt").write_bytes("Texte écrit en français, déjà accentué.".encode("latin-1"))
    with open(raw / "huge.txt", "wb") as huge:  # 200 MB, sparse: no need to write it all
        huge.truncate(200 * 1024 * 1024)
    outside = tmp_path / "outside.txt"
    outside.write_text("合肥市科技局2024年工作总结\n全市高新技术企业达到9999家。\n", "utf-8")
    (raw / "link_outside.txt").symlink_to(outside)

    target = tmp_path / "w.duckdb"
    _build(raw, target)
    read = {r[0] for r in _rows(target, "SELECT unnest(source_files) FROM documents")}
    rejected = dict(_rows(target, "SELECT source_file, reason FROM rejected_files"))
    assert read == {"name with spaces.txt", "报告 2024 🚀.txt", "a/b/c/d/e/deep.txt"}
    assert rejected == {
        "empty.txt": "empty",
        "binary.bin": "binary",
        "undecodable.txt": "undecodable",
        "huge.txt": "too_large",
        "link_outside.txt": "outside_raw_dir",
    }
    assert _rows(target, "SELECT count(*) FROM facts WHERE value = 9999") == [(0,)]
    assert len(_rows(target, "SELECT * FROM raw_files")) == 8
    shutil.rmtree(raw)


def test_renaming_a_file_keeps_its_facts_under_the_new_name(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    report = "安庆市科技局2024年工作总结\n2024年,全市高新技术企业达到1200家。\n"
    (raw / "old name.txt").write_text(report, "utf-8")
    target = tmp_path / "w.duckdb"
    _build(raw, target)
    (raw / "old name.txt").rename(raw / "new name.txt")
    _build(raw, target)
    assert _rows(target, "SELECT DISTINCT source_file FROM facts") == [("new name.txt",)]
    assert _rows(target, "SELECT source_file, source_files FROM documents") == [("new name.txt", ["new name.txt"])]


def test_deleting_the_first_of_two_identical_files_keeps_the_document_under_the_other(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    report = "安庆市科技局2024年工作总结\r\n2024年,全市高新技术企业达到1200家。\r\n"  # CRLF: a text normalising changes
    (raw / "a.txt").write_bytes(report.encode("utf-8"))
    (raw / "b.txt").write_bytes(report.encode("utf-8"))
    target = tmp_path / "w.duckdb"
    _build(raw, target)
    assert _rows(target, "SELECT source_file, source_files FROM documents") == [("a.txt", ["a.txt", "b.txt"])]
    (raw / "a.txt").unlink()
    _build(raw, target)  # b.txt is unchanged: its document is kept from the previous build, renamed
    assert _rows(target, "SELECT source_file, source_files FROM documents") == [("b.txt", ["b.txt"])]
    assert _rows(target, "SELECT DISTINCT source_file FROM facts") == [("b.txt",)]
    assert _rows(target, "SELECT source_file, status FROM raw_files") == [("b.txt", "read")]
    assert _rows(target, "SELECT source_file FROM source_texts") == [("b.txt",)]


def test_a_failing_check_fails_the_summary_line_but_not_the_build(tmp_path, monkeypatch, capsys):
    from pipelines import quality

    real = quality.run_checks

    def one_failing(con):
        results = real(con)
        return [results[0].__class__(r.name, False, r.severity, r.description, 1, []) if i == 0 else r
                for i, r in enumerate(results)]

    monkeypatch.setattr(quality, "run_checks", one_failing)
    raw = _copy_corpus(tmp_path / "raw")
    _build(raw, tmp_path / "w.duckdb")
    summary = capsys.readouterr().out
    assert f"checks          {len(quality.CHECKS) - 1}/{len(quality.CHECKS)} passed FAILED" in summary
    assert f"  - {quality.CHECKS[0].__name__}:" in summary
