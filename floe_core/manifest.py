"""The dbt manifest index: models, seeds, snapshots, sources and tests of a ``manifest.json``.

Only what floe needs is kept (names, descriptions, materializations, columns, dependencies,
files, groups, tags, meta, and the Dagster asset key each node gets); the rest of the
document is never decoded, or dropped right after decoding. When the ProjectCache has a JSON
decoder (the runtime's), the whole document is decoded with it and kept on the index as
``document``, so that the runtime hands dagster-dbt the manifest the core already read. An
index is loaded once per file version: :func:`load_manifest` caches it in the ProjectCache
by path, modification time and size.

Asset keys follow floe's runtime (floe_runtime/dbt_translator.py, which builds on
dagster-dbt's defaults): ``meta.dagster.asset_key`` when set; a versioned model's alias; a
source is ``[source_name, table]`` unless a Python asset has the table's name; every other
node is keyed by its name. Groups: ``meta.dagster.group``, else the dbt group, else the top
folder of the node (``models/silver/x.sql`` -> ``silver``). Ephemeral models are not
assets: dependencies pass through them to their nearest non-ephemeral parents.
"""

from __future__ import annotations

import gc
import json
import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from floe_core.project_cache import JsonDecoder, ProjectCache

ASSET_TYPES = frozenset({"model", "seed", "snapshot"})
_NOT_GROUP_CHARACTER = re.compile(r"[^A-Za-z0-9_]")
_TAG_KEY = re.compile(r"^[A-Za-z0-9_.\-/]{1,63}$")


class ManifestError(Exception):
    """A manifest that cannot be used: ``kind`` is 'missing' or 'invalid'."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True, slots=True)
class DbtColumn:
    """One documented column of a model."""

    name: str
    description: str
    data_type: str | None


@dataclass(frozen=True, eq=False)
class DbtNode:
    """One node of the manifest: a model, seed, snapshot, source or test."""

    unique_id: str
    name: str
    resource_type: str
    package: str
    description: str = ""
    materialization: str | None = None
    raw_columns: Mapping[str, Any] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()
    original_file_path: str = ""
    project_dir: Path | None = None
    group: str | None = None
    tags: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    fqn: tuple[str, ...] = ()
    source_name: str | None = None
    version: str | None = None
    alias: str | None = None
    attached_node: str | None = None

    @property
    def columns(self) -> tuple[DbtColumn, ...]:
        """The documented columns (read from the manifest when first asked for)."""
        return _columns(self.raw_columns)

    @cached_property
    def path(self) -> Path | None:
        """The node's file (.sql, .py, .csv, .yml), absolute."""
        if not self.original_file_path or self.project_dir is None:
            return None
        return self.project_dir / self.original_file_path

    @property
    def is_asset(self) -> bool:
        """Whether the runtime makes an asset of it (ephemeral models are not assets)."""
        if self.resource_type == "source":
            return True
        return self.resource_type in ASSET_TYPES and self.materialization != "ephemeral"

    @property
    def dagster(self) -> Mapping[str, Any]:
        """The ``meta.dagster`` settings (asset_key, group)."""
        value = self.meta.get("dagster") if self.meta else None
        return value if isinstance(value, Mapping) else {}

    @property
    def explicit_key(self) -> tuple[str, ...] | None:
        """``meta.dagster.asset_key`` as key components, when set."""
        if not self.meta:
            return None
        value = self.dagster.get("asset_key")
        if isinstance(value, str) and value:
            return (value,)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return tuple(value)
        return None

    @cached_property
    def own_key(self) -> str:
        """The asset key, but for a source that a Python asset of its table's name takes."""
        explicit = self.explicit_key
        if explicit:
            return "/".join(explicit)
        if self.resource_type == "source":
            return f"{self.source_name}/{self.name}"
        if self.version:
            return self.alias or self.name
        return self.name

    def asset_key(self, python_keys: frozenset[str] = frozenset()) -> str:
        """The slash-joined Dagster asset key the runtime gives this node."""
        if (
            self.resource_type == "source"
            and self.name in python_keys
            and self.explicit_key is None
        ):
            return self.name
        return self.own_key

    @property
    def asset_group(self) -> str | None:
        """The Dagster group the runtime puts this node in."""
        explicit = self.dagster.get("group") if self.meta else None
        if isinstance(explicit, str) and explicit:
            return explicit
        if self.group:
            return self.group
        if len(self.fqn) > 2:
            return _NOT_GROUP_CHARACTER.sub("_", self.fqn[1])
        return None

    @property
    def asset_tags(self) -> dict[str, str]:
        """dbt tags as Dagster tags: the tag is the key, the value is empty."""
        if not self.tags:
            return {}
        return {tag: "" for tag in self.tags if _TAG_KEY.match(tag)}


