"""dbt models, seeds and snapshots as Dagster assets, observed per model.

``per_model`` (the default): dagster-dbt ``@dbt_assets`` make every model, seed and snapshot
its own asset and every dbt test an asset check; the body streams ``dbt build``'s structured
events, emitting an OpenLineage START at each node's start line and the span plus COMPLETE or
FAIL with its result line. Models whose asset patterns give them different partitions
are split into one ``@dbt_assets`` per partitions definition. ``job_level``: one asset runs
the whole ``dbt build`` and is observed as one unit.
"""

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_dbt.core.dbt_cli_event import DbtCliEventMessage

from floe_runtime.dbt_project import DbtProjectPaths, dbt_executable
from floe_runtime.dbt_translator import FloeDbtTranslator
from floe_runtime.observability import (
    AssetObserver,
    DatasetRef,
    LineageCatalog,
    ObservabilitySettings,
)
from floe_runtime.observability.observer import Observation

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
ASSET_RESOURCE_TYPES = frozenset({"model", "seed", "snapshot"})
SUCCESS_STATUSES = frozenset({"success", "pass", "warn"})
START_EVENTS = frozenset({"LogStartLine", "NodeStart"})
RESULT_EVENTS = frozenset({"LogModelResult", "LogSeedResult", "LogSnapshotResult", "NodeFinished"})


@dataclass(frozen=True)
class DbtAssetPlan:
    """What the dbt assets are built from."""

    manifest: Mapping[str, Any]
    translator: FloeDbtTranslator
    paths: DbtProjectPaths
    settings: ObservabilitySettings
    catalog: LineageCatalog


def dbt_resource(paths: DbtProjectPaths) -> DbtCliResource:
    """The ``dbt`` resource the dbt assets run with."""
    return DbtCliResource(
        project_dir=str(paths.project_dir),
        profiles_dir=str(paths.profiles_dir),
        target=paths.target,
        dbt_executable=dbt_executable(),
    )


def node_asset_keys(
    manifest: Mapping[str, Any], translator: FloeDbtTranslator
) -> dict[str, dg.AssetKey]:
    """Asset key of every model, seed and snapshot, by dbt unique_id."""
    return {
        unique_id: translator.get_asset_key(node)
        for unique_id, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") in ASSET_RESOURCE_TYPES
    }


def register_datasets(plan: DbtAssetPlan, namespace: str) -> None:
    """Name the warehouse relation of every dbt node and source in the catalog (a source
    mapped onto a Python asset names that asset's dataset: the table it writes)."""
    for node in (
        *plan.manifest.get("nodes", {}).values(),
        *plan.manifest.get("sources", {}).values(),
    ):
        if node.get("resource_type") not in ASSET_RESOURCE_TYPES | {"source"}:
            continue
        key = plan.translator.get_asset_key(node)
        relation = node.get("relation_name") or ".".join(
            str(part) for part in (node.get("database"), node.get("schema"), node.get("name"))
        )
        plan.catalog.register(key, DatasetRef(namespace, relation.replace('"', "")))


def build_per_model(
    plan: DbtAssetPlan,
    partitions_of: Callable[[dg.AssetKey], tuple[str | None, dg.PartitionsDefinition | None]],
    backfill_policy_of: Callable[[dg.AssetKey], dg.BackfillPolicy | None],
) -> list[dg.AssetsDefinition]:
    """One ``@dbt_assets`` per partitions definition the models end up with (usually one)."""
    keys = node_asset_keys(plan.manifest, plan.translator)
    groups: dict[str | None, list[str]] = {}
    for unique_id, key in keys.items():
        groups.setdefault(partitions_of(key)[0], []).append(unique_id)
    project = str(plan.manifest.get("metadata", {}).get("project_name") or "dbt")
    built = []
    for partitions_name, unique_ids in groups.items():
        first_key = keys[unique_ids[0]]
        select = (
            "fqn:*"
            if len(groups) == 1
            else " ".join(
                "fqn:" + ".".join(plan.manifest["nodes"][uid]["fqn"]) for uid in unique_ids
            )
        )
        name = f"{project}_dbt" + (f"_{partitions_name}" if partitions_name else "")
        built.append(
            _dbt_multi_asset(
                plan,
                name,
                select,
                partitions_def=partitions_of(first_key)[1],
                backfill_policy=backfill_policy_of(first_key),
                keys={uid: keys[uid] for uid in unique_ids},
            )
        )
    return built


