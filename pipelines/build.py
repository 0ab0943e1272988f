"""What a build decides and does, as plain functions: which files are read again, which documents are new, kept from
the published warehouse (under the file names that hold their text now) or retired, how the rows stream into the
staging file, and how the snapshot is published. The Dagster assets (pipelines/defs/assets.py) each call one step;
tests call them without Dagster (tests/test_build.py).

A document is identified by its text (`doc_id`), so the decisions follow from the texts:
- a file unchanged since the published build (same name, size and modification time) is not read again, and the
  documents of its text are kept, rows and all, under the names that hold the text now (renamed, or a duplicate gone);
- a new, changed or renamed file is read, and the documents of texts read now are built and extracted anew;
- a document whose text no file holds any more is retired: its rows are deleted from the snapshot;
- a folder that cannot be listed keeps the files an earlier build read there (pipelines.ingest), so their documents
  are kept too, until it can be read again.

Memory does not grow with the corpus: texts are read one file at a time, made into documents and extracted in batches
of BATCH_DOCS, and each batch's rows are appended to the staging DuckDB file and released. An incremental build starts
from a file-level copy of the published warehouse and deletes and inserts only the rows of changed documents, then
re-derives only the regions whose facts changed (derive is regional: pipelines.derive).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from pipelines import derive, ingest, quality, schema, warehouse, worker
from pipelines.documents import build_documents, furniture_only, reject_furniture_only
from pipelines.extract import extract_document, extractor_version
from pipelines.regions import Gazetteer

REFERENCE_GDP_SCHEMA = schema.polars("reference_gdp")

# Below this many new documents one process is faster than starting a pool (its workers are spawned: each imports
# the extractor, a few seconds). The environment may lower both, so that tests run the pool on a small corpus.
PARALLEL_MIN_DOCS = int(os.environ.get("ZHIBIAO_PARALLEL_MIN_DOCS", 200))
BATCH_DOCS = int(os.environ.get("ZHIBIAO_BATCH_DOCS", 250))
# Batches handed to the pool ahead of the one being written, per worker: enough to keep every worker busy, few
# enough that the documents and rows in flight stay a few batches' worth.
BATCHES_AHEAD_PER_WORKER = 2
# Documents (with their whole text) and source texts are buffered up to this much text between writes.
BUFFERED_TEXT_BYTES = 64_000_000

NAMES_SCHEMA = {"text_sha256": pl.String, "source_file": pl.String, "source_files": pl.List(pl.String)}


class Plan(NamedTuple):
    """What a build starts from: where it reads and writes, and the published warehouse it may reuse."""

    raw_dir: Path
    target: Path
    max_file_bytes: int
    previous: warehouse.Previous | None
    gdp: pl.DataFrame
    # Named once, when the build starts: under the multiprocess executor each step runs in a process of its own.
    staging: Path


class Staged(NamedTuple):
    """What `stage` wrote into the staging file, and what it decided (the tests read the decisions)."""

    read: list[str]  # every file holding a text read in this build
    new: list[str]  # the first file of each document extracted in this build
    kept: list[str]  # the current first file of each document kept from the previous warehouse
    rejected: list[ingest.RejectedFile]
    files: int
    documents: int
    facts: int
    regions: set[str] | None  # regions whose derived rows must be recomputed; None: every region


def previous_build(target: Path, full: bool) -> warehouse.Previous | None:
    """The published warehouse to reuse from, or None: a `full` build, no warehouse yet, or another extractor's."""
    return None if full else warehouse.read_previous(target, extractor_version())


def plan_build(raw_dir: Path, target: Path, max_file_bytes: int, full: bool, gdp_path: str = "") -> Plan:
    return Plan(raw_dir, target, max_file_bytes, previous_build(target, full), reference_gdp(gdp_path),
                warehouse.staging_path(target))


def reusable_files(previous: warehouse.Previous | None, raw_dir: Path) -> dict[str, ingest.RawFile]:
    """The previous build's rows of files whose documents it holds, by name: ingest does not read these again when
    their size and modification time are unchanged. Names are only comparable within the folder it was built from."""
    if previous is None or previous.raw_dir != str(raw_dir):
        return {}
    reusable = set(previous.documents["text_sha256"])
    return {
        row["source_file"]: ingest.RawFile(**row)
        for row in previous.raw_files.iter_rows(named=True)
        if row["text_sha256"] in reusable
    }


