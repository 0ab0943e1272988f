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
        "documents": ["raw_sources"],
        "extraction": ["documents", "raw_sources"],
        "derived": ["documents", "extraction"],
        "warehouse_file": ["derived", "documents", "extraction", "raw_sources"],
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
    assert defs.resolve_job_def("build_warehouse") is not None


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
