"""floe partition definitions -> Dagster ``PartitionsDefinition`` objects.

time_window -> ``TimeWindowPartitionsDefinition`` (cron, timezone, fmt, end); static ->
``StaticPartitionsDefinition``; multi -> ``MultiPartitionsDefinition`` (two dimensions);
dynamic -> ``DynamicPartitionsDefinition`` named like the floe partition. A dynamic partition
with ``fn`` also gets a sensor that adds the keys the function returns.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import dagster as dg

from floe_core.models import (
    DynamicPartition,
    MultiPartition,
    PartitionDefinition,
    StaticPartition,
    TimeWindowPartition,
)
from floe_core.partition_keys import key_format, parse_boundary
from floe_runtime.modules import import_function


def _boundary(config: TimeWindowPartition, text: str) -> datetime:
    parsed = parse_boundary(config, text)
    if parsed is None:  # the core rejects such a value; kept as a guard
        raise ValueError(f"'{text}' is not a date in the partition's key format")
    return parsed


def time_window(config: TimeWindowPartition) -> dg.TimeWindowPartitionsDefinition:
    """A time-window partitions definition cut by the cron in the timezone."""
    return dg.TimeWindowPartitionsDefinition(
        start=_boundary(config, config.start),
        end=_boundary(config, config.end) if config.end else None,
        cron_schedule=config.cron_schedule,
        timezone=config.timezone,
        fmt=key_format(config),
    )


def _single(name: str, config: PartitionDefinition) -> dg.PartitionsDefinition:
    if isinstance(config, TimeWindowPartition):
        return time_window(config)
    if isinstance(config, StaticPartition):
        return dg.StaticPartitionsDefinition(list(config.partition_keys))
    if isinstance(config, DynamicPartition):
        return dg.DynamicPartitionsDefinition(name=name)
    return dg.MultiPartitionsDefinition(
        {dim: _single(f"{name}_{dim}", sub) for dim, sub in config.partitions.items()}
    )


def build_partitions(
    partitions: Mapping[str, PartitionDefinition],
) -> dict[str, dg.PartitionsDefinition]:
    """Every named floe partition as a Dagster partitions definition."""
    return {name: _single(name, config) for name, config in partitions.items()}


def dynamic_partition_sensors(
    partitions: Mapping[str, PartitionDefinition], base_dir: Path
) -> list[dg.SensorDefinition]:
    """A sensor per dynamic partition with ``fn`` (also inside multi partitions) that adds
    the keys the function returns and are not known yet."""
    sensors: list[dg.SensorDefinition] = []
    for name, config in partitions.items():
        dimensions: dict[str, Any] = (
            {f"{name}_{dim}": sub for dim, sub in config.partitions.items()}
            if isinstance(config, MultiPartition)
            else {name: config}
        )
        for dynamic_name, sub in dimensions.items():
            if isinstance(sub, DynamicPartition) and sub.fn:
                sensors.append(_key_sensor(dynamic_name, import_function(sub.fn, base_dir)))
    return sensors


def _key_sensor(name: str, function: Callable[..., Any]) -> dg.SensorDefinition:
    @dg.sensor(
        name=f"{name}_partition_keys",
        description=f"Adds the keys returned by the function of dynamic partition '{name}'.",
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def _sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        known = set(context.instance.get_dynamic_partitions(name))
        new_keys = [str(key) for key in function() if str(key) not in known]
        if not new_keys:
            return dg.SkipReason("no new partition keys")
        return dg.SensorResult(
            dynamic_partitions_requests=[
                dg.DynamicPartitionsDefinition(name=name).build_add_request(new_keys)
            ]
        )

    return _sensor
