"""The Dagster code location as a whole: a change to the asset graph, checks or automation shows up here in review."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs


def test_the_asset_graph_is_one_stage_after_another():
    graph = defs.resolve_asset_graph()
    deps = {
        key.to_user_string(): sorted(p.to_user_string() for p in graph.get(key).parent_keys)
        for key in graph.get_all_asset_keys()
    }
    assert deps == {
        "raw_sources": [],
        "extraction": ["raw_sources"],
        "warehouse_file": ["extraction", "raw_sources"],
        "extraction_parts": [],
        "published_warehouse": ["extraction_parts"],
    }


def test_checks_sensor_schedule_and_job_are_defined():
    graph = defs.resolve_asset_graph()
    checks = sorted(key.name for key in graph.asset_check_keys)
    assert checks == [
        "fact_spans_hold_their_number",
        "levels_positive",
        "raw_files_accounted_for",
        "shares_within_0_100",
        "stated_shares_match_recomputed",
    ]
    assert defs.resolve_sensor_def("raw_folder_sensor").job_name == "build_warehouse"
    assert defs.resolve_schedule_def("daily_build").cron_schedule == "0 6 * * *"
    assert defs.resolve_job_def("build_warehouse").tags["zhibiao/warehouse"] == "build"  # queued one at a time


def test_the_schedule_runs_at_six_in_china_and_says_so():
    schedule = defs.resolve_schedule_def("daily_build")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 6 * * *", "Asia/Shanghai")
    assert "06:00 Asia/Shanghai" in schedule.description


def test_the_instance_queues_every_run_one_at_a_time_and_sends_no_telemetry():
    """A run launched from the UI's asset graph carries no job tags: the instance-wide limit queues it too."""
    import yaml
    from dagster._core.instance.config import dagster_instance_config
    from dagster._serdes import ConfigurableClassData

    from tests.conftest import REPO

    config, _ = dagster_instance_config(str(REPO))  # validated as `dagster dev` reads it
    assert config["telemetry"] == {"enabled": False}
    coordinator = config["run_coordinator"]
    queue = ConfigurableClassData(coordinator["module"], coordinator["class"], yaml.safe_dump(coordinator["config"]))
    limits = queue.rehydrate(as_type=object).get_run_queue_config()
    assert limits.max_concurrent_runs == 1
    job_tags = defs.resolve_job_def("build_warehouse").tags
    assert [limit for limit in limits.tag_concurrency_limits if limit["key"] in job_tags] == [
        {"key": "zhibiao/warehouse", "limit": 1}
    ]


def test_each_check_sits_on_the_asset_it_judges_and_runs_after_publishing():
    graph = defs.resolve_asset_graph()
    homes = {key.name: key.asset_key.to_user_string() for key in graph.asset_check_keys}
    assert homes == {
        "raw_files_accounted_for": "extraction",
        "fact_spans_hold_their_number": "extraction",
        "levels_positive": "extraction",
        "shares_within_0_100": "warehouse_file",
        "stated_shares_match_recomputed": "warehouse_file",
    }
    from pipelines.defs.checks import warehouse_checks

    for checks in warehouse_checks:  # the verdicts are read from the published file
        for spec in checks.check_specs:
            after = [dep.asset_key for dep in spec.additional_deps]
            assert after == ([] if spec.asset_key == dg.AssetKey("warehouse_file") else [dg.AssetKey("warehouse_file")])


def test_the_streaming_build_is_one_group_and_its_job_runs_it_alone():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert {name for name, group in groups.items() if group == "warehouse"} == {"raw_sources", "extraction",
                                                                                "warehouse_file"}
    assert defs.resolve_job_def("build_warehouse").asset_layer.executable_asset_keys == {
        dg.AssetKey(name) for name in ("raw_sources", "extraction", "warehouse_file")}


def test_the_sensor_requests_a_build_only_when_the_folder_changed(tmp_path):
    from pipelines.defs.automation import raw_folder_sensor
    from pipelines.defs.resources import BuildSettings

    (tmp_path / "a.txt").write_text("报告", encoding="utf-8")
    settings = BuildSettings(raw_dir=str(tmp_path))
    first = raw_folder_sensor(dg.build_sensor_context(cursor=None, resources={"settings": settings}))
    assert isinstance(first, dg.RunRequest)
    same = raw_folder_sensor(dg.build_sensor_context(cursor=first.run_key, resources={"settings": settings}))
    assert isinstance(same, dg.SkipReason)
    (tmp_path / "b.txt").write_text("新报告", encoding="utf-8")
    changed = raw_folder_sensor(dg.build_sensor_context(cursor=first.run_key, resources={"settings": settings}))
    assert isinstance(changed, dg.RunRequest) and changed.run_key != first.run_key


def test_a_scheduled_run_builds_the_warehouse_with_the_multiprocess_executor(tmp_path, monkeypatch):
    import duckdb

    from dagster._core.definitions.reconstruct import ReconstructableRepository

    from tests.conftest import REPO, SAMPLE_CORPUS

    target = tmp_path / "scheduled.duckdb"
    monkeypatch.setenv("ZHIBIAO_RAW_DIR", str(SAMPLE_CORPUS))
    monkeypatch.setenv("ZHIBIAO_WAREHOUSE", str(target))
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.DagsterInstance.local_temp(str(home)) as instance:
        # The job as a scheduled run gets it: rebuilt from the code location in each step's own process.
        repository = ReconstructableRepository.for_module("pipelines.definitions", "defs", working_directory=str(REPO))
        result = dg.execute_job(repository.get_reconstructable_job("build_warehouse"), instance=instance)
    assert result.success
    con = duckdb.connect(str(target), read_only=True)
    try:
        reports = [p for p in SAMPLE_CORPUS.iterdir() if p.suffix != ".md"]  # one report per file
        assert con.execute("SELECT count(*) FROM documents").fetchall()[0][0] == len(reports)
        assert con.execute("SELECT bool_and(passed) FROM check_results").fetchall()[0][0]
        facts = con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
        derived = con.execute("SELECT (SELECT count(*) FROM facts_resolved), count(*) FROM derived_metrics").fetchall()[0]
    finally:
        con.close()
    metadata = {
        event.asset_key.to_user_string(): {key: value.value for key, value in event.materialization.metadata.items()}
        for event in result.get_asset_materialization_events()
    }
    counts = {"files", "documents", "facts", "rejected"}
    assert counts <= metadata["warehouse_file"].keys()
    assert (metadata["warehouse_file"]["documents"], metadata["warehouse_file"]["facts"]) == (len(reports), facts)
    assert {"files", "rejected"} <= metadata["extraction"].keys()
    assert metadata["extraction"]["documents"] == len(reports)
    assert metadata["extraction"]["facts"] == facts
    assert (metadata["warehouse_file"]["resolved facts"], metadata["warehouse_file"]["derived metrics"]) == derived
    checks = {event.asset_check_key.name: event.passed for event in result.get_asset_check_evaluations()}
    assert len(checks) == 5 and all(checks.values())
