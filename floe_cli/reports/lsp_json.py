"""JSON output: ``{"positionEncoding": "utf-16", "files": [{"path", "diagnostics"}]}``.

Each diagnostic is exactly an LSP ``Diagnostic`` (``Diagnostic.to_lsp()``: 0-based range,
numeric severity, code, source "floe", message) with its columns converted to UTF-16 code
units, the protocol's default encoding. A file that could not be read has an ``error``
string and no diagnostics.
"""

from __future__ import annotations

import json
from typing import Any

from floe_cli.inputs import Unreadable
from floe_cli.lines import document_lines, utf16_column
from floe_cli.results import Results
from floe_core.diagnostics import Diagnostic


def render_json(results: Results) -> str:
    """The report as one JSON document (ends with a newline)."""
    files: list[dict[str, Any]] = []
    for result in results.files:
        entry: dict[str, Any] = {"path": result.shown, "diagnostics": []}
        if isinstance(result.source, Unreadable):
            entry["error"] = result.source.reason
        else:
            lines = document_lines(result.text)
            entry["diagnostics"] = [lsp_diagnostic(d, lines) for d in result.diagnostics]
        files.append(entry)
    document = {"positionEncoding": "utf-16", "files": files}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def lsp_diagnostic(diagnostic: Diagnostic, lines: list[str]) -> dict[str, Any]:
    """``diagnostic.to_lsp()`` with UTF-16 columns."""
    lsp = diagnostic.to_lsp()
    for end in ("start", "end"):
        position = lsp["range"][end]
        line = lines[position["line"]] if position["line"] < len(lines) else ""
        position["character"] = utf16_column(line, position["character"])
    return lsp
