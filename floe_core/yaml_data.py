"""Plain Python data from libyaml's node tree: what the models validate.

One tight walk converts scalars by their YAML 1.1 tags, interpolates string scalars
(``${VAR:default}``), expands aliases and merge keys, and reports duplicate and non-scalar
keys; the number of values produced is capped, which stops alias bombs after a bounded
amount of work, and so is the depth.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from floe_core.diagnostics import Diagnostic, Severity
from floe_core.interpolation import Interpolated, interpolate
from floe_core.source_lines import SourceLines
from floe_core.yaml_problems import MAX_DEPTH, nesting_diagnostic

MAX_EXPANDED_NODES = 250_000

_TAG = "tag:yaml.org,2002:"
STR_TAG = _TAG + "str"
MERGE_TAG = _TAG + "merge"
_TRUE = frozenset({"yes", "true", "on"})
_INT_BASES = {"0b": 2, "0o": 8, "0x": 16}
_SHORT_TAGS = {_TAG + short: short for short in ("str", "int", "float", "bool", "null")}


class RefusedError(Exception):
    """The document is too deep or expands too far to be walked."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class DataBuilder:
    """One tight walk over libyaml's nodes producing plain Python data.

    Aliases are expanded (the models need plain data); the number of values produced is
    capped, which stops alias bombs after a bounded amount of work. Scalars, most of any
    document, are converted in the loop of their collection rather than by a call each.
    """

    def __init__(
        self, env: Mapping[str, str], lines: SourceLines, interpolations: dict[int, Interpolated]
    ) -> None:
        self.env = env
        self.lines = lines
        self.interpolations = interpolations
        self.diagnostics: list[Diagnostic] = []
        self.interpolated: list[tuple[yaml.ScalarNode, Interpolated]] = []
        self.produced = 0
        self._interpolations: dict[str, Interpolated] = {}

    def data(self, node: yaml.Node, depth: int) -> Any:
        kind = node.__class__
        if kind is yaml.ScalarNode:
            return self._scalar(node)  # type: ignore[arg-type]
        self.produced += len(node.value) + 1
        if self.produced > MAX_EXPANDED_NODES:
            raise RefusedError(
                Diagnostic(
                    self.lines.range(node),
                    Severity.ERROR,
                    "alias-expansion",
                    f"the document expands to more than {MAX_EXPANDED_NODES:,} values (an alias "
                    "bomb?); floe will not expand it",
                )
            )
        if depth > MAX_DEPTH:
            raise RefusedError(nesting_diagnostic(self.lines.position(node.start_mark)))
        if kind is yaml.SequenceNode:
            scalar = self._scalar
            return [
                scalar(item) if item.__class__ is yaml.ScalarNode else self.data(item, depth + 1)
                for item in node.value
            ]
        return self._mapping(node, depth)  # type: ignore[arg-type]

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        raw = node.value
        if node.tag == STR_TAG:
            return self._interpolate(node) if "${" in raw else raw
        return convert(short_tag(node.tag), raw)

    def _interpolate(self, node: yaml.ScalarNode) -> Any:
        raw = node.value
        result = self._interpolations.get(raw)
        if result is None:
            result = self._interpolations[raw] = interpolate(raw, self.env)
        self.interpolations[id(node)] = result
        self.interpolated.append((node, result))
        return raw if result.unresolved else result.value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            plain_key = key_node.__class__ is yaml.ScalarNode
            if plain_key and key_node.value == "<<" and key_node.tag == MERGE_TAG:
                merges.append(value_node)
                continue
            if value_node.__class__ is yaml.ScalarNode:
                raw = value_node.value
                if value_node.tag != STR_TAG:
                    value = convert(short_tag(value_node.tag), raw)
                elif "${" in raw:
                    value = self._interpolate(value_node)
                else:
                    value = raw
            else:
                value = self.data(value_node, depth + 1)
            if not plain_key:
                self.diagnostics.append(
                    Diagnostic(
                        self.lines.range(key_node),
                        Severity.ERROR,
                        "yaml-complex-key",
                        "a key must be a plain name, not a list or mapping",
                    )
                )
                continue
            name = key_node.value
            if name in data:
                self.diagnostics.append(_duplicate(node, key_node, name, self.lines))
            data[name] = value
        for merge in merges:
            for source in merge_sources(merge):
                merged = self.data(source, depth + 1)
                if isinstance(merged, dict):
                    for name, value in merged.items():
                        data.setdefault(name, value)
                else:
                    self.diagnostics.append(
                        Diagnostic(
                            self.lines.range(source),
                            Severity.ERROR,
                            "yaml-merge",
                            "a merge key '<<' takes a mapping (or a list of mappings), "
                            "usually an alias such as '<<: *defaults'",
                        )
                    )
        return data


def _duplicate(
    mapping: yaml.MappingNode, key_node: yaml.Node, name: str, lines: SourceLines
) -> Diagnostic:
    first_line = next(
        lines.position(key.start_mark).line
        for key, _ in mapping.value
        if isinstance(key, yaml.ScalarNode) and key.value == name
    )
    return Diagnostic(
        lines.range(key_node),
        Severity.ERROR,
        "duplicate-key",
        f"duplicate key '{name}': it is already defined on line {first_line + 1}, and YAML "
        "would silently keep only this one; rename or remove one of them",
    )


def merge_sources(value: yaml.Node) -> list[yaml.Node]:
    return list(value.value) if isinstance(value, yaml.SequenceNode) else [value]


def short_tag(tag: str) -> str:
    short = _SHORT_TAGS.get(tag)
    if short is None:
        short = tag[len(_TAG) :] if tag.startswith(_TAG) else "str"
    return short


def convert(tag: str, raw: str) -> Any:
    if tag == "str":
        return raw
    if tag == "int":
        return _to_int(raw)
    if tag == "float":
        return _to_float(raw)
    if tag == "bool":
        return raw.lower() in _TRUE
    if tag == "null":
        return None
    return raw


def _to_int(raw: str) -> int | str:
    text = raw.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        base = _INT_BASES.get(text[:2].lower())
        if base:
            return sign * int(text[2:], base)
        if ":" in text:
            total = 0
            for part in text.split(":"):
                total = total * 60 + int(part)
            return sign * total
        if len(text) > 1 and text.startswith("0"):
            return sign * int(text, 8)
        return sign * int(text)
    except ValueError:
        return raw


def _to_float(raw: str) -> float | str:
    text = raw.replace("_", "").lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    try:
        return float(text)
    except ValueError:
        return raw
