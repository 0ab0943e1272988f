"""The DuckDB warehouse: table schemas, writing, reuse of unchanged documents, and atomic publishing.

A build never writes into the file readers use. It writes a new file beside it and publishes it with one atomic
rename, so a notebook holding the old file open is never blocked and never sees a half-written warehouse, and a
failed or killed build leaves the previous warehouse as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import os
import re
import shutil
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import duckdb
import polars as pl

from pipelines import schema

# Column types of every table the pipeline writes, from the one schema source (pipelines/schema.toml).
SCHEMAS: dict[str, dict[str, pl.DataType]] = {name: schema.polars(name) for name in schema.TABLES}

# Columns the warehouse adds to a stage's rows: the extracted facts get their fact_id from `with_fact_ids`.
ADDED_COLUMNS = {"facts": ("fact_id",)}

# Whole report texts are long and unique: DuckDB's string compression (FSST) spends seconds per 100 MB on them at
# checkpoint and saves little, so they are stored as they are; every other table compresses quickly and well.
UNCOMPRESSED_TABLES = frozenset({"documents", "source_texts"})

# The published file is written in DuckDB 1.5's storage format, not 2.0's: the 1.x clients most SQL tools still ship
# (the duckdb 1.5 CLI, DBeaver's driver, R's duckdb) refuse a 2.0 file, and DuckDB 2.x reads either.
STORAGE_VERSION = "v1.5.0"

# Per-document tables: an incremental build deletes and inserts only the rows of the documents that changed.
DOCUMENT_TABLES = ("sections", "sentences", "mentions", "facts")


def rows_to_frame(table: str, rows: Sequence[object]) -> pl.DataFrame:
    """A typed frame of `table` from dataclass rows whose fields are the table's columns (extra fields ignored)."""
    types = {c: t for c, t in SCHEMAS[table].items() if c not in ADDED_COLUMNS.get(table, ())}
    columns = list(types)
    if not rows:
        return pl.DataFrame(schema=types)
    names = {f.name for f in dataclasses.fields(rows[0])}
    missing = [c for c in columns if c not in names]
    if missing:
        raise TypeError(f"{type(rows[0]).__name__} lacks columns {missing} of table {table}")
    data = {c: [getattr(r, c) for r in rows] for c in columns}
    return pl.DataFrame(data, schema=types, strict=False)


def with_fact_ids(facts: pl.DataFrame) -> pl.DataFrame:
    """Facts with a stable `fact_id`: document, mention, indicator and measure identify a fact on every run."""
    return facts.with_columns(
        fact_id=pl.concat_str(
            [pl.col("doc_id"), pl.col("mention_id").cast(pl.String), pl.col("indicator"), pl.col("measure")],
            separator=":",
        )
    ).select("fact_id", *facts.columns)


@dataclasses.dataclass(frozen=True)
class Previous:
    """What an incremental build takes from the published warehouse: its files and documents. The rest of it is
    copied at file level (`open_staging`), never loaded."""

    path: Path
    raw_dir: str  # the folder it was built from: file names and times are only comparable within one folder
    raw_files: pl.DataFrame
    documents: pl.DataFrame  # doc_id and the `text_sha256` each was built from
    derive_version: str  # the derive code its derived rows came from ("" if older than the record)


def read_previous(path: Path, extractor_version: str) -> Previous | None:
    """The published warehouse's files and documents if it was built by the same extractor version, else None
    (then everything is read and extracted anew)."""
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None  # unreadable, or held by a writer of another tool: a full build is the safe answer
    try:
        info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
        if info.get("extractor_version") != extractor_version:
            return None
        return Previous(
            path=path,
            raw_dir=info.get("raw_dir", ""),
            raw_files=con.sql("SELECT * FROM raw_files").pl(),
            documents=con.sql("SELECT d.doc_id, r.text_sha256 FROM documents d JOIN raw_files r USING (source_file)").pl(),
            derive_version=info.get("derive_version", ""),
        )
    except duckdb.Error:
        return None
    finally:
        con.close()


def own_files(target: Path) -> Callable[[Path], bool]:
    """Whether a path is one of the files a build of `target` makes beside it (the warehouse, its WAL, the lock,
    the staging files): when the warehouse sits inside the raw folder, these are not inputs."""
    target = target.resolve()
    names = {target.name, f"{target.name}.wal", f".{target.name}.lock"}
    staging = f".{target.name}.building-"

    def is_own(path: Path) -> bool:
        return (path.name in names or path.name.startswith(staging)) and path.parent.resolve() == target.parent

    return is_own


class TargetRefused(RuntimeError):
    """The build will not write this warehouse: the message says why and what to do. Nothing was changed."""


