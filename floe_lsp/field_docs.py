"""What the models say about a key: its description, a readable type, default and whether it
is required. Completion documentation and key hovers both read it from here, so the text a
user sees is the model's field description (the one place descriptions live)."""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from floe_core.model_paths import literal_values, type_tag, union_members

_SCALARS: dict[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    Any: "any value",
}


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """One key of one model, described for people."""

    name: str
    description: str
    type_label: str
    required: bool
    default: str | None

    def summary(self) -> str:
        """``type, required`` or ``type, default: x``."""
        if self.required:
            return f"{self.type_label}, required"
        if self.default is not None:
            return f"{self.type_label}, default: {self.default}"
        return f"{self.type_label}, optional"


def field_doc(name: str, info: FieldInfo) -> FieldDoc:
    """Describe ``info`` (the field ``name`` of some model)."""
    return FieldDoc(
        name=name,
        description=info.description or "",
        type_label=type_label(info.annotation),
        required=info.is_required(),
        default=_default(info),
    )


def model_fields(model: type[BaseModel]) -> list[FieldDoc]:
    """The keys of ``model`` in declaration order, required ones first."""
    docs = [field_doc(name, info) for name, info in model.model_fields.items()]
    return [d for d in docs if d.required] + [d for d in docs if not d.required]


def type_label(annotation: Any) -> str:
    """A readable type: "string", "list of strings", "'eager' | 'on_cron'", "job mapping"."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if origin is Literal:
        return " | ".join(f"'{value}'" for value in literal_values(annotation))
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        models = union_members(annotation)
        if models and len(models) == len(members) and all(type_tag(m) for m in models):
            return " | ".join(f"'{type_tag(m)}'" for m in models) + " (by type)"
        return " or ".join(type_label(member) for member in members)
    if origin is list:
        (item,) = get_args(annotation) or (Any,)
        return f"list of {_plural(type_label(item))}"
    if origin is dict:
        value = get_args(annotation)[1] if get_args(annotation) else Any
        return f"mapping of names to {_plural(type_label(value))}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        tag = type_tag(annotation)
        return f"'{tag}' {_words(annotation.__name__)}" if tag else _words(annotation.__name__)
    return _SCALARS.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _plural(label: str) -> str:
    if label.endswith(("string", "integer", "number", "boolean", "definition")):
        return label + "s"
    return label


def _words(class_name: str) -> str:
    """``TimeWindowPartition`` -> ``time window partition``."""
    out = "".join(f" {c.lower()}" if c.isupper() else c for c in class_name).strip()
    return out.replace("dbt config", "dbt settings").replace(" config", " settings")


def _default(info: FieldInfo) -> str | None:
    if info.is_required():
        return None
    if info.default_factory is not None:
        return None
    value = info.default
    if value is PydanticUndefined or value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
