"""Which assets a job materializes, and which partition definition each of them carries.

A batch job selects the union of its selection items in the asset universe; an asset's
partition definition is the ``partitions`` of the asset patterns matching it (a pattern is
a glob tried against the asset's name and its whole key). When several patterns match,
later ones override earlier ones, field by field, in file order: exactly how the runtime
applies them. Backfill, schedule and cross-asset checks all answer from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple, Protocol

from floe_core.entities import Entities, Entity
from floe_core.globs import compile_glob, is_glob
from floe_core.models import AssetConfig, BatchJob
from floe_core.selection import resolve_items
from floe_core.universe import AssetInfo, AssetUniverse


class HasUniverse(Protocol):
    """A CheckContext or an Analysis: the valid entities and the asset universe."""

    @property
    def entities(self) -> Entities: ...

    @property
    def universe(self) -> AssetUniverse: ...


class JobAssets(NamedTuple):
    """The asset keys a job selects, and whether that answer is complete.

    ``complete`` is False when the universe is incomplete, a selection item does not parse,
    or the job is unknown or not a batch job with a valid definition.
    """

    keys: frozenset[str]
    complete: bool


class _PatternIndex:
    """Which asset patterns match each asset key, and the settings they give it.

    The keys each pattern matches are worked out once per pattern and universe (the universe
    outlives an analysis while it is unchanged), so an analysis costs one set lookup per
    pattern and key instead of two glob matches. The index answers for one universe at a
    time, and the next analysis takes it over while its patterns are the same entities.
    """

    def __init__(self, entities: Entities) -> None:
        self._patterns = [
            (compile_glob(pattern) if is_glob(pattern) else None, pattern, entity)
            for pattern, entity in entities.assets.items()
        ]
        self._universe: AssetUniverse | None = None
        self._matches: dict[str, list[Entity[AssetConfig]]] = {}
        self._settings: dict[str, dict[str, tuple[object, str]]] = {}
        self._by_value: dict[str, dict[object, frozenset[str]]] = {}

    def holds_for(self, entities: Entities) -> bool:
        """Whether ``entities``' asset patterns are the very entities indexed here, in order."""
        current = entities.assets.values()
        return len(current) == len(self._patterns) and all(
            entity is now for (_, _, entity), now in zip(self._patterns, current, strict=True)
        )

    def _for(self, universe: AssetUniverse) -> None:
        """Forget what was worked out for another universe."""
        if universe is not self._universe:
            self._universe = universe
            self._matches, self._settings, self._by_value = {}, {}, {}

    def matching(self, key: str, universe: AssetUniverse) -> list[Entity[AssetConfig]]:
        self._for(universe)
        found = self._matches.get(key)
        if found is None:
            if key in universe.assets:
                found = [
                    entity
                    for _, pattern, entity in self._patterns
                    if key in pattern_assets(universe, pattern)
                ]
            else:
                found = [
                    entity
                    for compiled, pattern, entity in self._patterns
                    if _pattern_matches(compiled, pattern, key)
                ]
            self._matches[key] = found
        return found

    def settings(self, key: str, universe: AssetUniverse) -> dict[str, tuple[object, str]]:
        """Field -> (value, pattern that set it); later patterns override earlier ones."""
        self._for(universe)
        found = self._settings.get(key)
        if found is None:
            found = {}
            for entity in self.matching(key, universe):
                for field_name in _SETTING_FIELDS:
                    value = getattr(entity.model, field_name)
                    if value is not None:
                        found[field_name] = (value, entity.name)
            self._settings[key] = found
        return found

    def by_value(self, field_name: str, universe: AssetUniverse) -> dict[object, frozenset[str]]:
        """The universe's keys grouped by the value the patterns give a field; keys the
        patterns leave unset are absent. Computed once per field."""
        self._for(universe)
        found = self._by_value.get(field_name)
        if found is None:
            value_of: dict[str, object] = {}
            for _, pattern, entity in self._patterns:
                value = getattr(entity.model, field_name)
                if value is not None:
                    value_of.update(dict.fromkeys(pattern_assets(universe, pattern), value))
            grouped: dict[object, set[str]] = {}
            for key, value in value_of.items():
                grouped.setdefault(value, set()).add(key)
            found = self._by_value[field_name] = {
                value: frozenset(members) for value, members in grouped.items()
            }
        return found


def _pattern_index(entities: Entities, earlier: _PatternIndex | None) -> _PatternIndex:
    """The index of ``entities``' asset patterns: ``earlier`` when its patterns are the very
    same entities, in the same order."""
    if earlier is not None and earlier.holds_for(entities):
        return earlier
    return _PatternIndex(entities)


