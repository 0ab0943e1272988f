"""The pipeline as Dagster assets: one asset per stage, each a thin call into a plain module.

No `from __future__ import annotations` in this package: Dagster reads the annotations at definition time to inject
resources and the context.
"""

import json
import os
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

import dagster as dg
import polars as pl

from pipelines import derive, extract, ingest, quality, warehouse
from pipelines.documents import Document, build_documents
from pipelines.extract import extract_document, extractor_version
from pipelines.regions import Gazetteer
from pipelines.defs.resources import BuildSettings

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
    fresh: dict[str, pl.DataFrame]  # rows of the new documents, per table
    facts: pl.DataFrame  # the facts of every document, with their fact_id


REFERENCE_GDP_SCHEMA = {"region": pl.String, "year": pl.Int32, "gdp_100m_cny": pl.Float64, "gdp_cny": pl.Float64,
                        "source_kind": pl.String, "source_url": pl.String}

# Below this many new documents one process is faster than starting a pool. The environment may lower both, so
# that tests run the pool on a small corpus.
PARALLEL_MIN_DOCS = int(os.environ.get("ZHIBIAO_PARALLEL_MIN_DOCS", 200))
BATCH_DOCS = int(os.environ.get("ZHIBIAO_BATCH_DOCS", 250))


@dg.asset(group_name="ingest", kinds={"python"})
def raw_sources(context: dg.AssetExecutionContext, settings: BuildSettings) -> Ingested:
    """Every file under the raw folder, decoded and normalised, or rejected with its reason. Files unchanged since
    the published build (same size and modification time) are not read again, unless the build is `full`."""
    # Before the slow work: a target this build must not replace fails the run now, not after extraction.
    warehouse.check_target(settings.warehouse_path, force=settings.force)
    context.log.info(f"reading {settings.raw_path}")
    previous = None if settings.full else warehouse.read_previous(settings.warehouse_path, extractor_version())
    known = {}
    if previous is not None and previous.raw_dir == str(settings.raw_path):
        reusable = set(previous.documents["text_sha256"])
        known = {
            row["source_file"]: ingest.RawFile(**row)
            for row in previous.raw_files.iter_rows(named=True)
            if row["text_sha256"] in reusable
        }
    raw_files, sources, rejected = ingest.read_raw_folder(
        settings.raw_path, settings.max_file_bytes, known, skip=warehouse.own_files(settings.warehouse_path)
    )
    context.add_output_metadata({"files": len(raw_files), "texts read": len(sources), "rejected": len(rejected)})
    return Ingested(raw_files, sources, rejected, previous)


@dg.asset(group_name="documents", kinds={"python"})
def documents(context: dg.AssetExecutionContext, raw_sources: Ingested) -> DocumentSet:
    """One document per report: metadata, region, and the parts of a compilation. The documents of a text the
    published warehouse already holds are kept from it, under the file names that hold the text now."""
    gazetteer = Gazetteer()
    # A report can also stand inside another file (a compilation): one document, named by its first file.
    first: dict[str, Document] = {}
    for source in raw_sources.sources:
        for doc in build_documents(source, gazetteer):
            first.setdefault(doc.doc_id, doc)
    new = list(first.values())
    table = warehouse.rows_to_frame("documents", new).drop("text")
    kept = pl.DataFrame(schema={"doc_id": pl.String, "source_file": pl.String, "source_files": pl.List(pl.String)})
    read_now = [source.text_sha256 for source in raw_sources.sources]
    names = _names_by_text(raw_sources.raw_files).filter(~pl.col("text_sha256").is_in(read_now))
    if raw_sources.previous is not None:
        kept_table = (
            raw_sources.previous.documents.drop("source_file", "source_files")
            .join(names, on="text_sha256")
            .filter(~pl.col("doc_id").is_in(table["doc_id"].implode()))
            .sort("source_file", "part")
            .unique("doc_id", keep="first", maintain_order=True)
            .select(table.columns)
            .cast(table.schema)
        )
        kept = kept_table.select(kept.columns)
        table = pl.concat([kept_table, table])
    context.add_output_metadata({"documents": table.height, "new": len(new), "kept": kept.height})
    return DocumentSet(table, new, kept, names.select("text_sha256", "source_file"))


@dg.asset(group_name="extraction", kinds={"python"})
def extraction(
    context: dg.AssetExecutionContext, settings: BuildSettings, raw_sources: Ingested, documents: DocumentSet
) -> Extraction:
    """Sections, sentences, mentions and facts of every new document; the rows of kept documents stay in the
    published warehouse and are copied when publishing (their facts are read, since derive needs them all)."""
    kept = documents.kept["doc_id"].to_list()
    context.log.info(f"extracting {len(documents.new)} documents, reusing {len(kept)} unchanged")
    fresh = _extract_all(documents.new, settings.workers, context)
    facts = fresh["facts"]
    if kept:
        previous = warehouse.read_previous_rows(raw_sources.previous, "facts", kept)
        renamed = previous.drop("source_file").join(documents.kept.select("doc_id", "source_file"), on="doc_id")
        facts = pl.concat([renamed.select(facts.columns), facts])
    context.add_output_metadata({"extracted": len(documents.new), "reused": len(kept), "facts": facts.height})
    return Extraction(fresh, warehouse.with_fact_ids(facts))


