"""The symbol table: every definition and every reference of floe.yaml, with its range.

Built from the node tree (not from the typed config), so it is complete even while parts
of the file are invalid. The language server answers definition, references, rename,
document symbols and most completions from it; the reference checks use it too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import NamedTuple

from floe_core.globs import is_glob
from floe_core.positions import Position, Range
from floe_core.section_memo import SectionMemo
from floe_core.selection import GroupSel, KeySel, NameSel, leaves, parse_selection
from floe_core.tree_paths import PathItem
from floe_core.yaml_tree import MapEntry, MapNode, Node, ScalarNode, SeqNode


class SymbolKind(StrEnum):
    """What a name denotes."""

    JOB = "job"
    PARTITION = "partition"
    SCHEDULE = "schedule"
    SENSOR = "sensor"
    BACKFILL = "backfill"
    ASSET_PATTERN = "asset pattern"
    ASSET = "asset"
    SELECTION = "selection"
    GROUP = "group"
    TAG = "tag"
    MODULE = "module"
    FUNCTION = "function"
    FILE = "file"
    ENV_VAR = "environment variable"


class Definition(NamedTuple):
    """A named entity defined in this file (ranges are computed when asked for)."""

    kind: SymbolKind
    name: str
    path: tuple[PathItem, ...]
    entry: MapEntry

    @property
    def range(self) -> Range:
        """The range of the entity's name (its key)."""
        return self.entry.key.range

    @property
    def full_range(self) -> Range:
        """The range of the whole entry, key and body."""
        key_range = self.entry.key.range
        return Range(key_range.start, max(self.entry.value.range.end, key_range.end))


class Reference(NamedTuple):
    """A value that names something defined elsewhere (in this file or the project).

    ``start``/``end`` are offsets into the scalar's text when the reference is only part of
    it (an asset inside a selection); None means the whole scalar.
    """

    kind: SymbolKind
    name: str
    path: tuple[PathItem, ...]
    node: ScalarNode
    start: int | None = None
    end: int | None = None

    @property
    def range(self) -> Range:
        """The range of the name in the document."""
        if self.start is None or self.end is None:
            return self.node.content_range
        return self.node.span(self.start, self.end)


class _SectionSymbols(NamedTuple):
    """One section's definitions by name, and the references inside its entities (all of
    them, and by entity name)."""

    defined: dict[str, Definition]
    references: list[Reference]
    by_entity: dict[str, list[Reference]]


