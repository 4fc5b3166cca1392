"""Read a dotenv file (``--env-file``, the ``floe.envFile`` setting) into a dict.

The supported subset is what real ``.env`` files use: ``KEY=value`` lines, an optional
``export`` prefix, blank lines and ``#`` comments, unquoted values (trimmed; `` #`` starts a
comment), single-quoted values (taken literally) and double-quoted values (with ``\\n``,
``\\t``, ``\\"`` and ``\\\\`` escapes; they may span lines). Variables are not expanded
inside values. A line that is none of these is an error naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


class EnvFileError(ValueError):
    """A line of an env file that is not ``KEY=value``; the message says where."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = Path(path)
        self.line = line
        super().__init__(f"{path}:{line}: {message}")


def read_env_file(path: Path | str) -> dict[str, str]:
    """The variables of a dotenv file; raises OSError, UnicodeDecodeError or EnvFileError."""
    text = Path(path).read_bytes().decode("utf-8-sig")
    return parse_env(text, path)


def parse_env(text: str, path: Path | str = "<env>") -> dict[str, str]:
    """The variables of dotenv ``text``; ``path`` only names the source in errors."""
    values: dict[str, str] = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        number = index + 1
        line = lines[index].strip()
        index += 1
        if not line or line.startswith("#"):
            continue
        if line.startswith("export ") or line.startswith("export\t"):
            line = line[len("export") :].lstrip()
        key, sep, rest = line.partition("=")
        key = key.strip()
        if not sep or not _KEY.fullmatch(key):
            raise EnvFileError(
                path, number, f"expected KEY=value (a name, '=', a value), got {line[:60]!r}"
            )
        rest = rest.lstrip()
        if rest.startswith('"'):
            value, index = _double_quoted(rest[1:], lines, index, path, number)
        elif rest.startswith("'"):
            end = rest.find("'", 1)
            if end < 0:
                raise EnvFileError(path, number, f"the single quote after {key}= is not closed")
            value = rest[1:end]
        else:
            value = _unquoted(rest)
        values[key] = value
    return values


def _unquoted(rest: str) -> str:
    """An unquoted value: up to a `` #`` comment, trimmed."""
    comment = re.search(r"\s#", rest)
    if comment is not None:
        rest = rest[: comment.start()]
    return rest.strip()


def _double_quoted(
    rest: str, lines: list[str], index: int, path: Path | str, number: int
) -> tuple[str, int]:
    """A double-quoted value (escapes resolved), possibly continued on the next lines."""
    out: list[str] = []
    chunk = rest
    while True:
        position = 0
        while position < len(chunk):
            char = chunk[position]
            if char == "\\" and position + 1 < len(chunk):
                following = chunk[position + 1]
                out.append(_ESCAPES.get(following, "\\" + following))
                position += 2
                continue
            if char == '"':
                return "".join(out), index
            out.append(char)
            position += 1
        if index >= len(lines):
            raise EnvFileError(path, number, "the double quote of this value is not closed")
        out.append("\n")
        chunk = lines[index]
        index += 1
