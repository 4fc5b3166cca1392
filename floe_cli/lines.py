"""Lines of a document as floe_core counts them, and column conversion to UTF-16.

floe_core's positions follow editors: lines end at ``\\r\\n``, ``\\r`` or ``\\n`` (not at the
Unicode breaks NEL, LS and PS, which libyaml also counts); columns count code points. The
JSON output converts columns to UTF-16 code units, the LSP default encoding.
"""

from __future__ import annotations

import re

_BREAK = re.compile("\r\n|\r|\n")


def document_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line breaks (a trailing break ends no extra line)."""
    lines = _BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def utf16_column(line: str, character: int) -> int:
    """The UTF-16 column of code-point column ``character`` in ``line``."""
    prefix = line[:character]
    astral = sum(1 for char in prefix if ord(char) > 0xFFFF)
    return character + astral
