"""The JSON Schema of floe.yaml, generated from the models (their descriptions included).

Editors without floe-lsp (yaml-language-server, JetBrains) validate and complete floe.yaml
with it. Three adjustments make pydantic's output serve them well:

- discriminated unions stay ``oneOf`` lists whose members pin ``type`` with both ``const``
  and a one-value ``enum`` (completion offers it), without OpenAPI's ``discriminator`` key;
- every boolean, number, enum or patterned string field also accepts a string holding
  ``${VAR...}``, because interpolation runs before typing (``enabled: "${SCHEDULE_ENABLED:true}"``
  and ``target: "${DBT_TARGET:dev}"`` are valid);
- the document carries ``$schema``, ``$id`` and ``title``.
"""

from __future__ import annotations

from typing import Any

from floe_core.models import FloeSpec

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "https://floe.dev/schemas/floe.schema.json"
SCHEMA_TITLE = "floe.yaml"

INTERPOLATED_STRING: dict[str, Any] = {
    "type": "string",
    "pattern": r"\$\{",
    "description": "A ${VAR}, ${VAR:default} or ${VAR:-default} expression, resolved before "
    "the value is typed.",
}

_TYPED_SCALARS = frozenset({"boolean", "integer", "number"})
_OUTER_KEYS = frozenset({"title", "description", "default", "examples"})


def floe_json_schema() -> dict[str, Any]:
    """The JSON Schema of floe.yaml, ready to be written to schemas/floe.schema.json."""
    generated = FloeSpec.model_json_schema()
    body = _adjusted(generated)
    head: dict[str, Any] = {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, "title": SCHEMA_TITLE}
    body.pop("title", None)
    return {**head, **body}


def _adjusted(node: Any) -> Any:
    """A deep copy of a schema node with the adjustments of the module docstring."""
    if isinstance(node, list):
        return [_adjusted(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "discriminator":
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _property(name, schema) for name, schema in value.items()}
        else:
            out[key] = _adjusted(value)
    return out


def _property(name: str, schema: Any) -> Any:
    """One property of an object schema: ``type`` constants pinned, typed values interpolable."""
    adjusted = _adjusted(schema)
    if not isinstance(adjusted, dict):
        return adjusted
    if name == "type" and "const" in adjusted:
        return {**adjusted, "enum": [adjusted["const"]]}
    return _interpolable(adjusted)


def _interpolable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` extended to also accept a string with ``${...}`` where it takes no strings."""
    branches = schema.get("anyOf")
    if isinstance(branches, list):
        if any(_typed(branch) for branch in branches if isinstance(branch, dict)):
            return {**schema, "anyOf": [*branches, INTERPOLATED_STRING]}
        return schema
    if not _typed(schema):
        return schema
    outer = {key: value for key, value in schema.items() if key in _OUTER_KEYS}
    inner = {key: value for key, value in schema.items() if key not in _OUTER_KEYS}
    return {**outer, "anyOf": [inner, INTERPOLATED_STRING]}


def _typed(schema: dict[str, Any]) -> bool:
    """Whether a schema admits values only of a non-string type, or only some strings."""
    return (
        schema.get("type") in _TYPED_SCALARS
        or "enum" in schema
        or "const" in schema
        or "pattern" in schema
    )