def pattern_assets(universe: AssetUniverse, pattern: str) -> frozenset[str]:
    """The keys of the universe's assets an asset pattern matches (memoized on the universe).

    A pattern, glob or plain name, is tried against each asset's name and its whole key, as
    the runtime applies it: ``orders`` matches both ``orders`` and ``raw/orders``. (A
    selection item's plain name differs: it means the asset with that key if there is one.)
    """
    return universe.memo(("asset-pattern", pattern), lambda: _matched(universe, pattern))


def _matched(universe: AssetUniverse, pattern: str) -> frozenset[str]:
    compiled = compile_glob(pattern) if is_glob(pattern) else None
    return frozenset(key for key in universe.assets if _pattern_matches(compiled, pattern, key))


def _pattern_matches(compiled: re.Pattern[str] | None, pattern: str, key: str) -> bool:
    """Whether a pattern (a glob, or a plain name) matches an asset's name or whole key."""
    name = key.rsplit("/", 1)[-1]
    if compiled is not None:
        return compiled.match(name) is not None or compiled.match(key) is not None
    return pattern in (name, key)


_SETTING_FIELDS = tuple(AssetConfig.model_fields)


class _JobIndex:
    """The assets each job selects, resolved once per (job, universe). The next analysis
    starts afresh (``_earlier`` is not taken over): the checks that ask most take over their
    own findings instead."""

    def __init__(self, entities: Entities, _earlier: object = None) -> None:
        self._jobs = entities.jobs
        self._selected: dict[tuple[str, int], JobAssets] = {}

    def selected(self, job_name: str, universe: AssetUniverse) -> JobAssets:
        key = (job_name, id(universe))
        found = self._selected.get(key)
        if found is None:
            found = self._selected[key] = self._resolve(job_name, universe)
        return found

    def _resolve(self, job_name: str, universe: AssetUniverse) -> JobAssets:
        entity = self._jobs.get(job_name)
        if entity is None:
            return JobAssets(frozenset(), False)
        job = entity.model
        if not isinstance(job, BatchJob):
            return JobAssets(frozenset(), True)
        keys, parsed = resolve_items(list(job.selection), universe)
        return JobAssets(keys, parsed and universe.complete)


def assets_of_job(ctx: HasUniverse, job_name: str) -> JobAssets:
    """The assets the batch job ``job_name`` materializes (none for an ops job)."""
    return ctx.entities.derived(_JobIndex).selected(job_name, ctx.universe)


def pattern_index(ctx: HasUniverse) -> object:
    """The index of the asset patterns this analysis answers from: the very object of the
    previous analysis while the patterns are the same (a token for what depends on them)."""
    return ctx.entities.derived(_pattern_index)


def matching_patterns(ctx: HasUniverse, key: str) -> list[Entity[AssetConfig]]:
    """The asset patterns matching an asset key, in file order."""
    return ctx.entities.derived(_pattern_index).matching(key, ctx.universe)


def pattern_setting(ctx: HasUniverse, key: str, field: str) -> tuple[object, str | None]:
    """The value the patterns give one field of an asset, and the pattern that set it."""
    index = ctx.entities.derived(_pattern_index)
    return index.settings(key, ctx.universe).get(field, (None, None))


def partition_of(ctx: HasUniverse, key: str) -> str | None:
    """The name of the partition definition the asset patterns give one asset."""
    value, _ = pattern_setting(ctx, key, "partitions")
    return value if isinstance(value, str) else None


def keys_by_setting(ctx: HasUniverse, field: str) -> dict[object, frozenset[str]]:
    """The universe's asset keys grouped by the value the patterns give ``field``."""
    return ctx.entities.derived(_pattern_index).by_value(field, ctx.universe)


def partitions_of(ctx: HasUniverse, keys: Iterable[str]) -> dict[str | None, frozenset[str]]:
    """Asset keys grouped by the partition definition they carry (None: unpartitioned).

    Set intersections with the per-partition key sets, so a job of many assets costs a few
    C-level operations rather than a lookup per asset.
    """
    remaining = keys if isinstance(keys, frozenset) else frozenset(keys)
    outside = remaining.difference(ctx.universe.assets)
    grouped: dict[str | None, frozenset[str]] = {}
    for value, members in keys_by_setting(ctx, "partitions").items():
        hit = remaining & members
        if hit and isinstance(value, str):
            grouped[value] = hit
            remaining = remaining - hit
    for key in outside:
        name = partition_of(ctx, key)
        if name is not None:
            grouped[name] = grouped.get(name, frozenset()) | {key}
            remaining = remaining - {key}
    if remaining:
        grouped[None] = remaining
    return grouped


def code_partitioned(ctx: HasUniverse, keys: Iterable[str]) -> list[AssetInfo]:
    """The Python assets among ``keys`` whose code gives them a ``partitions_def``."""
    found = (ctx.universe.assets.get(key) for key in keys)
    return [info for info in found if info is not None and info.partitioned]
