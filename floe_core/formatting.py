"""Format a floe.yaml: consistent indentation and quoting, everything else preserved.

Used by ``floe fmt`` and the language server's ``textDocument/formatting``. ruamel.yaml's
round-trip mode keeps comments, blank lines, key order, flow/block style, anchors and the
plain-or-quoted choice of every scalar; on top of it this module makes:

- indentation 2 spaces per mapping level, sequences indented under their key
  (``key:\\n  - item``), never re-wrapped (lines are as long as they were);
- quoting consistent: every quoted scalar uses double quotes;
- full-line comments indented like the line they describe (the next one), unless they
  close a deeper block, where they stay at most as deep as the line before;
- line endings (LF or CRLF), a byte-order mark, and a preamble before ``---`` kept as-is.

Formatting never changes meaning: the result is parsed again and must give the same data,
and the result is a fixed point (formatting it again changes nothing). A file with YAML
errors (syntax, duplicate keys, several documents) is never formatted; the result then
carries the reason instead of text.
"""

from __future__ import annotations

import bisect
import io
import re
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from floe_core.yaml_compose import compose
from floe_core.yaml_tree import ParsedDocument, parse_document

MAX_ROUNDS = 3

_DOCUMENT_START = re.compile(r"---(?:[ \t].*)?\Z")
_PREAMBLE_LINE = re.compile(r"[ \t]*(?:#.*|%.*)?\Z")
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))(#[^\n]*)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FormatResult:
    """The formatted text, or why the document was not formatted (exactly one is set)."""

    text: str | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the document was formatted."""
        return self.text is not None


def format_document(text: str) -> FormatResult:
    """Format one floe.yaml document; never raises."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    newline = "\r\n" if "\r\n" in body else "\n"
    body = body.replace("\r\n", "\n")
    before = parse_document(body, {})
    problem = _unformattable(before)
    if problem is not None:
        return FormatResult(None, problem)
    if before.root is None or before.data is None or not isinstance(before.data, dict | list):
        return FormatResult(text)
    preamble, content = _split_preamble(body)
    formatted = content
    try:
        for _ in range(MAX_ROUNDS):
            again = _format_once(formatted)
            if again == formatted:
                break
            formatted = again
        else:
            return FormatResult(
                None,
                "floe fmt found no stable layout for this file; it is left "
                "as it is (please report this)",
            )
    except (RuamelError, RecursionError, ValueError) as exc:
        return FormatResult(None, f"cannot format: {_first_line(str(exc))}")
    result = preamble + formatted
    after = parse_document(result, {})
    if after.root is None or repr(after.data) != repr(before.data):
        return FormatResult(
            None,
            "formatting would change the meaning of this file, so it is left as it is "
            "(please report this)",
        )
    lost = _lost_comment(body, result)
    if lost is not None:
        return FormatResult(
            None,
            f"formatting would drop the comment {lost!r}: comments inside a [...] or {{...}} "
            "that spans several lines cannot be kept; move it onto its own line outside",
        )
    return FormatResult(bom + result.replace("\n", newline))


def _unformattable(document: ParsedDocument) -> str | None:
    """Why a parsed document must not be formatted (a YAML-level error), if it must not."""
    for diagnostic in document.diagnostics:
        if diagnostic.code.startswith("yaml-") or diagnostic.code in {
            "duplicate-key",
            "alias-expansion",
        }:
            start = diagnostic.range.start
            return (
                f"not formatted: line {start.line + 1}, column {start.character + 1}: "
                f"{diagnostic.message}"
            )
    return None


def _split_preamble(body: str) -> tuple[str, str]:
    """Comments and directives up to a bare ``---`` line (kept verbatim), and the rest."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if _DOCUMENT_START.match(line):
            if line.strip() != "---":
                break
            return "\n".join(lines[: index + 1]) + "\n", "\n".join(lines[index + 1 :])
        if not _PREAMBLE_LINE.match(line):
            break
    return "", body


def _format_once(text: str) -> str:
    """One ruamel.yaml round trip with floe's layout, then comment indentation."""
    data = _round_tripper().load(text)
    out = io.StringIO()
    _round_tripper().dump(data, out)
    return _indent_comments(out.getvalue())


def _round_tripper() -> YAML:
    """A ruamel.yaml round-tripper configured with floe's layout."""
    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.width = 1_000_000
    handler.Representer = _DoubleQuotingRepresenter
    return handler


class _DoubleQuotingRepresenter(RoundTripRepresenter):
    """Writes single-quoted scalars with double quotes."""

    def represent_single_quoted(self, data: Any) -> Any:
        """A single-quoted scalar, double-quoted."""
        return self.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


_DoubleQuotingRepresenter.add_representer(
    SingleQuotedScalarString, _DoubleQuotingRepresenter.represent_single_quoted
)


def _indent_comments(text: str) -> str:
    """Indent each full-line comment like the next content line (see the module docstring)."""
    lines = text.split("\n")
    frozen = _lines_inside_values(text)
    indents = [_content_indent(line) for line in lines]
    next_indent: list[int | None] = [None] * len(lines)
    following: int | None = None
    for index in range(len(lines) - 1, -1, -1):
        next_indent[index] = following
        if indents[index] is not None and index not in frozen:
            following = indents[index]
    previous: int | None = None
    for index, line in enumerate(lines):
        if index in frozen:
            continue
        indent = indents[index]
        if indent is not None:
            previous = indent
            continue
        stripped = line.lstrip(" ")
        if not stripped.startswith("#"):
            continue
        current = len(line) - len(stripped)
        below = next_indent[index]
        if below is None:
            wanted = min(current, previous) if previous is not None else 0
        elif current <= below or previous is None:
            wanted = below
        else:
            wanted = max(below, min(current, previous))
        lines[index] = " " * wanted + stripped
    return "\n".join(lines)


def _content_indent(line: str) -> int | None:
    """The indentation of a content line; None for blank and comment-only lines."""
    stripped = line.lstrip(" ")
    if not stripped or stripped.startswith("#"):
        return None
    return len(line) - len(stripped)


def _lines_inside_values(text: str) -> set[int]:
    """Lines that continue a multi-line scalar or flow collection (never re-indented)."""
    try:
        root = compose(text)
    except yaml.YAMLError:
        return set()
    inside: set[int] = set()
    stack: list[yaml.Node] = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        multi_line = node.end_mark.line > node.start_mark.line
        is_flow = isinstance(node, yaml.CollectionNode) and bool(node.flow_style)
        if multi_line and (isinstance(node, yaml.ScalarNode) or is_flow):
            inside.update(range(node.start_mark.line + 1, node.end_mark.line + 1))
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return inside


def _lost_comment(before: str, after: str) -> str | None:
    """The first comment of ``before`` that ``after`` no longer has, if any."""
    remaining = _comments(after)
    for comment in _comments(before):
        if remaining.get(comment, 0) == 0:
            return comment
        remaining[comment] -= 1
    return None


def _comments(text: str) -> dict[str, int]:
    """How often each comment (from its ``#`` to the end of its line) occurs in ``text``."""
    spans: list[tuple[int, int]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            if token.end_mark.index > token.start_mark.index:
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return {}
    starts = [start for start, _ in spans]
    counts: dict[str, int] = {}
    for match in _COMMENT.finditer(text):
        at = match.start(1)
        index = bisect.bisect_right(starts, at) - 1
        if index >= 0 and spans[index][0] <= at < spans[index][1]:
            continue
        comment = match.group(1).rstrip()
        counts[comment] = counts.get(comment, 0) + 1
    return counts


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
