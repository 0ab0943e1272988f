"""The pipeline as Dagster assets: one asset per stage, each a thin call into pipelines.build, which holds what a
build decides (what to reuse, what is new, changed, renamed or retired, how a snapshot is published).

No `from __future__ import annotations` in this package: Dagster reads the annotations at definition time to inject
resources and the context.
"""

import dagster as dg

from pipelines import build, warehouse
from pipelines.build import Plan, Staged
from pipelines.defs.resources import BuildSettings

# One group: the three stages are one pipeline, read in one lineage graph. The metadata keys `files`, `documents`,
# `facts` and `rejected` mean the same on every asset that reports them, so the UI's charts of a key line up.
GROUP = "warehouse"


@dg.asset(group_name=GROUP, kinds={"python"})
def raw_sources(context: dg.AssetExecutionContext, settings: BuildSettings) -> Plan:
    """What the build starts from: the raw folder, and the published warehouse whose unchanged files (same size and
    modification time) are not read again, unless the build is `full`."""
    # Before the slow work: a target this build must not replace fails the run now, not after extraction.
    warehouse.check_target(settings.warehouse_path, force=settings.force)
    context.log.info(f"reading {settings.raw_path}")
    plan = build.plan_build(settings.raw_path, settings.warehouse_path, settings.max_file_bytes, settings.full,
                            settings.reference_gdp)
    context.add_output_metadata({"incremental": plan.previous is not None})
    return plan


@dg.asset(group_name=GROUP, kinds={"python", "duckdb"})
def extraction(context: dg.AssetExecutionContext, settings: BuildSettings, raw_sources: Plan) -> Staged:
    """Every file read, one report per document, and the sections, sentences, mentions and facts of every new
    document, streamed in batches into the staging file; documents of unchanged files are kept from the published
    warehouse, and those no file holds any more are retired."""
    staged = build.stage(raw_sources, settings.workers, context.log.info)
    context.add_output_metadata({"files": staged.files, "texts read": len(staged.read), "rejected": len(staged.rejected),
                                 "documents": staged.documents, "extracted": len(staged.new),
                                 "reused": len(staged.kept), "facts": staged.facts})
    return staged


@dg.asset(group_name=GROUP, kinds={"duckdb"})
def warehouse_file(
    context: dg.AssetExecutionContext, raw_sources: Plan, extraction: Staged
) -> dg.MaterializeResult:
    """The finished DuckDB warehouse, published by atomic replace: every stage's rows, the resolved facts, their
    sources and the derived metrics (computed inside DuckDB from all facts), views and check verdicts."""
    build.publish(raw_sources, extraction)
    context.log.info(f"published {raw_sources.target}")
    counts = build.published_counts(raw_sources.target)  # read back, as the CLI summary is
    return dg.MaterializeResult(metadata={"path": str(raw_sources.target), **counts})