# The writer lock and the check for a DuckDB client holding the warehouse both use POSIX record locks (fcntl), the
# kind DuckDB itself takes: the kernel drops them when their process dies, so a lock whose holder is gone is never
# stale, and a worker process does not inherit them (flock locks a forked one would, and would hold after a kill -9).
# A POSIX lock belongs to the process and closing *any* descriptor of the file drops it: the lock file is opened
# once per build, and a lock file this process holds is never probed.
_FLOCK = "hhqqi4x"  # struct flock on Linux: l_type, l_whence, l_start, l_len, l_pid


def _lock_holder(path: Path, lock_type: int = fcntl.F_WRLCK) -> int | None:
    """The PID of another process holding a lock on `path` that conflicts with `lock_type` (F_RDLCK: a writer),
    or None."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack(_FLOCK, lock_type, os.SEEK_SET, 0, 0, 0))
    finally:
        os.close(fd)
    held_type, _, _, _, pid = struct.unpack(_FLOCK, answer)
    return None if held_type == fcntl.F_UNLCK else pid


def describe_process(pid: int) -> str:
    """`process 1234 (python -m jupyter ...)`, as far as /proc tells."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        command = ""
    return f"process {pid} ({command[:120]})" if command else f"process {pid}"


def lock_path(target: Path) -> Path:
    return target.resolve().parent / f".{target.name}.lock"


_HELD_LOCKS: dict[Path, int] = {}  # lock file -> its descriptor, while this process holds it


def _lock_file(path: Path, target: Path) -> int:
    """Opens and locks the lock file, returning its descriptor. The holder removes the file before it lets go, so
    a locker may have opened a file that is no longer at `path` (the previous holder unlinked it, or a newer one
    stands there): having the lock, it checks the path still names the file it locked, and starts over if not."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(fd)
            if error.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            holder = _lock_holder(path)
            who = describe_process(holder) if holder else "another process"
            raise TargetRefused(f"another build is writing {target} right now ({who} holds {path}); wait for it "
                                "to finish, or stop it, and build again") from None
        locked = os.fstat(fd)
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        if current is not None and (current.st_dev, current.st_ino) == (locked.st_dev, locked.st_ino):
            return fd
        os.close(fd)  # a file already removed from the path: locking it excludes nobody


@contextlib.contextmanager
def single_writer(target: Path) -> Iterator[None]:
    """Holds an exclusive lock beside the warehouse: two builds never write one warehouse at once. Re-entrant within
    a process, so the CLI can hold it for a whole build while the publishing step takes it again. The lock file is
    removed when the build ends (unlinked while still held, so no other build can hold it meanwhile)."""
    path = lock_path(target)
    if path in _HELD_LOCKS:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = _lock_file(path, target)
    _HELD_LOCKS[path] = fd
    try:
        yield
    finally:
        del _HELD_LOCKS[path]
        path.unlink(missing_ok=True)
        os.close(fd)  # releases the lock


def check_target(target: Path, force: bool = False) -> None:
    """Refuses (TargetRefused) a target this build must not replace: a folder, a file no zhibiao build wrote
    (unless `force`), a warehouse a DuckDB client holds open for writing, or one with a WAL beside it."""
    target = target.absolute()
    if target.is_dir():
        raise TargetRefused(f"--warehouse {target} is a folder; name the DuckDB file to write (e.g. "
                            f"{target / 'zhibiao.duckdb'})")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise TargetRefused(f"--warehouse {target}: {parent} is not a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise TargetRefused(f"--warehouse {target}: cannot create or write files in {parent}")
            break
    writer = _lock_holder(target, fcntl.F_RDLCK) if target.exists() else None
    if writer is not None:
        raise TargetRefused(
            f"{target} is open for writing by {describe_process(writer)}; replacing it now would lose what that "
            "client writes and break its WAL. Close that connection (readers should open it with read_only=True), "
            "then build again. The warehouse and its WAL were left as they are")
    wal = Path(f"{target}.wal")
    if wal.exists():
        raise TargetRefused(
            f"{wal} exists: a DuckDB client wrote to {target.name} and did not finish (it crashed or is still "
            "open), or the WAL belongs to another file. Replacing the warehouse would make that WAL unreadable. "
            "Open the file once read-write with DuckDB and close it (that folds the WAL in), or move the WAL away "
            "if its changes do not matter, then build again. Both files were left as they are")
    if target.exists() and not force and not is_zhibiao_warehouse(target):
        raise TargetRefused(f"{target} exists and is not a warehouse zhibiao wrote; it was left as it is. Name "
                            "another file, or add --force to replace it")


def is_zhibiao_warehouse(path: Path) -> bool:
    """A DuckDB file with the `build_info` every zhibiao build writes."""
    try:
        with open(path, "rb") as f:
            if f.read(12)[8:12] != b"DUCK":  # DuckDB's magic bytes, before asking DuckDB to open it
                return False
        con = duckdb.connect(str(path), read_only=True)
    except (OSError, duckdb.Error):
        return False
    try:
        return bool(con.execute("SELECT count(*) FROM build_info WHERE key = 'extractor_version'").fetchone()[0])
    except duckdb.Error:
        return False
    finally:
        con.close()


def staging_path(target: Path) -> Path:
    target = target.resolve()
    return target.parent / f".{target.name}.building-{os.getpid()}"


_STAGING = re.compile(r"\.(?P<target>.+)\.building-(?P<pid>\d+)(?:\.wal|\.tmp)?")


def remove_stale_staging(folder: Path) -> list[Path]:
    """Removes the staging files (`.NAME.building-PID` and its WAL) that no running build of NAME owns: those a
    killed build of any warehouse in `folder` left. Returns what it removed."""
    removed = []
    for path in sorted(folder.glob(".*.building-*")):
        match = _STAGING.fullmatch(path.name)
        if match is None:
            continue
        pid, lock = int(match["pid"]), folder / f".{match['target']}.lock"
        if lock in _HELD_LOCKS:  # a warehouse this process builds: only its own staging file is live
            live = pid == os.getpid()
        else:  # another build's: live while the process that named it holds its lock
            live = _lock_holder(lock) == pid
        if not live:
            if path.is_dir():  # DuckDB's spill folder
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


# Publishing and an interrupt agree through this lock: the signal handler takes it before it decides what to say, so
# the rename is either done (and recorded in PUBLISHED) or will never happen.
PUBLISHING = threading.Lock()
PUBLISHED: set[Path] = set()  # targets this process replaced; the CLI clears its target's entry before a build


# DuckDB's memory on the staging connection: past it, joins, sorts and aggregates spill to `<staging>.tmp`, so derive
# and the checks run out of core and a build's memory does not grow with the number of facts.
STAGING_MEMORY_LIMIT = os.environ.get("ZHIBIAO_DUCKDB_MEMORY", "500MB")


def open_staging(staging: Path, copy_of: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A connection to a build's staging file (`staging_path`): a new file, or a file-level copy of the published
    warehouse `copy_of` (sequential I/O in the kernel: far cheaper than copying its rows), which an incremental
    build then changes by deleting and inserting only the rows of changed documents."""
    if copy_of is not None:
        shutil.copyfile(copy_of, staging)
    return duckdb.connect(str(staging), config={"storage_compatibility_version": STORAGE_VERSION,
                                                "memory_limit": STAGING_MEMORY_LIMIT})


