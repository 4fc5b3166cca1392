"""Parse floe.yaml text into a tree of nodes that know their source ranges.

The composer is libyaml's (PyYAML ``CSafeLoader``): the fastest one available, and its
marks count code points. On top of it this module builds plain Python data for the models
and, in the same pass, a node tree for positions. It is tolerant: syntax errors, duplicate
keys, non-scalar keys, runaway nesting and alias bombs become diagnostics, never
exceptions. String scalars are interpolated here (``${VAR:default}``), before any typing.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from floe_core.diagnostics import Diagnostic, Severity
from floe_core.interpolation import Interpolated, interpolate
from floe_core.positions import Position, Range
from floe_core.source_lines import SourceLines
from floe_core.yaml_problems import (
    MAX_DEPTH,
    depth_problem,
    nesting_diagnostic,
    surrogate_problem,
    syntax_diagnostic,
)

MAX_EXPANDED_NODES = 250_000

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MERGE = _TAG + "merge"
_TRUE = frozenset({"yes", "true", "on"})
_INT_BASES = {"0b": 2, "0o": 8, "0x": 16}


class Node:
    """A node of the document with its range (0-based lines, code-point columns).

    Nodes are thin views over libyaml's composed nodes, made on first access and memoized
    per document (so the same YAML node is always the same Node object). The libyaml marks
    are read only when a range is asked for: most nodes of a large file never need one.
    """

    __slots__ = ("__weakref__", "_end", "_start", "_tree", "_ynode")

    def __init__(self, ynode: yaml.Node, tree: _Tree) -> None:
        self._ynode = ynode
        self._tree = tree
        self._start = ynode.start_mark
        self._end = ynode.end_mark

    @property
    def start_line(self) -> int:
        """0-based line of the node's first character."""
        return self._tree.lines.position(self._start).line

    @property
    def start_char(self) -> int:
        """Code-point column of the node's first character."""
        return self._tree.lines.position(self._start).character

    @property
    def end_line(self) -> int:
        """0-based line just after the node."""
        return self._tree.lines.position(self._end).line

    @property
    def end_char(self) -> int:
        """Code-point column just after the node."""
        return self._tree.lines.position(self._end).character

    @property
    def range(self) -> Range:
        """The node's span in the document."""
        lines = self._tree.lines
        return Range(lines.position(self._start), lines.position(self._end))


