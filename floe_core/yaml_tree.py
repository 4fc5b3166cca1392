"""Parse floe.yaml text into a tree of nodes that know their source ranges.

The composer is libyaml's (PyYAML ``CSafeLoader``): the fastest one available, and its
marks count code points. The composed nodes are walked once into plain Python data for the
models (``yaml_data``); this module offers views of the same nodes with their ranges. It is
tolerant: syntax errors, duplicate keys, non-scalar keys, runaway nesting and alias bombs
become diagnostics, never exceptions. A clean parse keeps what it was made from, so that an
edit inside one entity can replace just that entity (``ParsedDocument.spliced``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from floe_core.diagnostics import Diagnostic
from floe_core.interpolation import Interpolated
from floe_core.positions import Position, Range
from floe_core.source_lines import SourceLines
from floe_core.yaml_compose import compose
from floe_core.yaml_data import (
    MERGE_TAG,
    STR_TAG,
    DataBuilder,
    RefusedError,
    convert,
    merge_sources,
    short_tag,
)
from floe_core.yaml_problems import (
    depth_problem,
    nesting_diagnostic,
    surrogate_problem,
    syntax_diagnostic,
)

# Re-parsed documents one tree serves before a full parse starts a fresh one: its memos keep
# an entry for every node ever wrapped, and this bounds what edits leave in them.
MAX_SHARED = 256


class Node:
    """A node of the document with its range (0-based lines, code-point columns).

    Nodes are thin views over libyaml's composed nodes, made on first access and memoized
    per document (so the same YAML node is always the same Node object). The libyaml marks
    are read only when a range is asked for: most nodes of a large file never need one.
    """

    __slots__ = ("__weakref__", "_tree", "_ynode")

    def __init__(self, ynode: yaml.Node, tree: _Tree) -> None:
        self._ynode = ynode
        self._tree = tree

    @property
    def start_line(self) -> int:
        """0-based line of the node's first character."""
        return self._tree.lines.position(self._ynode.start_mark).line

    @property
    def start_char(self) -> int:
        """Code-point column of the node's first character."""
        return self._tree.lines.position(self._ynode.start_mark).character

    @property
    def end_line(self) -> int:
        """0-based line just after the node."""
        return self._tree.lines.position(self._ynode.end_mark).line

    @property
    def end_char(self) -> int:
        """Code-point column just after the node."""
        return self._tree.lines.position(self._ynode.end_mark).character

    @property
    def range(self) -> Range:
        """The node's span in the document."""
        lines = self._tree.lines
        ynode = self._ynode
        return Range(lines.position(ynode.start_mark), lines.position(ynode.end_mark))


