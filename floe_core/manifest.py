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
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

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


class DbtColumn(NamedTuple):
    """One documented column of a model."""

    name: str
    description: str
    data_type: str | None


class DbtNode:
    """One node of the manifest: a model, seed, snapshot, source or test.

    What every node is asked for when the universe is built (name, type, dependencies,
    whether it is an asset, its own asset key) is read when the manifest is indexed; the rest
    (description, columns, tags, meta, file, group) is read from the node's manifest entry
    when first asked for, so indexing 2,000 nodes reads a few fields of each.
    """

    __slots__ = (
        "_config",
        "_path",
        "_raw",
        "depends_on",
        "is_asset",
        "name",
        "own_key",
        "project_dir",
        "resource_type",
        "unique_id",
    )

    unique_id: str
    name: str
    resource_type: str
    depends_on: tuple[str, ...]
    project_dir: Path | None
    is_asset: bool
    own_key: str
    """The asset key, but for a source that a Python asset of its table's name takes."""

    def __init__(
        self,
        unique_id: str,
        raw: Mapping[str, Any],
        config: Mapping[str, Any],
        resource_type: str,
        project_dir: Path | None,
    ) -> None:
        self.unique_id = unique_id
        self._raw = raw
        self._config = config
        self.resource_type = resource_type
        self.project_dir = project_dir
        self._path: Path | bool | None = False
        name = raw.get("name")
        self.name = name if type(name) is str and name else _name(unique_id, name)
        depends = raw.get("depends_on")
        self.depends_on = _strings(depends.get("nodes") if type(depends) is dict else None)
        if resource_type == "source":
            self.is_asset = True
        else:
            self.is_asset = (
                resource_type in ASSET_TYPES and config.get("materialized") != "ephemeral"
            )
        explicit = self.explicit_key if raw.get("meta") or config.get("meta") else None
        if explicit:
            self.own_key = "/".join(explicit)
        elif resource_type == "source":
            self.own_key = f"{self.source_name}/{self.name}"
        elif raw.get("version") not in _NOTHING:
            self.own_key = self.alias or self.name
        else:
            self.own_key = self.name

    def __repr__(self) -> str:
        return f"DbtNode({self.unique_id!r})"

    @property
    def package(self) -> str:
        """The dbt package (project) that defines the node."""
        return str(self._raw.get("package_name") or "")

    @property
    def description(self) -> str:
        """The node's description ('' when it has none)."""
        return str(self._raw.get("description") or "")

    @property
    def materialization(self) -> str | None:
        """``config.materialized`` (view, table, incremental, ephemeral, seed, ...)."""
        return _text(self._config.get("materialized"))

    @property
    def columns(self) -> tuple[DbtColumn, ...]:
        """The documented columns."""
        return _columns(self._raw.get("columns"))

    @property
    def original_file_path(self) -> str:
        """The node's file, relative to its dbt project."""
        return str(self._raw.get("original_file_path") or "")

    @property
    def path(self) -> Path | None:
        """The node's file (.sql, .py, .csv, .yml), absolute."""
        if self._path is False:
            relative = self.original_file_path
            self._path = (
                self.project_dir / relative if relative and self.project_dir is not None else None
            )
        return self._path if isinstance(self._path, Path) else None

    @property
    def group(self) -> str | None:
        """The dbt group (``config.group``, else ``group``)."""
        return _text(self._config.get("group")) or _text(self._raw.get("group"))

    @property
    def tags(self) -> tuple[str, ...]:
        """The dbt tags."""
        return _strings(self._raw.get("tags"))

    @property
    def meta(self) -> Mapping[str, Any]:
        """``meta`` and ``config.meta`` merged (the config's wins)."""
        return _meta(self._raw.get("meta"), self._config.get("meta"))

    @property
    def fqn(self) -> tuple[str, ...]:
        """The fully qualified name: package, folders, name."""
        return tuple(map(str, self._raw.get("fqn") or ()))

    @property
    def source_name(self) -> str | None:
        """A source's source name (``raw`` of ``source('raw', 'orders')``)."""
        return _text(self._raw.get("source_name"))

    @property
    def version(self) -> str | None:
        """A versioned model's version."""
        return _text(self._raw.get("version"))

    @property
    def alias(self) -> str | None:
        """The relation name the node is built as."""
        return _text(self._raw.get("alias"))

    @property
    def attached_node(self) -> str | None:
        """A test's model (unique_id), when dbt attached it to one."""
        return _text(self._raw.get("attached_node"))

    @property
    def dagster(self) -> Mapping[str, Any]:
        """The ``meta.dagster`` settings (asset_key, group)."""
        value = self.meta.get("dagster")
        return value if isinstance(value, Mapping) else {}

    @property
    def explicit_key(self) -> tuple[str, ...] | None:
        """``meta.dagster.asset_key`` as key components, when set."""
        if not self._raw.get("meta") and not self._config.get("meta"):
            return None
        value = self.dagster.get("asset_key")
        if isinstance(value, str) and value:
            return (value,)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return tuple(value)
        return None

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
        raw, config = self._raw, self._config
        if raw.get("meta") or config.get("meta"):
            explicit = self.dagster.get("group")
            if isinstance(explicit, str) and explicit:
                return explicit
        group = config.get("group")
        if group is None or group == "":
            group = raw.get("group")
        if group is not None and group != "":
            return str(group)
        fqn = raw.get("fqn")
        if isinstance(fqn, list) and len(fqn) > 2:
            return _folder_group(str(fqn[1]))
        return None

    @property
    def asset_tags(self) -> dict[str, str]:
        """dbt tags as Dagster tags: the tag is the key, the value is empty."""
        tags = self._raw.get("tags")
        if not tags:
            return {}
        return {tag: "" for tag in _strings(tags) if _TAG_KEY.match(tag)}


