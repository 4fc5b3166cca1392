"""Batch job selections: each item parses, every name in it exists, and the job selects something.

Grammar errors point at the exact place inside the string. Names (assets, keys, groups,
tags) are checked against the asset universe: an unknown name is an error when the
universe is complete and a warning when it may be incomplete (assets defined at run time,
a missing manifest); with no asset source configured at all, names are not checked. A dbt
model that is ephemeral is not an asset (warning). A job whose whole selection resolves to
nothing, in a complete universe, is an error: Dagster would build an empty job.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import NamedTuple

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.globs import is_glob
from floe_core.positions import Range
from floe_core.selection import (
    GroupSel,
    Leaf,
    NameSel,
    TagSel,
    item_is_clean,
    leaves,
    parse_selection,
    resolve,
    resolve_item,
)
from floe_core.suggestions import closest, one_of
from floe_core.universe import AssetUniverse
from floe_core.yaml_tree import MapNode, ScalarNode, SeqNode


def check(ctx: CheckContext) -> list[Diagnostic]:
    """Diagnose the selection of every batch job (taken over from the previous analysis
    when the jobs and the universe are the very same)."""
    jobs = ctx.root.get("orchestration")
    jobs = jobs.get("jobs") if isinstance(jobs, MapNode) else None
    if not isinstance(jobs, MapNode):
        return []
    return ctx.carry("selections", jobs, partial(_jobs, ctx, jobs), along=ctx.universe)


def _jobs(ctx: CheckContext, jobs: MapNode) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for name, entry in jobs.items():
        body = entry.value
        if not isinstance(body, MapNode):
            continue
        selection = body.entry("selection")
        if selection is not None and isinstance(selection.value, SeqNode):
            found.extend(_job(ctx, name, selection.value))
    return found


def sub_range(node: ScalarNode, start: int, end: int) -> Range:
    """The range of ``value[start:end]``; the whole value when interpolation shifts offsets."""
    if node.interpolation is not None:
        return node.content_range
    return node.span(start, end)


def _job(ctx: CheckContext, job: str, items: SeqNode) -> Iterator[Diagnostic]:
    universe = ctx.universe
    selects_any = False
    all_parsed = True
    named_problems = False
    for item in items.items:
        if not isinstance(item, ScalarNode) or not isinstance(item.value, str):
            all_parsed = False
            continue
        if item.unresolved:
            all_parsed = False
            continue
        text: str = item.value
        if universe.known and item_is_clean(text, universe):
            selects_any = selects_any or bool(resolve_item(text, universe))
            continue
        result = parse_selection(text)
        for error in result.errors:
            yield Diagnostic(
                sub_range(item, error.start, error.end),
                Severity.ERROR,
                "selection-syntax",
                f"job '{job}': selection '{text}' does not parse: {error.message}",
            )
        if result.expr is None:
            all_parsed = False
            continue
        if universe.known:
            for leaf in leaves(result.expr):
                for problem in _leaf(ctx, job, item, leaf):
                    named_problems = True
                    yield problem
            selects_any = selects_any or bool(resolve(result.expr, universe))
    if universe.complete and all_parsed and not named_problems and items.items and not selects_any:
        yield Diagnostic(
            items.range,
            Severity.ERROR,
            "job-selects-nothing",
            f"job '{job}' selects no asset: none of its selection items matches any of the "
            f"{len(universe.assets)} assets; known groups: {one_of(universe.groups())}",
        )


class _Miss(NamedTuple):
    """A name that resolved to nothing: what named it, and what it could have been."""

    code: str
    what: str
    name: str
    candidates: list[str]
    noun: str
    offer_fix: bool = True


def _leaf(ctx: CheckContext, job: str, item: ScalarNode, leaf: Leaf) -> Iterator[Diagnostic]:
    universe = ctx.universe
    if resolve(leaf, universe):
        return
    severity = Severity.ERROR if universe.complete else Severity.WARNING
    maybe = incomplete_note(universe)
    if isinstance(leaf, NameSel):
        yield from _name(ctx, job, item, leaf)
        return
    where = sub_range(item, leaf.value_start, leaf.end)
    if isinstance(leaf, GroupSel):
        what = f"job '{job}' selects group '{leaf.name}'"
        miss = _Miss("unknown-group", what, leaf.name, list(universe.groups()), "groups")
    elif isinstance(leaf, TagSel):
        tags = universe.tags()
        if leaf.key in tags and leaf.value is not None:
            yield Diagnostic(
                where,
                severity,
                "unknown-tag",
                f"job '{job}' selects tag '{leaf.key}={leaf.value}', but no asset has tag "
                f"'{leaf.key}' with value '{leaf.value}'; its values: "
                f"{one_of(sorted(tags[leaf.key]))}{maybe}",
            )
            return
        what = f"job '{job}' selects tag '{leaf.key}'"
        miss = _Miss("unknown-tag", what, leaf.key, list(tags), "tags", leaf.value is None)
    else:
        what = f"job '{job}' selects asset key '{leaf.key}'"
        miss = _Miss("unknown-asset", what, leaf.key, list(universe.assets), "assets")
    yield _unknown(universe, where, severity, miss, maybe)


def _name(ctx: CheckContext, job: str, item: ScalarNode, leaf: NameSel) -> Iterator[Diagnostic]:
    universe = ctx.universe
    where = sub_range(item, leaf.start, leaf.end)
    maybe = incomplete_note(universe)
    if is_glob(leaf.pattern):
        yield Diagnostic(
            where,
            Severity.WARNING if universe.complete else Severity.HINT,
            "selection-matches-nothing",
            f"job '{job}': the pattern '{leaf.pattern}' matches no asset{maybe}",
        )
        return
    build = _job_level_build(universe, leaf.pattern)
    if build is not None:
        yield Diagnostic(
            where,
            Severity.ERROR if universe.complete else Severity.WARNING,
            "dbt-model-not-an-asset",
            f"job '{job}' selects dbt model '{leaf.pattern}', but with observability_level "
            f"'job_level' dbt models are not separate assets: the whole dbt build is the one "
            f"asset '{build}'; select it, or use observability_level 'per_model'",
            replace_fix(f"Change to '{build}'", where, build),
        )
        return
    if _ephemeral(universe, leaf.pattern):
        yield Diagnostic(
            where,
            Severity.WARNING,
            "ephemeral-model",
            f"job '{job}' selects '{leaf.pattern}', an ephemeral dbt model: ephemeral models "
            "are inlined into the models that use them and are not assets; select the models "
            "that use it instead",
        )
        return
    what = f"job '{job}' selects asset '{leaf.pattern}'"
    miss = _Miss("unknown-asset", what, leaf.pattern, _asset_names(universe), "assets")
    severity = Severity.ERROR if universe.complete else Severity.WARNING
    yield _unknown(universe, where, severity, miss, maybe)


def incomplete_note(universe: AssetUniverse) -> str:
    """`` (the asset list may be incomplete: why)`` for an incomplete universe, else ''."""
    if universe.complete:
        return ""
    reason = universe.incomplete_reasons[0] if universe.incomplete_reasons else "unknown"
    return f" (the asset list may be incomplete: {reason})"


def _job_level_build(universe: AssetUniverse, name: str) -> str | None:
    """The job_level build asset, when ``name`` is a dbt model folded into it."""
    index = universe.manifest
    if index is None or not index.named(name, "model"):
        return None
    build = f"{index.project_name or 'dbt'}_dbt_build"
    return build if build in universe.assets else None


def _ephemeral(universe: AssetUniverse, name: str) -> bool:
    index = universe.manifest
    if index is None:
        return False
    return any(node.materialization == "ephemeral" for node in index.named(name, "model"))


def _asset_names(universe: AssetUniverse) -> list[str]:
    return [*universe.names(), *(k for k in universe.assets if "/" in k)]


def _unknown(
    universe: AssetUniverse, where: Range, severity: Severity, miss: _Miss, maybe: str
) -> Diagnostic:
    best = universe.memo(
        ("closest", miss.code, miss.name), lambda: closest(miss.name, miss.candidates)
    )
    if best:
        hint = f"; did you mean '{best}'?"
    elif miss.candidates:
        hint = f"; known {miss.noun}: {one_of(sorted(miss.candidates))}"
    else:
        hint = f"; no {miss.noun} are known"
    fixes = replace_fix(f"Change to '{best}'", where, best) if best and miss.offer_fix else ()
    return Diagnostic(
        where, severity, miss.code, f"{miss.what}, which does not exist{hint}{maybe}", fixes
    )
