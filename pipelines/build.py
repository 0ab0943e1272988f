"""What a build decides, as plain functions: which files are read again, which documents are new and which are kept
from the published warehouse (under the file names that hold their text now), what is extracted, and what the
published snapshot holds. The Dagster assets (pipelines/defs/assets.py) each call one step; tests call them without
Dagster (tests/test_build.py).

A document is identified by its text (`doc_id`), so the decisions follow from the texts:
- a file unchanged since the published build (same name, size and modification time) is not read again, and the
  documents of its text are kept, rows and all, under the names that hold the text now (renamed, or a duplicate gone);
- a new, changed or renamed file is read, and the documents of texts read now are built and extracted anew;
- a document whose text no file holds any more is retired: nothing carries it into the new snapshot;
- a folder that cannot be listed keeps the files an earlier build read there (pipelines.ingest), so their documents
  are kept too, until it can be read again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from pipelines import derive, extract, ingest, quality, schema, warehouse
from pipelines.documents import Document, build_documents, reject_furniture_only
from pipelines.extract import extract_document, extractor_version
from pipelines.regions import Gazetteer


class Ingested(NamedTuple):
    raw_files: list[ingest.RawFile]
    sources: list[ingest.SourceText]  # only texts read in this build; unchanged ones come from `previous`
    rejected: list[ingest.RejectedFile]
    previous: warehouse.Previous | None


class DocumentSet(NamedTuple):
    table: pl.DataFrame  # every document's metadata: the `documents` table without the text
    new: list[Document]  # documents built in this build, from texts read now
    kept: pl.DataFrame  # doc_id and current file names of documents copied from the previous warehouse
    kept_texts: pl.DataFrame  # text_sha256 and current first file name of texts not read again


class Extraction(NamedTuple):
    fresh: dict[str, pl.DataFrame]  # rows of the new documents, per table (facts with their fact_id)
    facts: int  # facts of every document: the new ones and those the kept documents hold in the previous warehouse


REFERENCE_GDP_SCHEMA = schema.polars("reference_gdp")

# Below this many new documents one process is faster than starting a pool. The environment may lower both, so
# that tests run the pool on a small corpus.
PARALLEL_MIN_DOCS = int(os.environ.get("ZHIBIAO_PARALLEL_MIN_DOCS", 200))
BATCH_DOCS = int(os.environ.get("ZHIBIAO_BATCH_DOCS", 250))


def previous_build(target: Path, full: bool) -> warehouse.Previous | None:
    """The published warehouse to reuse from, or None: a `full` build, no warehouse yet, or another extractor's."""
    return None if full else warehouse.read_previous(target, extractor_version())


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


def read_sources(raw_dir: Path, target: Path, max_file_bytes: int, previous: warehouse.Previous | None) -> Ingested:
    """Every file under the raw folder, decoded and normalised, or rejected with its reason; the files
    `reusable_files` names are accounted for without being read."""
    raw_files, sources, rejected = reject_furniture_only(*ingest.read_raw_folder(
        raw_dir, max_file_bytes, reusable_files(previous, raw_dir), skip=warehouse.own_files(target)
    ))
    return Ingested(raw_files, sources, rejected, previous)


def plan_documents(ingested: Ingested, gazetteer: Gazetteer) -> DocumentSet:
    """The documents of the texts read now (new), and those of the previous warehouse whose text is still held by
    a file not read again (kept, under the names that hold it now). Any other previous document is retired."""
    # A report can also stand inside another file (a compilation): one document, named by its first file.
    first: dict[str, Document] = {}
    for source in ingested.sources:
        for doc in build_documents(source, gazetteer):
            first.setdefault(doc.doc_id, doc)
    new = list(first.values())
    table = warehouse.rows_to_frame("documents", new).drop("text")
    kept = pl.DataFrame(schema={"doc_id": pl.String, "source_file": pl.String, "source_files": pl.List(pl.String)})
    read_now = [source.text_sha256 for source in ingested.sources]
    names = _names_by_text(ingested.raw_files).filter(~pl.col("text_sha256").is_in(read_now))
    if ingested.previous is not None:
        kept_table = (
            ingested.previous.documents.drop("source_file", "source_files")
            .join(names, on="text_sha256")
            .filter(~pl.col("doc_id").is_in(table["doc_id"].implode()))
            .sort("source_file", "part")
            .unique("doc_id", keep="first", maintain_order=True)
            .select(table.columns)
            .cast(table.schema)
        )
        kept = kept_table.select(kept.columns)
        table = pl.concat([kept_table, table])
    return DocumentSet(table, new, kept, names.select("text_sha256", "source_file"))


def extract_documents(documents: DocumentSet, previous: warehouse.Previous | None, workers: int,
                      log: Callable[[str], None]) -> Extraction:
    """Sections, sentences, mentions and facts of every new document; the rows of kept documents stay in the
    published warehouse and are copied, database to database, when publishing (derive runs there, in SQL)."""
    fresh = _extract_all(documents.new, workers, log)
    fresh["facts"] = warehouse.with_fact_ids(fresh["facts"])
    kept = 0
    if documents.kept.height:
        kept = warehouse.count_previous_rows(previous, "facts", documents.kept["doc_id"].to_list())
    return Extraction(fresh, fresh["facts"].height + kept)


