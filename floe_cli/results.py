"""The outcome of ``floe validate``: each file's diagnostics, the totals and the exit status.

Exit status: 0 without errors (warnings, infos and hints do not fail), 1 when some file has
an error, 2 when some file cannot be read (this wins over 1).
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from floe_cli.inputs import Source, SourceFile, Unreadable
from floe_core.diagnostics import Diagnostic, Severity

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


class FileResult(NamedTuple):
    """One file: what was read (or why not) and the diagnostics found in it."""

    source: Source
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def shown(self) -> str:
        """The path as the user wrote it."""
        return self.source.shown

    @property
    def text(self) -> str:
        """The file's text ('' when unreadable)."""
        return self.source.text if isinstance(self.source, SourceFile) else ""


class Results(NamedTuple):
    """Every file of one run."""

    files: list[FileResult]

    @property
    def unreadable(self) -> list[Unreadable]:
        """The files that could not be read."""
        return [f.source for f in self.files if isinstance(f.source, Unreadable)]

    def counts(self) -> Counter[Severity]:
        """How many diagnostics of each severity, over all files."""
        return Counter(d.severity for f in self.files for d in f.diagnostics)

    @property
    def exit_status(self) -> int:
        """0, 1 or 2 as the module docstring says."""
        if self.unreadable:
            return EXIT_UNREADABLE
        if self.counts()[Severity.ERROR]:
            return EXIT_ERRORS
        return EXIT_OK
