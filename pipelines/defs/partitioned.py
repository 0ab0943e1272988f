"""The build in partitions (pipelines.partitions) as Dagster assets: `extraction_parts`, one partition per key, which
an executor or a backfill spreads over processes or machines, and `published_warehouse`, which assembles them all.
A sensor requests only the partitions whose files changed."""

import hashlib
import json
import os

import dagster as dg

from pipelines import build, partitions, warehouse
from pipelines.defs.resources import BuildSettings

GROUP = "partitioned"
PARTITIONS = dg.StaticPartitionsDefinition(list(partitions.KEYS))


@dg.asset(group_name=GROUP, kinds={"parquet"}, partitions_def=PARTITIONS)
def extraction_parts(context: dg.AssetExecutionContext, settings: BuildSettings) -> dg.MaterializeResult:
    """The rows of each partition's files, as Parquet in its own folder (a rerun replaces them). A backfill runs one
    partition per run by default, spread by the run launcher; a run over a range of keys extracts them in turn."""
    documents = sum(partitions.extract_partition(settings.raw_path, key, settings.parts_path, settings.max_file_bytes)
                    for key in context.partition_keys)
    return dg.MaterializeResult(metadata={"documents": documents})


# Eager: published once every partition requested with it has its rows (none of them still in progress).
@dg.asset(group_name=GROUP, kinds={"duckdb"}, deps=[extraction_parts],
          automation_condition=dg.AutomationCondition.eager())
def published_warehouse(context: dg.AssetExecutionContext, settings: BuildSettings) -> dg.MaterializeResult:
    """The warehouse assembled from every partition's rows, derived, checked and published by atomic replace."""
    warehouse.check_target(settings.warehouse_path, force=settings.force)
    partitions.publish_parts(settings.parts_path, settings.warehouse_path, build.reference_gdp(settings.reference_gdp),
                             settings.raw_path)
    context.log.info(f"published {settings.warehouse_path}")
    return dg.MaterializeResult(metadata={"path": str(settings.warehouse_path),
                                          **build.published_counts(settings.warehouse_path)})


extract_parts_job = dg.define_asset_job("extract_parts", selection=[extraction_parts], tags={"zhibiao/warehouse": "parts"})
publish_parts_job = dg.define_asset_job("publish_parts", selection=[published_warehouse],
                                        tags={"zhibiao/warehouse": "build"})


def partition_fingerprints(raw_dir: str) -> dict[str, str]:
    """Per partition, a digest of its files' names, sizes and modification times: it changes when one of its
    files is added, removed, renamed, resized or rewritten. Read from the listing alone."""
    digests = {key: hashlib.sha256() for key in partitions.KEYS}
    for root, dirs, files in os.walk(raw_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                stat = os.lstat(path)
            except OSError:
                continue  # vanished between listing and stat: the next tick sees the folder as it is
            relative = os.path.relpath(path, raw_dir).replace(os.sep, "/")
            digests[partitions.partition_of(relative)].update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return {key: digest.hexdigest() for key, digest in digests.items()}


@dg.sensor(job=extract_parts_job, minimum_interval_seconds=60)
def changed_partitions_sensor(context: dg.SensorEvaluationContext, settings: BuildSettings):
    """Requests the extraction of each partition whose files changed since the last request; `published_warehouse`
    follows once they have run (its automation condition). The cursor holds each partition's fingerprint."""
    before = json.loads(context.cursor) if context.cursor else {}
    now = partition_fingerprints(settings.raw_dir)
    changed = [key for key in partitions.KEYS if before.get(key) != now[key]]
    if not changed:
        return dg.SkipReason("no partition's files changed")
    return dg.SensorResult(run_requests=[dg.RunRequest(partition_key=key, run_key=f"{key}:{now[key]}")
                                         for key in changed], cursor=json.dumps(now, sort_keys=True))
