"""Which assets a job materializes, and which partition definition each of them carries.

A batch job selects the union of its selection items in the asset universe; an asset's
partition definition is the ``partitions`` of the asset patterns matching it (a pattern is
a glob tried against the asset's name and its whole key). When several patterns match,
later ones override earlier ones, field by field, in file order: exactly how the runtime
applies them. Backfill, schedule and cross-asset checks all answer from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from floe_core.entities import Entities, Entity
from floe_core.globs import glob_match
from floe_core.models import AssetConfig, BatchJob
from floe_core.selection import resolve_items
from floe_core.universe import AssetInfo, AssetUniverse


class HasUniverse(Protocol):
    """A CheckContext or an Analysis: the valid entities and the asset universe."""

    @property
    def entities(self) -> Entities: ...

    @property
    def universe(self) -> AssetUniverse: ...


@dataclass(frozen=True, slots=True)
class JobAssets:
    """The asset keys a job selects, and whether that answer is complete.

    ``complete`` is False when the universe is incomplete, a selection item does not parse,
    or the job is unknown or not a batch job with a valid definition.
    """

    keys: frozenset[str]
    complete: bool


def assets_of_job(ctx: HasUniverse, job_name: str) -> JobAssets:
    """The assets the batch job ``job_name`` materializes (none for an ops job)."""
    entity = ctx.entities.jobs.get(job_name)
    if entity is None:
        return JobAssets(frozenset(), False)
    job = entity.model
    if not isinstance(job, BatchJob):
        return JobAssets(frozenset(), True)
    keys, parsed = resolve_items(list(job.selection), ctx.universe)
    return JobAssets(keys, parsed and ctx.universe.complete)


def matching_patterns(ctx: HasUniverse, key: str) -> list[Entity[AssetConfig]]:
    """The asset patterns matching an asset key, in file order."""
    name = key.rsplit("/", 1)[-1]
    return [
        entity
        for pattern, entity in ctx.entities.assets.items()
        if glob_match(pattern, name) or glob_match(pattern, key)
    ]


def pattern_setting(ctx: HasUniverse, key: str, field: str) -> tuple[object, str | None]:
    """The value the patterns give one field of an asset, and the pattern that set it."""
    value: object = None
    source: str | None = None
    for entity in matching_patterns(ctx, key):
        candidate = getattr(entity.model, field)
        if candidate is not None:
            value, source = candidate, entity.name
    return value, source


def partition_of(ctx: HasUniverse, key: str) -> str | None:
    """The name of the partition definition the asset patterns give one asset."""
    value, _ = pattern_setting(ctx, key, "partitions")
    return value if isinstance(value, str) else None


def partitions_of(ctx: HasUniverse, keys: Iterable[str]) -> dict[str | None, frozenset[str]]:
    """Asset keys grouped by the partition definition they carry (None: unpartitioned)."""
    grouped: dict[str | None, set[str]] = {}
    for key in keys:
        grouped.setdefault(partition_of(ctx, key), set()).add(key)
    return {name: frozenset(found) for name, found in grouped.items()}


def code_partitioned(ctx: HasUniverse, keys: Iterable[str]) -> list[AssetInfo]:
    """The Python assets among ``keys`` whose code gives them a ``partitions_def``."""
    found = (ctx.universe.assets.get(key) for key in keys)
    return [info for info in found if info is not None and info.partitioned]
