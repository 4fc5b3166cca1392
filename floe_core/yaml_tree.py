"""Parse floe.yaml text into a tree of nodes that know their source ranges.

The composer is libyaml's (PyYAML ``CSafeLoader``): the fastest one available, and its
marks count code points. On top of it this module builds plain Python data for the models
and, in the same pass, a node tree for positions. It is tolerant: syntax errors, duplicate
keys, non-scalar keys, runaway nesting and alias bombs become diagnostics, never
exceptions. String scalars are interpolated here (``${VAR:default}``), before any typing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from floe_core.diagnostics import Diagnostic, Severity
from floe_core.interpolation import Interpolated, interpolate, needs_interpolation
from floe_core.positions import Position, Range

MAX_DEPTH = 100
MAX_EXPANDED_NODES = 250_000

_TAG = "tag:yaml.org,2002:"
_TRUE = frozenset({"yes", "true", "on"})
_INT_BASES = {"0b": 2, "0o": 8, "0x": 16}


class Node:
    """A node of the document with its range (0-based lines, code-point columns)."""

    __slots__ = ("end_char", "end_line", "start_char", "start_line")

    def __init__(self, mark: yaml.Node) -> None:
        self.start_line = mark.start_mark.line
        self.start_char = mark.start_mark.column
        self.end_line = mark.end_mark.line
        self.end_char = mark.end_mark.column

    @property
    def range(self) -> Range:
        """The node's span in the document."""
        return Range(
            Position(self.start_line, self.start_char), Position(self.end_line, self.end_char)
        )


class ScalarNode(Node):
    """A scalar: its typed value, the raw text, the YAML tag and quoting style."""

    __slots__ = ("interpolation", "raw", "style", "tag", "value")

    def __init__(self, mark: yaml.ScalarNode, value: Any, tag: str) -> None:
        super().__init__(mark)
        self.raw: str = mark.value
        self.value = value
        self.tag = tag
        self.style: str | None = mark.style
        self.interpolation: Interpolated | None = None

    @property
    def unresolved(self) -> bool:
        """Whether the value depends on an unset variable without a default."""
        return self.interpolation is not None and self.interpolation.unresolved

    @property
    def content_range(self) -> Range:
        """The range of the scalar's text without its quotes."""
        quoted = 1 if self.style in ("'", '"') else 0
        return Range(
            Position(self.start_line, self.start_char + quoted),
            Position(self.end_line, max(self.end_char - quoted, self.start_char + quoted)),
        )

    def span(self, start: int, end: int) -> Range:
        """The range of ``raw[start:end]``, exact for single-line scalars without escapes.

        For other scalars (multi-line, block, escaped) the whole content range is returned.
        """
        content = self.content_range
        if content.is_single_line and content.end.character - content.start.character == len(
            self.raw
        ):
            return content.sub(start, end)
        return content


class MapEntry:
    """One ``key: value`` pair of a mapping."""

    __slots__ = ("key", "value")

    def __init__(self, key: ScalarNode, value: Node) -> None:
        self.key = key
        self.value = value


class MapNode(Node):
    """A mapping; entries keep document order, keys are the raw key text."""

    __slots__ = ("entries", "index")

    def __init__(self, mark: yaml.Node) -> None:
        super().__init__(mark)
        self.entries: list[MapEntry] = []
        self.index: dict[str, MapEntry] = {}

    def get(self, key: str) -> Node | None:
        """The value node under ``key``, if present."""
        entry = self.index.get(key)
        return entry.value if entry else None

    def items(self) -> Iterator[tuple[str, MapEntry]]:
        """``(key, entry)`` pairs in document order (last one wins for duplicates)."""
        yield from self.index.items()


class SeqNode(Node):
    """A sequence."""

    __slots__ = ("items",)

    def __init__(self, mark: yaml.Node) -> None:
        super().__init__(mark)
        self.items: list[Node] = []


