"""Reading a YAML flow collection (``[a, b]``, ``{key: value}``) character by character,
without a YAML parser: which collections are open at a point, the item or key being read in
each and the keys and values written so far, also across lines and in half-written text.
Quoted scalars and comments are skipped; columns are code points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from floe_core.line_openers import indent_of, unquote_key

_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")


def leaves_open(line: str) -> bool:
    """Whether a line opens more flow brackets than it closes (quoted text and a comment
    aside): the quick test that spares reading every one-line ``[a, b]`` closely."""
    bare = _QUOTED.sub("", line)
    comment = bare.find(" #")
    if comment >= 0:
        bare = bare[:comment]
    return bare.count("[") + bare.count("{") > bare.count("]") + bare.count("}")


@dataclass(slots=True)
class Frame:
    """One open flow collection while reading it: ``[`` (the item ``index`` is being read)
    or ``{`` (``key`` is the key whose value is being read, None while reading a key)."""

    kind: str
    index: int
    start: tuple[int, int]
    key: str | None = None
    keys: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


class FlowScan:
    """Reads a flow collection from its opening bracket, across lines, up to a point.

    It stops early where the collection closes or where a line is indented no deeper than
    the line the collection opens on (block structure resumes there, so the text between is
    unfinished). ``frames`` are the collections open at the point reached, outermost first;
    ``last`` is the last line read inside the collection.
    """

    def __init__(self, lines: list[str], line: int, column: int) -> None:
        self.lines = lines
        self.line = line
        self.column = column
        self.limit = indent_of(lines[line])
        self.frames: list[Frame] = []
        self.last = line
        self.open = True

    def run_to(self, line: int, column: int) -> None:
        """Read up to (not including) ``column`` of ``line``."""
        lines = self.lines
        quote = ""
        for number in range(self.line, min(line, len(lines) - 1) + 1):
            raw = lines[number].rstrip("\r")
            if number > self.line and raw.strip() and indent_of(raw) <= self.limit and not quote:
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
                    self.frames.append(Frame(char, 0, (number, pos + 1)))
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
        lines = self.lines
        if start[0] == line:
            text = lines[line][start[1] : end]
        else:
            text = "\n".join([lines[start[0]][start[1] :], *lines[start[0] + 1 : line]])
            text += "\n" + lines[line][:end]
        return unquote_key(" ".join(text.split()))

    def _at_token_start(self, raw: str, pos: int, number: int) -> bool:
        """Whether a quote at ``pos`` opens a quoted scalar (nothing but spaces before it in
        the current item); inside a plain scalar a quote is a character like any other."""
        if not self.frames:
            return False
        start_line, start_column = self.frames[-1].start
        before = raw[start_column:pos] if start_line == number else raw[:pos]
        return not before.strip()


def flow_position(raw: str, bracket: int, column: int) -> tuple[int, int]:
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
