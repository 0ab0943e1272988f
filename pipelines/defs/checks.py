"""The data-quality checks of pipelines.quality as Dagster asset checks on the published warehouse.

The checks themselves run inside the build, on the finished tables before publishing, and their verdicts are stored in
`check_results`; each asset check reports its row, so the UI, the CLI summary and SQL readers see the same verdicts.
"""

import json

import dagster as dg
import duckdb

from pipelines import quality
from pipelines.defs.assets import warehouse_file
from pipelines.defs.resources import BuildSettings


def _asset_check(name: str, description: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=warehouse_file, name=name, description=description)
    def _report(settings: BuildSettings) -> dg.AssetCheckResult:
        con = duckdb.connect(settings.warehouse, read_only=True)
        try:
            rows = con.execute(
                "SELECT passed, severity, description, failing_rows, sample FROM check_results WHERE name = ?", [name]
            ).fetchall()
        finally:
            con.close()
        if not rows:
            return dg.AssetCheckResult(passed=False, description=f"{name} has no verdict in check_results")
        passed, severity, text, failing_rows, sample = rows[0]
        return dg.AssetCheckResult(
            passed=passed,
            severity=dg.AssetCheckSeverity.ERROR if severity == "error" else dg.AssetCheckSeverity.WARN,
            description=text,
            metadata={"failing_rows": failing_rows, "sample": dg.MetadataValue.json(json.loads(sample))},
        )

    return _report


warehouse_checks = [_asset_check(check.__name__, (check.__doc__ or "").strip()) for check in quality.CHECKS]
