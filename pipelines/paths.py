"""Where things are by default, without importing Dagster: the bundled sample corpus and the warehouse `make build`
leaves (`pipelines.read` opens it for analysts; the Dagster resource and the CLI default to it)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO / "sample_corpus" / "reports"
DEFAULT_WAREHOUSE = REPO / "warehouse" / "zhibiao.duckdb"
