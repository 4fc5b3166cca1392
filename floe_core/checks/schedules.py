"""Schedules: the cron and timezone of each schedule, and its partition_selector ('latest',
'all' or a dotted function), which only means something for a job with partitioned assets.

Whether a dotted selector function exists is the module checks' business; an unknown job is
the reference check's.
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_core.checks import CheckContext
from floe_core.cron import has_problems, parse_cron
from floe_core.cron_diagnostics import cron_diagnostics
from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.job_partitions import assets_of_job, code_partitioned, partitions_of
from floe_core.models import OpsJob
from floe_core.suggestions import closest
from floe_core.symbols import SymbolKind
from floe_core.timezones import FIXED_OFFSET_ZONES, is_valid_timezone, timezone_diagnostics
from floe_core.yaml_tree import MapNode, ScalarNode

SELECTOR_KEYWORDS = ("latest", "all")


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Diagnose the cron, timezone and partition selector of every schedule.

    Valid schedules are read from their models and their nodes fetched only for a problem
    (a large file has hundreds of schedules, nearly all fine); the others from their nodes.
    """
    for name, definition in ctx.symbols.defined(SymbolKind.SCHEDULE).items():
        body = definition.entry.value
        if not isinstance(body, MapNode):
            continue
        entity = ctx.entities.schedules.get(name)
        model = entity.model if entity is not None else None
        owner = f"schedule '{name}'"
        if model is None or has_problems(parse_cron(model.cron_schedule)):
            cron = string_field(body, "cron_schedule")
            if cron is not None:
                yield from cron_diagnostics(cron, owner)
        if (
            model is None
            or not is_valid_timezone(model.timezone)
            or model.timezone in (FIXED_OFFSET_ZONES)
        ):
            timezone = string_field(body, "timezone")
            if timezone is not None:
                yield from timezone_diagnostics(timezone, owner)
        if model is None or _selector_needs_a_look(ctx, model.partition_selector, model.job):
            selector = string_field(body, "partition_selector")
            if selector is not None:
                yield from _selector(ctx, name, body, selector)


def _selector_needs_a_look(ctx: CheckContext, selector: str | None, job_name: str) -> bool:
    """Whether a valid schedule's selector could be worth a diagnostic (cheap, no nodes)."""
    if selector is None:
        return False
    if selector.strip() not in SELECTOR_KEYWORDS and "." not in selector:
        return True
    job = ctx.entities.jobs.get(job_name)
    return job is not None and (isinstance(job.model, OpsJob) or ctx.universe.complete)


def string_field(body: MapNode, key: str) -> ScalarNode | None:
    """The string scalar under ``key`` (None when absent, not a string, or unresolved)."""
    node = body.get(key)
    if isinstance(node, ScalarNode) and isinstance(node.value, str) and not node.unresolved:
        return node
    return None


def _selector(
    ctx: CheckContext, name: str, body: MapNode, node: ScalarNode
) -> Iterator[Diagnostic]:
    value = node.value.strip()
    if value not in SELECTOR_KEYWORDS and "." not in value:
        best = closest(value, SELECTOR_KEYWORDS, cutoff=0.5)
        hint = f"; did you mean '{best}'?" if best else ""
        yield Diagnostic(
            node.content_range,
            Severity.ERROR,
            "partition-selector-invalid",
            f"schedule '{name}': partition_selector '{value}' is neither 'latest' (the last "
            "complete partition), 'all', nor a function 'package.module.function'" + hint,
            replace_fix(f"Change to '{best}'", node.content_range, best)
            if best and node.interpolation is None
            else (),
        )
        return
    job_node = string_field(body, "job")
    if job_node is None:
        return
    job_name = job_node.value
    job = ctx.entities.jobs.get(job_name)
    if job is None:
        return
    if isinstance(job.model, OpsJob):
        reason = f"job '{job_name}' is an ops job, which has no partitions"
    elif not ctx.universe.complete:
        return
    else:
        selected = assets_of_job(ctx, job_name)
        if not selected.complete or not selected.keys:
            return
        grouped = partitions_of(ctx, selected.keys)
        if set(grouped) != {None} or code_partitioned(ctx, selected.keys):
            return
        reason = (
            f"none of the {len(selected.keys)} assets of job '{job_name}' is partitioned "
            "(no asset pattern gives them 'partitions')"
        )
    yield Diagnostic(
        node.content_range,
        Severity.WARNING,
        "partition-selector-unpartitioned",
        f"schedule '{name}': partition_selector '{value}' has no effect: {reason}; remove it, "
        "or partition the job's assets under orchestration.assets",
    )
