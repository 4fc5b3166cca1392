"""GitHub Actions workflow annotations, one per diagnostic.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`` with 1-based lines
and columns (the end column included), errors as ``error``, warnings as ``warning``, infos
and hints as ``notice``. Values are escaped as the runner expects: ``%``, CR and LF in the
message; additionally ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from floe_cli.inputs import Unreadable
from floe_cli.reports.text import summary
from floe_cli.results import Results
from floe_core.diagnostics import Diagnostic, Severity

_COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}


def render_github(results: Results) -> str:
    """Every annotation, then the summary (ends with a newline)."""
    out: list[str] = []
    for result in results.files:
        if isinstance(result.source, Unreadable):
            reason = f"cannot read {result.shown}: {result.source.reason}"
            out.append(f"::error file={escape_property(result.shown)}::{escape_data(reason)}")
            continue
        out.extend(annotation(result.shown, d) for d in result.diagnostics)
    out.append(summary(results))
    return "\n".join(out) + "\n"


def annotation(path: str, diagnostic: Diagnostic) -> str:
    """One workflow command for one diagnostic."""
    start, end = diagnostic.range.start, diagnostic.range.end
    end_column = end.character if end.character > 0 else 1
    if end.line == start.line:
        end_column = max(end.character, start.character + 1)
    properties = {
        "file": path,
        "line": str(start.line + 1),
        "col": str(start.character + 1),
        "endLine": str(end.line + 1),
        "endColumn": str(end_column),
        "title": f"floe {diagnostic.code}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{_COMMANDS[diagnostic.severity]} {joined}::{escape_data(diagnostic.message)}"


def escape_data(value: str) -> str:
    """Escape a command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property's value."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
