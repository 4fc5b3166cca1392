"""What the document expects at the cursor: which keys, which entity name, which value.

floe_core.cursor_path says where the cursor is (a YAML path and the token being typed, even
on text that does not parse); this module reads the pydantic models at that path to say
what belongs there: the keys of a model, the name of a new job or schedule, an enum value,
or a reference of some kind (job, partition, asset, timezone, function, module, selection).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from floe_core.cursor_path import CursorPath, cursor_path, tree_cursor
from floe_core.model_paths import (
    annotation_at,
    field_at,
    literal_values,
    model_at,
    strip,
    type_tag,
    union_members,
)
from floe_core.positions import Position
from floe_core.tree_paths import PathItem
from floe_core.yaml_tree import Node

Expect = Literal["keys", "entity", "value", "none"]

REFERENCE_FIELDS: dict[str, str] = {
    "job": "job",
    "watched_jobs": "job",
    "watched_assets": "asset",
    "partitions": "partition",
    "timezone": "timezone",
    "target_function": "function",
    "fn": "function",
    "asset_modules": "module",
    "selection": "selection",
    "partition_selector": "partition_selector",
    "cron_schedule": "cron",
}
"""The kind of value each field names (by field name; the models make them unambiguous)."""

ENTITY_SECTIONS = frozenset({"partitions", "assets", "jobs", "schedules", "sensors", "backfills"})


@dataclass(frozen=True)
class CursorContext:
    """The cursor and what belongs under it.

    ``expect`` is "keys" (``models`` lists the model the mapping is, or every member of a
    tagged union whose ``type`` is not written yet), "entity" (a new name in the
    ``section`` mapping: jobs, schedules, ..., "assets" for patterns, "dimensions" for a
    multi partition), "value" (``field_name``'s value or list item: ``enum_values`` and/or a
    ``reference`` kind) or "none".
    """

    cursor: CursorPath
    expect: Expect
    mapping_path: tuple[PathItem, ...] = ()
    models: tuple[type[BaseModel], ...] = ()
    section: str | None = None
    field_name: str | None = None
    field: FieldInfo | None = None
    enum_values: tuple[str, ...] = ()
    reference: str | None = None
    list_item: bool = False
    add_dash: bool = False

    @property
    def present_keys(self) -> frozenset[str]:
        """Keys already written in the mapping under the cursor."""
        return self.cursor.siblings


def context_at(text: str, position: Position, root: Node | None = None) -> CursorContext:
    """What belongs at ``position`` (code-point columns) of ``text``; never raises.

    ``root`` is the node tree of ``text`` when it parsed: inside a flow mapping, which the
    line-based reading cannot see into (or sees without the ``type`` of the mapping), and in
    a flow collection spread over several lines, the cursor is read off the tree instead.
    """
    cursor = cursor_path(text, position)
    if root is not None and (
        cursor.in_flow or (cursor.role == "value" and cursor.text.startswith("{"))
    ):
        cursor = tree_cursor(root, position) or cursor
    if cursor.role == "none":
        return CursorContext(cursor, "none")
    if cursor.as_item is not None and not models_at(cursor.as_item, cursor.as_item.path):
        cursor = cursor.as_item
    if cursor.role == "item" and not cursor.in_flow:
        models = models_at(cursor, cursor.path)
        if models and ":" not in cursor.prefix:
            return CursorContext(cursor, "keys", cursor.path, models)
        return _value(cursor, cursor.path[:-1], list_item=True)
    if cursor.role == "item":
        return _value(cursor, cursor.path[:-1], list_item=True)
    if cursor.role == "value":
        return _value(cursor, cursor.path, list_item=False)
    return _keys(cursor)


def _keys(cursor: CursorPath) -> CursorContext:
    path = cursor.path
    annotation = strip(annotation_at(path, cursor.type_of)) if path else None
    origin = get_origin(annotation)
    if origin is list:
        return _value(cursor, path, list_item=True, add_dash=True)
    if origin is dict and path:
        return CursorContext(cursor, "entity", path, section=_section(path))
    models = models_at(cursor, path)
    if not models:
        return CursorContext(cursor, "none")
    return CursorContext(cursor, "keys", path, models)


def _section(path: tuple[PathItem, ...]) -> str:
    """The entity section a dict-valued path is: 'jobs', ..., or 'dimensions' (multi)."""
    if len(path) == 2 and path[0] == "orchestration" and path[1] in ENTITY_SECTIONS:
        return str(path[1])
    if path[-1] == "partitions":
        return "dimensions"
    return str(path[-1])


def models_at(cursor: CursorPath, path: tuple[PathItem, ...]) -> tuple[type[BaseModel], ...]:
    """The model of the mapping at ``path``; every union member when its type is unknown."""
    model = model_at(path, cursor.type_of)
    if model is not None:
        return (model,)
    members = union_members(annotation_at(path, cursor.type_of)) if path else []
    return tuple(members)


def _value(
    cursor: CursorPath,
    field_path: tuple[PathItem, ...],
    *,
    list_item: bool,
    add_dash: bool = False,
) -> CursorContext:
    if not field_path or not isinstance(field_path[-1], str):
        return CursorContext(cursor, "none")
    name = field_path[-1]
    mapping = field_path[:-1]
    if name == "type" and not list_item:
        return CursorContext(
            cursor,
            "value",
            mapping,
            field_name=name,
            field=field_at(field_path, cursor.type_of),
            enum_values=tuple(_type_tags(cursor, mapping, field_path)),
        )
    annotation: Any = annotation_at(field_path, cursor.type_of)
    if list_item:
        annotation = _item_annotation(annotation)
    values = literal_values(annotation)
    if strip(annotation) is bool:
        values = ["true", "false"]
    reference = REFERENCE_FIELDS.get(name)
    if reference == "partition" and strip(annotation) is not str:
        reference = None
    if reference in ("asset", "selection", "module", "job") and not list_item and name != "job":
        reference = None
    return CursorContext(
        cursor,
        "value",
        mapping,
        field_name=name,
        field=field_at(field_path, cursor.type_of),
        enum_values=tuple(values),
        reference=reference,
        list_item=list_item,
        add_dash=add_dash,
    )


def _item_annotation(annotation: Any) -> Any:
    stripped = strip(annotation)
    if get_origin(stripped) is list:
        args = getattr(stripped, "__args__", ())
        return args[0] if args else Any
    return None


def _type_tags(
    cursor: CursorPath, mapping: tuple[PathItem, ...], field_path: tuple[PathItem, ...]
) -> list[str]:
    """The values ``type`` may take in the mapping at ``mapping``."""
    members = union_members(annotation_at(mapping, cursor.type_of)) if mapping else []
    tags = [tag for tag in (type_tag(m) for m in members) if tag]
    if tags:
        return tags
    info = field_at(field_path, cursor.type_of)
    if info is None and len(members) == 1:
        info = members[0].model_fields.get("type")
    return literal_values(info.annotation) if info else []
