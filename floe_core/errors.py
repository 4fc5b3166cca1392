"""FloeConfigError: raised where a caller needs a valid config (the runtime) and got errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from floe_core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from floe_core.models import FloeSpec


def location(path: Path | str, diagnostic: Diagnostic) -> str:
    """``file:line:col`` with 1-based line and column, as compilers print them."""
    start = diagnostic.range.start
    return f"{path}:{start.line + 1}:{start.character + 1}"


class FloeConfigError(Exception):
    """floe.yaml has errors; the message lists each as ``file:line:col: message``.

    ``spec`` is the typed config when the file is well-formed and only semantic checks
    failed (a caller may refresh what those checks read, e.g. a stale dbt manifest).
    """

    def __init__(
        self, path: Path | str, diagnostics: list[Diagnostic], spec: FloeSpec | None = None
    ) -> None:
        self.path = Path(path)
        self.diagnostics = diagnostics
        self.spec = spec
        lines = [f"{location(path, d)}: {d.message} [{d.code}]" for d in diagnostics]
        count = len(diagnostics)
        header = f"{path} has {count} error{'s' if count != 1 else ''}:"
        super().__init__("\n".join([header, *lines]))
