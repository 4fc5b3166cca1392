"""Automation conditions (eager, on_cron, on_missing) and the sensor that evaluates them.

Dagster creates an automation sensor on its own, but it starts stopped; floe declares its own
``floe_automation`` sensor over every asset with a condition, running by default, so the
conditions in floe.yaml take effect as soon as the daemon runs (and, as the spec requires,
take precedence over schedules of the same assets). ``on_cron`` ticks on the asset's
time-window partition cron, else the cron of the first schedule whose job selects the asset,
else daily at midnight UTC.
"""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg

from floe_runtime.asset_patterns import ResolvedAssetConfig

DEFAULT_CRON = ("0 0 * * *", "UTC")
SENSOR_NAME = "floe_automation"

Condition = dg.AutomationCondition[dg.AssetKey | dg.AssetCheckKey]
CronLookup = Callable[[dg.AssetKey], tuple[str, str] | None]


def partition_cron(
    partitions_def: dg.PartitionsDefinition | None,
) -> tuple[str, str] | None:
    """The cron and timezone of a time-window partitioning (also as a multi dimension)."""
    if isinstance(partitions_def, dg.TimeWindowPartitionsDefinition):
        return partitions_def.cron_schedule, partitions_def.timezone
    if isinstance(partitions_def, dg.MultiPartitionsDefinition):
        for dimension in partitions_def.partitions_defs:
            found = partition_cron(dimension.partitions_def)
            if found:
                return found
    return None


def condition_for(
    config: ResolvedAssetConfig,
    partitions_def: dg.PartitionsDefinition | None,
    schedule_cron: CronLookup,
    key: dg.AssetKey,
) -> Condition | None:
    """The Dagster condition for a floe ``automation_condition`` value."""
    if config.automation_condition == "eager":
        return dg.AutomationCondition.eager()
    if config.automation_condition == "on_missing":
        return dg.AutomationCondition.on_missing()
    if config.automation_condition == "on_cron":
        cron, timezone = partition_cron(partitions_def) or schedule_cron(key) or DEFAULT_CRON
        return dg.AutomationCondition.on_cron(cron, timezone)
    return None


def automation_sensor(minimum_interval_seconds: int = 30) -> dg.AutomationConditionSensorDefinition:
    """The running-by-default sensor evaluating every asset's automation condition."""
    return dg.AutomationConditionSensorDefinition(
        SENSOR_NAME,
        target=dg.AssetSelection.all(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=minimum_interval_seconds,
        description="Evaluates the automation conditions floe.yaml sets on assets.",
    )
