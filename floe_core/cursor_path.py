"""Where a cursor stands in a floe.yaml that may be half-written: the YAML path of the
mapping, key or list item under it, and the text being typed there.

This reads the document's block outline (floe_core.block_outline: indentation, dashes and
``key:`` markers line by line) instead of parsing YAML, so it works on text the YAML parser
rejects (``job:`` with nothing after it, a new ``- `` item, a key without its colon, an
unclosed quote). Block mappings and sequences (also sequences indented at their key's
column) and one-line flow sequences (``[a, b]``) are understood, and so are the lines of a
flow collection spread over several lines (``[`` on one line, its items on the next ones;
read by floe_core.flow_scan). Inside a block scalar (``|``, ``>``) nothing is completable:
its lines are text, not keys. When the text parses, ``tree_cursor`` reads the cursor off the
node tree instead. Columns are code points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from floe_core.block_outline import Outline, Region, outline_of
from floe_core.flow_scan import FlowScan, flow_position
from floe_core.line_openers import (
    SKIPPED_LINE,
    Line,
    Opener,
    ends_in_block_header,
    strip_comment,
    unquote_key,
)
from floe_core.positions import Position, Range
from floe_core.tree_paths import PathItem, lookup
from floe_core.yaml_tree import MapNode, Node, ScalarNode, SeqNode

CursorRole = Literal["key", "value", "item", "none"]


@dataclass(frozen=True, slots=True)
class _Level:
    """A mapping along the cursor's path: its path and a point where one of its keys stands."""

    path: tuple[PathItem, ...]
    line: int
    column: int
    before: tuple[Opener, ...]


@dataclass(frozen=True)
class CursorPath:
    """What is under the cursor.

    ``role`` is "key" (a mapping key is being written; ``path`` is the mapping's path),
    "value" (the scalar after ``key:``; ``path`` ends with that key), "item" (a list item;
    ``path`` ends with its index; it may turn out to be the first key of a mapping item) or
    "none" (a comment, or nothing completable). ``text`` is the token under the cursor
    without quotes, ``range`` its span and ``offset`` the cursor's place in it. On a list
    item that reads as ``key: value`` (``- group:bronze``), ``as_item`` is the other
    reading: the whole text as one scalar item, for lists of strings. Inside a flow
    collection spread over lines, ``flow_values`` holds the values written so far in each
    flow mapping on the path (by the mapping's path), so that its ``type`` is known.
    """

    role: CursorRole
    path: tuple[PathItem, ...]
    text: str = ""
    offset: int = 0
    range: Range = field(default_factory=lambda: Range(Position(0, 0), Position(0, 0)))
    quote: str | None = None
    has_colon: bool = False
    needs_space: bool = False
    in_flow: bool = False
    siblings: frozenset[str] = frozenset()
    levels: tuple[_Level, ...] = ()
    outline: Outline | None = None
    as_item: CursorPath | None = None
    tree: Node | None = None
    flow_values: Mapping[tuple[PathItem, ...], Mapping[str, str]] = field(
        default_factory=dict, compare=False
    )

    @property
    def prefix(self) -> str:
        """The part of the token before the cursor."""
        return self.text[: self.offset]

    @property
    def key(self) -> str | None:
        """The key whose value is under the cursor (role "value"), or the list's key."""
        for step in reversed(self.path):
            if isinstance(step, str):
                return step
        return None

    def type_of(self, path: tuple[PathItem, ...]) -> str | None:
        """The ``type:`` value written in the mapping at ``path`` (a prefix of the cursor's)."""
        return self.sibling_value(path, "type")

    def sibling_value(self, path: tuple[PathItem, ...], key: str) -> str | None:
        """The inline value of ``key`` in the mapping at ``path`` (a prefix of the cursor's
        path), unquoted; None when the key is absent or its value is a block."""
        if path in self.flow_values:
            value = self.flow_values[path].get(key)
            return value or None
        if self.tree is not None:
            found = lookup(self.tree, path)
            body = found.node if found.exact else None
            written = body.get(key) if isinstance(body, MapNode) else None
            if isinstance(written, ScalarNode) and isinstance(written.value, str):
                return written.value
            return None
        if self.outline is None:
            return None
        for level in self.levels:
            if level.path == path:
                keys = self.outline.mapping_keys(level.line, level.column, level.before)
                value = keys.get(key)
                return unquote_key(value) if value else None
        return None


