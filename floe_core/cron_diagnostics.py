"""Diagnostics for a cron expression written in floe.yaml: invalid ones with the offending
field's range (and a fix where the right form is known), crons that fire only on leap days,
and steps larger than their field."""

from __future__ import annotations

from floe_core.cron import fires_only_in_leap_years, oversized_steps, parse_cron
from floe_core.diagnostics import Diagnostic, Fix, Severity, replace_fix
from floe_core.yaml_tree import ScalarNode


def cron_diagnostics(node: ScalarNode, owner: str) -> list[Diagnostic]:
    """Problems of the cron written in ``node`` (a string scalar), for ``owner``'s message.

    When the value came from ``${VAR}``, offsets inside it do not map onto the document, so
    the whole value is the range.
    """
    value = node.value
    if not isinstance(value, str) or node.unresolved:
        return []
    parsed = parse_cron(value)
    source = _interpolation_note(node)
    if parsed.ok:
        found: list[Diagnostic] = []
        if fires_only_in_leap_years(parsed):
            found.append(
                Diagnostic(
                    node.content_range,
                    Severity.WARNING,
                    "cron-rare",
                    f"{owner}: cron '{value}' fires only on February 29th, once every four "
                    f"years{source}",
                )
            )
        if "/" in value:
            exact = node.interpolation is None
            for start, end, message in oversized_steps(value):
                found.append(
                    Diagnostic(
                        node.span(start, end) if exact else node.content_range,
                        Severity.WARNING,
                        "cron-step-too-large",
                        f"{owner}: cron '{value}': {message}{source}",
                    )
                )
        return found
    exact = node.interpolation is None
    where = node.span(parsed.start, parsed.end) if exact else node.content_range
    fixes: tuple[Fix, ...] = ()
    if parsed.replacement is not None and exact:
        target = node.content_range
        fixes = replace_fix(f"Change to '{parsed.replacement}'", target, parsed.replacement)
    return [
        Diagnostic(
            where,
            Severity.ERROR,
            parsed.code,
            f"{owner}: invalid cron '{value}': {parsed.message}{source}",
            fixes,
        )
    ]


def _interpolation_note(node: ScalarNode) -> str:
    if node.interpolation is None or not node.interpolation.refs:
        return ""
    names = ", ".join(f"${{{ref.name}}}" for ref in node.interpolation.refs)
    return f" (the value comes from {names})"
