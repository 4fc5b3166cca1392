"""``floe backfill NAME``: a backfill's partition range run in batches of at most
``batch_size`` partitions, one ranged run per batch (tags
``dagster/asset_partition_range_start|end``), so ``n`` partitions take ``ceil(n / batch_size)``
runs.

In process (``--in-process``) the runs execute here, one after the other, on the Dagster
instance of ``DAGSTER_HOME`` (an ephemeral one without it). Otherwise they are submitted to
a running Dagster webserver (``dagster dev`` or a deployment) through its GraphQL API and
followed until they finish. Progress is reported after every run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from floe_core import load_config
from floe_core.suggestions import did_you_mean
from floe_runtime.definitions import load_definitions
from floe_runtime.partition_keys import keys_in_range

BACKFILL_TAG = "floe/backfill"
FINISHED = frozenset(
    {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}
)


class BackfillError(RuntimeError):
    """The backfill cannot run (unknown name, unpartitioned job, empty range)."""


@dataclass(frozen=True)
class Batch:
    """The partitions of one run."""

    keys: tuple[str, ...]

    def tags(self, base: Mapping[str, str]) -> dict[str, str]:
        """Run tags: the backfill's own plus the partition range."""
        return {
            **base,
            ASSET_PARTITION_RANGE_START_TAG: self.keys[0],
            ASSET_PARTITION_RANGE_END_TAG: self.keys[-1],
        }


@dataclass
class BackfillProgress:
    """How far a backfill got."""

    name: str
    total_runs: int
    total_partitions: int
    run_ids: list[str] = field(default_factory=list)
    failed_run_ids: list[str] = field(default_factory=list)
    done_partitions: int = 0

    @property
    def succeeded(self) -> bool:
        """Whether every run so far succeeded."""
        return not self.failed_run_ids


ProgressCallback = Callable[[BackfillProgress], None]


def plan_batches(keys: Sequence[str], batch_size: int) -> list[Batch]:
    """Consecutive batches of at most ``batch_size`` keys."""
    return [
        Batch(tuple(keys[start : start + batch_size])) for start in range(0, len(keys), batch_size)
    ]


def run_backfill(
    name: str,
    *,
    config: str | Path = "floe.yaml",
    env: Mapping[str, str] | None = None,
    platform: str | Path | None = "platform.yaml",
    in_process: bool = False,
    instance: dg.DagsterInstance | None = None,
    graphql_url: str = "http://127.0.0.1:3000",
    on_progress: ProgressCallback | None = None,
    poll_seconds: float = 2.0,
) -> BackfillProgress:
    """Run backfill ``name`` of the floe.yaml at ``config``; returns what ran."""
    spec = load_config(Path(config), env=env).spec
    backfills = spec.orchestration.backfills if spec.orchestration else {}
    if name not in backfills:
        known = ", ".join(sorted(backfills)) or "none"
        raise BackfillError(
            f"no backfill named '{name}'{did_you_mean(name, backfills)} (defined: {known})"
        )
    backfill = backfills[name]
    definitions = load_definitions(Path(config).resolve(), env=env, platform=platform)
    job = definitions.resolve_job_def(backfill.job)
    if job.partitions_def is None:
        raise BackfillError(f"job '{backfill.job}' of backfill '{name}' is not partitioned")
    active = instance or _instance(env)
    keys = keys_in_range(
        job.partitions_def, backfill.partition_range.start, backfill.partition_range.end, active
    )
    if not keys:
        raise BackfillError(f"backfill '{name}' selects no partition")
    batches = plan_batches(keys, backfill.batch_size)
    progress = BackfillProgress(name, len(batches), len(keys))
    runs = _Runs({**(backfill.tags or {}), BACKFILL_TAG: name}, progress, on_progress)
    if in_process:
        runs.in_process(job, batches, active)
    else:
        runs.submit(backfill.job, batches, graphql_url, poll_seconds)
    return progress


def _instance(env: Mapping[str, str] | None) -> dg.DagsterInstance:
    environment = os.environ if env is None else env
    if environment.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


@dataclass
class _Runs:
    """Launches the batches of one backfill and records their outcome."""

    tags: Mapping[str, str]
    progress: BackfillProgress
    on_progress: ProgressCallback | None

    def in_process(
        self, job: dg.JobDefinition, batches: Sequence[Batch], instance: dg.DagsterInstance
    ) -> None:
        """Execute the batches here, one after the other."""
        for batch in batches:
            result = job.execute_in_process(
                instance=instance, tags=batch.tags(self.tags), raise_on_error=False
            )
            self._record(batch, result.run_id, result.success)

    def submit(
        self, job_name: str, batches: Sequence[Batch], graphql_url: str, poll_seconds: float
    ) -> None:
        """Submit the batches to a Dagster webserver and wait for every run to finish."""
        from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError  # noqa: PLC0415

        host, _, port = graphql_url.split("://", 1)[-1].rstrip("/").partition(":")
        try:
            client = DagsterGraphQLClient(host, port_number=int(port) if port else None)
            pending = {
                client.submit_job_execution(job_name, tags=batch.tags(self.tags)): batch
                for batch in batches
            }
        except DagsterGraphQLClientError as exc:
            raise BackfillError(
                f"cannot submit the backfill's runs to a Dagster webserver at {graphql_url} "
                f"({type(exc.__cause__ or exc).__name__}): start one with `make dev` (or "
                "`dagster dev`) and pass its address with --url, or run the backfill here "
                "with --in-process"
            ) from exc
        while pending:
            for run_id, batch in list(pending.items()):
                status = client.get_run_status(run_id)
                if status in FINISHED:
                    del pending[run_id]
                    self._record(batch, run_id, status == dg.DagsterRunStatus.SUCCESS)
            if pending:
                time.sleep(poll_seconds)

    def _record(self, batch: Batch, run_id: str, success: bool) -> None:
        self.progress.run_ids.append(run_id)
        if not success:
            self.progress.failed_run_ids.append(run_id)
        self.progress.done_partitions += len(batch.keys)
        if self.on_progress is not None:
            self.on_progress(self.progress)
