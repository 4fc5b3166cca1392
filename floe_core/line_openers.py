"""The block structure written on one line of YAML, read without a YAML parser: the ``- ``
dashes and the ``key:`` that can hold children (openers), where the rest of the line starts,
and whether the line ends in a block scalar header (``key: |``).

Comments and quoted keys are understood; the line may be half-written (``job:`` with
nothing after it, a key without its colon). Columns are code points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_KEY = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)"""
    r"""[ \t]*:(?=[ \t]|$)"""
)
SKIPPED_LINE = re.compile(r"(---|\.\.\.)(\s|$)|%")
_BLOCK_INDICATOR = re.compile(r"(?:[!&][^\s]*[ \t]+)*[|>][1-9+-]{0,2}")
"""A value that opens a block scalar: ``|``, ``>-``, ``|2``, after an optional tag or anchor."""


@dataclass(frozen=True, slots=True)
class Opener:
    """Something on a line that can hold children: a ``- `` dash or a ``key:``."""

    column: int
    kind: Literal["dash", "key"]
    key: str = ""
    value: str = ""

    @property
    def holds_block(self) -> bool:
        """Whether lines below may belong to it (a dash always; a key with no inline value)."""
        return self.kind == "dash" or self.value == "" or self.value[0] in "&!"

    @property
    def opens_block_scalar(self) -> bool:
        """Whether its inline value starts a block scalar (``key: |``)."""
        return self.kind == "key" and _BLOCK_INDICATOR.fullmatch(self.value) is not None


@dataclass(frozen=True, slots=True)
class Line:
    """One line, split into its openers and what follows the last one."""

    openers: tuple[Opener, ...]
    rest_column: int


def unquote_key(raw: str) -> str:
    """A key or scalar as written, without its enclosing quotes (or surrounding spaces)."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw.strip()


def strip_comment(text: str) -> str:
    """``text`` without a trailing ``# comment`` (a ``#`` inside quotes is kept)."""
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return text[:index].rstrip()
    return text.rstrip()


def split_line(text: str) -> Line:
    """The dashes and key of one line, in column order."""
    stripped = text.lstrip(" ")
    pos = len(text) - len(stripped)
    if not stripped or stripped.startswith("#") or SKIPPED_LINE.match(stripped):
        return Line((), len(text))
    openers: list[Opener] = []
    while pos < len(text) and text[pos] == "-" and (pos + 1 == len(text) or text[pos + 1] == " "):
        openers.append(Opener(pos, "dash"))
        pos += 1
        while pos < len(text) and text[pos] == " ":
            pos += 1
    match = _KEY.match(text, pos)
    if match is not None:
        value = strip_comment(text[match.end() :]).strip()
        openers.append(Opener(pos, "key", unquote_key(match.group("key")), value))
        return Line(tuple(openers), match.end())
    return Line(tuple(openers), pos)


def ends_in_block_header(raw: str, line: Line) -> bool:
    """Whether the line ``raw``, split into ``line``, ends in a block scalar header (``key: |``,
    ``- >-``): the lines indented below it are text."""
    if not line.openers:
        return False
    rest = strip_comment(raw[line.rest_column :]).strip()
    return line.openers[-1].opens_block_scalar or _BLOCK_INDICATOR.fullmatch(rest) is not None


def indent_of(text: str) -> int:
    """The number of spaces ``text`` starts with."""
    return len(text) - len(text.lstrip(" "))
