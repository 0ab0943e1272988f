"""The Dagster code location: `dagster dev` from the repository root shows these assets."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.assets import extraction, raw_sources, warehouse_file
from pipelines.defs.automation import build_job, daily_build, raw_folder_sensor
from pipelines.defs.checks import warehouse_checks
from pipelines.defs.partitioned import (changed_partitions_sensor, extract_parts_job, extraction_parts,
                                        publish_parts_job, published_warehouse)
from pipelines.defs.resources import BuildSettings

ASSETS = [raw_sources, extraction, warehouse_file]  # what `zhibiao build` materializes, in-process
PARTITIONED_ASSETS = [extraction_parts, published_warehouse]

defs = dg.Definitions(
    assets=[*ASSETS, *PARTITIONED_ASSETS],
    asset_checks=warehouse_checks,
    jobs=[build_job, extract_parts_job, publish_parts_job],
    schedules=[daily_build],
    sensors=[raw_folder_sensor, changed_partitions_sensor],
    resources={"settings": BuildSettings()},
    executor=dg.multiprocess_executor,
)
