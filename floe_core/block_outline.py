"""An outline of a floe.yaml's block structure, read line by line without a YAML parser, so
that it also covers half-written text: the openers (``- `` dashes and ``key:``) on each line,
each line's indentation, the lines that are not block structure (the content of a block
scalar, the continuation lines of a flow collection spread over several lines), the openers
above a point and the keys of a block mapping. Lines are split when first asked for, and
the outlines of the latest texts are kept.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from floe_core.flow_scan import FlowScan, leaves_open
from floe_core.line_openers import Line, Opener, ends_in_block_header, indent_of, split_line

_BLOCK_CANDIDATE = re.compile(r"[|>][1-9+-]{0,2}[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_FLOW_CANDIDATE = re.compile(r"[\[{,][ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
"""A line ending in an opening bracket or a comma: where a flow collection may go on."""
_SHALLOW = 4
"""Searches upwards for lines indented less than this many columns jump between them."""


@dataclass(frozen=True, slots=True)
class Region:
    """Lines that are not block structure: the content of a block scalar (``kind`` "text"),
    or the continuation lines of a flow collection that opens on line ``opener`` at column
    ``column`` (``kind`` "flow"). ``first`` and ``last`` are inclusive line numbers."""

    kind: Literal["text", "flow"]
    first: int
    last: int
    opener: int
    column: int


@functools.lru_cache(maxsize=8)
def outline_of(text: str) -> Outline:
    """The outline of a text, kept for the few latest texts: an editor asks for completion
    and hover many times on the same version, and splitting lines is most of the work."""
    return Outline(text)


class Outline:
    """The lines of a document, split lazily and remembered."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self._split: dict[int, Line] = {}
        self._regions: list[Region] | None = None
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

    def region_of(self, number: int) -> Region | None:
        """The block scalar or multi-line flow collection line ``number`` is inside of."""
        if self._regions is None:
            self._regions = self._find_regions()
        starts = [region.first for region in self._regions]
        index = bisect_right(starts, number) - 1
        if index >= 0 and self._regions[index].last >= number:
            return self._regions[index]
        return None

    def _find_regions(self) -> list[Region]:
        """Every block scalar and multi-line flow collection, in line order. Only the lines
        a regular expression picks out as possible openers are read closely."""
        flows, blocks = (
            self._lines_matching(_FLOW_CANDIDATE),
            self._lines_matching(_BLOCK_CANDIDATE),
        )
        regions: list[Region] = []
        covered = -1
        for number in sorted(flows | blocks):
            if number <= covered:
                continue
            found = self._block_scalar(number) if number in blocks else None
            if found is None and number in flows and self._deeper_below(number):
                found = self._flow(number) if leaves_open(self.lines[number]) else None
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

    def _block_scalar(self, number: int) -> Region | None:
        """The content lines of a block scalar whose header is line ``number``."""
        split = self.line(number)
        if not ends_in_block_header(self.lines[number], split):
            return None
        indent = split.openers[-1].column
        last = number
        for below in range(number + 1, len(self.lines)):
            text = self.lines[below].rstrip("\r")
            if not text.strip():
                continue
            if indent_of(text) <= indent:
                break
            last = below
        if last == number:
            return None
        return Region("text", number + 1, last, number, indent)

    def _flow(self, number: int) -> Region | None:
        """The continuation lines of a flow collection opening on line ``number``."""
        split = self.line(number)
        raw = self.lines[number].rstrip("\r")
        start = split.rest_column
        while start < len(raw) and raw[start] == " ":
            start += 1
        if start >= len(raw) or raw[start] not in "[{":
            return None
        scan = FlowScan(self.lines, number, start)
        scan.run_to(len(self.lines), 0)
        if scan.last <= number:
            return None
        return Region("flow", number + 1, scan.last, number, start)

    def line(self, number: int) -> Line:
        """The openers of line ``number``, split when first asked."""
        found = self._split.get(number)
        if found is None:
            found = split_line(self.lines[number].rstrip("\r"))
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