def reference_gdp(path: str) -> pl.DataFrame:
    """The user's GDP file as loaded, or an empty table of the same shape."""
    if path:
        return derive.load_reference_gdp(path)
    return pl.DataFrame(schema=REFERENCE_GDP_SCHEMA)


def stage(plan: Plan, workers: int, log: Callable[[str], None]) -> Staged:
    """Writes every table but the derived ones into the staging file beside the target: a new file, or a copy of
    the published warehouse whose changed documents' rows are replaced. Removes the staging file on failure."""
    with warehouse.single_writer(plan.target):
        warehouse.remove_stale_staging(plan.target.parent)
        return _stage(plan, workers, log)


def _stage(plan: Plan, workers: int, log: Callable[[str], None]) -> Staged:
    reading = ingest.FolderReading(plan.raw_dir, plan.max_file_bytes, reusable_files(plan.previous, plan.raw_dir),
                                   skip=warehouse.own_files(plan.target))
    previous = plan.previous
    con = warehouse.open_staging(plan.staging, previous.path if previous else None)
    try:
        if previous is None:
            warehouse.create_tables(con, {t: warehouse.rows_to_frame(t, []) for t in
                                          ("source_texts", "documents", *warehouse.DOCUMENT_TABLES)})
        stream = _Stream(con, previous)
        for batch, extracted in _extracted(batches_of(stream.texts(reading.texts())), workers or os.cpu_count() or 1):
            stream.write(batch, extracted)
            log(f"extracted {stream.extracted} documents ({reading.files_listed} files listed)")
        raw_files, rejected = reject_furniture_only(reading.raw_files, reading.rejected, stream.furniture)
        kept = stream.finish(raw_files)
        warehouse.create_tables(con, folder_tables(plan.raw_dir, raw_files, rejected, plan.gdp))
        regions = stream.regions if previous and _derived_rows_reusable(previous, plan.gdp) else None
        count = lambda table: con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: E731
        staged = Staged(sorted(stream.read_files(reading)), sorted(stream.new_files), kept, rejected,
                        len(raw_files), count("documents"), count("facts"), regions)
        con.close()
    except BaseException:
        con.close()
        warehouse.discard_staging(plan.staging)
        raise
    return staged


