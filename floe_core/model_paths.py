"""Which model (and field) a path into floe.yaml denotes, read off the pydantic models.

Used to explain schema errors ("unknown key in a batch job; expected ...") and by the
language server to offer keys and documentation at a position. A path may carry the tag of
a tagged union as a step (pydantic error locations do); otherwise ``type_of`` tells the
``type`` value found in the document at a path prefix.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from floe_core.models import FloeSpec

TypeOf = Callable[[tuple[str | int, ...]], str | None]


def annotation_at(path: Sequence[str | int], type_of: TypeOf | None = None) -> Any:
    """The type annotation of the value at ``path`` (None when the path leaves the models)."""
    current: Any = FloeSpec
    consumed: list[str | int] = []
    for step in path:
        current = strip(current)
        if is_union(current) and union_members(current):
            member = member_by_tag(current, step)
            if member is not None:
                current = member
                continue
            tag = type_of(tuple(consumed)) if type_of else None
            member = member_by_tag(current, tag)
            if member is None:
                return None
            current = member
        current = _child(current, step)
        if current is None:
            return None
        consumed.append(step)
    return current


def model_at(path: Sequence[str | int], type_of: TypeOf | None = None) -> type[BaseModel] | None:
    """The model class of the mapping at ``path``, if it is one."""
    annotation = strip(annotation_at(path, type_of))
    if is_union(annotation):
        tag = type_of(tuple(path)) if type_of else None
        annotation = member_by_tag(annotation, tag)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def field_at(path: Sequence[str | int], type_of: TypeOf | None = None) -> FieldInfo | None:
    """The pydantic field a path ends on (a field of its parent model), if any."""
    if not path or not isinstance(path[-1], str):
        return None
    parent = model_at(path[:-1], type_of)
    return parent.model_fields.get(path[-1]) if parent else None


def union_members(annotation: Any) -> list[type[BaseModel]]:
    """The model classes of a (possibly annotated, optional) union annotation."""
    annotation = strip(annotation)
    if is_union(annotation):
        return [m for m in get_args(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def member_by_tag(annotation: Any, tag: object) -> type[BaseModel] | None:
    """The member of a tagged union whose ``type`` is ``tag``."""
    if not isinstance(tag, str):
        return None
    for member in union_members(annotation):
        if type_tag(member) == tag:
            return member
    return None


def literal_values(annotation: Any) -> list[str]:
    """The allowed values of a Literal annotation (also inside Optional/Annotated/unions)."""
    annotation = strip(annotation)
    if get_origin(annotation) is Literal:
        return [str(v) for v in get_args(annotation)]
    if is_union(annotation):
        values: list[str] = []
        for member in get_args(annotation):
            values.extend(literal_values(member))
        return values
    return []


def type_tag(model: type[BaseModel]) -> str | None:
    """The value of a model's ``type`` Literal (its tag in a tagged union)."""
    info = model.model_fields.get("type")
    values = literal_values(info.annotation) if info else []
    return values[0] if len(values) == 1 else None


def strip(annotation: Any) -> Any:
    """Remove Annotated wrappers and a lone Optional."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if is_union(annotation):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return strip(args[0])
    return annotation


def is_union(annotation: Any) -> bool:
    """Whether an annotation is a Union (either spelling)."""
    return get_origin(annotation) in (Union, types.UnionType)


def _child(current: Any, step: str | int) -> Any:
    if isinstance(current, type) and issubclass(current, BaseModel):
        info = current.model_fields.get(str(step))
        return info.annotation if info else None
    origin = get_origin(current)
    if origin is dict:
        return get_args(current)[1]
    if origin is list:
        return get_args(current)[0]
    return None
