"""Shared test fixtures.

Tests that read the development corpus in ../shared skip with a visible reason where it is absent (a user's own
clone); under CI=true its absence is an error, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS_DIR = SHARED / "seeds"
REFERENCE_GDP = SHARED / "reference" / "city_gdp.csv"
SAMPLE_CORPUS = REPO / "sample_corpus" / "reports"


def _require_shared(path: Path) -> Path:
    if path.exists():
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{path} is missing, and under CI=true the shared corpus must be present")
    pytest.skip(f"{path} is absent (a clone without ../shared): seed tests skipped")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _require_shared(SEEDS_DIR)


@pytest.fixture(scope="session")
def reference_gdp_csv() -> Path:
    return _require_shared(REFERENCE_GDP)


def seed_path(seeds_dir: Path, prefix: str) -> Path:
    """The seed file whose name starts with `prefix` ("000", "004" ...)."""
    (match,) = sorted(seeds_dir.glob(f"{prefix}_*"))
    return match


@pytest.fixture(scope="session")
def seeds_warehouse(seeds_dir: Path, reference_gdp_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds built once per test session through the real command, with the reference GDP loaded."""
    from pipelines.cli import main

    target = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    code = main(["build", "--raw-dir", str(seeds_dir), "--warehouse", str(target), "--gdp", str(reference_gdp_csv)])
    assert code == 0
    return target


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample corpus built once per test session, with the example GDP file, as `make build` does."""
    from pipelines.cli import main
    from pipelines.derive import EXAMPLE_GDP

    target = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    assert main(["build", "--raw-dir", str(SAMPLE_CORPUS), "--warehouse", str(target), "--gdp", str(EXAMPLE_GDP)]) == 0
    return target