def folder_tables(raw_dir: Path, raw_files: list[ingest.RawFile], rejected: list[ingest.RejectedFile],
                  gdp: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The tables of the folder as a whole, written once the last document is staged."""
    return {
        "raw_files": warehouse.rows_to_frame("raw_files", raw_files),
        "rejected_files": warehouse.rows_to_frame("rejected_files", rejected),
        "regions": warehouse.rows_to_frame("regions", Gazetteer().regions()),
        "reference_gdp": gdp,
        "build_info": pl.DataFrame(
            {"key": ["extractor_version", "raw_dir", "derive_version"],
             "value": [extractor_version(), str(raw_dir), derive.derive_version()]},
            schema=schema.polars("build_info"),
        ),
    }


def publish(plan: Plan, staged: Staged) -> None:
    """Derives (only the changed regions of an incremental build), applies views, check verdicts and comments in the
    staging file, and publishes it by atomic replace (pipelines.warehouse.publish_staging)."""
    publish_staged(plan.target, plan.staging, staged.regions)


def publish_staged(target: Path, staging: Path, regions: set[str] | None) -> None:
    """`publish` of a staging file however it was staged: by `stage`, or from partitions (pipelines.partitions)."""
    con = None
    try:
        con = warehouse.open_staging(staging)
        derive.create_derived_tables(con, regions)  # inside DuckDB, out of core
        derive.apply_views(con)
        # The checks run on the finished tables before publishing, so the file carries its own verdicts.
        warehouse.create_tables(con, {"check_results": check_results_frame(quality.run_checks(con))})
        derive.apply_comments(con)
        con.execute("CHECKPOINT")
        con.close()
        con = None
    except BaseException:
        if con is not None:
            con.close()
        warehouse.discard_staging(staging)
        raise
    with warehouse.single_writer(target):
        warehouse.publish_staging(target, staging)


def published_counts(target: Path) -> dict[str, int]:
    """What the published warehouse holds: raw files seen, documents, facts, rejected files, resolved facts and
    derived metrics."""
    tables = {"files": "raw_files", "documents": "documents", "facts": "facts", "rejected": "rejected_files",
              "resolved facts": "facts_resolved", "derived metrics": "derived_metrics"}
    con = duckdb.connect(str(target), read_only=True)
    try:
        return {key: con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0] for key, table in tables.items()}
    finally:
        con.close()


def check_results_frame(results: list[quality.CheckResult]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "name": [r.name for r in results],
            "passed": [r.passed for r in results],
            "severity": [r.severity for r in results],
            "description": [r.description for r in results],
            "failing_rows": [r.failing_rows for r in results],
            "sample": [json.dumps(r.sample, ensure_ascii=False, default=str) for r in results],
        },
        schema=schema.polars("check_results"),
    )


def _derived_rows_reusable(previous: warehouse.Previous, gdp: pl.DataFrame) -> bool:
    """Whether the previous warehouse's derived rows of unchanged regions are what this build would derive: the
    same derive code and the same reference GDP. Otherwise every region is derived again."""
    if previous.derive_version != derive.derive_version():
        return False
    con = duckdb.connect(str(previous.path), read_only=True)
    try:
        before = con.sql("SELECT * FROM reference_gdp").pl()
    finally:
        con.close()
    return before.sort(before.columns).equals(gdp.sort(gdp.columns).cast(before.schema))


class _Stream:
    """The state of one pass over the folder: which texts and documents are new, which regions' facts changed, and
    the staging file's rows of both. Holds ids and names only, never texts or rows of more than one batch."""

    def __init__(self, con: duckdb.DuckDBPyConnection, previous: warehouse.Previous | None) -> None:
        self.con, self.previous = con, previous
        self.furniture: dict[str, str] = {}  # text_sha256 -> first line of a text holding only page furniture
        self.read_now: set[str] = set()  # text_sha256 of every text read in this build
        self.doc_texts: dict[str, str] = {}  # doc_id -> text_sha256 of the documents built in this build
        self.new_files: list[str] = []
        self.regions: set[str] = set()
        self.extracted = 0
        self._previous_ids = set(previous.documents["doc_id"]) if previous else set()
        self._pending_texts: list[ingest.SourceText] = []
        self._pending_documents: list[pl.DataFrame] = []
        # A text read again may already be in the copy's source_texts: new ones wait beside it until `finish`.
        self._texts_table = "source_texts" if previous is None else "new_source_texts"
        if previous is not None:
            con.execute("CREATE TABLE new_source_texts AS SELECT * FROM source_texts LIMIT 0")

    def texts(self, sources: Iterable[ingest.SourceText]) -> Iterator[ingest.SourceText]:
        for source in sources:
            self.read_now.add(source.text_sha256)
            yield source

    def write(self, batch: list[ingest.SourceText], extracted: _Extracted) -> None:
        """Appends one batch's documents and rows, each document once: a report can also stand inside another file
        (a compilation), and is then one document, named by its first file. A document the copied warehouse holds
        already (a file read again with the same text) is replaced: its old rows go first."""
        self.furniture.update(extracted.furniture)
        # each text normalising changed is stored, as decoded and as normalised; where it changed nothing the
        # documents' texts are the file's own characters
        self._pending_texts.extend(source for source in batch if source.original_text != source.text
                                   and source.text_sha256 not in extracted.furniture)
        fresh = [(d, t) for d, t in extracted.doc_texts if d not in self.doc_texts]
        self.doc_texts.update(fresh)
        frames = extracted.frames
        if len(fresh) < len(extracted.doc_texts):
            ids = pl.Series([d for d, _ in fresh], dtype=pl.String).implode()
            frames = {table: frame.filter(pl.col("doc_id").is_in(ids)) for table, frame in frames.items()}
        self._delete([d for d, _ in fresh if d in self._previous_ids])
        self._pending_documents.append(frames["documents"])
        if sum(f["text"].str.len_bytes().sum() for f in self._pending_documents) >= BUFFERED_TEXT_BYTES:
            self._write_buffered()
        facts = warehouse.with_fact_ids(frames["facts"])
        warehouse.append(self.con, {**{t: frames[t] for t in warehouse.DOCUMENT_TABLES}, "facts": facts})
        self.regions.update(r for r in facts["region"].unique().to_list() if r is not None)
        self.new_files.extend(frames["documents"]["source_file"])
        self.extracted += len(fresh)

    def finish(self, raw_files: list[ingest.RawFile]) -> list[str]:
        """After the last batch: retires the previous documents no unchanged file holds, and gives every document
        (and its facts, and each stored source text) the names of the files that hold its text now. Returns the
        first files of the kept documents."""
        self._write_buffered()
        names = names_by_text(raw_files)
        kept = pl.DataFrame(schema={"doc_id": pl.String, "text_sha256": pl.String})
        if self.previous is not None:
            held = names.filter(~pl.col("text_sha256").is_in(list(self.read_now)))
            kept = (self.previous.documents.join(held.select("text_sha256"), on="text_sha256")
                    .filter(~pl.col("doc_id").is_in(list(self.doc_texts)))
                    .select("doc_id", "text_sha256"))
            self._delete(sorted(self._previous_ids - set(kept["doc_id"]) - set(self.doc_texts)))
        new = pl.DataFrame({"doc_id": list(self.doc_texts), "text_sha256": list(self.doc_texts.values())},
                           schema={"doc_id": pl.String, "text_sha256": pl.String})
        current = pl.concat([kept, new]).join(names, on="text_sha256")
        self._rename(current.drop("text_sha256"))
        if self.previous is not None:
            self.con.execute("DELETE FROM source_texts WHERE text_sha256 IN (SELECT text_sha256 FROM new_source_texts)")
            with warehouse.compressed_as_it_should(self.con, "source_texts"):
                self.con.execute("INSERT INTO source_texts SELECT * FROM new_source_texts")
            self.con.execute("DROP TABLE new_source_texts")
        self.con.register("_names", names.to_arrow())
        self.con.execute("DELETE FROM source_texts WHERE text_sha256 NOT IN (SELECT text_sha256 FROM _names)")
        self.con.execute("UPDATE source_texts t SET source_file = n.source_file FROM _names n "
                         "WHERE n.text_sha256 = t.text_sha256 AND n.source_file <> t.source_file")
        self.con.unregister("_names")
        return sorted(current.filter(pl.col("doc_id").is_in(kept["doc_id"].implode()))["source_file"])

    def _write_buffered(self) -> None:
        """Writes the buffered documents and source texts. Whole report texts are stored uncompressed, and DuckDB
        compresses at checkpoints (pipelines.warehouse.compressed_as_it_should): buffering them makes a checkpoint
        per BUFFERED_TEXT_BYTES of text, not two per batch."""
        documents = self._pending_documents
        warehouse.append(self.con, {
            "documents": pl.concat(documents) if documents else warehouse.rows_to_frame("documents", []),
            self._texts_table: warehouse.rows_to_frame("source_texts", self._pending_texts),
        })
        self._pending_documents, self._pending_texts = [], []

    def read_files(self, reading: ingest.FolderReading) -> list[str]:
        return [name for sha in self.read_now for name in reading.names(sha)]

    def _delete(self, doc_ids: list[str]) -> None:
        """Deletes every row of these documents from the copied warehouse, noting the regions of their facts."""
        if not doc_ids:
            return
        self.con.register("_gone", pl.DataFrame({"doc_id": doc_ids}, schema={"doc_id": pl.String}).to_arrow())
        self.regions.update(r for (r,) in self.con.execute(
            "SELECT DISTINCT region FROM facts WHERE doc_id IN (SELECT doc_id FROM _gone) AND region IS NOT NULL"
        ).fetchall())
        for table in ("documents", *warehouse.DOCUMENT_TABLES):
            self.con.execute(f'DELETE FROM "{table}" WHERE doc_id IN (SELECT doc_id FROM _gone)')
        self.con.unregister("_gone")

    def _rename(self, current: pl.DataFrame) -> None:
        """Gives documents, and their facts, the file names `current` lists, where they differ."""
        self.con.register("_current", current.to_arrow())
        self.con.execute("""CREATE OR REPLACE TEMP TABLE renamed AS
            SELECT c.* FROM _current c JOIN documents d USING (doc_id)
            WHERE d.source_file <> c.source_file OR d.source_files <> c.source_files""")
        self.con.unregister("_current")
        if self.con.execute("SELECT count(*) FROM renamed").fetchone()[0]:
            with warehouse.compressed_as_it_should(self.con, "documents"):
                self.con.execute("UPDATE documents d SET source_file = r.source_file, source_files = r.source_files "
                                 "FROM renamed r WHERE r.doc_id = d.doc_id")
            self.con.execute("UPDATE facts f SET source_file = r.source_file FROM renamed r "
                             "WHERE r.doc_id = f.doc_id AND f.source_file <> r.source_file")
        self.con.execute("DROP TABLE temp.renamed")


def names_by_text(raw_files: list[ingest.RawFile]) -> pl.DataFrame:
    """For each readable text: the first file name holding it, and all of them (as a document records them)."""
    readable = sorted((r.source_file, r.text_sha256) for r in raw_files if r.text_sha256 is not None)
    frame = pl.DataFrame(readable, schema={"source_file": pl.String, "text_sha256": pl.String}, orient="row")
    return frame.group_by("text_sha256", maintain_order=True).agg(
        pl.col("source_file").first(), source_files=pl.col("source_file")
    ).select(list(NAMES_SCHEMA)).cast(NAMES_SCHEMA)


def batches_of(sources: Iterable[ingest.SourceText]) -> Iterator[list[ingest.SourceText]]:
    batch: list[ingest.SourceText] = []
    for source in sources:
        batch.append(source)
        if len(batch) == BATCH_DOCS:
            yield batch
            batch = []
    if batch:
        yield batch


class _Extracted(NamedTuple):
    """A batch of texts made into documents and rows (in a worker process)."""

    furniture: dict[str, str]  # text_sha256 -> first line, of each text that holds only page furniture
    doc_texts: list[tuple[str, str]]  # (doc_id, text_sha256) of each document, in order, each once
    frames: dict[str, pl.DataFrame]  # documents and the per-document tables (facts without fact_id)


def extract_batch(sources: list[ingest.SourceText]) -> _Extracted:
    furniture, doc_texts, docs = {}, {}, []
    rows: dict[str, list] = {table: [] for table in warehouse.DOCUMENT_TABLES}
    gazetteer = _gazetteer()
    for source in sources:
        first_line = furniture_only(source)
        if first_line is not None:
            furniture[source.text_sha256] = first_line
            continue
        for doc in build_documents(source, gazetteer):
            if doc.doc_id in doc_texts:
                continue
            doc_texts[doc.doc_id] = source.text_sha256
            docs.append(doc)
            for table, produced in zip(warehouse.DOCUMENT_TABLES, extract_document(doc)):
                rows[table].extend(produced)
    frames = {table: warehouse.rows_to_frame(table, r) for table, r in rows.items()}
    return _Extracted(furniture, list(doc_texts.items()), {"documents": warehouse.rows_to_frame("documents", docs), **frames})


@functools.cache  # one per process: building its automaton takes a moment
def _gazetteer() -> Gazetteer:
    return Gazetteer()


@contextlib.contextmanager
def _workers_know_their_build() -> Iterator[None]:
    """While inside, processes this build spawns (its extraction workers) see its pid in their environment and die
    with it from their first import on (pipelines/__init__.py)."""
    os.environ[worker.BUILD_PID_VARIABLE] = str(os.getpid())
    try:
        yield
    finally:
        os.environ.pop(worker.BUILD_PID_VARIABLE, None)


def _start_quiet_resource_tracker() -> None:
    """Starts multiprocessing's resource tracker (a spawned pool's semaphores need it) with its stderr on /dev/null.
    It outlives a build stopped by a signal long enough to unlink the pool's semaphores and warn that they leaked; that
    warning, written to the build's stderr, would otherwise be the last line a user reads after "interrupted"."""
    from multiprocessing import resource_tracker

    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        resource_tracker.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _extracted(batches: Iterator[list[ingest.SourceText]], workers: int
               ) -> Iterator[tuple[list[ingest.SourceText], _Extracted]]:
    """Each batch with its rows, in order: in this process, or in `workers` worker processes with at most
    BATCHES_AHEAD_PER_WORKER batches per worker in flight.

    The workers are spawned, not forked: the build holds DuckDB and polars thread pools (and Dagster's threads), and
    a child forked from a process with threads can inherit a lock held by a thread it does not have, and hang."""
    head: list[list[ingest.SourceText]] = []
    for batch in batches:  # a pool only pays for itself past PARALLEL_MIN_DOCS documents
        head.append(batch)
        if sum(map(len, head)) >= PARALLEL_MIN_DOCS:
            break
    batches = itertools.chain(head, batches)
    if workers == 1 or sum(map(len, head)) < PARALLEL_MIN_DOCS:
        for batch in batches:
            yield batch, extract_batch(batch)
        return
    context = multiprocessing.get_context("spawn")
    _start_quiet_resource_tracker()
    with _workers_know_their_build(), ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=worker.worker_started, initargs=(os.getpid(),)
    ) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append((batch, pool.submit(extract_batch, batch)))
            if len(pending) >= workers * BATCHES_AHEAD_PER_WORKER:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