def discard_staging(staging: Path) -> None:
    """Removes a build's staging file, its WAL and DuckDB's spill folder beside it."""
    staging.unlink(missing_ok=True)
    Path(f"{staging}.wal").unlink(missing_ok=True)
    shutil.rmtree(f"{staging}.tmp", ignore_errors=True)


def publish_staging(target: Path, staging: Path) -> None:
    """Publishes the finished staging file (closed, checkpointed) by one atomic replace of `target`.

    Readers with the old file open keep reading the old file; new connections see the new one. On any failure the
    staging file is removed and `target` is untouched. A client that opened the target for writing during the build
    makes the build refuse, as it would have at the start.
    """
    target = target.resolve()
    try:
        _fsync(staging)
        with PUBLISHING:
            check_target(target, force=True)  # the file was checked at the start; writers may have come since
            os.replace(staging, target)
            PUBLISHED.add(target)
        _fsync(target.parent)
    except BaseException:
        discard_staging(staging)
        raise


def append(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame]) -> None:
    """Appends each frame's rows to its existing table in one insert (matched by column name); the rows of
    uncompressed tables are written together, inside one pair of checkpoints."""
    stored_as_is = {t: f for t, f in tables.items() if t in UNCOMPRESSED_TABLES and f.height}
    for table, frame in tables.items():
        if table not in UNCOMPRESSED_TABLES:
            _insert(con, table, frame)
    if stored_as_is:
        with compressed_as_it_should(con, next(iter(stored_as_is))):
            for table, frame in stored_as_is.items():
                _insert(con, table, frame)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.height:
        con.register("_frame", frame.to_arrow())
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _frame')
        con.unregister("_frame")


def create_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame]) -> None:
    """One DuckDB table per frame, in the given order, created with the types of the schema source; the frame's
    columns are matched by name."""
    for name, frame in tables.items():
        with compressed_as_it_should(con, name):
            con.register("_frame", frame.to_arrow())
            con.execute(f'DROP TABLE IF EXISTS "{name}"')  # an incremental build replaces the copy's small tables
            con.execute(schema.ddl(name))
            con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM _frame')
            con.unregister("_frame")


@contextlib.contextmanager
def compressed_as_it_should(con: duckdb.DuckDBPyConnection, table: str) -> Iterator[None]:
    """Rows written inside are stored with the compression their table wants. DuckDB compresses at checkpoint time,
    so rows of other tables still pending are checkpointed first, and the uncompressed ones right after."""
    if table not in UNCOMPRESSED_TABLES:
        yield
        return
    con.execute("CHECKPOINT")
    con.execute("SET force_compression = 'uncompressed'")
    try:
        yield
        con.execute("CHECKPOINT")
    finally:
        con.execute("RESET force_compression")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
