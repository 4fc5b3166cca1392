"""Turn pydantic validation errors into diagnostics at the offending source range.

Every error location is mapped to a node; when the exact node is absent (a missing key)
the nearest ancestor's key is used. Messages say what is wrong, where, and what would be
right, with a did-you-mean fix where one is obvious.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic_core import ErrorDetails

from floe_core.diagnostics import Diagnostic, Fix, Severity, TextEdit, replace_fix
from floe_core.model_paths import field_at, literal_values, model_at, union_members
from floe_core.positions import Position, Range
from floe_core.suggestions import closest, did_you_mean, one_of
from floe_core.tree_paths import Lookup, lookup
from floe_core.yaml_tree import MapNode, Node, ScalarNode

_NOUNS = {
    "partitions": "partition",
    "jobs": "job",
    "schedules": "schedule",
    "sensors": "sensor",
    "backfills": "backfill",
    "assets": "asset pattern",
}


def describe(path: Sequence[str | int]) -> str:
    """A human name for the place a path denotes: "job 'nightly'", "the dbt section"."""
    if len(path) >= 3 and path[0] == "orchestration" and path[1] in _NOUNS:
        return f"{_NOUNS[str(path[1])]} '{path[2]}'"
    if len(path) >= 2 and path[0] == "orchestration":
        return f"the orchestration '{path[1]}' section"
    if path and path[0] == "orchestration":
        return "the orchestration section"
    if path:
        return f"'{path[0]}'"
    return "the top level of floe.yaml"


def schema_diagnostics(
    errors: Iterable[ErrorDetails], root: Node, prefix: tuple[str | int, ...] = ()
) -> list[Diagnostic]:
    """One diagnostic per distinct problem; errors on unresolved ``${VAR}`` values are dropped."""
    out: list[Diagnostic] = []
    seen: set[tuple[Range, str]] = set()
    for error in errors:
        loc = (*prefix, *error["loc"])
        found = lookup(root, loc)
        if isinstance(found.node, ScalarNode) and found.node.unresolved:
            continue
        diagnostic = _translate(error, loc, found)
        key = (diagnostic.range, diagnostic.code)
        if key not in seen:
            seen.add(key)
            out.append(diagnostic)
    return out


def _translate(error: ErrorDetails, loc: tuple[str | int, ...], found: Lookup) -> Diagnostic:
    kind = error["type"]
    if kind == "missing":
        return _missing(loc, found)
    if kind == "extra_forbidden":
        return _unknown_key(loc, found)
    if kind == "union_tag_invalid":
        return _bad_tag(error, loc, found)
    if kind == "union_tag_not_found":
        return _no_tag(error, loc, found)
    node = found.node
    field_path = _field_path(loc, found)
    field_name = next((str(s) for s in reversed(field_path) if isinstance(s, str)), "value")
    if kind == "literal_error" or (found.missing and isinstance(node, ScalarNode)):
        return _bad_choice(field_path, field_name, node)
    message, fixes = _message(kind, error, field_name, node)
    return Diagnostic(node.range, Severity.ERROR, _code(kind), message, fixes)


def _field_path(loc: tuple[str | int, ...], found: Lookup) -> tuple[str | int, ...]:
    return loc[: len(loc) - len(found.missing)] if found.missing else loc


def _missing(loc: tuple[str | int, ...], found: Lookup) -> Diagnostic:
    field_name = str(loc[-1])
    owner = loc[:-1]
    info = field_at(loc)
    purpose = f" ({_first_sentence(info.description)})" if info and info.description else ""
    anchor = found.entry.key.range if found.entry else _line_start(found.node)
    fixes: tuple[Fix, ...] = ()
    if isinstance(found.node, MapNode) and found.node.entries:
        first = found.node.entries[0].key
        at = Range(
            Position(first.start_line, first.start_char),
            Position(first.start_line, first.start_char),
        )
        indent = " " * first.start_char
        fixes = (
            Fix(
                f"Add the required key '{field_name}'", (TextEdit(at, f"{field_name}: \n{indent}"),)
            ),
        )
    return Diagnostic(
        anchor,
        Severity.ERROR,
        "missing-key",
        f"{describe(owner)} is missing the required key '{field_name}'{purpose}",
        fixes,
    )


def _unknown_key(loc: tuple[str | int, ...], found: Lookup) -> Diagnostic:
    key = str(loc[-1])
    owner = loc[:-1]
    model = model_at(owner)
    allowed = list(model.model_fields) if model else []
    anchor = found.entry.key.range if found.entry else found.node.range
    best = closest(key, allowed)
    fixes = replace_fix(f"Rename '{key}' to '{best}'", anchor, best) if best else ()
    hint = f"; did you mean '{best}'?" if best else f"; expected {one_of(allowed, limit=12)}"
    return Diagnostic(
        anchor,
        Severity.ERROR,
        "unknown-key",
        f"unknown key '{key}' in {describe(owner)}{hint}",
        fixes,
    )


def _bad_tag(error: ErrorDetails, loc: tuple[str | int, ...], found: Lookup) -> Diagnostic:
    ctx = error.get("ctx") or {}
    tag = str(ctx.get("tag", ""))
    expected = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
    node = found.node.get("type") if isinstance(found.node, MapNode) else None
    target = node if node is not None else found.node
    noun = _NOUNS.get(str(loc[1]), "entry") if len(loc) > 1 else "entry"
    if tag == "multi" and len(loc) > 4 and loc[1] == "partitions":
        return Diagnostic(
            target.range,
            Severity.ERROR,
            "unknown-type",
            "a multi partition cannot contain another multi partition: each of its two "
            f"dimensions is {one_of(expected)}",
        )
    best = closest(tag, expected)
    fixes = replace_fix(f"Change to '{best}'", _content(target), best) if best else ()
    return Diagnostic(
        target.range,
        Severity.ERROR,
        "unknown-type",
        f"'{tag}' is not a {noun} type: expected {one_of(expected)}{did_you_mean(tag, expected)}",
        fixes,
    )


def _no_tag(error: ErrorDetails, loc: tuple[str | int, ...], found: Lookup) -> Diagnostic:
    ctx = error.get("ctx") or {}
    expected = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
    anchor = found.entry.key.range if found.entry else found.node.range
    return Diagnostic(
        anchor,
        Severity.ERROR,
        "missing-key",
        f"{describe(loc)} needs a 'type': one of {one_of(expected)}",
    )


def _bad_choice(path: tuple[str | int, ...], field_name: str, node: Node) -> Diagnostic:
    info = field_at(path)
    annotation = info.annotation if info else None
    choices = literal_values(annotation)
    shown = node.raw if isinstance(node, ScalarNode) else "this value"
    expected = one_of(choices) if choices else "a valid value"
    if union_members(annotation):
        expected += " or a mapping" if choices else ""
    best = closest(shown, choices) if choices else None
    fixes = replace_fix(f"Change to '{best}'", _content(node), best) if best else ()
    suffix = f"; did you mean '{best}'?" if best else ""
    return Diagnostic(
        node.range,
        Severity.ERROR,
        "invalid-value",
        f"'{shown}' is not a valid {field_name}: expected {expected}{suffix}",
        fixes,
    )


def _message(
    kind: str, error: ErrorDetails, field_name: str, node: Node
) -> tuple[str, tuple[Fix, ...]]:
    value: Any = error.get("input")
    ctx = error.get("ctx") or {}
    raw = _shown(node) if isinstance(node, ScalarNode) else str(value)
    origin = _origin(node)
    if kind in ("bool_parsing", "bool_type"):
        return f"'{field_name}' must be true or false, got '{raw}'{origin}", ()
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{field_name}' must be a whole number, got '{raw}'{origin}", ()
    if kind == "greater_than":
        return f"'{field_name}' must be greater than {ctx.get('gt')}, got {raw}{origin}", ()
    if kind == "string_type" and isinstance(value, bool):
        return (
            f"'{field_name}' expects text, but YAML reads unquoted {raw} as the boolean "
            f'{str(value).lower()}; quote it: "{raw}"',
            replace_fix(f'Quote "{raw}"', node.range, f'"{raw}"'),
        )
    if kind == "string_type":
        return f"'{field_name}' expects text, got {_kind_of(node, value)}", ()
    if kind == "too_short":
        return f"'{field_name}' needs at least one item", ()
    if kind == "string_too_short":
        return f"'{field_name}' must not be empty", ()
    if kind == "string_too_long":
        return (
            f"'{field_name}' is {len(str(value))} characters long; "
            f"at most {ctx.get('max_length')} are allowed",
            (),
        )
    if kind == "string_pattern_mismatch":
        return _pattern_message(field_name, raw), ()
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (
            f"'{field_name}' must be a mapping of keys to values, got {_kind_of(node, value)}",
            (),
        )
    if kind == "list_type":
        fixes: tuple[Fix, ...] = ()
        if isinstance(node, ScalarNode) and node.range.is_single_line:
            fixes = replace_fix("Make it a list", node.range, f"[{_source(node)}]")
        return f"'{field_name}' must be a list, got {_kind_of(node, value)}", fixes
    return f"'{field_name}': {error['msg']}", ()


def _pattern_message(field_name: str, raw: str) -> str:
    if field_name in ("target_function", "fn"):
        return (
            f"'{raw}' is not a function reference: write 'package.module.function' "
            "(a dotted Python path ending in the function's name)"
        )
    if field_name == "group_name":
        return f"'{raw}' is not a valid group name: use letters, digits and underscores"
    return f"'{raw}' is not a valid {field_name}"


def _kind_of(node: Node, value: Any) -> str:
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(node, MapNode):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"'{value}'"


def _origin(node: Node) -> str:
    if isinstance(node, ScalarNode) and node.interpolation is not None:
        return f" (from '{node.raw}')"
    return ""


def _shown(node: ScalarNode) -> str:
    """The value as the user wrote it, or as interpolation resolved it."""
    return str(node.value) if node.interpolation is not None else node.raw


def _source(node: ScalarNode) -> str:
    quote = node.style if node.style in ("'", '"') else ""
    return f"{quote}{node.raw}{quote}"


def _content(node: Node) -> Range:
    return node.content_range if isinstance(node, ScalarNode) else node.range


def _line_start(node: Node) -> Range:
    start = Position(node.start_line, node.start_char)
    return Range(start, Position(node.start_line, node.start_char + 1))


def _first_sentence(text: str) -> str:
    sentence = re.split(r"\. |: |, e\.g\.", text, maxsplit=1)[0].rstrip(".")
    if len(sentence) > 90:
        sentence = sentence[:87].rsplit(" ", 1)[0] + "..."
    return sentence[0].lower() + sentence[1:] if sentence else sentence


def _code(kind: str) -> str:
    if kind.startswith(("bool", "int", "string_type", "dict", "model", "list", "float")):
        return "wrong-type"
    return "invalid-value"