@dg.asset(group_name="derive", kinds={"polars"})
def derived(settings: BuildSettings, extraction: Extraction, documents: DocumentSet) -> dict[str, pl.DataFrame]:
    """Resolved facts, their sources, and derived metrics (shares, growth, implied levels, attainment)."""
    return derive.derive(extraction.facts, documents.table, reference_gdp_frame(settings))


@dg.asset(group_name="publish", kinds={"duckdb"})
def warehouse_file(
    context: dg.AssetExecutionContext,
    settings: BuildSettings,
    raw_sources: Ingested,
    documents: DocumentSet,
    extraction: Extraction,
    derived: dict[str, pl.DataFrame],
) -> dg.MaterializeResult:
    """The finished DuckDB warehouse, published by atomic replace."""
    tables = {
        "raw_files": warehouse.rows_to_frame("raw_files", raw_sources.raw_files),
        "rejected_files": warehouse.rows_to_frame("rejected_files", raw_sources.rejected),
        "source_texts": _source_texts(raw_sources.sources),
        "documents": warehouse.rows_to_frame("documents", documents.new),
        "regions": warehouse.rows_to_frame("regions", Gazetteer().regions()),
        **{table: extraction.fresh[table] for table in warehouse.COPIED_TABLES},
        "facts": extraction.facts,
        **derived,
        "reference_gdp": reference_gdp_frame(settings),
        "build_info": pl.DataFrame(
            {"key": ["extractor_version", "raw_dir"], "value": [extractor_version(), str(settings.raw_path)]}
        ),
    }

    def fill(con):
        warehouse.create_tables(con, tables)
        if documents.kept_texts.height:  # rows exist only for the texts normalising changed
            warehouse.copy_previous_rows(
                con, raw_sources.previous, "source_texts", documents.kept_texts, key="text_sha256"
            )
        if documents.kept.height:
            warehouse.copy_previous_rows(con, raw_sources.previous, "documents", documents.kept)
            for table in warehouse.COPIED_TABLES:
                warehouse.copy_previous_rows(con, raw_sources.previous, table, documents.kept.select("doc_id"))
        derive.apply_views(con)
        # The checks run on the finished tables before publishing, so the file carries its own verdicts.
        warehouse.create_tables(con, {"check_results": check_results_frame(quality.run_checks(con))})
        derive.apply_comments(con)

    with warehouse.single_writer(settings.warehouse_path):
        warehouse.publish(settings.warehouse_path, fill)
    context.log.info(f"published {settings.warehouse_path}")
    return dg.MaterializeResult(metadata={"path": str(settings.warehouse_path)})


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


def reference_gdp_frame(settings: BuildSettings) -> pl.DataFrame:
    """The user's GDP file as loaded, or an empty table of the same shape."""
    if settings.reference_gdp:
        return derive.load_reference_gdp(settings.reference_gdp)
    return pl.DataFrame(schema=REFERENCE_GDP_SCHEMA)


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
        schema={"name": pl.String, "passed": pl.Boolean, "severity": pl.String, "description": pl.String,
                "failing_rows": pl.Int64, "sample": pl.String},
    )


def _extract_batch(docs: list[Document]) -> dict[str, pl.DataFrame]:
    rows: dict[str, list] = {table: [] for table in warehouse.DOCUMENT_TABLES}
    for doc in docs:
        for table, produced in zip(warehouse.DOCUMENT_TABLES, extract_document(doc)):
            rows[table].extend(produced)
    return {table: warehouse.rows_to_frame(table, r) for table, r in rows.items()}


def _extract_all(docs: list[Document], workers: int, context: dg.AssetExecutionContext) -> dict[str, pl.DataFrame]:
    """Extracts in batches, in worker processes when there are many documents; logs progress per batch."""
    batches = [docs[i : i + BATCH_DOCS] for i in range(0, len(docs), BATCH_DOCS)]
    workers = workers or os.cpu_count() or 1
    if len(docs) < PARALLEL_MIN_DOCS or workers == 1:
        parts = _collect(map(_extract_batch, batches), batches, context)
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=extract.worker_started, initargs=(os.getpid(),)) as pool:
            parts = _collect(pool.map(_extract_batch, batches), batches, context)
    if not parts:
        return {table: warehouse.rows_to_frame(table, []) for table in warehouse.DOCUMENT_TABLES}
    return {table: pl.concat([p[table] for p in parts]) for table in warehouse.DOCUMENT_TABLES}


def _collect(results, batches: list[list[Document]], context: dg.AssetExecutionContext) -> list[dict[str, pl.DataFrame]]:
    parts, done, total = [], 0, sum(map(len, batches))
    for part, batch in zip(results, batches):
        parts.append(part)
        done += len(batch)
        context.log.info(f"extracted {done}/{total} documents")
    return parts