class ScalarNode(Node):
    """A scalar: its typed value, the raw text, the YAML tag and quoting style."""

    __slots__ = ("interpolation", "raw", "style", "tag", "value")

    def __init__(self, ynode: yaml.ScalarNode, tree: _Tree) -> None:
        super().__init__(ynode, tree)
        self.raw: str = ynode.value
        self.style: str | None = ynode.style
        self.tag = _short_tag(ynode.tag)
        self.interpolation: Interpolated | None = tree.interpolations.get(id(ynode))
        self.value: Any = tree.scalar_value(ynode, self.tag, self.interpolation)

    @property
    def unresolved(self) -> bool:
        """Whether the value depends on an unset variable without a default."""
        return self.interpolation is not None and self.interpolation.unresolved

    @property
    def content_range(self) -> Range:
        """The range of the scalar's text without its quotes."""
        quoted = 1 if self.style in ("'", '"') else 0
        end_char = self.end_char - quoted
        if self.end_line == self.start_line:
            end_char = max(end_char, self.start_char + quoted)
        return Range(
            Position(self.start_line, self.start_char + quoted),
            Position(self.end_line, max(end_char, 0)),
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
    """A mapping; entries keep document order, keys are the raw key text.

    Lookups by key work on libyaml's pairs and wrap only the entry asked for, so reading a
    few fields of a large mapping costs only those fields.
    """

    __slots__ = ("_by_key", "_entries", "_pairs", "_values")

    def __init__(self, ynode: yaml.MappingNode, tree: _Tree) -> None:
        super().__init__(ynode, tree)
        self._entries: list[MapEntry] | None = None
        self._pairs: dict[str, tuple[yaml.Node, yaml.Node]] | None = None
        self._by_key: dict[str, MapEntry] = {}
        self._values: dict[str, Node] = {}

    @property
    def entries(self) -> list[MapEntry]:
        """The entries written in this mapping, in document order (duplicates included)."""
        if self._entries is None:
            wrap = self._tree.wrap
            self._entries = [
                MapEntry(wrap(key), wrap(value))  # type: ignore[arg-type]
                for key, value in self._ynode.value
                if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE
            ]
        return self._entries

    def _resolved_pairs(self) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node) as YAML resolves them: last duplicate wins, merged
        mappings fill the gaps."""
        if self._pairs is None:
            pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
            merges: list[yaml.Node] = []
            for key, value in self._ynode.value:
                if key.tag == _MERGE:
                    merges.append(value)
                elif isinstance(key, yaml.ScalarNode):
                    pairs[key.value] = (key, value)
            for merge in merges:
                for source in _merge_sources(merge):
                    merged = self._tree.wrap(source)
                    if isinstance(merged, MapNode):
                        for name, pair in merged._resolved_pairs().items():
                            pairs.setdefault(name, pair)
            self._pairs = pairs
        return self._pairs

    @property
    def flow(self) -> bool:
        """Whether the mapping is written in flow style (``{a: 1}``)."""
        return bool(getattr(self._ynode, "flow_style", False))

    def keys(self) -> list[str]:
        """The resolved keys, in document order."""
        return list(self._resolved_pairs())

    def entry(self, key: str) -> MapEntry | None:
        """The entry under ``key``, if present."""
        found = self._by_key.get(key)
        if found is None:
            pair = self._resolved_pairs().get(key)
            if pair is None:
                return None
            wrap = self._tree.wrap
            found = MapEntry(wrap(pair[0]), wrap(pair[1]))  # type: ignore[arg-type]
            self._by_key[key] = found
        return found

    def get(self, key: str) -> Node | None:
        """The value node under ``key``, if present (the same object on every call)."""
        found = self._values.get(key)
        if found is None:
            pair = self._resolved_pairs().get(key)
            if pair is None:
                return None
            found = self._values[key] = self._tree.wrap(pair[1])
        return found

    @property
    def index(self) -> dict[str, MapEntry]:
        """Every resolved entry by key (wraps them all; prefer ``entry``/``get``)."""
        return {key: entry for key in self._resolved_pairs() if (entry := self.entry(key))}

    def items(self) -> Iterator[tuple[str, MapEntry]]:
        """``(key, entry)`` pairs in document order (last one wins for duplicates)."""
        for key in self._resolved_pairs():
            entry = self.entry(key)
            if entry is not None:
                yield key, entry


class SeqNode(Node):
    """A sequence."""

    __slots__ = ("_items",)

    def __init__(self, ynode: yaml.SequenceNode, tree: _Tree) -> None:
        super().__init__(ynode, tree)
        self._items: list[Node] | None = None

    @property
    def flow(self) -> bool:
        """Whether the sequence is written in flow style (``[a, b]``)."""
        return bool(getattr(self._ynode, "flow_style", False))

    @property
    def items(self) -> list[Node]:
        """The items, in order."""
        if self._items is None:
            self._items = [self._tree.wrap(item) for item in self._ynode.value]
        return self._items


class _Tree:
    """Per-document state: memoized node views, the interpolation of each scalar, and the
    conversion of marks to positions."""

    __slots__ = ("interpolations", "lines", "wrappers")

    def __init__(self, lines: SourceLines) -> None:
        # Nodes hold their tree; the tree remembers its nodes only weakly. A strong memo
        # would make every document a reference cycle that only a full garbage collection
        # can free (hundreds of thousands of objects per keystroke in a large file).
        self.wrappers: dict[int, weakref.ref[Node]] = {}
        self.interpolations: dict[int, Interpolated] = {}
        self.lines = lines

    def wrap(self, ynode: yaml.Node) -> Node:
        """The node view of a libyaml node: the same object for as long as anyone holds it."""
        memo = self.wrappers.get(id(ynode))
        found = memo() if memo is not None else None
        if found is None:
            if isinstance(ynode, yaml.ScalarNode):
                found = ScalarNode(ynode, self)
            elif isinstance(ynode, yaml.MappingNode):
                found = MapNode(ynode, self)
            else:
                found = SeqNode(ynode, self)  # type: ignore[arg-type]
            self.wrappers[id(ynode)] = weakref.ref(found)
        return found

    @staticmethod
    def scalar_value(ynode: yaml.ScalarNode, tag: str, interp: Interpolated | None) -> Any:
        if interp is not None:
            return ynode.value if interp.unresolved else interp.value
        return _convert(tag, ynode.value)


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
    not_unicode = surrogate_problem(text)
    if not_unicode is not None:
        return ParsedDocument(None, None, [not_unicode])
    lines = SourceLines(text)
    too_deep = depth_problem(text, lines)
    if too_deep is not None:
        return ParsedDocument(None, None, [too_deep])
    try:
        composed = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        return ParsedDocument(None, None, [syntax_diagnostic(exc, text, lines)])
    except RecursionError:
        return ParsedDocument(None, None, [nesting_diagnostic(Position(0, 0))])
    if composed is None:
        return ParsedDocument(None, None)
    tree = _Tree(lines)
    builder = _DataBuilder(env, tree)
    try:
        data = builder.data(composed, 0)
    except _RefusedError as refused:
        return ParsedDocument(None, None, [*builder.diagnostics, refused.diagnostic])
    interpolated = [tree.wrap(ynode) for ynode in builder.interpolated_nodes]
    return ParsedDocument(
        tree.wrap(composed),
        data,
        builder.diagnostics,
        [node for node in interpolated if isinstance(node, ScalarNode)],
    )


class _RefusedError(Exception):
    """The document is too deep or expands too far to be walked."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _DataBuilder:
    """One tight walk over libyaml's nodes producing plain Python data.

    Aliases are expanded (the models need plain data); the number of values produced is
    capped, which stops alias bombs after a bounded amount of work.
    """

    def __init__(self, env: Mapping[str, str], tree: _Tree) -> None:
        self.env = env
        self.tree = tree
        self.diagnostics: list[Diagnostic] = []
        self.interpolated_nodes: list[yaml.ScalarNode] = []
        self.produced = 0

    def data(self, node: yaml.Node, depth: int) -> Any:
        self.produced += 1
        if self.produced > MAX_EXPANDED_NODES:
            raise _RefusedError(
                Diagnostic(
                    self.tree.lines.range(node),
                    Severity.ERROR,
                    "alias-expansion",
                    f"the document expands to more than {MAX_EXPANDED_NODES:,} values (an alias "
                    "bomb?); floe will not expand it",
                )
            )
        if depth > MAX_DEPTH:
            raise _RefusedError(nesting_diagnostic(self.tree.lines.position(node.start_mark)))
        if isinstance(node, yaml.ScalarNode):
            tag = node.tag
            raw = node.value
            if tag == _STR:
                if "${" in raw:
                    return self._interpolate(node)
                return raw
            return _convert(_short_tag(tag), raw)
        if isinstance(node, yaml.SequenceNode):
            return [self.data(item, depth + 1) for item in node.value]
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, depth)

    def _interpolate(self, node: yaml.ScalarNode) -> Any:
        result = interpolate(node.value, self.env)
        self.tree.interpolations[id(node)] = result
        self.interpolated_nodes.append(node)
        return node.value if result.unresolved else result.value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            value = self.data(value_node, depth + 1)
            if key_node.__class__ is not yaml.ScalarNode:
                self.diagnostics.append(
                    Diagnostic(
                        self.tree.lines.range(key_node),
                        Severity.ERROR,
                        "yaml-complex-key",
                        "a key must be a plain name, not a list or mapping",
                    )
                )
                continue
            name = key_node.value
            if name in data:
                self.diagnostics.append(_duplicate(node, key_node, name, self.tree.lines))
            data[name] = value
        for merge in merges:
            for source in _merge_sources(merge):
                merged = self.data(source, depth + 1)
                if isinstance(merged, dict):
                    for name, value in merged.items():
                        data.setdefault(name, value)
                else:
                    self.diagnostics.append(
                        Diagnostic(
                            self.tree.lines.range(source),
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


def _merge_sources(value: yaml.Node) -> list[yaml.Node]:
    return list(value.value) if isinstance(value, yaml.SequenceNode) else [value]


def _short_tag(tag: str) -> str:
    return tag[len(_TAG) :] if tag.startswith(_TAG) else "str"


def _convert(tag: str, raw: str) -> Any:
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
