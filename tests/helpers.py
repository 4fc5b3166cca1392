"""Small helpers shared by the test modules (importable because pytest puts tests/ on the
path): where a piece of text stands, and the one diagnostic of a code."""

from __future__ import annotations

from floe_core import Analysis, Diagnostic, Position


def at(text: str, needle: str) -> Position:
    """Where ``needle`` starts in ``text``; ``'text#n'`` is its n-th occurrence (0-based)."""
    needle, _, nth = needle.partition("#")
    offset = -1
    for _ in range(int(nth or 0) + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset)
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1))


def only(analysis: Analysis, code: str) -> Diagnostic:
    """The single diagnostic with ``code`` (the test fails when there are none or several)."""
    found = [d for d in analysis.diagnostics if d.code == code]
    assert len(found) == 1, analysis.diagnostics
    return found[0]
