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
from warehouse_rows import rows as _rows

from pipelines.cli import main

REPO = Path(__file__).resolve().parents[1]
REPORT = "{city}科技局2024年工作总结\n2024年,全市高新技术企业达到{n}家。\n"


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


def test_a_file_of_only_page_furniture_is_rejected_and_the_build_goes_on(tmp_path, capsys):
    raw = tmp_path / "raw"
    _report(raw, "good.txt", 1200)
    for name in ("nav.txt", "nav-copy.txt"):  # a duplicate of it too: every file holding the text is accounted for
        (raw / name).write_text("网站首页 > 政务公开 > 计划总结\n打印本页\n关闭窗口\n", encoding="utf-8")
    target = tmp_path / "w.duckdb"
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 0
    assert _rows(target, "SELECT source_file, reason FROM rejected_files ORDER BY 1") == [
        ("nav-copy.txt", "no_report_text"), ("nav.txt", "no_report_text")]
    assert "only page furniture" in _rows(target, "SELECT detail FROM rejected_files")[0][0]
    assert _rows(target, "SELECT source_file, status, text_sha256 FROM raw_files ORDER BY 1") == [
        ("good.txt", "read", _rows(target, "SELECT text_sha256 FROM raw_files WHERE source_file = 'good.txt'")[0][0]),
        ("nav-copy.txt", "rejected", None), ("nav.txt", "rejected", None)]
    assert _rows(target, "SELECT source_file FROM documents") == [("good.txt",)]
    assert _rows(target, "SELECT passed FROM check_results WHERE name = 'raw_files_accounted_for'") == [(True,)]


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


def _cli(*args: str, user: list[str] | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    return subprocess.run([*(user or []), sys.executable, "-m", "pipelines.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)


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


# ---------------------------------------------------------------------------------------------------------------
# The target: a client holding it, a leftover WAL, a file zhibiao did not write.

def _fingerprint(*paths: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.exists() else None for p in paths}


def _client(target: Path, then: str) -> subprocess.Popen:
    """A DuckDB client holding `target` read-write with a change of its own in the WAL, like a notebook."""
    code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); c.execute('SET wal_autocheckpoint=\"1GB\"');"
            "c.execute('CREATE TABLE my_notes AS SELECT 42 AS answer'); print('ready', flush=True); " + then)
    client = subprocess.Popen([sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, stdin=subprocess.PIPE,
                              text=True)
    assert client.stdout.readline().strip() == "ready"
    return client


def test_a_client_writing_the_warehouse_refuses_the_build_and_keeps_file_and_wal(tmp_path, capsys):
    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    target, wal = tmp_path / "w.duckdb", tmp_path / "w.duckdb.wal"
    build = ["build", "--raw-dir", str(raw), "--warehouse", str(target)]
    assert main(build) == 0
    client = _client(target, "sys.stdin.readline(); c.close()")
    try:
        assert wal.exists()
        before = _fingerprint(target, wal)
        _report(raw, "b.txt", 300, city="铜陵市")
        assert main(build) != 0
        last = capsys.readouterr().err.strip().splitlines()[-1]
        assert f"process {client.pid}" in last and "open for writing" in last and "untouched" not in last
        assert _fingerprint(target, wal) == before
    finally:
        client.communicate("close\n", timeout=30)
    assert _rows(target, "SELECT answer FROM my_notes") == [(42,)], "the client's own table was lost"
    assert main(build) == 0  # closed: the build goes ahead


def test_a_leftover_wal_refuses_the_build_and_keeps_both_files(tmp_path, capsys):
    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    target, wal = tmp_path / "w.duckdb", tmp_path / "w.duckdb.wal"
    build = ["build", "--raw-dir", str(raw), "--warehouse", str(target)]
    assert main(build) == 0
    client = _client(target, "import os; os._exit(0)")  # dies without checkpointing: its change stays in the WAL
    client.wait()
    before = _fingerprint(target, wal)
    assert before["w.duckdb.wal"]
    assert main(build) != 0
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "w.duckdb.wal exists" in last and "untouched" not in last
    assert _fingerprint(target, wal) == before
    assert _rows(target, "SELECT answer FROM my_notes") == [(42,)]
    duckdb.connect(str(target)).close()  # what the message advises: opening it read-write folds the WAL in
    assert not wal.exists()
    assert main(build) == 0


def test_a_file_zhibiao_did_not_write_is_not_overwritten_without_force(tmp_path, capsys):
    import sqlite3

    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    report = tmp_path / "report.txt"
    report.write_text("someone's quarterly report\n", "utf-8")
    sqlite = tmp_path / "data.sqlite"
    sqlite3.connect(sqlite).execute("CREATE TABLE t (x)").connection.commit()
    other_duckdb = tmp_path / "analysis.duckdb"
    duckdb.connect(str(other_duckdb)).execute("CREATE TABLE results AS SELECT 1 AS x").close()
    for path in (report, sqlite, other_duckdb):
        before = path.read_bytes()
        assert main(["build", "--raw-dir", str(raw), "--warehouse", str(path)]) == 2
        assert "not a warehouse zhibiao wrote" in capsys.readouterr().err.strip().splitlines()[-1]
        assert path.read_bytes() == before
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(report), "--force"]) == 0
    assert _rows(report, "SELECT value FROM facts") == [(1200.0,)]


