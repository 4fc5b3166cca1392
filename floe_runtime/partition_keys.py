"""Which partition keys a run targets: the latest complete partition, all of them, a range,
or what a user function returns (schedules' ``partition_selector``, sensors, backfills)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import dagster as dg
from dagster._core.instance import DynamicPartitionsStore


def latest_key(
    partitions_def: dg.PartitionsDefinition,
    now: datetime | None,
    store: DynamicPartitionsStore | None,
) -> str | None:
    """The last complete partition as of ``now`` (time windows end before now)."""
    with dg.partition_loading_context(effective_dt=now, dynamic_partitions_store=store):
        return partitions_def.get_last_partition_key()


def all_keys(
    partitions_def: dg.PartitionsDefinition,
    now: datetime | None,
    store: DynamicPartitionsStore | None,
) -> Sequence[str]:
    """Every partition key as of ``now``."""
    with dg.partition_loading_context(effective_dt=now, dynamic_partitions_store=store):
        return partitions_def.get_partition_keys()


def keys_in_range(
    partitions_def: dg.PartitionsDefinition,
    start: str,
    end: str,
    store: DynamicPartitionsStore | None,
) -> Sequence[str]:
    """The keys from ``start`` to ``end``, both included, in partition order."""
    with dg.partition_loading_context(dynamic_partitions_store=store):
        return partitions_def.get_partition_keys_in_range(dg.PartitionKeyRange(start, end))


def selected_keys(
    selector: str | None,
    partitions_def: dg.PartitionsDefinition,
    now: datetime | None,
    store: DynamicPartitionsStore | None,
    function: Callable[..., Any] | None = None,
) -> Sequence[str]:
    """The keys a ``partition_selector`` picks: 'latest' (default), 'all' or a function's."""
    if function is not None:
        return [str(key) for key in function(partitions_def=partitions_def, now=now)]
    if selector == "all":
        return all_keys(partitions_def, now, store)
    latest = latest_key(partitions_def, now, store)
    return [latest] if latest is not None else []
