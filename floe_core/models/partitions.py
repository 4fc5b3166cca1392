"""Partition definitions: time windows, static keys, two-dimensional and dynamic."""

from typing import Annotated, Literal

from pydantic import Field

from floe_core.models.base import FloeModel, FunctionRef


class TimeWindowPartition(FloeModel):
    """One partition per time window, from ``start`` on, cut at each cron tick."""

    type: Literal["time_window"] = Field(description="A time-window partition.")
    start: str = Field(
        description="The first partition's start, as YYYY-MM-DD (or in the 'fmt' format).",
    )
    cron_schedule: str = Field(
        description="Cron expression that cuts the windows, e.g. '0 0 * * *' for daily "
        "partitions; it must not be finer than the key format 'fmt'.",
    )
    timezone: str = Field(
        default="UTC",
        description="IANA timezone the windows are cut in (default UTC), e.g. 'America/New_York'.",
    )
    end: str | None = Field(
        default=None,
        description="Optional end, as YYYY-MM-DD (or in 'fmt'); no partitions after it.",
    )
    fmt: str | None = Field(
        default=None,
        description="strftime format of partition keys. Default: '%Y-%m-%d' for daily or "
        "coarser windows, '%Y-%m-%d-%H:%M' for finer ones.",
    )


class StaticPartition(FloeModel):
    """A fixed list of partition keys (regions, customers, ...)."""

    type: Literal["static"] = Field(description="A static partition.")
    partition_keys: list[str] = Field(
        min_length=1,
        description="The partition keys: a non-empty list of unique strings.",
    )


class DynamicPartition(FloeModel):
    """Partition keys added at run time (by a sensor or an API call)."""

    type: Literal["dynamic"] = Field(description="A dynamic partition.")
    fn: FunctionRef | None = Field(
        default=None,
        description="Optional function 'module.function' returning the current keys.",
    )


SinglePartition = Annotated[
    TimeWindowPartition | StaticPartition | DynamicPartition,
    Field(discriminator="type"),
]


class MultiPartition(FloeModel):
    """Two partition dimensions combined, e.g. date x region (keys look like '2024-01-01|us')."""

    type: Literal["multi"] = Field(description="A two-dimensional partition.")
    partitions: dict[str, SinglePartition] = Field(
        description="Exactly two named dimensions, each a time_window, static or dynamic "
        "partition.",
    )


PartitionDefinition = Annotated[
    TimeWindowPartition | StaticPartition | MultiPartition | DynamicPartition,
    Field(discriminator="type"),
]