# ---------------------------------------------------------------------------------------------------------------
# Failure messages: the last line names the cause, and bad arguments fail before the slow work.

@pytest.fixture
def no_build(monkeypatch):
    """Fails the test if the build itself starts: a bad argument must be refused before."""
    import dagster as dg

    def started(*args, **kwargs):
        raise AssertionError("the build started although an argument was bad")

    monkeypatch.setattr(dg, "materialize", started)


def _last_error_line(capsys) -> str:
    return capsys.readouterr().err.strip().splitlines()[-1]


def test_a_folder_as_warehouse_fails_at_once(tmp_path, capsys, no_build):
    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(tmp_path)]) == 2
    assert "is a folder" in _last_error_line(capsys)


@pytest.mark.parametrize(("content", "expected"), [
    ("region,year,gdp\n芜湖市,2022,4502.13\n", "lacks the column(s) gdp_100m_cny"),
    ("region,year,gdp_100m_cny,source_kind,source_url\n芜湖市,2022,约1250亿,news,x\n",
     "line 2, column gdp_100m_cny: '约1250亿' is not a number"),
    ("region,year,gdp_100m_cny,source_kind,source_url\n芜湖市,2022年,4502,news,x\n",
     "line 2, column year: '2022年' is not a year"),
    ("region,year,gdp_100m_cny,source_kind,source_url\n芜湖市,2022,4,502.13,news,x\n", "line 2: 6 fields"),
])
def test_a_bad_gdp_file_fails_at_once_naming_line_and_column(tmp_path, capsys, no_build, content, expected):
    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    gdp = tmp_path / "gdp.csv"
    gdp.write_text(content, "utf-8")
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb"), "--gdp", str(gdp)]) == 2
    last = _last_error_line(capsys)
    assert expected in last and "gdp.csv" in last


@pytest.mark.parametrize(("encoding", "separator"), [("utf-8", ","), ("utf-8-sig", ","), ("gb18030", ","),
                                                     ("gb18030", "\t"), ("utf-8", "\t")])
def test_gdp_files_are_read_as_users_save_them(tmp_path, encoding, separator):
    from pipelines.derive import load_reference_gdp

    rows = [["region", "year", "gdp_100m_cny", "source_kind", "source_url"],
            ["芜湖市", "2022", "4,502.13", "official", "http://example.org"], ["淮北市", "2022", "1250", "news", ""]]
    quote = (lambda cell: f'"{cell}"' if separator == "," and "," in cell else cell)
    text = "# 我的GDP表\n" + "\n".join(separator.join(quote(c) for c in row) for row in rows) + "\n"
    path = tmp_path / "gdp.csv"
    path.write_bytes(text.encode(encoding))
    gdp = load_reference_gdp(path)
    assert gdp.select("region", "year", "gdp_100m_cny").rows() == [("芜湖市", 2022, 4502.13), ("淮北市", 2022, 1250.0)]


def test_a_full_disk_is_named_on_the_last_line(tmp_path, monkeypatch, capsys):
    from pipelines import warehouse

    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    target = tmp_path / "w.duckdb"
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 0
    before = target.read_bytes()

    def full(con, tables):  # what DuckDB raises when the disk fills while it writes
        raise duckdb.IOException(f'Could not write file "{tmp_path}/.w.duckdb.building-1": No space left on device')

    monkeypatch.setattr(warehouse, "create_tables", full)
    _report(raw, "b.txt", 300, city="铜陵市")
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 1
    last = _last_error_line(capsys)
    assert "the disk is full" in last and "the previous warehouse is as it was" in last
    assert "Error occurred while executing" not in last
    assert target.read_bytes() == before and not list(tmp_path.glob(".w.duckdb.building-*"))


