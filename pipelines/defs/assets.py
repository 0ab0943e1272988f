"""The pipeline as Dagster assets: one asset per stage, each a thin call into a plain module."""



import json
import os
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

import dagster as dg
import polars as pl

from pipelines import derive, ingest, quality, warehouse
from pipelines.documents import Document, build_documents
from pipelines.extract import extract_document, extractor_version
from pipelines.regions import Gazetteer
from pipelines.defs.resources import BuildSettings

class Ingested(NamedTuple):
    raw_files: list[ingest.RawFile]
    sources: list[ingest.SourceText]
    rejected: list[ingest.RejectedFile]


REFERENCE_GDP_SCHEMA = {"region": pl.String, "year": pl.Int32, "gdp_100m_cny": pl.Float64, "gdp_cny": pl.Float64,
                        "source_kind": pl.String, "source_url": pl.String}

# Below this many new documents one process is faster than starting a pool.
PARALLEL_MIN_DOCS = 200
BATCH_DOCS = 250


@dg.asset(group_name="ingest", kinds={"python"})
def raw_sources(context: dg.AssetExecutionContext, settings: BuildSettings) -> Ingested:
    """Every file under the raw folder, decoded and normalised, or rejected with its reason."""
    result = Ingested(*ingest.read_raw_folder(settings.raw_path, max_bytes=settings.max_file_bytes))
    context.add_output_metadata(
        {"files": len(result.raw_files), "texts": len(result.sources), "rejected": len(result.rejected)}
    )
    return result


@dg.asset(group_name="documents", kinds={"python"})
def documents(context: dg.AssetExecutionContext, raw_sources: Ingested) -> list[Document]:
    """One document per report: metadata, region, and the parts of a compilation."""
    gazetteer = Gazetteer()
    docs = [doc for source in raw_sources.sources for doc in build_documents(source, gazetteer)]
    context.add_output_metadata({"documents": len(docs)})
    return docs


@dg.asset(group_name="extraction", kinds={"python"})
def extraction(
    context: dg.AssetExecutionContext, settings: BuildSettings, documents: list[Document]
) -> dict[str, pl.DataFrame]:
    """Sections, sentences, mentions and facts of every document; unchanged documents are copied from the
    published warehouse instead of being read again (unless the build is `full`)."""
    version = extractor_version()
    doc_ids = {d.doc_id for d in documents}
    previous = {} if settings.full else warehouse.read_previous(settings.warehouse_path, doc_ids, version)
    reused = set(previous["sentences"]["doc_id"].unique()) if previous else set()
    todo = [d for d in documents if d.doc_id not in reused]
    context.log.info(f"extracting {len(todo)} documents, reusing {len(reused)} unchanged")
    fresh = _extract_all(todo, settings.workers, context)
    tables = {
        table: pl.concat([previous[table], fresh[table]]) if previous else fresh[table]
        for table in warehouse.DOCUMENT_TABLES
    }
    context.add_output_metadata(
        {"extracted": len(todo), "reused": len(reused), "facts": tables["facts"].height}
    )
    return tables


@dg.asset(group_name="derive", kinds={"polars"})
def derived(
    settings: BuildSettings, extraction: dict[str, pl.DataFrame], documents: list[Document]
) -> dict[str, pl.DataFrame]:
    """Resolved facts, their sources, and derived metrics (shares, growth, implied levels, attainment)."""
    gdp = reference_gdp_frame(settings)
    return derive.derive(
        warehouse.with_fact_ids(extraction["facts"]), warehouse.rows_to_frame("documents", documents), gdp
    )


@dg.asset(group_name="publish", kinds={"duckdb"})
def warehouse_file(
    context: dg.AssetExecutionContext,
    settings: BuildSettings,
    raw_sources: Ingested,
    documents: list[Document],
    extraction: dict[str, pl.DataFrame],
    derived: dict[str, pl.DataFrame],
) -> dg.MaterializeResult:
    """The finished DuckDB warehouse, published by atomic replace."""
    tables = {
        "raw_files": warehouse.rows_to_frame("raw_files", raw_sources.raw_files),
        "rejected_files": warehouse.rows_to_frame("rejected_files", raw_sources.rejected),
        "documents": warehouse.rows_to_frame("documents", documents),
        "regions": warehouse.rows_to_frame("regions", Gazetteer().regions()),
        "sections": extraction["sections"],
        "sentences": extraction["sentences"],
        "mentions": extraction["mentions"],
        "facts": warehouse.with_fact_ids(extraction["facts"]),
        **derived,
        "reference_gdp": reference_gdp_frame(settings),
        "build_info": pl.DataFrame(
            {"key": ["extractor_version", "raw_dir"], "value": [extractor_version(), str(settings.raw_path)]}
        ),
    }

    def fill(con):
        warehouse.create_tables(con, tables)
        derive.apply_views(con)
        # The checks run on the finished tables before publishing, so the file carries its own verdicts.
        warehouse.create_tables(con, {"check_results": check_results_frame(quality.run_checks(con))})
        derive.apply_comments(con)

    with warehouse.single_writer(settings.warehouse_path):
        warehouse.publish(settings.warehouse_path, fill)
    context.log.info(f"published {settings.warehouse_path}")
    return dg.MaterializeResult(
        metadata={"path": str(settings.warehouse_path), **{t: f.height for t, f in tables.items()}}
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
        with ProcessPoolExecutor(max_workers=workers) as pool:
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
