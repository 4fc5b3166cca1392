"""floe sensors -> Dagster sensors, all running by default, each with its poll interval.

- file_watcher: new files in a local folder whose names match a glob; the cursor remembers
  each file with its modification time, so a file triggers one run (again only if rewritten).
- asset_sensor: a new materialization of any watched asset triggers one run; the cursor holds
  the last materialization seen per asset.
- run_status: a watched job's run reaching SUCCESS / FAILURE / STARTED triggers one run,
  tagged with the run that caused it (``floe/trigger_run_id``, ``floe/trigger_job``).
- custom: a user function returns run requests, a skip reason, True/False or None.

For a partitioned job a request targets the triggering partition when it belongs to the
job's partitions, else the latest complete partition.
"""

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.instance import DynamicPartitionsStore

from floe_core.globs import glob_match
from floe_core.models import AssetSensor, CustomSensor, FileWatcherSensor, RunStatusSensor
from floe_runtime.calls import PreparedCall
from floe_runtime.jobs import JobTarget
from floe_runtime.partition_keys import latest_key

RUN_STATUS = {
    "SUCCESS": dg.DagsterRunStatus.SUCCESS,
    "FAILURE": dg.DagsterRunStatus.FAILURE,
    "STARTED": dg.DagsterRunStatus.STARTED,
}


def _partition_for(
    partitions_def: dg.PartitionsDefinition | None,
    candidate: str | None,
    store: DynamicPartitionsStore,
    now: datetime | None = None,
) -> str | None:
    if partitions_def is None:
        return None
    with dg.partition_loading_context(effective_dt=now, dynamic_partitions_store=store):
        if candidate is not None and partitions_def.has_partition_key(candidate):
            return candidate
    return latest_key(partitions_def, now, store)


def file_watcher(
    name: str,
    config: FileWatcherSensor,
    job: JobTarget,
    partitions_def: dg.PartitionsDefinition | None,
    folder: Path,
) -> dg.SensorDefinition:
    """Runs the job once per new (or rewritten) matching file under ``folder``."""

    @dg.sensor(
        name=name,
        job=job,
        minimum_interval_seconds=config.poll_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=config.description
        or f"Runs '{job.name}' for each new file matching '{config.pattern}' in {folder}.",
    )
    def _watch(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        if not folder.exists():
            return dg.SkipReason(f"{folder} does not exist")
        seen: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
        current = {str(path): path.stat().st_mtime_ns for path in _matching(folder, config)}
        fresh = [path for path, stamp in current.items() if seen.get(path) != stamp]
        if not fresh:
            return dg.SkipReason(f"no new file matching '{config.pattern}' in {folder}")
        partition = _partition_for(partitions_def, None, context.instance)
        requests = [
            dg.RunRequest(
                run_key=f"{path}@{current[path]}",
                partition_key=partition,
                tags={"floe/file": path},
            )
            for path in sorted(fresh)
        ]
        return dg.SensorResult(run_requests=requests, cursor=json.dumps(current))

    return _watch


def _matching(folder: Path, config: FileWatcherSensor) -> Iterable[Path]:
    if folder.is_file():
        return [folder]
    return (p for p in folder.iterdir() if p.is_file() and glob_match(config.pattern, p.name))


def asset_sensor(
    name: str,
    config: AssetSensor,
    job: JobTarget,
    partitions_def: dg.PartitionsDefinition | None,
) -> dg.SensorDefinition:
    """Runs the job when any watched asset has a materialization the cursor has not seen."""
    keys = [dg.AssetKey.from_user_string(asset) for asset in config.watched_assets]

    @dg.sensor(
        name=name,
        job=job,
        minimum_interval_seconds=config.poll_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=config.description
        or f"Runs '{job.name}' when {', '.join(config.watched_assets)} is materialized.",
    )
    def _watch(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        seen: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
        latest: dict[str, int] = dict(seen)
        partition: str | None = None
        for key in keys:
            records = context.instance.fetch_materializations(key, limit=1).records
            if records and records[0].storage_id > seen.get(key.to_user_string(), -1):
                latest[key.to_user_string()] = records[0].storage_id
                partition = partition or records[0].partition_key
        if latest == seen:
            return dg.SkipReason("no new materialization of the watched assets")
        request = dg.RunRequest(
            run_key=json.dumps(latest, sort_keys=True),
            partition_key=_partition_for(partitions_def, partition, context.instance),
        )
        return dg.SensorResult(run_requests=[request], cursor=json.dumps(latest))

    return _watch


def run_status(
    name: str,
    config: RunStatusSensor,
    job: JobTarget,
    partitions_def: dg.PartitionsDefinition | None,
    watched: list[JobTarget],
) -> dg.SensorDefinition:
    """Runs the job when a run of a watched job reaches the status."""

    @dg.run_status_sensor(
        run_status=RUN_STATUS[config.status],
        name=name,
        monitored_jobs=watched,
        request_job=job,
        minimum_interval_seconds=config.poll_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=config.description
        or f"Runs '{job.name}' when {', '.join(config.watched_jobs)} reach {config.status}.",
    )
    def _react(context: dg.RunStatusSensorContext) -> dg.RunRequest:
        run = context.dagster_run
        return dg.RunRequest(
            run_key=f"{run.run_id}:{config.status}",
            partition_key=_partition_for(
                partitions_def, run.tags.get("dagster/partition"), context.instance
            ),
            tags={"floe/trigger_run_id": run.run_id, "floe/trigger_job": run.job_name},
        )

    return _react


def custom(
    name: str,
    config: CustomSensor,
    job: JobTarget,
    partitions_def: dg.PartitionsDefinition | None,
    call: PreparedCall,
) -> dg.SensorDefinition:
    """Runs the job on whatever the user function decides."""

    @dg.sensor(
        name=name,
        job=job,
        minimum_interval_seconds=config.poll_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=config.description
        or f"Runs '{job.name}' when {config.target_function} says so.",
    )
    def _custom(context: dg.SensorEvaluationContext) -> Any:
        result = call(context, context.resources)
        if result is None or result is False:
            return dg.SkipReason(f"{config.target_function} returned {result!r}")
        if isinstance(result, str):
            return dg.SkipReason(result)
        if result is True:
            return dg.RunRequest(
                partition_key=_partition_for(partitions_def, None, context.instance)
            )
        return result

    return _custom