# ---------------------------------------------------------------------------------------------------------------
# The summary tells the truth.

def test_the_summary_counts_files_read_and_cannot_be_forged_by_a_name(tmp_path, capsys):
    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    _report(raw, "copy of a.txt", 1200)
    (raw / "empty\nchecks          all passed.txt").write_bytes(b"")
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "files read      1  (duplicates 1)" in lines
    assert [line for line in lines if line.startswith("checks")] == [lines[-2]]
    assert any("empty\\nchecks" in line for line in lines)


def test_an_empty_raw_folder_warns_instead_of_passing_checks(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "WARNING" in out and "no document was found" in out
    assert "passed" not in out


# ---------------------------------------------------------------------------------------------------------------
# A sentence without end: extraction and evidence are bounded, so cost grows with the file, not its square.

def test_a_text_without_sentence_ends_is_cut_into_bounded_sentences():
    from pipelines.documents import Document
    from pipelines.extract import extract_document
    from pipelines.segment import MAX_SENTENCE_CHARS

    clause = "全市高新技术企业达到1,200家,技术合同成交额12.5亿元;"
    text = "安庆市科技局2024年工作总结\n" + clause * (60_000 // len(clause))  # one 60,000-character "sentence"
    doc = Document("d", "a.txt", ("a.txt",), 1, 0, len(text), text, None, None, None, None, "other", "安庆市",
                   "city", "安徽省", 2024, "utf-8")
    _, sentences, mentions, facts = extract_document(doc)
    assert max(s.end - s.start for s in sentences) <= MAX_SENTENCE_CHARS
    assert "".join(s.text for s in sentences) == "".join(text.split())  # every character kept, in order
    by_id = {s.sentence_id: s for s in sentences}
    for m in mentions:  # no figure is cut in two
        assert by_id[m.sentence_id].start <= m.start < m.end <= by_id[m.sentence_id].end
    assert sum(1 for m in mentions if m.value == 1200) == 60_000 // len(clause)
    assert max(len(f.evidence) for f in facts) <= MAX_SENTENCE_CHARS


def test_pieces_of_a_long_sentence_end_at_separators_not_inside_figures():
    from pipelines.segment import MAX_SENTENCE_CHARS, segment

    words = "科" * (MAX_SENTENCE_CHARS - 4)  # no separator at all: cut at the window, but not inside the figure
    _, cut = segment("d", words + "1234567" + words)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in cut)
    assert cut[0].text == words and cut[1].text.startswith("1234567")
    listing = ",".join(f"项目{i}" for i in range(MAX_SENTENCE_CHARS))
    _, pieces = segment("d", listing)
    assert all(s.text.endswith(",") for s in pieces[:-1])


def test_evidence_of_a_figure_in_a_long_run_is_a_window_of_whole_clauses_around_it():
    from pipelines.documents import Document
    from pipelines.extract import extract_document
    from pipelines.facts.scan import EVIDENCE_MAX_CHARS

    clause = "全县科技型中小企业新增{}家,研发投入增长{}.5%;"
    run = "".join(clause.format(100 + i, i % 30) for i in range(300))  # about 8,000 characters, no 。
    short = "全县高新技术企业达到88家,比上年增加9家。"
    text = "某县科技局2024年工作总结\n" + short + "\n" + run
    doc = Document("d", "a.txt", ("a.txt",), 1, 0, len(text), text, None, None, None, None, "other", "某县",
                   "county", "安徽省", 2024, "utf-8")
    _, sentences, _, facts = extract_document(doc)
    in_run = [f for f in facts if f.span_start > text.index(run)]
    assert len(in_run) >= 300
    for fact in in_run:
        assert len(fact.evidence) <= EVIDENCE_MAX_CHARS
        at = text.index(fact.evidence, max(0, fact.span_start - EVIDENCE_MAX_CHARS))  # a slice of the text ...
        assert at <= fact.span_start and fact.span_end <= at + len(fact.evidence)  # ... holding its figure
        assert fact.indicator_phrase in fact.evidence
        assert fact.evidence.endswith((",", ";")) or at + len(fact.evidence) == len(text)  # whole clauses
    (enterprises,) = [f for f in facts if f.value == 88]
    assert enterprises.evidence == short  # a sentence of report length is kept whole


# ---------------------------------------------------------------------------------------------------------------
# Fault injection: the whole build, with its worker pool, killed or stopped at several moments.

POOL_ENV = {"ZHIBIAO_PARALLEL_MIN_DOCS": "4", "ZHIBIAO_BATCH_DOCS": "2"}  # the pool starts on a small corpus


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _is_pool_worker(pid: int) -> bool:
    """A spawned extraction worker (not multiprocessing's resource tracker, also a child of the build)."""
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _tables(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in names}
    finally:
        con.close()


def _wait_for(moment: str, build: subprocess.Popen, target: Path) -> list[int]:
    """Returns at `moment` of the running build (read from its log, its processes and its files), with the pids of
    its worker processes then."""
    import time

    deadline = time.monotonic() + 120
    if moment in ("reading", "collecting"):
        wanted = "raw_sources - reading " if moment == "reading" else "extracted "
        for line in build.stderr:
            if wanted in line:
                return _children(build.pid)
        raise AssertionError(f"the build ended before {moment}")
    while time.monotonic() < deadline and build.poll() is None:
        workers = _children(build.pid)
        if moment == "extraction" and len([pid for pid in workers if _is_pool_worker(pid)]) == 2:
            return workers  # with multiprocessing's resource tracker, which must die with the build too
        if moment == "publishing" and list(target.parent.glob(f".{target.name}.building-{build.pid}")):
            return workers
        time.sleep(0.002)
    raise AssertionError(f"the build ended before {moment}")


@pytest.fixture(scope="module")
def fault_corpus(tmp_path_factory):
    """A corpus big enough for several extraction batches in the pool, and its clean build."""
    from tests.test_operations import _copy_corpus

    folder = tmp_path_factory.mktemp("faults")
    raw = _copy_corpus(folder / "raw", copies=12)
    clean = folder / "clean.duckdb"
    run = _cli("build", "--raw-dir", str(raw), "--warehouse", str(clean), "--workers", "2", env=_env())
    assert run.returncode == 0, run.stderr
    return raw, clean


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **POOL_ENV}


