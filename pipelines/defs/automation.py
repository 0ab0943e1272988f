"""What starts a build unattended: a sensor that notices new, changed or deleted raw files, and a daily schedule."""

import hashlib
import os

import dagster as dg

from pipelines.defs.resources import BuildSettings

# The tag lets dagster.yaml queue a second build until the first has published (the warehouse has one writer); runs
# launched from the UI without this job (e.g. "Materialize all") are queued too, by the instance's limit of one run.
build_job = dg.define_asset_job(
    "build_warehouse", selection=dg.AssetSelection.groups("warehouse"), description="Build the warehouse",
    tags={"zhibiao/warehouse": "build"},
)

# Both run as soon as the Dagster daemon does (`dagster dev` starts one): the project is meant to run unattended.
# The reports are Chinese, and so are their readers: the build runs at 06:00 China time, whatever the host's zone.
daily_build = dg.ScheduleDefinition(
    job=build_job, cron_schedule="0 6 * * *", execution_timezone="Asia/Shanghai", name="daily_build",
    description="Builds the warehouse every day at 06:00 Asia/Shanghai (China Standard Time)",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


def folder_fingerprint(raw_dir: str) -> str:
    """Changes whenever a file under the folder is added, removed, renamed, resized or rewritten."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(raw_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                stat = os.lstat(path)
            except OSError:
                continue  # vanished between listing and stat: the next tick sees the folder as it is
            digest.update(f"{os.path.relpath(path, raw_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(job=build_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_folder_sensor(context: dg.SensorEvaluationContext, settings: BuildSettings):
    """Requests a build when the raw folder's contents changed since the last request."""
    fingerprint = folder_fingerprint(settings.raw_dir)
    if fingerprint == context.cursor:
        return dg.SkipReason("raw folder unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)
