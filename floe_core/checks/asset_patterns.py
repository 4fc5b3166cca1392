"""Asset patterns under ``orchestration.assets`` and the assets an asset sensor watches.

A pattern is a glob (``*``, ``?``, ``[abc]``, ``{a,b}``) tried against every asset's name
and key. One that matches no asset is a warning when the universe is complete and a hint
while it may be incomplete; an unbalanced ``[`` or ``{`` is a warning (it matches itself).
An asset sensor's ``watched_assets`` must name existing assets (a name or a slash-joined
key): an error with did-you-mean in a complete universe, a warning otherwise. With no
asset source configured, neither is checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_core.checks import CheckContext
from floe_core.checks.selections import incomplete_note
from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.globs import glob_problem, is_glob
from floe_core.job_partitions import pattern_assets
from floe_core.suggestions import closest
from floe_core.yaml_tree import MapNode, ScalarNode, SeqNode


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Diagnose asset pattern keys and asset sensors' watched assets."""
    orchestration = ctx.root.get("orchestration")
    if not isinstance(orchestration, MapNode):
        return
    yield from _patterns(ctx, orchestration.get("assets"))
    yield from _watched(ctx, orchestration.get("sensors"))


def _patterns(ctx: CheckContext, section: object) -> Iterator[Diagnostic]:
    if not isinstance(section, MapNode):
        return
    universe = ctx.universe
    for pattern, entry in section.items():
        problem = glob_problem(pattern)
        if problem is not None:
            yield Diagnostic(
                entry.key.span(problem[0], problem[1]),
                Severity.WARNING,
                "pattern-syntax",
                f"asset pattern '{pattern}': {problem[2]}",
            )
        if not universe.known or pattern_assets(universe, pattern):
            continue
        best = None if is_glob(pattern) else closest(pattern, universe.names())
        hint = f"; did you mean '{best}'?" if best else ""
        where = entry.key.content_range
        yield Diagnostic(
            where,
            Severity.WARNING if universe.complete else Severity.HINT,
            "pattern-matches-nothing",
            f"asset pattern '{pattern}' matches none of the {len(universe.assets)} known "
            f"assets, so its settings apply to nothing{hint}{incomplete_note(universe)}",
            replace_fix(f"Change to '{best}'", where, best) if best else (),
        )


def _watched(ctx: CheckContext, section: object) -> Iterator[Diagnostic]:
    universe = ctx.universe
    if not isinstance(section, MapNode) or not universe.known:
        return
    severity = Severity.ERROR if universe.complete else Severity.WARNING
    for sensor, entry in section.items():
        body = entry.value
        watched = body.get("watched_assets") if isinstance(body, MapNode) else None
        if not isinstance(watched, SeqNode):
            continue
        for item in watched.items:
            if not isinstance(item, ScalarNode) or not isinstance(item.value, str):
                continue
            if item.unresolved or not item.value or universe.lookup(item.value):
                continue
            where = item.content_range
            best = closest(item.value, [*universe.names(), *universe.assets])
            hint = f"; did you mean '{best}'?" if best else ""
            yield Diagnostic(
                where,
                severity,
                "unknown-watched-asset",
                f"sensor '{sensor}' watches asset '{item.value}', which does not exist"
                f"{hint}{incomplete_note(universe)}",
                replace_fix(f"Change to '{best}'", where, best) if best else (),
            )