@dataclass
class ManifestIndex:
    """The nodes of one manifest by unique_id and by name, and who depends on whom;
    ``document`` is the whole decoded manifest when the cache's JSON decoder read it."""

    path: Path
    project_name: str
    adapter_type: str
    nodes: dict[str, DbtNode]
    by_name: dict[str, list[DbtNode]]
    children: dict[str, list[str]]
    document: Mapping[str, Any] | None = None

    def models(self) -> Iterator[DbtNode]:
        """Every enabled model (ephemeral ones included)."""
        return (n for n in self.nodes.values() if n.resource_type == "model")

    def assets(self) -> Iterator[DbtNode]:
        """The nodes that become assets: models (not ephemeral), seeds, snapshots, sources."""
        return (n for n in self.nodes.values() if n.is_asset)

    def tests(self) -> Iterator[DbtNode]:
        """The data tests (asset checks at run time)."""
        return (n for n in self.nodes.values() if n.resource_type == "test")

    def named(self, name: str, resource_type: str | None = None) -> list[DbtNode]:
        """The nodes called ``name`` (optionally of one resource type)."""
        found = self.by_name.get(name, [])
        if resource_type is None:
            return list(found)
        return [n for n in found if n.resource_type == resource_type]

    def upstream(self, node: DbtNode) -> list[DbtNode]:
        """The nodes ``node`` depends on directly."""
        return [self.nodes[uid] for uid in node.depends_on if uid in self.nodes]

    def downstream(self, node: DbtNode) -> list[DbtNode]:
        """The nodes (tests excluded) that depend on ``node`` directly."""
        found = (self.nodes.get(uid) for uid in self.children.get(node.unique_id, []))
        return [n for n in found if n is not None and n.resource_type != "test"]

    def asset_parents(self, node: DbtNode) -> list[DbtNode]:
        """The asset nodes upstream of ``node``, looking through ephemeral models."""
        direct = [parent for uid in node.depends_on if (parent := self.nodes.get(uid))]
        if all(parent.is_asset for parent in direct) and len(set(node.depends_on)) == len(
            node.depends_on
        ):
            return direct
        parents: list[DbtNode] = []
        seen: set[str] = set()
        queue = deque(node.depends_on)
        while queue:
            uid = queue.popleft()
            if uid in seen:
                continue
            seen.add(uid)
            parent = self.nodes.get(uid)
            if parent is None:
                continue
            if parent.is_asset:
                parents.append(parent)
            elif parent.resource_type == "model":
                queue.extend(parent.depends_on)
        return parents


def load_manifest(
    path: Path, cache: ProjectCache, project_dir: Path | None = None
) -> ManifestIndex:
    """The index of the manifest at ``path``; raises ManifestError when it is unusable.

    Node files (``DbtNode.path``) are made absolute against ``project_dir``, by default the
    folder above the manifest's (dbt writes ``<project>/target/manifest.json``).
    """
    root = project_dir if project_dir is not None else path.parent.parent
    try:
        cached = cache.for_kind(f"manifest:{root}").get(
            path, lambda where: _load_or_error(where, root, cache.json_decoder)
        )
    except ValueError as exc:
        raise ManifestError("invalid", f"'{path}' is not a usable path: {exc}") from exc
    if cached is None:
        raise ManifestError(
            "missing",
            f"no dbt manifest at {path}; run `dbt parse` in the dbt project to create it",
        )
    if isinstance(cached, ManifestError):
        raise cached
    assert isinstance(cached, ManifestIndex)
    return cached


def _load_or_error(
    path: Path, project_dir: Path, decoder: JsonDecoder | None
) -> ManifestIndex | ManifestError:
    try:
        return read_manifest(path, project_dir, decoder)
    except ManifestError as problem:
        return problem


