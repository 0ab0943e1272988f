"""The build in partitions (pipelines.partitions, pipelines/defs/partitioned.py): a backfill of every partition
under the multiprocess executor, then the publish, gives the warehouse `zhibiao build` gives, table by table."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pytest
from warehouse_rows import rows

from pipelines import build, partitions
from tests.conftest import REPO, SAMPLE_CORPUS

TABLES = "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"


def _folder(tmp_path: Path) -> Path:
    """The sample corpus, plus a copy of one report in another partition under a name that comes first: one text in
    two partitions, named by the copy."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_CORPUS, raw)
    report = sorted(p for p in raw.iterdir() if p.suffix != ".md")[0]
    copy = next(name for name in (f"00copy{n}.txt" for n in range(100))
                if partitions.partition_of(name) != partitions.partition_of(report.name))
    assert copy < report.name
    shutil.copy(report, raw / copy)
    return raw


def _full_build(raw: Path, target: Path) -> None:
    plan = build.plan_build(raw, target, 50_000_000, full=True)
    build.publish(plan, build.stage(plan, workers=1, log=lambda message: None))


def _same_tables(expected: Path, actual: Path) -> None:
    tables = [t for (t,) in rows(expected, TABLES)]
    assert [t for (t,) in rows(actual, TABLES)] == tables
    for table in tables:
        want = sorted(map(repr, rows(expected, f'SELECT * FROM "{table}"')))
        assert sorted(map(repr, rows(actual, f'SELECT * FROM "{table}"'))) == want, table


def test_a_file_s_partition_is_the_first_hex_digit_of_its_name_s_hash():
    assert partitions.partition_of("a/报告.txt") == "8"  # sha256("a/报告.txt") = 8143…
    assert {partitions.partition_of(f"r{n}.txt") for n in range(200)} == set(partitions.KEYS)


def test_a_backfill_under_the_multiprocess_executor_publishes_what_zhibiao_build_does(tmp_path, monkeypatch):
    from dagster._core.definitions.reconstruct import ReconstructableRepository

    raw = _folder(tmp_path)
    _full_build(raw, tmp_path / "full.duckdb")
    monkeypatch.setenv("ZHIBIAO_RAW_DIR", str(raw))
    monkeypatch.setenv("ZHIBIAO_WAREHOUSE", str(tmp_path / "parts.duckdb"))
    home = tmp_path / "dagster_home"
    home.mkdir()
    repository = ReconstructableRepository.for_module("pipelines.definitions", "defs", working_directory=str(REPO))
    with dg.DagsterInstance.local_temp(str(home)) as instance:
        # every partition in one run (a single-run backfill), its step in a process of its own
        extracted = dg.execute_job(repository.get_reconstructable_job("extract_parts"), instance=instance, tags={
            "dagster/asset_partition_range_start": partitions.KEYS[0],
            "dagster/asset_partition_range_end": partitions.KEYS[-1]})
        assert extracted.success
        assert dg.execute_job(repository.get_reconstructable_job("publish_parts"), instance=instance).success
    _same_tables(tmp_path / "full.duckdb", tmp_path / "parts.duckdb")


def test_a_rerun_of_a_partition_replaces_its_parts(tmp_path):
    raw = _folder(tmp_path)
    parts = tmp_path / "parts"
    for key in partitions.KEYS:
        partitions.extract_partition(raw, key, parts)
    key = partitions.partition_of(sorted(p.name for p in raw.iterdir() if p.suffix != ".md")[0])
    partitions.extract_partition(raw, key, parts)  # again: its rows replace its own
    assert sorted(p.name for p in parts.iterdir()) == [f"key={k}" for k in partitions.KEYS]  # nothing left aside
    partitions.publish_parts(parts, tmp_path / "parts.duckdb", build.reference_gdp(""), raw)
    _full_build(raw, tmp_path / "full.duckdb")
    _same_tables(tmp_path / "full.duckdb", tmp_path / "parts.duckdb")


def test_publish_refuses_while_a_partition_has_no_rows(tmp_path):
    raw = _folder(tmp_path)
    partitions.extract_partition(raw, "0", tmp_path / "parts")
    with pytest.raises(FileNotFoundError, match="extract them first"):
        partitions.publish_parts(tmp_path / "parts", tmp_path / "w.duckdb", build.reference_gdp(""), raw)
    assert not (tmp_path / "w.duckdb").exists()


def test_the_sensor_requests_only_the_partitions_whose_files_changed(tmp_path):
    from pipelines.defs.partitioned import changed_partitions_sensor
    from pipelines.defs.resources import BuildSettings

    for n in range(40):
        (tmp_path / f"r{n}.txt").write_text(f"报告{n}", encoding="utf-8")
    settings = BuildSettings(raw_dir=str(tmp_path))

    def tick(cursor):
        return changed_partitions_sensor(dg.build_sensor_context(cursor=cursor, resources={"settings": settings}))

    first = tick(None)
    assert sorted(r.partition_key for r in first.run_requests) == list(partitions.KEYS)
    assert isinstance(tick(first.cursor), dg.SkipReason)
    (tmp_path / "r3.txt").write_text("改过的报告", encoding="utf-8")
    os.remove(tmp_path / "r7.txt")
    changed = tick(first.cursor)
    assert sorted(r.partition_key for r in changed.run_requests) == sorted(
        {partitions.partition_of("r3.txt"), partitions.partition_of("r7.txt")})
