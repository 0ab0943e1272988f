"""Faults a build meets in the field: odd file names, unreadable folders, clients holding the warehouse, signals,
kills, bad arguments. Each says what the build promises (docs/architecture.md, "Under faults")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main

REPO = Path(__file__).resolve().parents[1]
REPORT = "{city}科技局2024年工作总结\n2024年,全市高新技术企业达到{n}家。\n"


def _rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _report(folder: Path, name: str | bytes, n: int, city: str = "安庆市") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else name.encode())
    with open(path, "wb") as f:
        f.write(REPORT.format(city=city, n=n).encode("utf-8"))


def test_bad_file_names_and_symlink_loops_are_rejected_and_the_build_goes_on(tmp_path, capsys):
    raw = tmp_path / "raw"
    _report(raw, "good.txt", 1200)
    _report(raw, b"bad\xff.txt", 1201)
    _report(raw, "报告".encode("gbk") + b".txt", 1202)
    (raw / "a").symlink_to(raw / "b")
    (raw / "b").symlink_to(raw / "a")
    target = tmp_path / "w.duckdb"
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 0
    rejected = dict(_rows(target, "SELECT source_file, reason FROM rejected_files"))
    assert rejected == {"bad\\xff.txt": "undecodable_name", "报告.txt": "undecodable_name",
                        "a": "symlink_loop", "b": "symlink_loop"}
    assert _rows(target, "SELECT value FROM facts") == [(1200.0,)]
    assert "GBK" in dict(_rows(target, "SELECT source_file, detail FROM rejected_files"))["报告.txt"]


def test_the_build_skips_its_own_files_inside_the_raw_folder(tmp_path, capsys):
    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    target = raw / "w.duckdb"
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 0
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 0
    out = capsys.readouterr().out
    assert _rows(target, "SELECT count(*) FROM rejected_files") == [(0,)]
    assert _rows(target, "SELECT source_file FROM raw_files") == [("a.txt",)]
    assert out.count("inside the raw folder") == 2  # once per build, in its summary


# ---------------------------------------------------------------------------------------------------------------
# Permissions only hold for a user other than root: the build runs as `nobody` through setpriv.

def _as_nobody() -> list[str]:
    if os.geteuid() != 0:
        return []  # already not root: permissions apply as they are
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv is missing: cannot test permissions as another user")
    command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*command, sys.executable, "-c", "import duckdb, dagster"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"the user nobody cannot run this Python ({probe.stderr.decode(errors='replace')[-200:]})")
    return command


@pytest.fixture
def shared_tmp():
    """A folder another user may write in (pytest's own tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="zhibiao-faults-"))
    folder.chmod(0o777)
    yield folder
    for dirpath, dirnames, _ in os.walk(folder):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o755)
    shutil.rmtree(folder)


def _cli(*args: str, user: list[str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([*(user or []), sys.executable, "-m", "pipelines.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300, **kwargs)


def test_an_unreadable_folder_is_rejected_and_its_earlier_facts_are_kept(shared_tmp):
    nobody = _as_nobody()
    raw = shared_tmp / "raw"
    _report(raw / "open", "a.txt", 1200)
    _report(raw / "locked", "b.txt", 300, city="铜陵市")
    target = shared_tmp / "w.duckdb"
    build = ("build", "--raw-dir", str(raw), "--warehouse", str(target))
    values = "SELECT source_file, value FROM facts ORDER BY 1"
    assert _cli(*build, user=nobody).returncode == 0
    before = _rows(target, values)
    assert before == [("locked/b.txt", 300.0), ("open/a.txt", 1200.0)]

    (raw / "locked").chmod(0o000)
    run = _cli(*build, user=nobody)
    assert run.returncode == 0, run.stderr
    assert _rows(target, "SELECT source_file, reason FROM rejected_files") == [("locked/", "unreadable_folder")]
    assert _rows(target, values) == before, "the unreadable folder's facts were retired"
    assert "locked/: unreadable_folder" in run.stdout and "keep their facts" in run.stdout

    (raw / "locked").chmod(0o755)
    assert _cli(*build, user=nobody).returncode == 0
    assert _rows(target, "SELECT count(*) FROM rejected_files") == [(0,)]
    assert _rows(target, values) == before


def test_an_unreadable_folder_on_a_first_build_says_nothing_was_kept(shared_tmp):
    nobody = _as_nobody()
    raw = shared_tmp / "raw"
    _report(raw, "a.txt", 1200)
    _report(raw / "locked", "b.txt", 300, city="铜陵市")
    (raw / "locked").chmod(0o000)
    target = shared_tmp / "w.duckdb"
    run = _cli("build", "--raw-dir", str(raw), "--warehouse", str(target), user=nobody)
    assert run.returncode == 0, run.stderr
    (detail,) = _rows(target, "SELECT detail FROM rejected_files WHERE reason = 'unreadable_folder'")[0]
    assert "Permission denied" in detail and "no earlier facts" in detail