def reference_gdp(path: str) -> pl.DataFrame:
    """The user's GDP file as loaded, or an empty table of the same shape."""
    if path:
        return derive.load_reference_gdp(path)
    return pl.DataFrame(schema=REFERENCE_GDP_SCHEMA)


def publish(target: Path, raw_dir: Path, ingested: Ingested, documents: DocumentSet, extraction: Extraction,
            gdp: pl.DataFrame) -> None:
    """Writes the snapshot (new rows, kept rows copied from the previous warehouse, the derived tables, views,
    check verdicts, comments) and publishes it by atomic replace (pipelines.warehouse.publish)."""
    tables = {
        "raw_files": warehouse.rows_to_frame("raw_files", ingested.raw_files),
        "rejected_files": warehouse.rows_to_frame("rejected_files", ingested.rejected),
        "source_texts": _source_texts(ingested.sources),
        "documents": warehouse.rows_to_frame("documents", documents.new),
        "regions": warehouse.rows_to_frame("regions", Gazetteer().regions()),
        **{table: extraction.fresh[table] for table in warehouse.DOCUMENT_TABLES},
        "reference_gdp": gdp,
        "build_info": pl.DataFrame(
            {"key": ["extractor_version", "raw_dir"], "value": [extractor_version(), str(raw_dir)]},
            schema=schema.polars("build_info"),
        ),
    }

    def fill(con):
        warehouse.create_tables(con, tables)
        if documents.kept_texts.height:  # rows exist only for the texts normalising changed
            warehouse.copy_previous_rows(con, ingested.previous, "source_texts", documents.kept_texts, key="text_sha256")
        if documents.kept.height:
            warehouse.copy_previous_rows(con, ingested.previous, "documents", documents.kept)
            for table in warehouse.DOCUMENT_TABLES:
                # a fact names its document's first file: a kept document's may have changed (renamed, or a copy gone)
                kept = documents.kept.select("doc_id", "source_file") if table == "facts" else documents.kept.select("doc_id")
                warehouse.copy_previous_rows(con, ingested.previous, table, kept)
        derive.create_derived_tables(con)  # from every document's facts, inside DuckDB
        derive.apply_views(con)
        # The checks run on the finished tables before publishing, so the file carries its own verdicts.
        warehouse.create_tables(con, {"check_results": check_results_frame(quality.run_checks(con))})
        derive.apply_comments(con)

    with warehouse.single_writer(target):
        warehouse.publish(target, fill)


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


def _source_texts(sources: list[ingest.SourceText]) -> pl.DataFrame:
    """Each text that normalising changed, as decoded and as normalised. Where it changed nothing, the documents'
    texts are the file's own characters and a copy would only double the warehouse."""
    return warehouse.rows_to_frame("source_texts", [s for s in sources if s.original_text != s.text])


def _names_by_text(raw_files: list[ingest.RawFile]) -> pl.DataFrame:
    """For each readable text: the first file name holding it, and all of them (as a document records them)."""
    readable = sorted((r.source_file, r.text_sha256) for r in raw_files if r.text_sha256 is not None)
    frame = pl.DataFrame(readable, schema={"source_file": pl.String, "text_sha256": pl.String}, orient="row")
    return frame.group_by("text_sha256", maintain_order=True).agg(
        pl.col("source_file").first(), source_files=pl.col("source_file")
    )


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


def _extract_batch(docs: list[Document]) -> dict[str, pl.DataFrame]:
    rows: dict[str, list] = {table: [] for table in warehouse.DOCUMENT_TABLES}
    for doc in docs:
        for table, produced in zip(warehouse.DOCUMENT_TABLES, extract_document(doc)):
            rows[table].extend(produced)
    return {table: warehouse.rows_to_frame(table, r) for table, r in rows.items()}


def _extract_all(docs: list[Document], workers: int, log: Callable[[str], None]) -> dict[str, pl.DataFrame]:
    """Extracts in batches, in worker processes when there are many documents; logs progress per batch."""
    batches = [docs[i : i + BATCH_DOCS] for i in range(0, len(docs), BATCH_DOCS)]
    workers = workers or os.cpu_count() or 1
    if len(docs) < PARALLEL_MIN_DOCS or workers == 1:
        parts = _collect(map(_extract_batch, batches), batches, log)
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=extract.worker_started, initargs=(os.getpid(),)) as pool:
            parts = _collect(pool.map(_extract_batch, batches), batches, log)
    if not parts:
        return {table: warehouse.rows_to_frame(table, []) for table in warehouse.DOCUMENT_TABLES}
    return {table: pl.concat([p[table] for p in parts]) for table in warehouse.DOCUMENT_TABLES}


def _collect(results: Iterable[dict[str, pl.DataFrame]], batches: list[list[Document]],
             log: Callable[[str], None]) -> list[dict[str, pl.DataFrame]]:
    parts, done, total = [], 0, sum(map(len, batches))
    for part, batch in zip(results, batches):
        parts.append(part)
        done += len(batch)
        log(f"extracted {done}/{total} documents")
    return parts