def read_manifest(
    path: Path, project_dir: Path | None = None, decoder: JsonDecoder | None = None
) -> ManifestIndex:
    """Read and index a manifest file (uncached); raises ManifestError.

    With a ``decoder`` the whole document is decoded by it and kept as ``document``.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ManifestError(
            "missing", f"no dbt manifest at {path}; run `dbt parse` in the dbt project"
        ) from exc
    except (OSError, ValueError) as exc:
        raise ManifestError("invalid", f"cannot read the dbt manifest {path}: {exc}") from exc
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _decode_and_index(path, raw, project_dir, decoder)
    finally:
        if was_enabled:
            gc.enable()


def _decode_and_index(
    path: Path, raw: bytes, project_dir: Path | None, decoder: JsonDecoder | None
) -> ManifestIndex:
    try:
        if decoder is None:
            data = _top_level(raw.decode("utf-8"), _WANTED_SECTIONS)
        else:
            data = decoder(raw)
    except (ValueError, RecursionError) as exc:
        raise ManifestError(
            "invalid",
            f"{path} is not valid JSON ({exc}); re-create it with `dbt parse`",
        ) from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("nodes"), dict)
        or not isinstance(data.get("metadata"), dict)
    ):
        raise ManifestError(
            "invalid",
            f"{path} is JSON but not a dbt manifest (it has no 'metadata' and 'nodes'); "
            "point manifest_path at dbt's target/manifest.json",
        )
    index = index_manifest(path, data, project_dir or path.parent.parent)
    if decoder is not None:
        index.document = data
    return index


_WANTED_SECTIONS = frozenset({"metadata", "nodes", "sources"})
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _top_level(text: str, wanted: frozenset[str]) -> object:
    """The wanted sections of a top-level JSON object, decoded one value at a time.

    Decoding stops as soon as every wanted section is read: dbt writes metadata, nodes and
    sources first, so macros, docs, disabled nodes and the parent/child maps (a third of a
    large manifest) are never decoded. Anything but an object is returned whole.
    """
    decoder = json.JSONDecoder()
    index = _skip_space(text, 0)
    if not text.startswith("{", index):
        return json.loads(text)
    found: dict[str, object] = {}
    index += 1
    while True:
        index = _skip_space(text, index)
        if text.startswith("}", index) and not found:
            return found
        key, index = decoder.raw_decode(text, index)
        index = _skip_space(text, index)
        if not text.startswith(":", index):
            raise ValueError(f"expected ':' after a key at offset {index}")
        index = _skip_space(text, index + 1)
        value, index = decoder.raw_decode(text, index)
        if isinstance(key, str) and key in wanted:
            found[key] = value
            if len(found) == len(wanted):
                return found
        index = _skip_space(text, index)
        if text.startswith(",", index):
            index += 1
        elif text.startswith("}", index):
            return found
        else:
            raise ValueError(f"expected ',' or '}}' at offset {index}")


def _skip_space(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match is not None else index


def index_manifest(path: Path, data: dict[str, Any], project_dir: Path) -> ManifestIndex:
    """Build the index from a parsed manifest document."""
    metadata = data.get("metadata") or {}
    nodes: dict[str, DbtNode] = {}
    for section in ("nodes", "sources"):
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        for uid, raw in entries.items():
            if isinstance(raw, dict):
                node = _node(uid, raw, project_dir)
                if node is not None:
                    nodes[uid] = node
    by_name: dict[str, list[DbtNode]] = {}
    children: dict[str, list[str]] = {}
    for node in nodes.values():
        by_name.setdefault(node.name, []).append(node)
        for parent in node.depends_on:
            children.setdefault(parent, []).append(node.unique_id)
    return ManifestIndex(
        path=path,
        project_name=str(metadata.get("project_name") or ""),
        adapter_type=str(metadata.get("adapter_type") or ""),
        nodes=nodes,
        by_name=by_name,
        children=children,
    )


_KEPT_TYPES = frozenset({"model", "seed", "snapshot", "source", "test"})


def _node(uid: str, raw: dict[str, Any], project_dir: Path) -> DbtNode | None:
    resource_type = raw.get("resource_type")
    if resource_type not in _KEPT_TYPES:
        return None
    config = raw.get("config")
    if not isinstance(config, dict):
        config = {}
    elif config.get("enabled") is False:
        return None
    columns = raw.get("columns")
    depends = raw.get("depends_on")
    return DbtNode(
        unique_id=uid,
        name=str(raw.get("name") or uid.rsplit(".", 1)[-1]),
        resource_type=str(resource_type),
        package=str(raw.get("package_name") or ""),
        description=str(raw.get("description") or ""),
        materialization=_text(config.get("materialized")),
        raw_columns=columns if isinstance(columns, dict) else {},
        depends_on=_strings(depends.get("nodes") if isinstance(depends, dict) else None),
        original_file_path=str(raw.get("original_file_path") or ""),
        project_dir=project_dir,
        group=_text(config.get("group")) or _text(raw.get("group")),
        tags=_strings(raw.get("tags")),
        meta=_meta(raw.get("meta"), config.get("meta")),
        fqn=tuple(map(str, raw.get("fqn") or ())),
        source_name=_text(raw.get("source_name")),
        version=_text(raw.get("version")),
        alias=_text(raw.get("alias")),
        attached_node=_text(raw.get("attached_node")),
    )


_ONLY_TEXT = frozenset({str})


def _strings(value: object) -> tuple[str, ...]:
    """The strings of a JSON list (anything else in it dropped)."""
    if not value or not isinstance(value, list):
        return ()
    if set(map(type, value)) <= _ONLY_TEXT:
        return tuple(value)
    return tuple(item for item in value if isinstance(item, str))


def _meta(node_meta: object, config_meta: object) -> Mapping[str, Any]:
    """``meta`` and ``config.meta`` merged (the config's wins)."""
    if not node_meta or not isinstance(node_meta, dict):
        return config_meta if config_meta and isinstance(config_meta, dict) else {}
    if not config_meta or not isinstance(config_meta, dict):
        return node_meta
    return {**node_meta, **config_meta}


def _columns(raw: object) -> tuple[DbtColumn, ...]:
    if not isinstance(raw, dict):
        return ()
    return tuple(
        DbtColumn(
            name=str(column.get("name") or name),
            description=str(column.get("description") or ""),
            data_type=_text(column.get("data_type")),
        )
        for name, column in raw.items()
        if isinstance(column, dict)
    )


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)
