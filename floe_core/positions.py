"""Source positions and ranges inside a floe.yaml document.

Lines are 0-based; columns count Unicode code points (what libyaml reports). The language
server converts columns to UTF-16 (or the negotiated encoding) at its boundary; nothing in
floe_core ever deals in UTF-16.
"""

from __future__ import annotations

from typing import NamedTuple


class Position(NamedTuple):
    """A point in the document: 0-based line and 0-based code-point column."""

    line: int
    character: int


class Range(NamedTuple):
    """A half-open span of the document, from ``start`` up to (not including) ``end``."""

    start: Position
    end: Position

    @classmethod
    def of(cls, line: int, char: int, end_line: int, end_char: int) -> Range:
        """Build a range from four integers."""
        return cls(Position(line, char), Position(end_line, end_char))

    def contains(self, position: Position) -> bool:
        """Whether ``position`` lies inside the range (its end included, as editors expect)."""
        return self.start <= position <= self.end

    def sub(self, start_offset: int, end_offset: int) -> Range:
        """The part of a single-line range between two column offsets from its start."""
        line, char = self.start.line, self.start.character
        return Range(Position(line, char + start_offset), Position(line, char + end_offset))

    @property
    def is_single_line(self) -> bool:
        """Whether the range starts and ends on the same line."""
        return self.start.line == self.end.line


DOCUMENT_START = Range(Position(0, 0), Position(0, 0))
