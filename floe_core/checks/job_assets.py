"""Rules that span several assets: partitions within a job, overlapping patterns, and
automation conditions next to schedules.

- A batch job whose selected assets carry two different partition definitions is an error:
  Dagster builds one partitioned job per partitions definition and refuses the mix.
  (Unpartitioned assets may join a partitioned job; they are materialized whole.)
- Two asset patterns that match the same asset and give it different ``partitions`` is an
  error, different ``group_name`` a warning: the later pattern silently wins.
- An automation condition on assets that a schedule's job also materializes (FR-040): the
  automation condition takes precedence, meaning Dagster's automation sensor keeps those
  assets up to date on its own, while the schedule still launches its run at every tick and
  materializes them again. An information diagnostic on the schedule says so and names the
  assets and the pattern that set the condition.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Severity
from floe_core.entities import Entity, Job
from floe_core.job_partitions import (
    assets_of_job,
    keys_by_setting,
    matching_patterns,
    partitions_of,
    pattern_index,
    pattern_setting,
)
from floe_core.models import BatchJob
from floe_core.positions import Range
from floe_core.yaml_tree import MapEntry, MapNode, ScalarNode

MAX_NAMED = 3


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Diagnose cross-asset conflicts."""
    if not ctx.universe.known:
        return
    yield from _mixed_partitions(ctx)
    yield from _pattern_conflicts(ctx, "partitions", Severity.ERROR)
    yield from _pattern_conflicts(ctx, "group_name", Severity.WARNING)
    yield from _automation_and_schedules(ctx)


def _names(keys: Iterable[str]) -> str:
    ordered = sorted(keys)
    shown = ", ".join(ordered[:MAX_NAMED])
    return shown + (f" and {len(ordered) - MAX_NAMED} more" if len(ordered) > MAX_NAMED else "")


def _field_range(node: object, field: str, fallback: Range) -> Range:
    if isinstance(node, MapNode):
        entry = node.entry(field)
        if isinstance(entry, MapEntry):
            value = entry.value
            return value.content_range if isinstance(value, ScalarNode) else value.range
    return fallback


def _mixed_partitions(ctx: CheckContext) -> list[Diagnostic]:
    """The findings depend on the jobs, the asset patterns and the universe: an edit that
    leaves all three as they were leaves them as the previous analysis found them."""
    along = (ctx.universe, pattern_index(ctx))
    found = partial(_jobs_partitions, ctx)
    return ctx.carry("mixed-partitions", ctx.entities.jobs, found, along=along)


def _jobs_partitions(ctx: CheckContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for name, entity in ctx.entities.jobs.items():
        if isinstance(entity.model, BatchJob):
            found.extend(_job_partitions(ctx, name, entity))
    return found


def _job_partitions(ctx: CheckContext, name: str, entity: Entity[Job]) -> Iterator[Diagnostic]:
    selected = assets_of_job(ctx, name)
    grouped = {p: keys for p, keys in partitions_of(ctx, selected.keys).items() if p}
    if len(grouped) < 2:
        return
    parts = [f"'{p}' ({_names(keys)})" for p, keys in sorted(grouped.items())]
    yield Diagnostic(
        _field_range(entity.node, "selection", entity.entry.key.range),
        Severity.ERROR,
        "job-mixed-partitions",
        f"job '{name}' selects assets with different partition definitions: "
        f"{' and '.join(parts)}; Dagster cannot run one job over several partition "
        "definitions: split the job by partition definition, or give these assets the "
        "same partitions in their asset patterns",
    )


def _pattern_conflicts(ctx: CheckContext, field: str, severity: Severity) -> Iterator[Diagnostic]:
    conflicts: dict[tuple[str, str], set[str]] = {}
    setters = [e for e in ctx.entities.assets.values() if getattr(e.model, field) is not None]
    if len({getattr(e.model, field) for e in setters}) < 2:
        return
    for key in ctx.universe.assets:
        setting = [
            (entity.name, getattr(entity.model, field))
            for entity in matching_patterns(ctx, key)
            if getattr(entity.model, field) is not None
        ]
        for index in range(1, len(setting)):
            later, later_value = setting[index]
            for earlier, earlier_value in setting[:index]:
                if earlier_value != later_value:
                    conflicts.setdefault((earlier, later), set()).add(key)
    label = "partitions" if field == "partitions" else "groups"
    for (earlier, later), keys in conflicts.items():
        first = ctx.entities.assets[earlier].model
        second_entity = ctx.entities.assets[later]
        yield Diagnostic(
            _field_range(second_entity.node, field, second_entity.entry.key.range),
            severity,
            f"pattern-{field.replace('_', '-')}-conflict",
            f"asset pattern '{later}' sets {field} '{getattr(second_entity.model, field)}', "
            f"but pattern '{earlier}' (earlier in the file) sets '{getattr(first, field)}' and "
            f"both match {_names(keys)}; the later pattern wins, so these assets get "
            f"different {label} than '{earlier}' says: make the patterns disjoint or agree",
        )


def _automation_and_schedules(ctx: CheckContext) -> Iterator[Diagnostic]:
    with_condition = frozenset().union(*keys_by_setting(ctx, "automation_condition").values())
    if not with_condition:
        return
    for name, schedule in ctx.entities.schedules.items():
        job = ctx.entities.jobs.get(schedule.model.job)
        if job is None or not isinstance(job.model, BatchJob):
            continue
        automated: dict[str, tuple[str, str]] = {}
        for key in assets_of_job(ctx, schedule.model.job).keys & with_condition:
            condition, pattern = pattern_setting(ctx, key, "automation_condition")
            if isinstance(condition, str) and pattern is not None:
                automated[key] = (condition, pattern)
        if not automated:
            continue
        conditions = sorted({f"'{c}' (pattern '{p}')" for c, p in automated.values()})
        yield Diagnostic(
            _field_range(schedule.node, "job", schedule.entry.key.range),
            Severity.INFORMATION,
            "automation-and-schedule",
            f"schedule '{name}' runs job '{schedule.model.job}', whose assets "
            f"{_names(set(automated))} also have automation_condition {', '.join(conditions)}: "
            "the automation condition takes precedence and keeps them up to date on its own, "
            "and this schedule still launches its run at every tick and materializes them "
            "again; keep both only if that is intended",
        )
