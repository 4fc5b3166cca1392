"""The asset universe: every asset the pipeline will have, known without running user code.

Assets come from the dbt manifest (models, seeds, snapshots, sources) and from reading the
``asset_modules`` files with ``ast``. ``complete`` says whether the universe is known to be
whole; checks are strict only when it is, and suggestion-only otherwise. ``known`` says
whether any source of assets is configured at all: with none, names cannot be checked.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from floe_core.globs import compile_glob, is_glob

if TYPE_CHECKING:
    from floe_core.manifest import DbtNode, ManifestIndex

Location = tuple[Path, int]
T = TypeVar("T")


_NO_TAGS: Mapping[str, str] = MappingProxyType({})


class AssetInfo(NamedTuple):
    """One asset: its key (slash-joined), where it comes from, group, tags and upstreams.

    ``source`` is 'dbt' or 'python'; ``kind`` is 'model', 'seed', 'snapshot', 'source' or
    'asset' (a Python asset); ``defined_at`` is the file and 0-based line that defines it
    (for a dbt node, its file is worked out when ``location`` is first asked for);
    ``partitioned`` says the Python code gives it a ``partitions_def`` of its own.

    An immutable record; a named tuple rather than a frozen dataclass because a large dbt
    project makes thousands of them per analysis and a frozen dataclass costs 2.6 times as
    much to create.
    """

    key: str
    source: str
    kind: str = "asset"
    group: str | None = None
    tags: Mapping[str, str] = _NO_TAGS
    deps: tuple[str, ...] = ()
    description: str | None = None
    defined_at: Location | None = None
    dbt: DbtNode | None = None
    partitioned: bool = False
    module: str | None = None

    @property
    def location(self) -> Location | None:
        """The file and 0-based line that defines the asset."""
        if self.defined_at is not None:
            return self.defined_at
        path = self.dbt.path if self.dbt is not None else None
        return (path, 0) if path is not None else None

    @property
    def name(self) -> str:
        """The last component of the key (what patterns and selections usually name)."""
        return self.key.rsplit("/", 1)[-1]

    @property
    def group_name(self) -> str:
        """The group Dagster shows: the explicit one, else 'default'."""
        return self.group or "default"


@dataclass
class AssetUniverse:
    """All known assets by key, and whether that knowledge is complete.

    ``incomplete_reasons`` says why names may be missing (a missing manifest, a module that
    builds assets in a loop, ...); ``problems`` is for messages that name the universe.
    """

    assets: dict[str, AssetInfo] = field(default_factory=dict)
    complete: bool = False
    known: bool = False
    incomplete_reasons: list[str] = field(default_factory=list)
    manifest: ManifestIndex | None = None
    _by_name: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    _downstream: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    _matches: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)
    _related: dict[bool, dict[str, frozenset[str]]] = field(
        default_factory=lambda: {True: {}, False: {}}, repr=False, compare=False
    )

    def add(self, info: AssetInfo) -> None:
        """Add (or replace) one asset."""
        self.add_all((info,))

    def add_all(self, infos: Iterable[AssetInfo]) -> None:
        """Add (or replace) several assets, forgetting what was derived from the old set once."""
        self.assets.update((info.key, info) for info in infos)
        self._by_name = None
        self._downstream = None
        self._matches.clear()
        self._memo.clear()
        self._related = {True: {}, False: {}}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A value derived from the assets, computed once per universe (per analysis)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    def groups(self) -> dict[str, int]:
        """Every group name with the number of assets in it ('default' for assets without)."""
        return self.memo(("groups",), self._groups)

    def _groups(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for info in self.assets.values():
            counts[info.group_name] = counts.get(info.group_name, 0) + 1
        return dict(sorted(counts.items()))

    def tags(self) -> dict[str, frozenset[str]]:
        """Every tag key with the values it takes."""
        return self.memo(("tags",), self._tags)

    def _tags(self) -> dict[str, frozenset[str]]:
        values: dict[str, set[str]] = {}
        for info in self.assets.values():
            for key, value in info.tags.items():
                values.setdefault(key, set()).add(value)
        return {key: frozenset(found) for key, found in sorted(values.items())}

    def names(self) -> dict[str, list[str]]:
        """Asset keys by asset name (several keys may share a last component)."""
        if self._by_name is None:
            by_name: dict[str, list[str]] = {}
            for key, info in self.assets.items():
                by_name.setdefault(info.name, []).append(key)
            self._by_name = by_name
        return self._by_name

    def lookup(self, name: str) -> list[AssetInfo]:
        """The assets a plain name denotes: the one with that key, else those with that name."""
        info = self.assets.get(name)
        if info is not None:
            return [info]
        return [self.assets[key] for key in self.names().get(name, [])]

    def matching(self, pattern: str) -> frozenset[str]:
        """Keys of the assets a selection item's name or glob denotes: a glob is tried
        against every asset's name and key; a plain name means the asset with that key if
        there is one, else every asset with that name. (Asset patterns match differently:
        ``job_partitions.pattern_assets``.)"""
        cached = self._matches.get(pattern)
        if cached is not None:
            return cached
        if is_glob(pattern):
            match = compile_glob(pattern).match
            found = frozenset(
                key for key, info in self.assets.items() if match(info.name) or match(key)
            )
        else:
            found = frozenset(info.key for info in self.lookup(pattern))
        self._matches[pattern] = found
        return found

    def upstream_of(self, key: str) -> tuple[str, ...]:
        """The keys an asset depends on."""
        info = self.assets.get(key)
        return info.deps if info is not None else ()

    def related(self, key: str, *, upstream: bool) -> frozenset[str]:
        """Every ancestor (or descendant) of an asset, computed once per asset.

        An iterative post-order walk: each asset's set is the union of its neighbours' sets,
        so a job selecting ``+x`` over a large graph is one cached lookup. On a dependency
        cycle (an error reported elsewhere) the sets are partial, never endless.
        """
        cache = self._related[upstream]
        found = cache.get(key)
        if found is not None:
            return found
        entered: set[str] = set()
        stack: list[tuple[str, bool]] = [(key, False)]
        while stack:
            node, expanded = stack.pop()
            if node in cache:
                continue
            step = self.upstream_of(node) if upstream else self.downstream_of(node)
            if expanded:
                members = set(step)
                for neighbour in step:
                    members |= cache.get(neighbour, frozenset())
                cache[node] = frozenset(members)
            elif node not in entered:
                entered.add(node)
                stack.append((node, True))
                stack.extend((n, False) for n in step if n not in cache and n not in entered)
        return cache[key]

    def downstream_of(self, key: str) -> list[str]:
        """The keys that depend on an asset."""
        if self._downstream is None:
            downstream: dict[str, list[str]] = {}
            for info in self.assets.values():
                for dep in info.deps:
                    downstream.setdefault(dep, []).append(info.key)
            self._downstream = downstream
        return self._downstream.get(key, [])

    def closure(self, keys: Iterable[str], depth: int | None, *, upstream: bool) -> set[str]:
        """``keys`` plus their ancestors (or descendants), at most ``depth`` levels away."""
        if depth is None:
            seen = set(keys)
            for key in list(seen):
                seen |= self.related(key, upstream=upstream)
            return seen
        seen = set(keys)
        frontier = list(seen)
        level = 0
        while frontier and (depth is None or level < depth):
            level += 1
            following: list[str] = []
            for key in frontier:
                step = self.upstream_of(key) if upstream else self.downstream_of(key)
                for nxt in step:
                    if nxt not in seen:
                        seen.add(nxt)
                        following.append(nxt)
            frontier = following
        return seen
