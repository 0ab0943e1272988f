"""The data-quality checks of pipelines.quality as Dagster asset checks, reading the published warehouse.

The checks themselves run inside the build, on the finished tables before publishing, and their verdicts are stored in
`check_results`; each asset check reports its row, so the UI, the CLI summary and SQL readers see the same verdicts.
"""

import json

import dagster as dg
import duckdb

from pipelines import quality
from pipelines.defs.assets import extraction, warehouse_file
from pipelines.defs.resources import BuildSettings


# Each check sits on the asset whose rows it judges, so the UI shows a failure where the data went wrong. The verdict
# is read from the published warehouse, so every check also waits for warehouse_file (the checks of the derived
# tables sit on it: those tables are made inside the warehouse, not by an asset of their own). A new check in
# pipelines.quality needs a line here (a KeyError at import says so).
CHECKED_ASSET = {
    "raw_files_accounted_for": extraction,  # raw_files, documents, rejected_files
    "fact_spans_hold_their_number": extraction,  # facts against their sentences
    "levels_positive": extraction,  # facts
    "shares_within_0_100": warehouse_file,  # facts and derived_metrics (derived inside the warehouse)
    "stated_shares_match_recomputed": warehouse_file,  # facts_resolved
}


def _asset_check(name: str, description: str) -> dg.AssetChecksDefinition:
    asset = CHECKED_ASSET[name]
    after = [] if asset is warehouse_file else [warehouse_file]

    @dg.asset_check(asset=asset, additional_deps=after, name=name, description=description)
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