@dataclass
class ManifestIndex:
    """The nodes of one manifest by unique_id; by name and who depends on whom are worked
    out when first asked for. ``document`` is the whole decoded manifest when the cache's
    JSON decoder read it."""

    path: Path
    project_name: str
    adapter_type: str
    nodes: dict[str, DbtNode]
    document: Mapping[str, Any] | None = None
    _by_name: dict[str, list[DbtNode]] | None = field(default=None, repr=False)
    _children: dict[str, list[str]] | None = field(default=None, repr=False)

    @property
    def by_name(self) -> dict[str, list[DbtNode]]:
        """The nodes by name (several nodes may share one)."""
        if self._by_name is None:
            by_name: dict[str, list[DbtNode]] = {}
            for node in self.nodes.values():
                by_name.setdefault(node.name, []).append(node)
            self._by_name = by_name
        return self._by_name

    @property
    def children(self) -> dict[str, list[str]]:
        """The unique_ids of the nodes that depend on each node."""
        if self._children is None:
            children: dict[str, list[str]] = {}
            for node in self.nodes.values():
                for parent in node.depends_on:
                    children.setdefault(parent, []).append(node.unique_id)
            self._children = children
        return self._children

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
    index = index_manifest(path, data, project_dir or path.parent.parent, kept=decoder is not None)
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


def index_manifest(
    path: Path, data: dict[str, Any], project_dir: Path, *, kept: bool = True
) -> ManifestIndex:
    """Build the index from a parsed manifest document.

    Nodes read their fields from their entries in ``data`` when asked; unless the document is
    ``kept`` (as the runtime keeps it for dagster-dbt), each node keeps only the fields it
    reads, so the rest of a large manifest can be freed.
    """
    metadata = data.get("metadata") or {}
    nodes: dict[str, DbtNode] = {}
    for section in ("nodes", "sources"):
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        for uid, raw in entries.items():
            if type(raw) is not dict:
                continue
            resource_type = raw.get("resource_type")
            if resource_type not in _KEPT_TYPES:
                continue
            config = raw.get("config")
            if type(config) is not dict:
                config = _NO_CONFIG
            elif config.get("enabled") is False:
                continue
            if kept:
                nodes[uid] = DbtNode(uid, raw, config, resource_type, project_dir)
            else:
                slim = {key: raw[key] for key in _READ_LATER if key in raw}
                config = {key: config[key] for key in _CONFIG_READ_LATER if key in config}
                nodes[uid] = DbtNode(uid, slim, config, resource_type, project_dir)
    return ManifestIndex(
        path=path,
        project_name=str(metadata.get("project_name") or ""),
        adapter_type=str(metadata.get("adapter_type") or ""),
        nodes=nodes,
    )


_KEPT_TYPES = frozenset({"model", "seed", "snapshot", "source", "test"})
_NO_CONFIG: Mapping[str, Any] = {}
_READ_LATER = (
    "name",
    "package_name",
    "description",
    "columns",
    "original_file_path",
    "group",
    "tags",
    "meta",
    "fqn",
    "source_name",
    "version",
    "alias",
    "attached_node",
    "depends_on",
)
_CONFIG_READ_LATER = ("materialized", "group", "meta")
_NOTHING = (None, "")


def _name(unique_id: str, name: object) -> str:
    """A node's name: its ``name``, else the last part of its unique_id."""
    return str(name or unique_id.rsplit(".", 1)[-1])


@lru_cache(maxsize=256)
def _folder_group(folder: str) -> str:
    """The group of a node in a top folder: the folder's name made a valid group name."""
    return _NOT_GROUP_CHARACTER.sub("_", folder)


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
