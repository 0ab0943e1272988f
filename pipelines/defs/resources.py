"""Where a build reads and writes: one resource shared by the assets, the sensor and the CLI."""

import os
from pathlib import Path

import dagster as dg

from pipelines.paths import DEFAULT_WAREHOUSE, SAMPLE_CORPUS


class BuildSettings(dg.ConfigurableResource):
    """Paths and switches of a build. `dagster dev` takes them from ZHIBIAO_* environment variables."""

    raw_dir: str = os.environ.get("ZHIBIAO_RAW_DIR", str(SAMPLE_CORPUS))
    warehouse: str = os.environ.get("ZHIBIAO_WAREHOUSE", str(DEFAULT_WAREHOUSE))
    reference_gdp: str = os.environ.get("ZHIBIAO_REFERENCE_GDP", "")
    full: bool = False
    max_file_bytes: int = 50_000_000
    workers: int = 0  # 0: one process per core for large batches
    force: bool = False  # replace the target even if it is not a warehouse zhibiao wrote
    # where the partitioned build keeps each partition's rows; on a cluster, storage every step can reach
    parts_dir: str = os.environ.get("ZHIBIAO_PARTS_DIR", "")

    @property
    def parts_path(self) -> Path:
        """The parts folder: as set, or beside the warehouse."""
        return Path(self.parts_dir) if self.parts_dir else Path(f"{self.warehouse}.parts")

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir)

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse)
