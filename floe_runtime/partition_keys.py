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
    *,
    owner: str = "a schedule",
) -> Sequence[str]:
    """The keys a ``partition_selector`` picks: 'latest' (default), 'all' or a function's.

    A function may return one key or a list of keys; keys that are not partitions of the
    job are refused together, naming the function and ``owner`` (what the keys are for).
    """
    if function is not None:
        returned = function(partitions_def=partitions_def, now=now)
        keys = [returned] if isinstance(returned, str) else [str(key) for key in returned]
        with dg.partition_loading_context(effective_dt=now, dynamic_partitions_store=store):
            unknown = [key for key in keys if not partitions_def.has_partition_key(key)]
            example = partitions_def.get_last_partition_key() if unknown else None
        if unknown:
            listed = ", ".join(f"'{key}'" for key in unknown)
            like = f" (keys look like '{example}')" if example else ""
            raise UnknownPartitionKeysError(
                f"partition_selector '{selector}' of {owner} returned keys that are not "
                f"partitions of the job: {listed}; return keys of the job's partitions{like}"
            )
        return keys
    if selector == "all":
        return all_keys(partitions_def, now, store)
    latest = latest_key(partitions_def, now, store)
    return [latest] if latest is not None else []


class UnknownPartitionKeysError(ValueError):
    """A user function picked partition keys the partitions definition does not have."""
