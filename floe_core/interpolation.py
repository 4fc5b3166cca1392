"""``${VAR}``, ``${VAR:default}`` and ``${VAR:-default}`` in string values.

Interpolation runs on every string scalar before type validation, so a value produced by
interpolation is validated as its target type (``enabled: "${X:maybe}"`` is an error).
``$${`` writes a literal ``${``. The shell form ``:-`` is accepted (real files use it) and
flagged with a hint towards the canonical ``:``. A variable that is unset and has no default
leaves its value unresolved: checks skip it and a warning says so (an error where the
context is strict, as in the runtime).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

_TOKEN = re.compile(r"\$\$\{|\$\{([^}]*)\}|\$\{")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

Form = Literal["plain", "default", "shell-default"]
Source = Literal["environment", "default", "unset"]


class EnvRef(NamedTuple):
    """One ``${...}`` expression inside a raw string (offsets are into that string)."""

    name: str
    default: str | None
    form: Form
    start: int
    end: int
    value: str | None
    source: Source


class InterpolationProblem(NamedTuple):
    """A malformed expression, with its offsets into the raw string."""

    start: int
    end: int
    message: str


@dataclass(slots=True)
class Interpolated:
    """The outcome of interpolating one raw string."""

    value: str
    raw_length: int = 0
    refs: list[EnvRef] = field(default_factory=list)
    problems: list[InterpolationProblem] = field(default_factory=list)

    @property
    def unresolved(self) -> bool:
        """Whether some variable is unset and has no default (the value is unknown)."""
        return any(ref.source == "unset" for ref in self.refs)

    @property
    def is_whole(self) -> bool:
        """Whether the raw string was exactly one expression (so the value may be typed)."""
        if len(self.refs) != 1 or self.problems:
            return False
        ref = self.refs[0]
        return ref.start == 0 and ref.end == self.raw_length


def needs_interpolation(raw: str) -> bool:
    """Cheap test: does ``raw`` contain anything interpolation would touch?"""
    return "${" in raw


def interpolate(raw: str, env: Mapping[str, str]) -> Interpolated:
    """Resolve every expression of ``raw`` against ``env``."""
    out: list[str] = []
    result = Interpolated(value="", raw_length=len(raw))
    pos = 0
    for match in _TOKEN.finditer(raw):
        out.append(raw[pos : match.start()])
        pos = match.end()
        token = match.group(0)
        if token == "$${":
            out.append("${")
            continue
        body = match.group(1)
        if body is None:
            result.problems.append(
                InterpolationProblem(
                    match.start(), len(raw), "'${' is not closed: write ${NAME} or ${NAME:default}"
                )
            )
            out.append(raw[match.start() :])
            pos = len(raw)
            break
        ref = _parse_body(body, match.start(), match.end(), env)
        if isinstance(ref, InterpolationProblem):
            result.problems.append(ref)
            out.append(token)
            continue
        result.refs.append(ref)
        out.append(ref.value or "")
    out.append(raw[pos:])
    result.value = "".join(out)
    return result


def _parse_body(
    body: str, start: int, end: int, env: Mapping[str, str]
) -> EnvRef | InterpolationProblem:
    name, sep, default = body.partition(":")
    form: Form = "plain"
    if sep:
        form = "default"
        if default.startswith("-"):
            form, default = "shell-default", default[1:]
    if not _NAME.match(name):
        shown = name or "(empty)"
        return InterpolationProblem(
            start,
            end,
            f"'{shown}' is not a valid environment variable name: use letters, digits and "
            "underscores, not starting with a digit (for example ${DBT_TARGET:dev})",
        )
    if name in env:
        return EnvRef(name, default if sep else None, form, start, end, env[name], "environment")
    if sep:
        return EnvRef(name, default, form, start, end, default, "default")
    return EnvRef(name, None, form, start, end, None, "unset")
