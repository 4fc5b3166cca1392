"""Backfills: the job must materialize partitioned assets (when the asset universe says so),
and ``partition_range`` must name keys of that partition definition, start not after end;
a ``batch_size`` larger than the range is pointless.

The partition definition comes from the job's assets and the asset patterns
(``job_partitions``); while the universe does not know the job's assets, the one partition
the asset patterns use (when there is exactly one) stands in. A job whose assets carry two
different partitions is the cross-asset check's business.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Fix, Severity, TextEdit
from floe_core.job_partitions import assets_of_job, code_partitioned, partitions_of
from floe_core.models import DynamicPartition, OpsJob, TimeWindowPartition
from floe_core.partition_keys import (
    AnyPartition,
    compare_keys,
    key_format,
    keys_between,
    parse_key,
    validate_key,
)
from floe_core.symbols import SymbolKind
from floe_core.yaml_tree import MapNode, ScalarNode


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Diagnose every backfill's job and partition range."""
    for name, definition in ctx.symbols.defined(SymbolKind.BACKFILL).items():
        body = definition.entry.value
        if not isinstance(body, MapNode):
            continue
        job_node = _string(body, "job")
        if job_node is None:
            continue
        yield from _backfill(ctx, name, body, job_node)


def _string(body: MapNode, key: str) -> ScalarNode | None:
    node = body.get(key)
    if isinstance(node, ScalarNode) and isinstance(node.value, str) and not node.unresolved:
        return node
    return None


def _backfill(
    ctx: CheckContext, name: str, body: MapNode, job_node: ScalarNode
) -> Iterator[Diagnostic]:
    owner = f"backfill '{name}'"
    job_name: str = job_node.value
    job = ctx.entities.jobs.get(job_name)
    if job is None:
        return
    if isinstance(job.model, OpsJob):
        yield _unpartitioned(owner, job_node, f"job '{job_name}' is an ops job")
        return
    selected = assets_of_job(ctx, job_name)
    grouped = partitions_of(ctx, selected.keys)
    names = {partition for partition in grouped if partition is not None}
    if not names and selected.complete:
        if selected.keys and not code_partitioned(ctx, selected.keys):
            reason = f"none of the {len(selected.keys)} assets of job '{job_name}' is partitioned"
            yield _unpartitioned(owner, job_node, reason)
        return
    if not names and not selected.keys:
        names = {
            entity.model.partitions
            for entity in ctx.entities.assets.values()
            if entity.model.partitions is not None
        }
    if len(names) != 1:
        return
    partition_name = next(iter(names))
    entity = ctx.entities.partitions.get(partition_name)
    if entity is None or isinstance(entity.model, DynamicPartition):
        return
    yield from _range(owner, body, partition_name, entity.model)


def _unpartitioned(owner: str, job_node: ScalarNode, reason: str) -> Diagnostic:
    return Diagnostic(
        job_node.content_range,
        Severity.ERROR,
        "backfill-job-unpartitioned",
        f"{owner}: {reason}, so there are no partitions to backfill; pick a job whose assets "
        "are partitioned (orchestration.assets: <pattern>: {partitions: <name>})",
    )


def _range(
    owner: str, body: MapNode, partition_name: str, model: AnyPartition
) -> Iterator[Diagnostic]:
    window = body.get("partition_range")
    if not isinstance(window, MapNode):
        return
    start, end = _string(window, "start"), _string(window, "end")
    valid: dict[str, ScalarNode] = {}
    for field, node in (("start", start), ("end", end)):
        if node is None:
            continue
        problem = validate_key(model, node.value)
        if problem is None:
            valid[field] = node
            yield from _future(owner, field, node, model)
            continue
        yield Diagnostic(
            node.content_range,
            Severity.ERROR,
            "backfill-key-invalid",
            f"{owner}: partition_range {field}: {problem} (the job's assets use partition "
            f"'{partition_name}')",
        )
    if start is None or end is None or len(valid) != 2:
        return
    if compare_keys(model, start.value, end.value) > 0:
        yield _reversed(owner, start, end)
        return
    batch = body.get("batch_size")
    if isinstance(batch, ScalarNode) and isinstance(batch.value, int) and batch.value > 0:
        size: int = batch.value
        keys = keys_between(model, start.value, end.value, size + 1)
        if keys and len(keys) < size:
            yield Diagnostic(
                batch.content_range,
                Severity.HINT,
                "backfill-batch-larger-than-range",
                f"{owner}: batch_size {size} is larger than the range, which has "
                f"{len(keys)} partition{'' if len(keys) == 1 else 's'} ('{start.value}' to "
                f"'{end.value}'): the whole backfill runs as one batch",
            )


def _reversed(owner: str, start: ScalarNode, end: ScalarNode) -> Diagnostic:
    fixes: tuple[Fix, ...] = ()
    if start.interpolation is None and end.interpolation is None:
        fixes = (
            Fix(
                "Swap start and end",
                (
                    TextEdit(start.content_range, end.value),
                    TextEdit(end.content_range, start.value),
                ),
            ),
        )
    return Diagnostic(
        end.content_range,
        Severity.ERROR,
        "backfill-range-reversed",
        f"{owner}: partition_range end '{end.value}' comes before start '{start.value}'; "
        "the range runs from start to end, both included: swap them",
        fixes,
    )


def _future(owner: str, field: str, node: ScalarNode, model: AnyPartition) -> Iterator[Diagnostic]:
    if not isinstance(model, TimeWindowPartition):
        return
    moment = parse_key(node.value, key_format(model))
    if moment is not None and moment > datetime.now():
        yield Diagnostic(
            node.content_range,
            Severity.WARNING,
            "backfill-range-future",
            f"{owner}: partition_range {field} '{node.value}' is in the future; a partition "
            "exists only once its window has ended, so the backfill would fail for it",
        )
