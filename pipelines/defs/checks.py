"""The data-quality checks of pipelines.quality as Dagster asset checks on the published warehouse."""



from collections.abc import Callable

import dagster as dg
import duckdb

from pipelines import quality
from pipelines.defs.assets import warehouse_file
from pipelines.defs.resources import BuildSettings


def _asset_check(check: Callable[[duckdb.DuckDBPyConnection], quality.CheckResult]) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=warehouse_file, name=check.__name__, description=(check.__doc__ or "").strip())
    def _run(settings: BuildSettings) -> dg.AssetCheckResult:
        con = duckdb.connect(settings.warehouse, read_only=True)
        try:
            result = check(con)
        finally:
            con.close()
        return dg.AssetCheckResult(
            passed=result.passed,
            severity=dg.AssetCheckSeverity.ERROR if result.severity == "error" else dg.AssetCheckSeverity.WARN,
            description=result.description,
            metadata={"failing_rows": result.failing_rows, "sample": dg.MetadataValue.json(result.sample)},
        )

    return _run


warehouse_checks = [_asset_check(check) for check in quality.CHECKS]
