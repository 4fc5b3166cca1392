"""Success and failure hooks that observe Python asset steps.

Dagster calls a hook when a step ends; the hook looks up when the step started in the run's
event log and records, for each asset of the step, a span from start to end and an
OpenLineage START (timed at the step's start) then COMPLETE or FAIL. dbt assets get no hooks:
they observe each model themselves while ``dbt build`` runs.
"""

import time
from collections.abc import Mapping

import dagster as dg

from floe_runtime.observability.catalog import LineageCatalog
from floe_runtime.observability.observer import AssetObserver
from floe_runtime.observability.settings import ObservabilitySettings

PARTITION_TAG = "dagster/partition"
RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")


def _step_start_ns(context: dg.HookContext) -> int:
    records = context.instance.get_records_for_run(
        context.run_id, of_type=dg.DagsterEventType.STEP_START
    ).records
    for record in records:
        if record.event_log_entry.step_key == context.step_key:
            return int(record.event_log_entry.timestamp * 1_000_000_000)
    return time.time_ns()


def _partition(tags: Mapping[str, str]) -> str | None:
    if PARTITION_TAG in tags:
        return tags[PARTITION_TAG]
    start, end = (tags.get(tag) for tag in RANGE_TAGS)
    return f"{start}...{end}" if start and end else None


def _observe(
    context: dg.HookContext,
    settings: ObservabilitySettings,
    catalog: LineageCatalog,
    keys: tuple[dg.AssetKey, ...],
    error: str | None,
) -> None:
    observer = AssetObserver(settings, catalog)
    if not observer.active:
        return
    run = context.instance.get_run_by_id(context.run_id)
    partition = _partition(run.tags) if run is not None else None
    start_ns = _step_start_ns(context)
    for key in keys:
        observation = observer.start(
            key, "asset", context.run_id, partition=partition, start_ns=start_ns
        )
        observer.finish(observation, error)
    observer.close()


def observability_hooks(
    settings: ObservabilitySettings, catalog: LineageCatalog, keys: tuple[dg.AssetKey, ...]
) -> set[dg.HookDefinition]:
    """The pair of hooks observing the step of the assets ``keys``."""
    if not (settings.traces or settings.lineage):
        return set()

    @dg.success_hook(name="floe_observe_success")
    def _succeeded(context: dg.HookContext) -> None:
        _observe(context, settings, catalog, keys, None)

    @dg.failure_hook(name="floe_observe_failure")
    def _failed(context: dg.HookContext) -> None:
        error = context.op_exception
        _observe(context, settings, catalog, keys, str(error) if error else "step failed")

    return {_succeeded, _failed}
