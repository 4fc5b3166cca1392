"""Text output for people: ``file:line:col: severity[code]: message``, the source line with
the range underlined, fix hints, and a summary line.

Lines and columns are 1-based code points (what editors show in their status bar). The
excerpt is made safe to print: control characters become ``?``, East Asian wide characters
get two carets, and a very long line is cut to a window around the range.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from floe_cli.inputs import Unreadable
from floe_cli.lines import document_lines
from floe_cli.results import FileResult, Results
from floe_core.diagnostics import Diagnostic, Severity

WINDOW = 160
LEAD = 40
ELLIPSIS = "..."


def render_text(results: Results) -> str:
    """The whole report (ends with a newline)."""
    out: list[str] = []
    for result in results.files:
        if isinstance(result.source, Unreadable):
            continue
        lines = document_lines(result.text)
        for diagnostic in result.diagnostics:
            out.extend(_diagnostic(result, diagnostic, lines))
    out.append(summary(results))
    return "\n".join(out) + "\n"


def _diagnostic(result: FileResult, diagnostic: Diagnostic, lines: list[str]) -> Iterator[str]:
    start = diagnostic.range.start
    label = diagnostic.severity.label
    yield (
        f"{result.shown}:{start.line + 1}:{start.character + 1}: "
        f"{label}[{diagnostic.code}]: {_safe(diagnostic.message)}"
    )
    yield from excerpt(diagnostic, lines)
    for fix in diagnostic.fixes:
        yield f"{' ' * (len(str(start.line + 1)) + 2)}= help: {_safe(fix.title)}"


def excerpt(diagnostic: Diagnostic, lines: list[str]) -> list[str]:
    """The source line of the diagnostic's start and a caret line under its range."""
    start, end = diagnostic.range.start, diagnostic.range.end
    line = lines[start.line] if start.line < len(lines) else ""
    first = min(start.character, len(line))
    last = end.character if end.line == start.line else len(line)
    last = max(min(last, len(line)), first)
    window_start = max(0, first - LEAD) if len(line) > WINDOW else 0
    window_end = min(len(line), window_start + WINDOW)
    prefix = ELLIPSIS if window_start > 0 else ""
    suffix = ELLIPSIS if window_end < len(line) else ""
    shown = prefix + _display(line[window_start:window_end]) + suffix
    pad = len(prefix) + _width(line[window_start:first])
    carets = max(1, _width(line[first : min(last, window_end)]))
    number = str(start.line + 1)
    gutter = " " * len(number)
    return [f" {number} | {shown}".rstrip(), f" {gutter} | {' ' * pad}{'^' * carets}"]


def summary(results: Results) -> str:
    """One line: how many files were checked and what was found."""
    checked = sum(1 for f in results.files if not isinstance(f.source, Unreadable))
    counts = results.counts()
    found = [_plural(counts[severity], severity.label) for severity in Severity if counts[severity]]
    line = f"{_plural(checked, 'file')} checked: {', '.join(found) if found else 'no problems'}."
    unreadable = len(results.unreadable)
    if unreadable:
        line += f" {_plural(unreadable, 'file')} could not be read."
    return line


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _display(text: str) -> str:
    """``text`` with control characters replaced, so that printing it is safe."""
    return "".join(" " if c == "\t" else "?" if _is_control(c) else c for c in text)


def _width(text: str) -> int:
    """How many terminal columns ``text`` takes once displayed."""
    total = 0
    for char in text:
        if _is_control(char) or char == "\t":
            total += 1
        elif unicodedata.combining(char):
            continue
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += 2
        else:
            total += 1
    return total


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") and char != "\t"


def _safe(message: str) -> str:
    """A message on one line, without control characters."""
    return _display(" ".join(message.split()))
