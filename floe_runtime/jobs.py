"""floe jobs -> Dagster jobs.

A batch job is an asset job over its translated selection (Dagster infers its partitions
from the assets it selects). An ops job is a one-op job that calls ``target_function`` with
the job's ``args`` typed by the function's annotations (see ``calls``).
"""

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import (
    UnresolvedAssetJobDefinition,
)

from floe_core.models import BatchJob, OpsJob
from floe_runtime.calls import PreparedCall

JobTarget = dg.JobDefinition | UnresolvedAssetJobDefinition


def batch_job(
    name: str, config: BatchJob, selection: dg.AssetSelection
) -> UnresolvedAssetJobDefinition:
    """The asset job of a batch job (its partitions are those of the assets it selects)."""
    return dg.define_asset_job(
        name,
        selection=selection,
        description=config.description,
        tags=dict(config.tags or {}),
    )


def ops_job(name: str, config: OpsJob, call: PreparedCall) -> dg.JobDefinition:
    """A job with one op calling the prepared function."""
    reference = config.target_function

    @dg.op(
        name=getattr(call.function, "__name__", name),
        required_resource_keys=set(call.resources),
        description=config.description or f"Calls {reference}.",
    )
    def _call(context: dg.OpExecutionContext) -> None:
        result = call(context, context.resources)
        if result is not None:
            context.log.info(f"{reference} returned {result!r}")

    @dg.job(name=name, description=config.description, tags=dict(config.tags or {}))
    def _job() -> None:
        _call()

    return _job
