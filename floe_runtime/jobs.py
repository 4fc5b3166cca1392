"""floe jobs -> Dagster jobs.

A batch job is an asset job over its translated selection, carrying the partitions of the
assets it selects. An ops job is a one-op job that calls ``target_function`` with the job's
``args`` as keyword arguments; a parameter named ``context`` receives the op context and a
parameter named like a resource (``warehouse``, ``dbt``) receives that resource.
"""

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import (
    UnresolvedAssetJobDefinition,
)

from floe_core.models import BatchJob, OpsJob

JobTarget = dg.JobDefinition | UnresolvedAssetJobDefinition


def batch_job(
    name: str,
    config: BatchJob,
    selection: dg.AssetSelection,
    partitions_def: dg.PartitionsDefinition | None,
) -> UnresolvedAssetJobDefinition:
    """The asset job of a batch job."""
    return dg.define_asset_job(
        name,
        selection=selection,
        partitions_def=partitions_def,
        description=config.description,
        tags=dict(config.tags or {}),
    )


def ops_job(
    name: str,
    config: OpsJob,
    function: Callable[..., Any],
    resource_keys: frozenset[str],
) -> dg.JobDefinition:
    """A job with one op calling ``function(**args)``."""
    args: Mapping[str, Any] = dict(config.args or {})
    parameters = inspect.signature(function).parameters
    wants_context = "context" in parameters
    resources = frozenset(p for p in parameters if p in resource_keys and p not in args)
    reference = config.target_function

    @dg.op(
        name=getattr(function, "__name__", name),
        required_resource_keys=set(resources),
        description=config.description or f"Calls {reference}.",
    )
    def _call(context: dg.OpExecutionContext) -> None:
        kwargs = dict(args)
        if wants_context:
            kwargs["context"] = context
        for resource in resources:
            kwargs[resource] = getattr(context.resources, resource)
        result = function(**kwargs)
        if result is not None:
            context.log.info(f"{reference} returned {result!r}")

    @dg.job(name=name, description=config.description, tags=dict(config.tags or {}))
    def _job() -> None:
        _call()

    return _job
