"""Editor positions of libyaml marks and code-point offsets.

libyaml also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR; editors (and the
LSP) break only at \\n, \\r\\n and \\r. This is the one place that reconciles the two.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import yaml

from floe_core.positions import Position, Range

YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
EDITOR_BREAK = re.compile(r"\r\n|\r|\n")


class SourceLines:
    """Converts libyaml marks to editor positions for one text.

    Only a text containing a YAML-only line break needs recomputing from the mark's
    code-point index; any other uses the mark as it is.
    """

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        self._starts: list[int] | None = None
        if any(sep in text for sep in YAML_ONLY_BREAKS):
            self._starts = [0] + [m.end() for m in EDITOR_BREAK.finditer(text)]

    def position(self, mark: Any) -> Position:
        if self._starts is None:
            return Position(mark.line, mark.column)
        return self.at_index(mark.index)

    def at_index(self, index: int) -> Position:
        if self._starts is None:
            raise ValueError("at_index needs the line table")
        line = bisect_right(self._starts, index) - 1
        return Position(line, index - self._starts[line])

    def range(self, node: yaml.Node) -> Range:
        return Range(self.position(node.start_mark), self.position(node.end_mark))


def position_at(text: str, index: int) -> Position:
    """The editor position of a code-point offset."""
    starts = [0] + [m.end() for m in EDITOR_BREAK.finditer(text, 0, index)]
    return Position(len(starts) - 1, index - starts[-1])
