"""Where a cursor stands in a floe.yaml that may be half-written: the YAML path of the
mapping, key or list item under it, and the text being typed there.

This reads indentation, dashes and ``key:`` markers line by line instead of parsing YAML,
so it works on text the YAML parser rejects (``job:`` with nothing after it, a new ``- ``
item, a key without its colon, an unclosed quote). Block mappings and sequences (also
sequences indented at their key's column) and one-line flow sequences (``[a, b]``) are
understood, and so are the lines of a flow collection spread over several lines (``[`` on
one line, its items on the next ones). Inside a block scalar (``|``, ``>``) nothing is
completable: its lines are text, not keys. Columns are code points.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from floe_core.positions import Position, Range
from floe_core.tree_paths import PathItem, lookup
from floe_core.yaml_tree import MapNode, Node, ScalarNode, SeqNode

CursorRole = Literal["key", "value", "item", "none"]

_KEY = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)"""
    r"""[ \t]*:(?=[ \t]|$)"""
)
_SKIPPED_LINE = re.compile(r"(---|\.\.\.)(\s|$)|%")
_BLOCK_INDICATOR = re.compile(r"(?:[!&][^\s]*[ \t]+)*[|>][1-9+-]{0,2}")
"""A value that opens a block scalar: ``|``, ``>-``, ``|2``, after an optional tag or anchor."""
_BLOCK_CANDIDATE = re.compile(r"[|>][1-9+-]{0,2}[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_FLOW_CANDIDATE = re.compile(r"[\[{,][ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
"""A line ending in an opening bracket or a comma: where a flow collection may go on."""
_SHALLOW = 4
"""Searches upwards for lines indented less than this many columns jump between them."""
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")


@dataclass(frozen=True, slots=True)
class Opener:
    """Something on a line that can hold children: a ``- `` dash or a ``key:``."""

    column: int
    kind: Literal["dash", "key"]
    key: str = ""
    value: str = ""

    @property
    def holds_block(self) -> bool:
        """Whether lines below may belong to it (a dash always; a key with no inline value)."""
        return self.kind == "dash" or self.value == "" or self.value[0] in "&!"

    @property
    def opens_block_scalar(self) -> bool:
        """Whether its inline value starts a block scalar (``key: |``)."""
        return self.kind == "key" and _BLOCK_INDICATOR.fullmatch(self.value) is not None


@dataclass(frozen=True, slots=True)
class _Line:
    """One line, split into its openers and what follows the last one."""

    openers: tuple[Opener, ...]
    rest_column: int


@dataclass(frozen=True, slots=True)
class _Region:
    """Lines that are not block structure: the content of a block scalar (``kind`` "text"),
    or the continuation lines of a flow collection that opens on line ``opener`` at column
    ``column`` (``kind`` "flow"). ``first`` and ``last`` are inclusive line numbers."""

    kind: Literal["text", "flow"]
    first: int
    last: int
    opener: int
    column: int


def _unquote_key(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw.strip()


def _strip_comment(text: str) -> str:
    """``text`` without a trailing ``# comment`` (a ``#`` inside quotes is kept)."""
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return text[:index].rstrip()
    return text.rstrip()


def _split_line(text: str) -> _Line:
    """The dashes and key of one line, in column order."""
    stripped = text.lstrip(" ")
    pos = len(text) - len(stripped)
    if not stripped or stripped.startswith("#") or _SKIPPED_LINE.match(stripped):
        return _Line((), len(text))
    openers: list[Opener] = []
    while pos < len(text) and text[pos] == "-" and (pos + 1 == len(text) or text[pos + 1] == " "):
        openers.append(Opener(pos, "dash"))
        pos += 1
        while pos < len(text) and text[pos] == " ":
            pos += 1
    match = _KEY.match(text, pos)
    if match is not None:
        value = _strip_comment(text[match.end() :]).strip()
        openers.append(Opener(pos, "key", _unquote_key(match.group("key")), value))
        return _Line(tuple(openers), match.end())
    return _Line(tuple(openers), pos)


@functools.lru_cache(maxsize=8)
def _outline_of(text: str) -> _Outline:
    """The outline of a text, kept for the few latest texts: an editor asks for completion
    and hover many times on the same version, and splitting lines is most of the work."""
    return _Outline(text)


class _Outline:
    """The lines of a document, split lazily and remembered."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self._split: dict[int, _Line] = {}
        self._regions: list[_Region] | None = None
        self._indents = [-1] * len(self.lines)
        self._shallow: list[int] | None = None

    def indent(self, number: int) -> int:
        """The indentation of line ``number``; a blank or comment line counts as infinitely
        deep (it holds no openers). Measured when first asked."""
        found = self._indents[number]
        if found < 0:
            line = self.lines[number]
            content = line.lstrip(" ")
            blank = not content.strip() or content.startswith("#")
            found = len(self.text) + 1 if blank else len(line) - len(content)
            self._indents[number] = found
        return found

    def region_of(self, number: int) -> _Region | None:
        """The block scalar or multi-line flow collection line ``number`` is inside of."""
        if self._regions is None:
            self._regions = self._find_regions()
        starts = [region.first for region in self._regions]
        index = bisect_right(starts, number) - 1
        if index >= 0 and self._regions[index].last >= number:
            return self._regions[index]
        return None

    def _find_regions(self) -> list[_Region]:
        """Every block scalar and multi-line flow collection, in line order. Only the lines
        a regular expression picks out as possible openers are read closely."""
        flows, blocks = (
            self._lines_matching(_FLOW_CANDIDATE),
            self._lines_matching(_BLOCK_CANDIDATE),
        )
        regions: list[_Region] = []
        covered = -1
        for number in sorted(flows | blocks):
            if number <= covered:
                continue
            found = self._block_scalar(number) if number in blocks else None
            if found is None and number in flows and self._deeper_below(number):
                found = self._flow(number) if _leaves_open(self.lines[number]) else None
            if found is not None:
                regions.append(found)
                covered = found.last
        return regions

    def _deeper_below(self, number: int) -> bool:
        """Whether the next line with content is indented deeper than line ``number`` (only
        then can anything opened on it continue below)."""
        for below in range(number + 1, len(self.lines)):
            depth = self.indent(below)
            if depth <= len(self.text):
                return depth > self.indent(number)
        return False

    def _lines_matching(self, pattern: re.Pattern[str]) -> set[int]:
        """The numbers of the lines ``pattern`` matches in."""
        found: set[int] = set()
        line, seen = 0, 0
        for match in pattern.finditer(self.text):
            line += self.text.count("\n", seen, match.start())
            seen = match.start()
            found.add(line)
        return found

    def _block_scalar(self, number: int) -> _Region | None:
        """The content lines of a block scalar whose header is line ``number``."""
        split = self.line(number)
        if not split.openers:
            return None
        rest = _strip_comment(self.lines[number][split.rest_column :]).strip()
        if not (split.openers[-1].opens_block_scalar or _BLOCK_INDICATOR.fullmatch(rest)):
            return None
        indent = split.openers[-1].column
        last = number
        for below in range(number + 1, len(self.lines)):
            text = self.lines[below].rstrip("\r")
            if not text.strip():
                continue
            if _indent(text) <= indent:
                break
            last = below
        if last == number:
            return None
        return _Region("text", number + 1, last, number, indent)

    def _flow(self, number: int) -> _Region | None:
        """The continuation lines of a flow collection opening on line ``number``."""
        split = self.line(number)
        raw = self.lines[number].rstrip("\r")
        start = split.rest_column
        while start < len(raw) and raw[start] == " ":
            start += 1
        if start >= len(raw) or raw[start] not in "[{":
            return None
        scan = _FlowScan(self, number, start)
        scan.run_to(len(self.lines), 0)
        if scan.last <= number:
            return None
        return _Region("flow", number + 1, scan.last, number, start)

    def line(self, number: int) -> _Line:
        found = self._split.get(number)
        if found is None:
            found = _split_line(self.lines[number].rstrip("\r"))
            self._split[number] = found
        return found

    def above(
        self, line: int, before: tuple[Opener, ...], deepest: Callable[[], int]
    ) -> Iterator[tuple[int, Opener]]:
        """Openers before a point, nearest first: ``before`` (on ``line``), then lines above,
        skipping lines indented deeper than ``deepest()`` (none of their openers can stand
        at or left of that column, which is all a caller looks for)."""
        for opener in reversed(before):
            yield line, opener
        number = line - 1
        while number >= 0:
            limit = deepest()
            if limit < _SHALLOW:
                shallow = self._shallow_lines()
                index = bisect_right(shallow, number) - 1
                while index >= 0 and self.indent(shallow[index]) > limit:
                    index -= 1
                if index < 0:
                    return
                number = shallow[index]
            elif self.indent(number) > limit:
                number -= 1
                continue
            for opener in reversed(self.line(number).openers):
                yield number, opener
            number -= 1

    def _shallow_lines(self) -> list[int]:
        """The lines with content indented less than _SHALLOW columns (top-level keys and
        section names), found by one regular expression: a search upwards would otherwise
        reach them only after reading every line of the sections between."""
        if self._shallow is None:
            content = rf" {{0,{_SHALLOW - 1}}}[^ \t\r\n#]"
            self._shallow = [0] if re.match(content, self.text) else []
            line, seen = 0, 0
            for match in re.finditer("\n" + content, self.text):
                line += self.text.count("\n", seen, match.start())
                seen = match.start()
                self._shallow.append(line + 1)
        return self._shallow

    def mapping_keys(self, line: int, column: int, before: tuple[Opener, ...]) -> dict[str, str]:
        """Keys (with inline values) of the block mapping whose keys stand at ``column``."""
        keys: dict[str, str] = {}
        for _, opener in self.above(line, before, lambda: column):
            if opener.column < column:
                break
            if opener.column == column and opener.kind == "key":
                keys.setdefault(opener.key, opener.value)
        for number in range(line + 1, len(self.lines)):
            if self.indent(number) > column:
                continue
            openers = self.line(number).openers
            if not openers:
                continue
            if openers[0].column < column:
                break
            for opener in openers:
                if opener.column == column and opener.kind == "key":
                    keys.setdefault(opener.key, opener.value)
        return keys


def _leaves_open(line: str) -> bool:
    """Whether a line opens more flow brackets than it closes (quoted text and a comment
    aside): the quick test that spares reading every one-line ``[a, b]`` closely."""
    bare = _QUOTED.sub("", line)
    comment = bare.find(" #")
    if comment >= 0:
        bare = bare[:comment]
    return bare.count("[") + bare.count("{") > bare.count("]") + bare.count("}")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


@dataclass(slots=True)
class _Frame:
    """One open flow collection while reading it: ``[`` (the item ``index`` is being read)
    or ``{`` (``key`` is the key whose value is being read, None while reading a key)."""

    kind: str
    index: int
    start: tuple[int, int]
    key: str | None = None
    keys: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


class _FlowScan:
    """Reads a flow collection from its opening bracket, across lines, up to a point.

    It stops early where the collection closes or where a line is indented no deeper than
    the line the collection opens on (block structure resumes there, so the text between is
    unfinished). ``frames`` are the collections open at the point reached, outermost first;
    ``last`` is the last line read inside the collection.
    """

    def __init__(self, outline: _Outline, line: int, column: int) -> None:
        self.outline = outline
        self.line = line
        self.column = column
        self.limit = _indent(outline.lines[line])
        self.frames: list[_Frame] = []
        self.last = line
        self.open = True

    def run_to(self, line: int, column: int) -> None:
        """Read up to (not including) ``column`` of ``line``."""
        lines = self.outline.lines
        quote = ""
        for number in range(self.line, min(line, len(lines) - 1) + 1):
            raw = lines[number].rstrip("\r")
            if number > self.line and raw.strip() and _indent(raw) <= self.limit and not quote:
                self.open = False
                return
            pos = self.column if number == self.line else 0
            end = min(column, len(raw)) if number == line else len(raw)
            self.last = number
            while pos < end:
                char = raw[pos]
                if quote:
                    escaped = char == "\\" and quote == '"'
                    if escaped or (char == quote and raw[pos + 1 : pos + 2] == quote == "'"):
                        pos += 1
                    elif char == quote:
                        quote = ""
                elif char in "'\"" and self._at_token_start(raw, pos, number):
                    quote = char
                elif char == "#" and (pos == 0 or raw[pos - 1] in " \t"):
                    break
                elif char in "[{":
                    self.frames.append(_Frame(char, 0, (number, pos + 1)))
                elif char in "]}":
                    if self.frames:
                        self.frames.pop()
                    if not self.frames:
                        self.open = False
                        return
                elif self.frames:
                    self._separator(char, raw, pos, number)
                pos += 1

    def _separator(self, char: str, raw: str, pos: int, number: int) -> None:
        frame = self.frames[-1]
        if char == ",":
            if frame.kind == "{":
                token = self._token(frame.start, number, pos)
                if frame.key is None:
                    frame.keys.append(token)
                else:
                    frame.values[frame.key] = token
            frame.index += 1
            frame.key = None
            frame.start = (number, pos + 1)
        elif (
            char == ":"
            and frame.kind == "{"
            and frame.key is None
            and (pos + 1 == len(raw) or raw[pos + 1] in " \t,]}")
        ):
            frame.key = self._token(frame.start, number, pos)
            frame.keys.append(frame.key)
            frame.start = (number, pos + 1)

    def _token(self, start: tuple[int, int], line: int, end: int) -> str:
        """The text from ``start`` to column ``end`` of ``line``, unquoted."""
        lines = self.outline.lines
        if start[0] == line:
            text = lines[line][start[1] : end]
        else:
            text = "\n".join([lines[start[0]][start[1] :], *lines[start[0] + 1 : line]])
            text += "\n" + lines[line][:end]
        return _unquote_key(" ".join(text.split()))

    def _at_token_start(self, raw: str, pos: int, number: int) -> bool:
        """Whether a quote at ``pos`` opens a quoted scalar (nothing but spaces before it in
        the current item); inside a plain scalar a quote is a character like any other."""
        if not self.frames:
            return False
        start_line, start_column = self.frames[-1].start
        before = raw[start_column:pos] if start_line == number else raw[:pos]
        return not before.strip()


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
    outline: _Outline | None = None
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
                return _unquote_key(value) if value else None
        return None


def cursor_path(text: str, position: Position) -> CursorPath:
    """Describe the cursor at ``position`` (code-point columns) in ``text``; never raises."""
    outline = _outline_of(text)
    if not 0 <= position.line < len(outline.lines):
        return CursorPath("none", ())
    raw = outline.lines[position.line].rstrip("\r")
    column = min(max(position.character, 0), len(raw))
    head = raw[:column]
    if _strip_comment(head) != head.rstrip() or _SKIPPED_LINE.match(raw.lstrip(" ")):
        return CursorPath("none", ())
    region = outline.region_of(position.line)
    if region is not None:
        return _in_flow(outline, region, position.line, column) if region.kind == "flow" else _NONE
    builder = _Builder(outline, position.line, raw, column)
    if not raw.strip():
        return builder.key_at(column, ())
    line = outline.line(position.line)
    if column >= line.rest_column and line.openers and _opens_block(raw, line):
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


def _opens_block(raw: str, line: _Line) -> bool:
    """Whether the line ends in a block scalar header (``key: |``, ``- >-``)."""
    rest = _strip_comment(raw[line.rest_column :]).strip()
    return line.openers[-1].opens_block_scalar or _BLOCK_INDICATOR.fullmatch(rest) is not None


def _in_flow(outline: _Outline, region: _Region, number: int, column: int) -> CursorPath:
    """The cursor on a continuation line of a flow collection: an item of a sequence, or a
    key or value of a mapping, read from the opening bracket on."""
    scan = _FlowScan(outline, region.opener, region.column)
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


def _flow_owner(outline: _Outline, number: int) -> tuple[tuple[PathItem, ...], tuple[_Level, ...]]:
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

    def __init__(self, outline: _Outline, line: int, raw: str, column: int) -> None:
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

    def value_of(self, key: Opener, line: _Line) -> CursorPath:
        """The scalar after ``key:`` (or an item of a one-line flow sequence there)."""
        before = tuple(o for o in line.openers if o.column < key.column)
        parent, levels = self.path_of(key.column, "key", before)
        path = (*parent, key.key)
        start = line.rest_column
        while start < len(self.raw) and self.raw[start] == " ":
            start += 1
        if start < len(self.raw) and self.raw[start] == "[" and self.column > start:
            index, item_start = _flow_position(self.raw, start, self.column)
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


def _flow_position(raw: str, bracket: int, column: int) -> tuple[int, int]:
    """In a one-line flow sequence opening at ``bracket``: the index of the item under
    ``column`` and the column that item starts at."""
    index, item_start, quote = 0, bracket + 1, ""
    for pos in range(bracket + 1, min(column, len(raw))):
        char = raw[pos]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == ",":
            index, item_start = index + 1, pos + 1
    return index, item_start