@pytest.mark.parametrize(("moment", "how"), [
    ("reading", "SIGTERM"),
    ("extraction", "SIGKILL"),
    ("extraction", "SIGTERM"),
    ("extraction", "SIGINT to the process group"),
    ("collecting", "SIGTERM"),
    ("publishing", "SIGKILL"),
    ("publishing", "SIGTERM"),
    ("publishing", "SIGINT to the process group"),
])
def test_a_stopped_or_killed_build_loses_nothing_and_a_rerun_equals_a_clean_build(fault_corpus, tmp_path, moment,
                                                                                    how):
    import signal

    raw, clean = fault_corpus
    target = tmp_path / "w.duckdb"
    shutil.copy(clean, target)  # the published warehouse the stopped build would replace
    before = target.stat().st_ino
    build = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "build", "--raw-dir", str(raw), "--warehouse", str(target),
         "--full", "--workers", "2", "--verbose"],  # --verbose: the moments are read from Dagster's log lines
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        workers = _wait_for(moment, build, target)
        signum = getattr(signal, how.split()[0])
        if "group" in how:
            os.killpg(build.pid, signum)
        else:
            build.send_signal(signum)
        _, err = build.communicate(timeout=20)  # stops within seconds
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signum), err[-2000:]
    for _ in range(100):  # the workers die with their build (SIGKILL included) within a moment
        if not any(_alive(pid) for pid in workers):
            break
        import time

        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its build"
    if signum != signal.SIGKILL:
        last = err.strip().splitlines()[-1]
        assert last.startswith("zhibiao: interrupted") and "Dagster" not in last, last
        if "nothing was published" in last:
            assert target.stat().st_ino == before, "the message says nothing was published, but the file changed"
        else:
            # a signal sent at "collecting" can arrive after the last results, while publishing: then the build
            # must say so, and it must be true (the file was replaced)
            assert "published already" in last, last
            assert moment == "publishing" or target.stat().st_ino != before, "says published, but the file is the old one"
        assert not list(tmp_path.glob(".w.duckdb.building-*")), "staging files were left"
    run = _cli("build", "--raw-dir", str(raw), "--warehouse", str(target), "--workers", "2", env=_env())
    assert run.returncode == 0, run.stderr  # an immediate rerun works: no stale lock, no stuck worker
    assert not list(tmp_path.glob(".w.duckdb.building-*")), "the rerun cleans up what a killed build left"
    assert _tables(target) == _tables(clean)


