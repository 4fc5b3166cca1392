"""References to jobs and partitions defined in this file: each must exist.

These universes are known exactly (they are this file's own keys), so an unknown name is
an error with a did-you-mean fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.schema_errors import describe
from floe_core.suggestions import closest, one_of
from floe_core.symbols import SymbolKind

_STRICT = (SymbolKind.JOB, SymbolKind.PARTITION)


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Report every job or partition reference whose target is not defined."""
    for kind in _STRICT:
        defined = ctx.symbols.defined(kind)
        for ref in ctx.symbols.references_of(kind):
            if ref.name in defined or ref.node.unresolved:
                continue
            owner = describe(ref.path[:3])
            best = closest(ref.name, defined)
            if best:
                hint = f"; did you mean '{best}'?"
            elif defined:
                hint = f"; defined {kind.value}s: {one_of(sorted(defined))}"
            else:
                hint = f"; no {kind.value}s are defined under orchestration.{kind.value}s"
            yield Diagnostic(
                ref.range,
                Severity.ERROR,
                f"unknown-{kind.value}",
                f"{owner} refers to {kind.value} '{ref.name}', which does not exist{hint}",
                replace_fix(f"Change to '{best}'", ref.range, best) if best else (),
            )