def cursor_path(text: str, position: Position) -> CursorPath:
    """Describe the cursor at ``position`` (code-point columns) in ``text``; never raises."""
    outline = outline_of(text)
    if not 0 <= position.line < len(outline.lines):
        return CursorPath("none", ())
    raw = outline.lines[position.line].rstrip("\r")
    column = min(max(position.character, 0), len(raw))
    head = raw[:column]
    if strip_comment(head) != head.rstrip() or SKIPPED_LINE.match(raw.lstrip(" ")):
        return CursorPath("none", ())
    region = outline.region_of(position.line)
    if region is not None:
        return _in_flow(outline, region, position.line, column) if region.kind == "flow" else _NONE
    builder = _Builder(outline, position.line, raw, column)
    if not raw.strip():
        return builder.key_at(column, ())
    line = outline.line(position.line)
    if column >= line.rest_column and ends_in_block_header(raw, line):
        return _NONE
    dashes = tuple(o for o in line.openers if o.kind == "dash")
    key = next((o for o in line.openers if o.kind == "key"), None)
    content = dashes[-1].column + 2 if dashes else len(raw) - len(raw.lstrip(" "))
    if column < min(content, len(raw)) and not (key is not None and column >= line.rest_column):
        return CursorPath("none", ())
    as_item = builder.item_at(dashes, content) if dashes else None
    if key is not None and column >= line.rest_column:
        return replace(builder.value_of(key, line), as_item=as_item)
    if key is not None:
        return replace(builder.key_at(key.column, dashes), as_item=as_item)
    if as_item is not None:
        return as_item
    return builder.key_at(content, ())


_NONE = CursorPath("none", ())


def _in_flow(outline: Outline, region: Region, number: int, column: int) -> CursorPath:
    """The cursor on a continuation line of a flow collection: an item of a sequence, or a
    key or value of a mapping, read from the opening bracket on."""
    scan = FlowScan(outline.lines, region.opener, region.column)
    scan.run_to(number, column)
    if not scan.open or not scan.frames:
        return _NONE
    path, levels = _flow_owner(outline, region.opener)
    written: dict[tuple[PathItem, ...], dict[str, str]] = {}
    for frame in scan.frames[:-1]:
        if frame.kind == "{":
            written[path] = frame.values
        if frame.kind == "[":
            path = (*path, frame.index)
        elif frame.key is not None:
            path = (*path, frame.key)
        else:
            return _NONE
    frame = scan.frames[-1]
    if frame.kind == "{":
        written[path] = frame.values
    raw = outline.lines[number].rstrip("\r")
    start = frame.start[1] if frame.start[0] == number else 0
    has_colon, siblings = False, frozenset[str]()
    if frame.kind == "[":
        scalar = _scalar_at(raw, start, column, ",]#")
        role: CursorRole = "item"
        path = (*path, frame.index)
    elif frame.key is None:
        scalar = _scalar_at(raw, start, column, ",:}#")
        has_colon = raw[scalar.end :].lstrip(" \"'").startswith(":")
        siblings = frozenset(key for key in frame.keys if key != scalar.text)
        role = "key"
    else:
        scalar = _scalar_at(raw, start, column, ",}#")
        role = "value"
        path = (*path, frame.key)
    return CursorPath(
        role,
        path,
        scalar.text,
        scalar.offset,
        Range(Position(number, scalar.start), Position(number, scalar.end)),
        quote=scalar.quote,
        has_colon=has_colon,
        in_flow=True,
        siblings=siblings,
        levels=levels,
        outline=outline,
        flow_values=written,
    )