def test_staging_files_of_killed_builds_of_any_warehouse_in_the_folder_are_removed(tmp_path):
    from pipelines import warehouse

    raw = tmp_path / "raw"
    _report(raw, "a.txt", 1200)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # a process that has exited: whatever carries its pid was left by a killed build
    left = [tmp_path / f".other.duckdb.building-{pid}", tmp_path / f".other.duckdb.building-{pid}.wal",
            tmp_path / f".w.duckdb.building-{pid}"]
    for path in left:
        path.write_bytes(b"half a warehouse")
    # A build of `live.duckdb` running now (it holds its lock): its staging file is not touched.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from pipelines import warehouse;"
         "t = Path(sys.argv[1]); cm = warehouse.single_writer(t); cm.__enter__();"
         "warehouse.staging_path(t).write_bytes(b'x'); print('ready', flush=True); time.sleep(60)",
         str(tmp_path / "live.duckdb")],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert main(["build", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
        assert [p for p in left if p.exists()] == []
        assert (tmp_path / f".live.duckdb.building-{holder.pid}").exists()
        with pytest.raises(warehouse.TargetRefused, match=f"process {holder.pid}"):
            with warehouse.single_writer(tmp_path / "live.duckdb"):
                pass
    finally:
        holder.kill()
        holder.wait()
    with warehouse.single_writer(tmp_path / "live.duckdb"):  # its holder is gone: the lock is free at once
        pass


def test_the_lock_file_is_gone_after_a_build_and_a_build_holding_it_still_excludes_another(tmp_path, capsys):
    from pipelines import warehouse

    raw, target = tmp_path / "raw", tmp_path / "w.duckdb"
    _report(raw, "a.txt", 1200)
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw", "w.duckdb"]
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from pipelines import warehouse;"
         "cm = warehouse.single_writer(Path(sys.argv[1])); cm.__enter__(); print('ready', flush=True);"
         "sys.stdin.readline(); cm.__exit__(None, None, None); print('released', flush=True)", str(target)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert warehouse.lock_path(target).exists()
        capsys.readouterr()
        assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) != 0
        assert f"another build is writing {target} right now (process {holder.pid}" in capsys.readouterr().err
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        assert not warehouse.lock_path(target).exists()
    finally:
        holder.kill()
        holder.wait()
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target)]) == 0


def test_a_lock_taken_on_a_file_its_holder_just_removed_is_taken_again_on_the_file_at_the_path(tmp_path, monkeypatch):
    """The race the removal opens: a build opens the lock file, the previous holder unlinks it and lets go, the build
    locks the orphan. It must notice and lock the file that now stands at the path, which a third build would see."""
    from pipelines import warehouse

    target = tmp_path / "w.duckdb"
    path = warehouse.lock_path(target)
    real_lockf, calls = warehouse.fcntl.lockf, []

    def lockf_after_the_holder_left(fd, operation):
        if not calls:
            path.unlink()  # what the previous holder does just before it releases
        calls.append(fd)
        return real_lockf(fd, operation)

    monkeypatch.setattr(warehouse.fcntl, "lockf", lockf_after_the_holder_left)
    with warehouse.single_writer(target):
        assert len(calls) == 2
        held = os.fstat(warehouse._HELD_LOCKS[path])
        assert (held.st_dev, held.st_ino) == (path.stat().st_dev, path.stat().st_ino)
    assert not path.exists()


def test_a_disk_that_fills_during_publishing_leaves_the_warehouse_and_says_so(tmp_path, capsys):
    """A real full disk: a small tmpfs holding the warehouse, with room for it but not for a second copy."""
    from tests.test_operations import _copy_corpus

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8); the monkeypatched writer test covers the message")
    raw = _copy_corpus(tmp_path / "raw")
    built = tmp_path / "built.duckdb"
    assert main(["build", "--raw-dir", str(raw), "--warehouse", str(built)]) == 0
    disk = tmp_path / "disk"
    disk.mkdir()
    size_kb = built.stat().st_size * 3 // 2 // 1024
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        target = disk / "w.duckdb"
        shutil.copy(built, target)
        before = target.read_bytes()
        capsys.readouterr()
        assert main(["build", "--raw-dir", str(raw), "--warehouse", str(target), "--full"]) == 1
        last = _last_error_line(capsys)
        assert "the disk is full" in last and "the previous warehouse is as it was" in last, last
        assert target.read_bytes() == before
        assert sorted(p.name for p in disk.iterdir()) == ["w.duckdb"]  # the lock file went with the build
    finally:
        subprocess.run(["umount", str(disk)], check=True)
