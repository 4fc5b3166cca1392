"""Documents floe refuses to walk, and YAML syntax errors, as diagnostics.

Runaway nesting is refused before libyaml's recursive composer can crash on it; a lone
surrogate (editors can send one) before libyaml fails to encode it; a syntax error gets
the position of the problem and a hint for the usual causes.
"""

from __future__ import annotations

import re

import yaml

from floe_core.diagnostics import Diagnostic, Severity
from floe_core.positions import Position, Range
from floe_core.source_lines import EDITOR_BREAK, SourceLines, position_at

MAX_DEPTH = 100
# libyaml's composer recurses in C; beyond a few thousand levels it can exhaust the stack.
_COMPOSER_SAFE_DEPTH = 1_000


def surrogate_problem(text: str) -> Diagnostic | None:
    """Text from an editor may hold an unpaired UTF-16 surrogate, which is not Unicode."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        start = position_at(text, exc.start)
        return Diagnostic(
            Range(start, Position(start.line, start.character + 1)),
            Severity.ERROR,
            "not-unicode",
            f"the text holds an unpaired surrogate (U+{ord(text[exc.start]):04X}), which is "
            "not a Unicode character; delete it and retype the character meant",
        )
    return None


def depth_problem(text: str, lines: SourceLines) -> Diagnostic | None:
    """Refuse runaway nesting before libyaml's recursive composer can crash on it.

    Nesting needs an opening bracket or more indentation per level, so the bracket count
    plus the longest line bounds the depth; only beyond a safe bound are the parser's
    events streamed to measure it. Moderate depths are limited by the builder itself.
    """
    brackets = text.count("[") + text.count("{") - text.count("${")
    bound = brackets + max(map(len, text.splitlines()), default=0)
    if bound <= _COMPOSER_SAFE_DEPTH:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    mark = event.start_mark
                    return nesting_diagnostic(lines.position(mark))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def nesting_diagnostic(position: Position) -> Diagnostic:
    return Diagnostic(
        Range(position, Position(position.line, position.character + 1)),
        Severity.ERROR,
        "yaml-too-deep",
        f"the document nests more than {MAX_DEPTH} levels deep here; a floe.yaml never "
        "needs that many (is a bracket or indentation runaway?)",
    )


_HINTS = (
    (
        "mapping values are not allowed here",
        "is a ':' missing a space after it, or is the line indented too far?",
    ),
    (
        "expected a single document",
        "a floe.yaml holds one document: remove the '---' separator or split the file",
    ),
    ("could not find expected ':'", "a key needs a ':' after it"),
    ("found undefined alias", "define the anchor (&name) before using the alias (*name)"),
)


def _inside_document(position: Position, text: str) -> Position:
    """``position``, or the end of the text when libyaml points past it (an unterminated
    last line: libyaml's end-of-stream mark is on the line after it)."""
    lines = re.split("\r\n|\r|\n", text)
    if position.line < len(lines):
        return position
    return Position(len(lines) - 1, len(lines[-1]))


def syntax_diagnostic(exc: yaml.YAMLError, text: str, lines: SourceLines) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        position = lines.position(mark)
    else:
        # libyaml reads the text as UTF-8: a reader error's position counts bytes.
        offset = getattr(exc, "position", 0) or 0
        read = text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore")
        position = position_at(text, len(read))
    position = _inside_document(position, text)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    source_lines = EDITOR_BREAK.split(text)
    line_text = source_lines[position.line] if position.line < len(source_lines) else ""
    if "\t" in line_text[: position.character + 1]:
        message += "; YAML indentation must use spaces, not tabs"
    else:
        for needle, hint in _HINTS:
            if needle in str(exc):
                message += f"; {hint}"
                break
    message = re.sub(r"\s+", " ", message)
    end = Position(position.line, min(position.character + 1, len(line_text)))
    return Diagnostic(Range(position, max(end, position)), Severity.ERROR, "yaml-syntax", message)