@dataclass
class ParsedDocument:
    """The result of parsing: the node tree, plain data, and what went wrong."""

    root: Node | None
    data: Any
    diagnostics: list[Diagnostic] = field(default_factory=list)
    interpolated: list[ScalarNode] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether a tree could be built at all."""
        return self.root is not None


def parse_document(text: str, env: Mapping[str, str]) -> ParsedDocument:
    """Parse ``text`` (one YAML document) into nodes and data; never raises."""
    if text.startswith("\ufeff"):
        text = text[1:]
    too_deep = _depth_problem(text)
    if too_deep is not None:
        return ParsedDocument(None, None, [too_deep])
    try:
        composed = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        return ParsedDocument(None, None, [_syntax_diagnostic(exc, text)])
    except RecursionError:
        return ParsedDocument(None, None, [_nesting_diagnostic(Position(0, 0))])
    if composed is None:
        return ParsedDocument(None, None)
    builder = _Builder(env)
    root, data = builder.build(composed, 0)
    if builder.expansion_error is not None:
        builder.diagnostics.append(builder.expansion_error)
        return ParsedDocument(None, None, builder.diagnostics, builder.interpolated)
    return ParsedDocument(root, data, builder.diagnostics, builder.interpolated)


class _Builder:
    """Walks composed libyaml nodes once, producing our nodes and plain data."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.diagnostics: list[Diagnostic] = []
        self.interpolated: list[ScalarNode] = []
        self.seen: dict[int, tuple[Node, Any, int]] = {}
        self.expanded = 0
        self.expansion_error: Diagnostic | None = None

    def build(self, node: yaml.Node, depth: int) -> tuple[Node, Any]:
        done = self.seen.get(id(node))
        if done is not None:
            self.expanded += done[2]
            if self.expanded > MAX_EXPANDED_NODES and self.expansion_error is None:
                self.expansion_error = Diagnostic(
                    done[0].range,
                    Severity.ERROR,
                    "alias-expansion",
                    f"aliases of this anchor expand to more than {MAX_EXPANDED_NODES:,} values "
                    "(an alias bomb?); floe will not expand it",
                )
            return done[0], done[1]
        before = self.expanded
        ours: Node
        if isinstance(node, yaml.ScalarNode):
            ours, data = self._scalar(node)
            self.expanded += 1
        elif isinstance(node, yaml.MappingNode):
            ours, data = self._mapping(node, depth)
        else:
            assert isinstance(node, yaml.SequenceNode)
            ours, data = self._sequence(node, depth)
        self.seen[id(node)] = (ours, data, self.expanded - before)
        return ours, data

    def _scalar(self, node: yaml.ScalarNode) -> tuple[ScalarNode, Any]:
        tag = node.tag[len(_TAG) :] if node.tag.startswith(_TAG) else "str"
        raw = node.value
        value: Any
        if tag == "str":
            value = raw
        elif tag == "int":
            value = _to_int(raw)
        elif tag == "float":
            value = _to_float(raw)
        elif tag == "bool":
            value = raw.lower() in _TRUE
        elif tag == "null":
            value = None
        else:
            value = raw
        ours = ScalarNode(node, value, tag)
        if tag == "str" and needs_interpolation(raw):
            result = interpolate(raw, self.env)
            ours.interpolation = result
            ours.value = result.value if not result.unresolved else raw
            self.interpolated.append(ours)
        return ours, ours.value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> tuple[MapNode, dict[str, Any]]:
        ours = MapNode(node)
        data: dict[str, Any] = {}
        merged: list[tuple[MapNode, dict[str, Any]]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merged.extend(self._merge_sources(value_node, depth))
                continue
            value, value_data = self.build(value_node, depth + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                self.diagnostics.append(
                    Diagnostic(
                        Node(key_node).range,
                        Severity.ERROR,
                        "yaml-complex-key",
                        "a key must be a plain name, not a list or mapping",
                    )
                )
                continue
            key = ScalarNode(key_node, key_node.value, "str")
            name = key_node.value
            first = ours.index.get(name)
            if first is not None:
                self.diagnostics.append(
                    Diagnostic(
                        key.range,
                        Severity.ERROR,
                        "duplicate-key",
                        f"duplicate key '{name}': it is already defined on line "
                        f"{first.key.start_line + 1}, and YAML would silently keep only this "
                        "one; rename or remove one of them",
                    )
                )
            entry = MapEntry(key, value)
            ours.entries.append(entry)
            ours.index[name] = entry
            data[name] = value_data
        for source, source_data in merged:
            for name, entry in source.index.items():
                if name not in ours.index:
                    ours.index[name] = entry
                    data[name] = source_data[name]
        return ours, data

    def _merge_sources(
        self, value_node: yaml.Node, depth: int
    ) -> list[tuple[MapNode, dict[str, Any]]]:
        candidates = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        sources: list[tuple[MapNode, dict[str, Any]]] = []
        for candidate in candidates:
            built, built_data = self.build(candidate, depth + 1)
            if isinstance(built, MapNode):
                sources.append((built, built_data))
            else:
                self.diagnostics.append(
                    Diagnostic(
                        built.range,
                        Severity.ERROR,
                        "yaml-merge",
                        "a merge key '<<' takes a mapping (or a list of mappings), "
                        "usually an alias such as '<<: *defaults'",
                    )
                )
        return sources

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> tuple[SeqNode, list[Any]]:
        ours = SeqNode(node)
        data: list[Any] = []
        for item in node.value:
            built, built_data = self.build(item, depth + 1)
            ours.items.append(built)
            data.append(built_data)
        return ours, data


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


def _depth_problem(text: str) -> Diagnostic | None:
    """Refuse runaway nesting before libyaml's recursive composer can crash on it."""
    bound = text.count("[") + text.count("{") + max(map(len, text.splitlines()), default=0)
    if bound <= MAX_DEPTH:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    mark = event.start_mark
                    return _nesting_diagnostic(Position(mark.line, mark.column))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _nesting_diagnostic(position: Position) -> Diagnostic:
    return Diagnostic(
        Range(position, Position(position.line, position.character + 1)),
        Severity.ERROR,
        "yaml-too-deep",
        f"the document nests more than {MAX_DEPTH} levels deep here; a floe.yaml never "
        "needs that many (is a bracket or indentation runaway?)",
    )


_HINTS = (
    (
        "mapping values are not allowed here",
        "is a ':' missing a space after it, or is the line indented too far?",
    ),
    (
        "expected a single document",
        "a floe.yaml holds one document: remove the '---' separator or split the file",
    ),
    ("could not find expected ':'", "a key needs a ':' after it"),
    ("found undefined alias", "define the anchor (&name) before using the alias (*name)"),
)


def _syntax_diagnostic(exc: yaml.YAMLError, text: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        position = Position(mark.line, mark.column)
    else:
        offset = getattr(exc, "position", 0) or 0
        before = text[:offset]
        line = before.count("\n")
        position = Position(line, offset - (before.rfind("\n") + 1))
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    lines = text.splitlines()
    line_text = lines[position.line] if position.line < len(lines) else ""
    if "\t" in line_text[: position.character + 1]:
        message += "; YAML indentation must use spaces, not tabs"
    else:
        for needle, hint in _HINTS:
            if needle in str(exc):
                message += f"; {hint}"
                break
    message = re.sub(r"\s+", " ", message)
    end = Position(position.line, position.character + 1)
    return Diagnostic(Range(position, end), Severity.ERROR, "yaml-syntax", message)
