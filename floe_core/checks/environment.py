"""``${VAR}`` expressions: malformed ones, unset variables without a default, and the shell
form ``${VAR:-x}`` (accepted, with a fix towards the canonical ``${VAR:x}``)."""

from __future__ import annotations

from collections.abc import Iterator

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.interpolation import Interpolated


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Diagnose every interpolated scalar of the document."""
    unset_severity = Severity.ERROR if ctx.context.strict_env else Severity.WARNING
    for node in ctx.document.interpolated(_worth_a_diagnostic):
        result = node.interpolation
        if result is None:
            continue
        for problem in result.problems:
            yield Diagnostic(
                node.span(problem.start, problem.end),
                Severity.ERROR,
                "env-syntax",
                problem.message,
            )
        for ref in result.refs:
            if ref.source == "unset":
                yield Diagnostic(
                    node.span(ref.start, ref.end),
                    unset_severity,
                    "env-unset",
                    f"environment variable {ref.name} is not set and has no default; set it, "
                    f"or give a default: ${{{ref.name}:value}}",
                )
            if ref.form == "shell-default":
                where = node.span(ref.start, ref.end)
                canonical = f"${{{ref.name}:{ref.default or ''}}}"
                yield Diagnostic(
                    where,
                    Severity.HINT,
                    "env-shell-default",
                    f"'${{{ref.name}:-...}}' works, but floe's form is '{canonical}'",
                    replace_fix(f"Write {canonical}", where, canonical),
                )


def _worth_a_diagnostic(_raw: str, result: Interpolated) -> bool:
    return bool(result.problems) or any(
        ref.source == "unset" or ref.form == "shell-default" for ref in result.refs
    )