def _dbt_multi_asset(
    plan: DbtAssetPlan,
    name: str,
    select: str,
    *,
    partitions_def: dg.PartitionsDefinition | None,
    backfill_policy: dg.BackfillPolicy | None,
    keys: Mapping[str, dg.AssetKey],
) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=plan.manifest,
        select=select,
        name=name,
        dagster_dbt_translator=plan.translator,
        partitions_def=partitions_def,
        backfill_policy=backfill_policy,
    )
    def _models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
        invocation = dbt.cli(["build", *_partition_vars(context)], context=context)
        observer = AssetObserver(plan.settings, plan.catalog)
        yield from _observed(invocation.stream_raw_events(), context, plan, observer, keys)

    return _models


def _observed(
    events: Iterator[DbtCliEventMessage],
    context: dg.AssetExecutionContext,
    plan: DbtAssetPlan,
    observer: AssetObserver,
    keys: Mapping[str, dg.AssetKey],
) -> Iterator[Any]:
    in_flight: dict[str, Observation] = {}
    partition = _partition_label(context)
    try:
        for event in events:
            data = event.raw_event.get("data", {})
            node = data.get("node_info") or {}
            unique_id = str(node.get("unique_id") or "")
            kind = event.raw_event["info"]["name"]
            if unique_id in keys and kind in START_EVENTS and unique_id not in in_flight:
                in_flight[unique_id] = observer.start(
                    keys[unique_id],
                    "dbt." + str(node.get("resource_type", "model")),
                    context.run.run_id,
                    partition=partition,
                    extra={"dbt.unique_id": unique_id},
                )
            elif unique_id in in_flight and kind in RESULT_EVENTS:
                status = str(node.get("node_status", ""))
                message = _ANSI.sub("", event.raw_event["info"].get("msg") or status)
                observer.finish(
                    in_flight.pop(unique_id), None if status in SUCCESS_STATUSES else message
                )
            yield from event.to_default_asset_events(
                manifest=plan.manifest, dagster_dbt_translator=plan.translator, context=context
            )
    finally:
        for observation in in_flight.values():
            observer.finish(observation, "dbt stopped before the node finished")
        observer.close()


def _partition_vars(context: dg.AssetExecutionContext) -> list[str]:
    if not context.has_partition_key_range:
        return []
    key_range = context.partition_key_range
    variables = {"floe_partition_start": key_range.start, "floe_partition_end": key_range.end}
    if isinstance(context.assets_def.partitions_def, dg.TimeWindowPartitionsDefinition):
        window = context.partition_time_window
        variables["floe_window_start"] = window.start.isoformat()
        variables["floe_window_end"] = window.end.isoformat()
    return ["--vars", json.dumps(variables)]


def _partition_label(context: dg.AssetExecutionContext) -> str | None:
    if not context.has_partition_key_range:
        return None
    key_range = context.partition_key_range
    return (
        key_range.start
        if key_range.start == key_range.end
        else f"{key_range.start}...{key_range.end}"
    )


def build_job_level(plan: DbtAssetPlan, group_name: str) -> dg.AssetsDefinition:
    """One asset for the whole ``dbt build``, depending on what the sources map to."""
    project = str(plan.manifest.get("metadata", {}).get("project_name") or "dbt")
    key = dg.AssetKey([f"{project}_dbt_build"])
    source_keys = sorted(
        {plan.translator.get_asset_key(s) for s in plan.manifest.get("sources", {}).values()},
        key=lambda k: k.to_user_string(),
    )
    plan.catalog.upstream[key] = tuple(source_keys)
    adapter = str(plan.manifest.get("metadata", {}).get("adapter_type") or "dbt")

    @dg.asset(
        key=key,
        deps=source_keys,
        group_name=group_name,
        kinds={"dbt", adapter},
        description=f"Runs `dbt build` for the whole dbt project '{project}'.",
    )
    def _dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> dg.MaterializeResult:
        observer = AssetObserver(plan.settings, plan.catalog)
        observation = observer.start(key, "dbt.build", context.run.run_id)
        try:
            invocation = dbt.cli(
                ["build"], manifest=plan.manifest, dagster_dbt_translator=plan.translator
            ).wait()
        except Exception as exc:
            observer.finish(observation, str(exc))
            observer.close()
            raise
        observer.finish(observation)
        observer.close()
        results = invocation.get_artifact("run_results.json").get("results", [])
        return dg.MaterializeResult(metadata={"dbt_nodes_run": len(results)})

    return _dbt_build
