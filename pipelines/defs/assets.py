"""The pipeline as Dagster assets: one asset per stage, each a thin call into pipelines.build, which holds what a
build decides (what to reuse, what is new, changed, renamed or retired, how a snapshot is published).

No `from __future__ import annotations` in this package: Dagster reads the annotations at definition time to inject
resources and the context.
"""

import dagster as dg

from pipelines import build, warehouse
from pipelines.build import DocumentSet, Extraction, Ingested
from pipelines.regions import Gazetteer
from pipelines.defs.resources import BuildSettings

# One group: the four stages are one pipeline, read in one lineage graph. The metadata keys `files`, `documents`,
# `facts` and `rejected` mean the same on every asset that reports them, so the UI's charts of a key line up.
GROUP = "warehouse"


@dg.asset(group_name=GROUP, kinds={"python"})
def raw_sources(context: dg.AssetExecutionContext, settings: BuildSettings) -> Ingested:
    """Every file under the raw folder, decoded and normalised, or rejected with its reason. Files unchanged since
    the published build (same size and modification time) are not read again, unless the build is `full`."""
    # Before the slow work: a target this build must not replace fails the run now, not after extraction.
    warehouse.check_target(settings.warehouse_path, force=settings.force)
    context.log.info(f"reading {settings.raw_path}")
    previous = build.previous_build(settings.warehouse_path, settings.full)
    ingested = build.read_sources(settings.raw_path, settings.warehouse_path, settings.max_file_bytes, previous)
    context.add_output_metadata(
        {"files": len(ingested.raw_files), "texts read": len(ingested.sources), "rejected": len(ingested.rejected)}
    )
    return ingested


@dg.asset(group_name=GROUP, kinds={"python"})
def documents(context: dg.AssetExecutionContext, raw_sources: Ingested) -> DocumentSet:
    """One document per report: metadata, region, and the parts of a compilation. The documents of a text the
    published warehouse already holds are kept from it, under the file names that hold the text now."""
    planned = build.plan_documents(raw_sources, Gazetteer())
    context.add_output_metadata({"documents": planned.table.height, "new": len(planned.new), "kept": planned.kept.height})
    return planned


@dg.asset(group_name=GROUP, kinds={"python"})
def extraction(
    context: dg.AssetExecutionContext, settings: BuildSettings, raw_sources: Ingested, documents: DocumentSet
) -> Extraction:
    """Sections, sentences, mentions and facts of every new document; the rows of kept documents stay in the
    published warehouse and are copied, database to database, when publishing."""
    reused = documents.kept.height
    context.log.info(f"extracting {len(documents.new)} documents, reusing {reused} unchanged")
    extracted = build.extract_documents(documents, raw_sources.previous, settings.workers, context.log.info)
    context.add_output_metadata({"documents": documents.table.height, "extracted": len(documents.new), "reused": reused,
                                 "facts": extracted.facts})
    return extracted


@dg.asset(group_name=GROUP, kinds={"duckdb"})
def warehouse_file(
    context: dg.AssetExecutionContext,
    settings: BuildSettings,
    raw_sources: Ingested,
    documents: DocumentSet,
    extraction: Extraction,
) -> dg.MaterializeResult:
    """The finished DuckDB warehouse, published by atomic replace: every stage's rows, the resolved facts, their
    sources and the derived metrics (computed inside DuckDB from all facts), views and check verdicts."""
    build.publish(settings.warehouse_path, settings.raw_path, raw_sources, documents, extraction,
                  build.reference_gdp(settings.reference_gdp))
    context.log.info(f"published {settings.warehouse_path}")
    counts = build.published_counts(settings.warehouse_path)  # read back, as the CLI summary is
    return dg.MaterializeResult(metadata={"path": str(settings.warehouse_path), **counts})