class ScalarNode(Node):
    """A scalar: its typed value, the raw text, the YAML tag and quoting style."""

    __slots__ = ("interpolation", "raw", "style", "tag", "value")

    def __init__(self, ynode: yaml.ScalarNode, tree: _Tree) -> None:
        self._ynode = ynode
        self._tree = tree
        raw = self.raw = ynode.value
        self.style: str | None = ynode.style
        if ynode.tag == STR_TAG:
            self.tag = "str"
            interpolation = tree.interpolations.get(id(ynode)) if "${" in raw else None
            self.interpolation: Interpolated | None = interpolation
            self.value: Any = (
                raw if interpolation is None or interpolation.unresolved else interpolation.value
            )
        else:
            self.tag = short_tag(ynode.tag)
            self.interpolation = None
            self.value = convert(self.tag, raw)

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
    """One ``key: value`` pair of a mapping; each side is wrapped when first asked for."""

    __slots__ = ("_key", "_tree", "_value", "_ykey", "_yvalue")

    def __init__(self, ykey: yaml.Node, yvalue: yaml.Node, tree: _Tree) -> None:
        self._ykey = ykey
        self._yvalue = yvalue
        self._tree = tree
        self._key: ScalarNode | None = None
        self._value: Node | None = None

    @property
    def key(self) -> ScalarNode:
        """The key, a scalar."""
        key = self._key
        if key is None:
            key = self._key = self._tree.wrap(self._ykey)  # type: ignore[assignment]
        return key  # type: ignore[return-value]

    @property
    def value(self) -> Node:
        """The value node."""
        value = self._value
        if value is None:
            value = self._value = self._tree.wrap(self._yvalue)
        return value


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
            tree = self._tree
            self._entries = [
                MapEntry(key, value, tree)
                for key, value in self._ynode.value
                if isinstance(key, yaml.ScalarNode) and key.tag != MERGE_TAG
            ]
        return self._entries

    def _resolved_pairs(self) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node) as YAML resolves them: last duplicate wins, merged
        mappings fill the gaps."""
        pairs = self._pairs
        if pairs is None:
            pairs = {
                key.value: (key, value)
                for key, value in self._ynode.value
                if key.__class__ is yaml.ScalarNode
            }
            if "<<" in pairs:
                pairs = self._merged_pairs()
            self._pairs = pairs
        return pairs

    def _merged_pairs(self) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        merges: list[yaml.Node] = []
        for key, value in self._ynode.value:
            if key.tag == MERGE_TAG:
                merges.append(value)
            elif isinstance(key, yaml.ScalarNode):
                pairs[key.value] = (key, value)
        for merge in merges:
            for source in merge_sources(merge):
                merged = self._tree.wrap(source)
                if isinstance(merged, MapNode):
                    for name, pair in merged._resolved_pairs().items():
                        pairs.setdefault(name, pair)
        return pairs

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
            found = MapEntry(pair[0], pair[1], self._tree)
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

    __slots__ = ("interpolations", "lines", "shared", "wrappers")

    def __init__(self, lines: SourceLines) -> None:
        # Nodes hold their tree; the tree remembers its nodes only weakly. A strong memo
        # would make every document a reference cycle that only a full garbage collection
        # can free (hundreds of thousands of objects per keystroke in a large file).
        self.wrappers: dict[int, weakref.ref[Node]] = {}
        self.interpolations: dict[int, Interpolated] = {}
        self.lines = lines
        self.shared = 0  # how many re-parsed documents this tree has served

    def wrap(self, ynode: yaml.Node) -> Node:
        """The node view of a libyaml node: the same object for as long as anyone holds it."""
        memo = self.wrappers.get(id(ynode))
        if memo is not None:
            found = memo()
            if found is not None:
                return found
        kind = ynode.__class__
        if kind is yaml.ScalarNode:
            found = ScalarNode(ynode, self)  # type: ignore[arg-type]
        elif kind is yaml.MappingNode:
            found = MapNode(ynode, self)  # type: ignore[arg-type]
        else:
            found = SeqNode(ynode, self)  # type: ignore[arg-type]
        self.wrappers[id(ynode)] = weakref.ref(found)
        return found


class Composed(NamedTuple):
    """What a clean parse was made from, kept so that an edit can reuse it: the text, the
    environment its ``${...}`` were resolved against, libyaml's node tree, and how many
    values the data walk produced."""

    text: str
    env: Mapping[str, str]
    root: yaml.MappingNode
    produced: int


class Splice(NamedTuple):
    """One entry three mappings deep (``orchestration.jobs.<name>``), composed again from
    an edited text: where it sits (an index per level) and its new key and value nodes."""

    text: str
    indexes: tuple[int, int, int]
    lines: range
    key: yaml.ScalarNode
    value: yaml.Node


@dataclass
class ParsedDocument:
    """The result of parsing: the node tree, plain data, and what went wrong."""

    root: Node | None
    data: Any
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _interpolated: list[tuple[yaml.ScalarNode, Interpolated]] = field(
        default_factory=list, repr=False
    )
    _tree: _Tree | None = field(default=None, repr=False)
    source: Composed | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """Whether a tree could be built at all."""
        return self.root is not None

    def interpolated(
        self, wanted: Callable[[str, Interpolated], bool] | None = None
    ) -> list[ScalarNode]:
        """The scalars holding ``${...}``, in document order; with ``wanted``, only those for
        which ``wanted(raw text, interpolation)`` holds (the others are never wrapped)."""
        tree = self._tree
        if tree is None:
            return []
        return [
            tree.wrap(ynode)  # type: ignore[misc]
            for ynode, result in self._interpolated
            if wanted is None or wanted(ynode.value, result)
        ]

    def spliced(self, splice: Splice) -> ParsedDocument | None:
        """This clean document with one entity replaced, sharing every other node and value
        (nothing this document holds changes); None when the new entity's data walk reports
        anything, so that a full parse can report it in place.

        The node views are shared too: the untouched entities' views (and what they have
        worked out, such as their keys) serve both documents. Their positions do not depend
        on the text (neither text has a YAML-only line break), and the new entity's scalars
        are added to the shared interpolations under their own nodes' ids, which no node
        still alive shares.
        """
        source, tree = self.source, self._tree
        if source is None or tree is None or tree.shared >= MAX_SHARED:
            return None
        tree.shared += 1
        i, j, k = splice.indexes
        top = source.root
        section_parent = top.value[i][1]
        section = section_parent.value[j][1]
        old_name = section.value[k][0].value
        builder = DataBuilder(source.env, tree.lines, tree.interpolations)
        builder.produced = source.produced
        try:
            value = builder.data(splice.value, 3)
        except RefusedError:
            return None
        if builder.diagnostics:
            return None
        lines = splice.lines
        before = [pair for pair in self._interpolated if pair[0].start_mark.line < lines.start]
        after = [pair for pair in self._interpolated if pair[0].start_mark.line >= lines.stop]
        interpolated = [*before, *builder.interpolated, *after]
        entry = _replaced(section, k, (splice.key, splice.value))
        parent = _replaced(section_parent, j, (section_parent.value[j][0], entry))
        composed = _replaced(top, i, (top.value[i][0], parent))
        name_1, name_2 = top.value[i][0].value, section_parent.value[j][0].value
        new_name = splice.key.value
        entities = {
            (new_name if name == old_name else name): (value if name == old_name else data)
            for name, data in self.data[name_1][name_2].items()
        }
        data = {**self.data, name_1: {**self.data[name_1], name_2: entities}}
        return ParsedDocument(
            tree.wrap(composed),
            data,
            [],
            interpolated,
            tree,
            Composed(splice.text, source.env, composed, builder.produced),
        )


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
        composed = compose(text)
    except yaml.YAMLError as exc:
        return ParsedDocument(None, None, [syntax_diagnostic(exc, text, lines)])
    except RecursionError:
        return ParsedDocument(None, None, [nesting_diagnostic(Position(0, 0))])
    if composed is None:
        return ParsedDocument(None, None)
    tree = _Tree(lines)
    builder = DataBuilder(env, tree.lines, tree.interpolations)
    try:
        data = builder.data(composed, 0)
    except RefusedError as refused:
        return ParsedDocument(None, None, [*builder.diagnostics, refused.diagnostic])
    source = (
        Composed(text, env, composed, builder.produced)
        if isinstance(composed, yaml.MappingNode) and not builder.diagnostics
        else None
    )
    return ParsedDocument(
        tree.wrap(composed), data, builder.diagnostics, builder.interpolated, tree, source
    )


def _replaced(
    mapping: yaml.MappingNode, index: int, pair: tuple[yaml.Node, yaml.Node]
) -> yaml.MappingNode:
    """A copy of ``mapping`` with its ``index``-th pair replaced."""
    pairs = list(mapping.value)
    pairs[index] = pair
    return yaml.MappingNode(
        mapping.tag, pairs, mapping.start_mark, mapping.end_mark, mapping.flow_style
    )
