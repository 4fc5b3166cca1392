"""floe selection trees (parsed by ``floe_core.selection``, the parser the editor uses)
translated into Dagster ``AssetSelection`` objects.

Names and globs are resolved against the assets actually loaded (a name denotes the asset
with that key, else every asset with that last key component); ``group:`` and ``tag:`` with a
value stay declarative (``AssetSelection.groups`` / ``.tag``); ``+x`` / ``x+`` become
``upstream`` / ``downstream`` with their depth; and / or / not become ``&``, ``|`` and a
difference from all assets. A job's items are united.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import dagster as dg

from floe_core.globs import glob_match, is_glob
from floe_core.selection import (
    And,
    Downstream,
    Expr,
    GroupSel,
    KeySel,
    NameSel,
    Not,
    Or,
    TagSel,
    Upstream,
    parse_selection,
)


class SelectionTranslationError(ValueError):
    """A selection item that does not parse (the core reports it first; kept as a guard)."""


@dataclass(frozen=True)
class AssetIndex:
    """The loaded assets' keys, groups and tags, to resolve names, globs and tag keys."""

    specs: Sequence[dg.AssetSpec]
    groups: frozenset[str] = field(init=False)
    by_key: Mapping[str, dg.AssetSpec] = field(init=False)

    def __post_init__(self) -> None:
        groups = frozenset(spec.group_name or "default" for spec in self.specs)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "by_key", {s.key.to_user_string(): s for s in self.specs})

    @classmethod
    def of(cls, definitions: Iterable[dg.AssetsDefinition | dg.AssetSpec]) -> AssetIndex:
        """The index of every spec of these definitions."""
        specs: list[dg.AssetSpec] = []
        for item in definitions:
            specs.extend(item.specs if isinstance(item, dg.AssetsDefinition) else [item])
        return cls(tuple(specs))

    def named(self, pattern: str) -> list[dg.AssetKey]:
        """Keys whose name or whole key matches a name or glob."""
        if not is_glob(pattern):
            exact = [s.key for s in self.specs if s.key.to_user_string() == pattern]
            return exact or [s.key for s in self.specs if s.key.path[-1] == pattern]
        return [
            s.key
            for s in self.specs
            if glob_match(pattern, s.key.path[-1]) or glob_match(pattern, s.key.to_user_string())
        ]

    def keyed(self, path: Sequence[str]) -> list[dg.AssetKey]:
        """Keys equal to ``path`` (each component may be a glob)."""
        wanted = "/".join(path)
        if not is_glob(wanted):
            return [dg.AssetKey(list(path))]
        return [s.key for s in self.specs if glob_match(wanted, s.key.to_user_string())]

    def tagged(self, key: str) -> list[dg.AssetKey]:
        """Keys of the assets carrying tag ``key`` with any value."""
        return [s.key for s in self.specs if key in s.tags]


def translate(expr: Expr, index: AssetIndex) -> dg.AssetSelection:
    """The AssetSelection equivalent to one selection tree."""
    if isinstance(expr, NameSel):
        return dg.AssetSelection.assets(*index.named(expr.pattern))
    if isinstance(expr, KeySel):
        return dg.AssetSelection.assets(*index.keyed(expr.path))
    if isinstance(expr, GroupSel):
        if is_glob(expr.name):
            return dg.AssetSelection.groups(*(g for g in index.groups if glob_match(expr.name, g)))
        return dg.AssetSelection.groups(expr.name)
    if isinstance(expr, TagSel):
        if expr.value is None:
            return dg.AssetSelection.assets(*index.tagged(expr.key))
        return dg.AssetSelection.tag(expr.key, expr.value)
    if isinstance(expr, Upstream):
        return translate(expr.expr, index).upstream(depth=expr.depth)
    if isinstance(expr, Downstream):
        return translate(expr.expr, index).downstream(depth=expr.depth)
    if isinstance(expr, And):
        return translate(expr.left, index) & translate(expr.right, index)
    if isinstance(expr, Or):
        return translate(expr.left, index) | translate(expr.right, index)
    if isinstance(expr, Not):
        return dg.AssetSelection.all() - translate(expr.expr, index)
    raise SelectionTranslationError(f"unknown selection node {expr!r}")


def translate_items(items: Sequence[str], index: AssetIndex) -> dg.AssetSelection:
    """The union of a job's selection items."""
    selections = []
    for item in items:
        parsed = parse_selection(item)
        if parsed.expr is None or parsed.errors:
            message = parsed.errors[0].message if parsed.errors else "does not parse"
            raise SelectionTranslationError(f"selection '{item}': {message}")
        selections.append(translate(parsed.expr, index))
    combined = selections[0]
    for selection in selections[1:]:
        combined = combined | selection
    return combined
