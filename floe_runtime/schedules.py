"""floe schedules -> Dagster schedules: cron in a timezone, ``enabled`` as the default
status (running or stopped), and for partitioned jobs the partitions each tick runs
(``partition_selector``: 'latest' complete partition by default, 'all', or a function)."""

from collections.abc import Callable
from typing import Any

import dagster as dg

from floe_core.models import ScheduleDefinition
from floe_runtime.jobs import JobTarget
from floe_runtime.partition_keys import selected_keys


def build_schedule(
    name: str,
    config: ScheduleDefinition,
    job: JobTarget,
    partitions_def: dg.PartitionsDefinition | None,
    selector_function: Callable[..., Any] | None,
) -> dg.ScheduleDefinition:
    """The Dagster schedule of one floe schedule."""
    status = (
        dg.DefaultScheduleStatus.RUNNING if config.enabled else dg.DefaultScheduleStatus.STOPPED
    )
    if partitions_def is None:
        return dg.ScheduleDefinition(
            name=name,
            job=job,
            cron_schedule=config.cron_schedule,
            execution_timezone=config.timezone,
            default_status=status,
            description=config.description,
        )

    @dg.schedule(
        name=name,
        job=job,
        cron_schedule=config.cron_schedule,
        execution_timezone=config.timezone,
        default_status=status,
        description=config.description,
    )
    def _partitioned(
        context: dg.ScheduleEvaluationContext,
    ) -> list[dg.RunRequest] | dg.SkipReason:
        now = context.scheduled_execution_time
        keys = selected_keys(
            config.partition_selector,
            partitions_def,
            now,
            context.instance,
            selector_function,
            owner=f"schedule '{name}' (job '{job.name}')",
        )
        if not keys:
            return dg.SkipReason(f"no partition of job '{job.name}' is complete yet")
        stamp = now.isoformat() if now else "now"
        return [dg.RunRequest(run_key=f"{key}@{stamp}", partition_key=key) for key in keys]

    return _partitioned
