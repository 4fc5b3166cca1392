"""Glob patterns as floe.yaml writes them for asset names: ``*``, ``?``, ``[abc]``, ``[!abc]``,
``[a-z]`` and ``{a,b}`` (nestable). One dialect for asset pattern keys and selections.

``*`` and ``?`` do not cross a ``/`` (asset keys are slash-joined paths; ``**`` does). A
``[`` without its ``]`` or a ``{`` without its ``}`` is an ordinary character, and
:func:`glob_problem` says so for the editor. Matching is case-sensitive, like asset keys.
"""

from __future__ import annotations

import functools
import re

_GLOB_CHARACTERS = frozenset("*?[{")


def is_glob(pattern: str) -> bool:
    """Whether ``pattern`` uses any glob syntax (else it names exactly one thing)."""
    return not _GLOB_CHARACTERS.isdisjoint(pattern)


@functools.lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """The anchored regular expression equivalent to a glob (cached)."""
    body, _ = _translate(pattern, 0, in_braces=False)
    return re.compile(body + r"\Z", re.DOTALL)


def glob_match(pattern: str, name: str) -> bool:
    """Whether ``name`` matches the glob ``pattern`` completely."""
    if not is_glob(pattern):
        return pattern == name
    return compile_glob(pattern).match(name) is not None


def glob_problem(pattern: str) -> tuple[int, int, str] | None:
    """``(start, end, message)`` for an unbalanced ``[`` or ``{`` (which match themselves)."""
    depth_starts: list[int] = []
    index = 0
    while index < len(pattern):
        ch = pattern[index]
        if ch == "[":
            close = _class_end(pattern, index)
            if close is None:
                return (
                    index,
                    index + 1,
                    "'[' starts a character class but has no closing ']'; it matches a "
                    "literal '[' (write [[] to mean that on purpose)",
                )
            index = close
        elif ch == "{":
            depth_starts.append(index)
        elif ch == "}" and depth_starts:
            depth_starts.pop()
        index += 1
    if depth_starts:
        start = depth_starts[-1]
        return (
            start,
            start + 1,
            "'{' starts a list of alternatives like {a,b} but has no closing '}'",
        )
    return None


def _translate(pattern: str, index: int, *, in_braces: bool) -> tuple[str, int]:
    """Translate from ``index`` up to the end (or the ``}``/``,`` ending an alternative)."""
    out: list[str] = []
    while index < len(pattern):
        ch = pattern[index]
        if in_braces and ch in ",}":
            return "".join(out), index
        if ch == "*":
            if pattern.startswith("**", index):
                out.append(".*")
                index += 2
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            close = _class_end(pattern, index)
            if close is None:
                out.append(re.escape(ch))
            else:
                out.append(_character_class(pattern[index + 1 : close]))
                index = close
        elif ch == "{" and _brace_end(pattern, index) is not None:
            alternatives: list[str] = []
            index += 1
            while True:
                part, index = _translate(pattern, index, in_braces=True)
                alternatives.append(part)
                if pattern[index] == "}":
                    break
                index += 1
            out.append("(?:" + "|".join(alternatives) + ")")
        else:
            out.append(re.escape(ch))
        index += 1
    return "".join(out), index


def _class_end(pattern: str, start: int) -> int | None:
    """The index of the ``]`` closing the class opened at ``start``."""
    index = start + 1
    if index < len(pattern) and pattern[index] in "!^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1
    close = pattern.find("]", index)
    return close if close != -1 else None


def _brace_end(pattern: str, start: int) -> int | None:
    """The index of the ``}`` closing the ``{`` at ``start`` (respecting nesting)."""
    depth = 0
    index = start
    while index < len(pattern):
        ch = pattern[index]
        if ch == "[":
            close = _class_end(pattern, index)
            index = close if close is not None else index
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _character_class(body: str) -> str:
    negated = body[:1] in ("!", "^")
    if negated:
        body = body[1:]
    escaped = body.replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[")
    return f"[{'^' if negated else ''}{escaped}]"