@dataclass
class SymbolTable:
    """Definitions by kind and name, and every reference in document order."""

    definitions: dict[SymbolKind, dict[str, Definition]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    references: list[Reference] = field(default_factory=list)
    # Each section's definitions and references, for the next analysis to take over.
    _sections: SectionMemo[_SectionSymbols] = field(default_factory=SectionMemo, repr=False)

    def defined(self, kind: SymbolKind) -> dict[str, Definition]:
        """All definitions of one kind, by name."""
        return self.definitions.get(kind, {})

    def references_of(self, kind: SymbolKind) -> list[Reference]:
        """All references of one kind, in document order."""
        return [ref for ref in self.references if ref.kind is kind]

    def references_to(self, kind: SymbolKind, name: str) -> list[Reference]:
        """The references that name one definition."""
        return [ref for ref in self.references if ref.kind is kind and ref.name == name]

    def at(self, position: Position) -> Definition | Reference | None:
        """The definition name or reference under a position, if any."""
        for ref in self.references:
            if ref.range.contains(position):
                return ref
        for by_name in self.definitions.values():
            for definition in by_name.values():
                if definition.range.contains(position):
                    return definition
        return None


_SECTIONS: dict[str, SymbolKind] = {
    "partitions": SymbolKind.PARTITION,
    "jobs": SymbolKind.JOB,
    "schedules": SymbolKind.SCHEDULE,
    "sensors": SymbolKind.SENSOR,
    "backfills": SymbolKind.BACKFILL,
    "assets": SymbolKind.ASSET_PATTERN,
}

# (section, field) -> kind of the scalar (or of each list item) found there.
_REFERENCE_FIELDS: dict[tuple[str, str], SymbolKind] = {
    ("schedules", "job"): SymbolKind.JOB,
    ("sensors", "job"): SymbolKind.JOB,
    ("backfills", "job"): SymbolKind.JOB,
    ("sensors", "watched_jobs"): SymbolKind.JOB,
    ("sensors", "watched_assets"): SymbolKind.ASSET,
    ("sensors", "target_function"): SymbolKind.FUNCTION,
    ("jobs", "target_function"): SymbolKind.FUNCTION,
    ("jobs", "selection"): SymbolKind.SELECTION,
    ("partitions", "fn"): SymbolKind.FUNCTION,
    ("assets", "partitions"): SymbolKind.PARTITION,
}


_FIELDS_BY_SECTION: dict[str, tuple[tuple[str, SymbolKind], ...]] = {
    section: tuple(
        (name, kind) for (sec, name), kind in _REFERENCE_FIELDS.items() if sec == section
    )
    for section in _SECTIONS
}


def collect_symbols(root: Node | None, previous: SymbolTable | None = None) -> SymbolTable:
    """Walk the orchestration section and record its definitions and references (those of
    a section, or an entity, whose view ``previous`` walked are taken from it)."""
    table = SymbolTable()
    known = previous._sections if previous is not None else None
    refs = table.references
    if not isinstance(root, MapNode):
        return table
    orchestration = root.get("orchestration")
    if not isinstance(orchestration, MapNode):
        return table
    base: tuple[PathItem, ...] = ("orchestration",)
    modules = orchestration.get("asset_modules")
    if isinstance(modules, SeqNode):
        for index, item in enumerate(modules.items):
            _add_reference(refs, SymbolKind.MODULE, item, (*base, "asset_modules", index))
    dbt = orchestration.get("dbt")
    if isinstance(dbt, MapNode):
        manifest = dbt.get("manifest_path")
        if manifest is not None:
            _add_reference(refs, SymbolKind.FILE, manifest, (*base, "dbt", "manifest_path"))
    for section, kind in _SECTIONS.items():
        entities = orchestration.get(section)
        if isinstance(entities, MapNode):
            compute = partial(_section_symbols, section, entities)
            found = table._sections.carry(known, section, entities, compute)
            table.definitions[kind] = found.defined
            refs.extend(found.references)
    return table


def _section_symbols(
    section: str, body: MapNode, earlier: _SectionSymbols | None
) -> _SectionSymbols:
    """The definitions and references of one section's entities; those of an entity whose
    body is the very view ``earlier`` (the previous analysis' walk) saw are taken over."""
    found = _SectionSymbols({}, [], {})
    for name, entry in body.items():
        old = earlier.defined.get(name) if earlier is not None else None
        if earlier is not None and old is not None and old.entry.value is entry.value:
            definition, refs = old, earlier.by_entity[name]
        else:
            definition, refs = _entity_symbols(section, name, entry)
        found.defined[name] = definition
        found.by_entity[name] = refs
        found.references.extend(refs)
    return found


def _entity_symbols(section: str, name: str, entry: MapEntry) -> tuple[Definition, list[Reference]]:
    path = ("orchestration", section, name)
    body = entry.value
    found = _references_in(section, body, path) if isinstance(body, MapNode) else []
    return Definition(_SECTIONS[section], name, path, entry), found


def _add_reference(
    refs: list[Reference], kind: SymbolKind, node: Node, path: tuple[PathItem, ...]
) -> None:
    """Record ``node`` as a reference when it is a non-empty string scalar."""
    if isinstance(node, ScalarNode) and isinstance(node.value, str) and node.value:
        refs.append(Reference(kind, node.value, path, node))


def _references_in(section: str, body: MapNode, path: tuple[PathItem, ...]) -> list[Reference]:
    """The references in one entity's body, in document order."""
    refs: list[Reference] = []
    if section == "schedules":
        selector = body.get("partition_selector")
        if selector is not None:
            _collect_selector(refs, selector, (*path, "partition_selector"))
    for field_name, kind in _FIELDS_BY_SECTION.get(section, ()):
        value = body.get(field_name)
        if value is None:
            continue
        if isinstance(value, SeqNode):
            for index, item in enumerate(value.items):
                if kind is SymbolKind.SELECTION:
                    _collect_selection_names(refs, item, (*path, field_name, index))
                _add_reference(refs, kind, item, (*path, field_name, index))
        else:
            _add_reference(refs, kind, value, (*path, field_name))
    return refs


def _collect_selector(refs: list[Reference], node: Node, path: tuple[PathItem, ...]) -> None:
    if isinstance(node, ScalarNode) and isinstance(node.value, str) and "." in node.value:
        _add_reference(refs, SymbolKind.FUNCTION, node, path)


def _collect_selection_names(refs: list[Reference], node: Node, path: tuple[PathItem, ...]) -> None:
    """The assets, keys, groups and tags named inside one selection item, as sub-references.

    They are recorded before the whole item so that ``at`` finds the name under the cursor.
    """
    if not isinstance(node, ScalarNode) or not isinstance(node.value, str):
        return
    parsed = parse_selection(node.value)
    if parsed.expr is None:
        return
    exact = node.interpolation is None
    for leaf in leaves(parsed.expr):
        if isinstance(leaf, NameSel):
            if is_glob(leaf.pattern):
                continue
            quoted = node.value[leaf.start] == '"'
            kind, name, start = SymbolKind.ASSET, leaf.pattern, leaf.start + quoted
        elif isinstance(leaf, KeySel):
            kind, name, start = SymbolKind.ASSET, leaf.key, leaf.value_start
        elif isinstance(leaf, GroupSel):
            kind, name, start = SymbolKind.GROUP, leaf.name, leaf.value_start
        else:
            kind, name, start = SymbolKind.TAG, leaf.key, leaf.value_start
        if exact:
            refs.append(Reference(kind, name, path, node, start, start + len(name)))
        else:
            refs.append(Reference(kind, name, path, node))
