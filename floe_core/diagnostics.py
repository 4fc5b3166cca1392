"""Diagnostics: what is wrong, where, how bad, and the edits that would fix it.

A Diagnostic is the one currency between floe_core and its three faces: the CLI prints
it, the language server publishes it (its JSON form is exactly an LSP Diagnostic), and the
runtime refuses to load while any of them is an error.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, NamedTuple

from floe_core.positions import Range


class Severity(IntEnum):
    """LSP diagnostic severities (the numbers are the protocol's)."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        """The word printed by the CLI: error, warning, info or hint."""
        return {1: "error", 2: "warning", 3: "info", 4: "hint"}[self.value]


class TextEdit(NamedTuple):
    """Replace ``range`` with ``new_text``."""

    range: Range
    new_text: str


class Fix(NamedTuple):
    """A machine-applicable correction: a title for the user and the edits it makes."""

    title: str
    edits: tuple[TextEdit, ...]
    preferred: bool = True


class Diagnostic(NamedTuple):
    """One problem in one document."""

    range: Range
    severity: Severity
    code: str
    message: str
    fixes: tuple[Fix, ...] = ()

    @property
    def is_error(self) -> bool:
        """Whether this diagnostic blocks the runtime from loading the file."""
        return self.severity is Severity.ERROR

    def to_lsp(self) -> dict[str, Any]:
        """This diagnostic as an LSP ``Diagnostic`` object (0-based, code-point columns)."""
        start, end = self.range.start, self.range.end
        return {
            "range": {
                "start": {"line": start.line, "character": start.character},
                "end": {"line": end.line, "character": end.character},
            },
            "severity": int(self.severity),
            "code": self.code,
            "source": "floe",
            "message": self.message,
        }


def replace_fix(title: str, range_: Range, new_text: str) -> tuple[Fix, ...]:
    """A one-edit fix, the shape of nearly every quick fix floe offers."""
    return (Fix(title=title, edits=(TextEdit(range_, new_text),)),)