def _flow_owner(outline: Outline, number: int) -> tuple[tuple[PathItem, ...], tuple[_Level, ...]]:
    """The path of the node a flow collection opening on line ``number`` is the value of."""
    line = outline.line(number)
    builder = _Builder(outline, number, outline.lines[number].rstrip("\r"), 0)
    key = line.openers[-1] if line.openers and line.openers[-1].kind == "key" else None
    if key is not None:
        before = tuple(o for o in line.openers if o.column < key.column)
        parent, levels = builder.path_of(key.column, "key", before)
        return (*parent, key.key), levels
    if line.openers:
        return builder.path_of(line.openers[-1].column, "dash", line.openers[:-1])
    return (), ()


def tree_cursor(root: Node, position: Position) -> CursorPath | None:
    """The cursor read off a parsed document's node tree, or None off any key or value.

    The line-based reading above works on half-written text but sees a flow mapping
    (``daily: {job: a, cron_schedule: "0 6 * * *"}``) as one value; when the text parses,
    the tree knows every key and value inside it exactly.
    """
    path: list[PathItem] = []
    node = root
    in_flow = False
    while not isinstance(node, ScalarNode):
        in_flow = in_flow or (isinstance(node, MapNode | SeqNode) and node.flow)
        child = _child_at(node, position, path)
        if isinstance(child, CursorPath):
            return replace(child, in_flow=in_flow, tree=root)
        if child is None:
            return None
        node = child
    content = node.content_range
    offset = position.character - content.start.character if content.is_single_line else 0
    role: CursorRole = "item" if path and isinstance(path[-1], int) else "value"
    return CursorPath(
        role,
        tuple(path),
        text=node.raw,
        offset=min(max(offset, 0), len(node.raw)),
        range=content,
        quote=node.style if node.style in ("'", '"') else None,
        in_flow=in_flow,
        tree=root,
    )


def _child_at(node: Node, position: Position, path: list[PathItem]) -> Node | CursorPath | None:
    """The child of a collection under ``position`` (appending its step to ``path``), or a
    key cursor when the position is on a key."""
    if isinstance(node, MapNode):
        for key, entry in node.items():
            if entry.key.range.contains(position):
                key_range = entry.key.content_range
                return CursorPath(
                    "key",
                    (*path, key),
                    text=key,
                    offset=min(max(position.character - key_range.start.character, 0), len(key)),
                    range=key_range,
                    has_colon=True,
                    siblings=frozenset(node.keys()),
                )
            if entry.value.range.contains(position):
                path.append(key)
                return entry.value
        return None
    if isinstance(node, SeqNode):
        for index, item in enumerate(node.items):
            if item.range.contains(position):
                path.append(index)
                return item
    return None


class _Builder:
    """Turns the cursor line's openers into a CursorPath."""

    def __init__(self, outline: Outline, line: int, raw: str, column: int) -> None:
        self.outline = outline
        self.line = line
        self.raw = raw
        self.column = column

    def key_at(self, start: int, before: tuple[Opener, ...]) -> CursorPath:
        """A key being written from ``start`` (or an empty line where one could be)."""
        path, levels = self.path_of(start, "key", before)
        scalar = _scalar_at(self.raw, start, self.column, ":#")
        colon = self.raw[scalar.end :].lstrip(" \"'").startswith(":")
        keys = self.outline.mapping_keys(self.line, start, before)
        return CursorPath(
            "key",
            path,
            scalar.text,
            scalar.offset,
            self._range(scalar),
            quote=scalar.quote,
            has_colon=colon,
            siblings=frozenset(k for k in keys if k != scalar.text),
            levels=levels,
            outline=self.outline,
        )

    def item_at(self, dashes: tuple[Opener, ...], content: int) -> CursorPath:
        """A list item after ``- ``: a scalar, or the first key of a mapping item."""
        path, levels = self.path_of(dashes[-1].column, "dash", dashes[:-1])
        scalar = _scalar_at(self.raw, content, self.column, "#")
        keys = self.outline.mapping_keys(self.line, content, dashes)
        return CursorPath(
            "item",
            path,
            scalar.text,
            scalar.offset,
            self._range(scalar),
            quote=scalar.quote,
            siblings=frozenset(keys),
            levels=(*levels, _Level(path, self.line, content, dashes)),
            outline=self.outline,
        )

    def value_of(self, key: Opener, line: Line) -> CursorPath:
        """The scalar after ``key:`` (or an item of a one-line flow sequence there)."""
        before = tuple(o for o in line.openers if o.column < key.column)
        parent, levels = self.path_of(key.column, "key", before)
        path = (*parent, key.key)
        start = line.rest_column
        while start < len(self.raw) and self.raw[start] == " ":
            start += 1
        if start < len(self.raw) and self.raw[start] == "[" and self.column > start:
            index, item_start = flow_position(self.raw, start, self.column)
            scalar = _scalar_at(self.raw, item_start, self.column, ",]#")
            return CursorPath(
                "item",
                (*path, index),
                scalar.text,
                scalar.offset,
                self._range(scalar),
                quote=scalar.quote,
                in_flow=True,
                levels=levels,
                outline=self.outline,
            )
        scalar = _scalar_at(self.raw, min(start, self.column), self.column, "#")
        return CursorPath(
            "value",
            path,
            scalar.text,
            scalar.offset,
            self._range(scalar),
            quote=scalar.quote,
            needs_space=start == line.rest_column and self.column == start,
            levels=levels,
            outline=self.outline,
        )

    def _range(self, scalar: _Scalar) -> Range:
        return Range(Position(self.line, scalar.start), Position(self.line, scalar.end))

    def path_of(
        self, column: int, kind: Literal["dash", "key"], before: tuple[Opener, ...]
    ) -> tuple[tuple[PathItem, ...], tuple[_Level, ...]]:
        """The path of the container of an opener of ``kind`` at ``column`` (for a dash: of
        its item), and the mappings along it."""
        steps: list[PathItem] = []
        anchors: list[tuple[int, int, int, tuple[Opener, ...]]] = []
        if kind == "key":
            anchors.append((0, self.line, column, before))
        index = 0
        # Lines indented at or right of a key's column hold nothing for it; a dash's column
        # holds its siblings (counted) and the key of a sequence indented at its column.
        narrowing = lambda: column - 1 if kind == "key" else column  # noqa: E731
        for number, opener in self.outline.above(self.line, before, narrowing):
            if not opener.holds_block:
                continue
            if kind == "dash" and opener.kind == "dash" and opener.column == column:
                index += 1
                continue
            if not (
                opener.column < column
                or (kind == "dash" and opener.kind == "key" and opener.column == column)
            ):
                continue
            if kind == "dash":
                steps.append(index)
            if opener.kind == "key":
                steps.append(opener.key)
                prior = tuple(o for o in self.outline.line(number).openers if o.column < column)
                anchors.append((len(steps), number, opener.column, prior))
            kind, column, index = opener.kind, opener.column, 0
            if kind == "key" and column == 0:
                break
        if kind == "dash":
            steps.append(index)
        path = tuple(reversed(steps))
        levels = tuple(
            _Level(path[: len(path) - depth], number, col, prior)
            for depth, number, col, prior in anchors
        )
        return path, levels


@dataclass(frozen=True, slots=True)
class _Scalar:
    """A token on the cursor line: its text without quotes, its span, the cursor in it."""

    text: str
    offset: int
    start: int
    end: int
    quote: str | None


def _scalar_at(raw: str, start: int, column: int, stops: str) -> _Scalar:
    """The scalar that begins at ``start`` (after spaces), ending at a closing quote or at one
    of ``stops`` (``#`` only when it starts a comment), trailing spaces excluded."""
    while start < len(raw) and start < column and raw[start] == " ":
        start += 1
    quote = raw[start] if start < len(raw) and raw[start] in "'\"" else None
    if quote is not None:
        start += 1
        close = raw.find(quote, start)
        end = close if close >= 0 else len(raw)
    else:
        end = start
        while end < len(raw):
            char = raw[end]
            if char in stops and (char != "#" or end == 0 or raw[end - 1] == " "):
                break
            if char == ":" and ":" in stops and (end + 1 == len(raw) or raw[end + 1] == " "):
                break
            end += 1
        while end > start and raw[end - 1] == " ":
            end -= 1
    offset = min(max(column - start, 0), end - start)
    return _Scalar(raw[start:end], offset, start, end, quote)
