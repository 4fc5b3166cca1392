"""Pattern-based asset settings applied to every asset whose name matches a glob."""

from typing import Literal

from pydantic import Field

from floe_core.models.base import FloeModel

AutomationCondition = Literal["eager", "on_cron", "on_missing"]


class BackfillPolicyConfig(FloeModel):
    """How a backfill of these assets is split into runs."""

    type: Literal["single_run", "multi_run"] = Field(
        description="'single_run': one run for the whole range; 'multi_run': several runs.",
    )
    max_partitions_per_run: int | None = Field(
        default=None,
        gt=0,
        description="For multi_run: at most this many partitions per run (default 1).",
    )


class AssetConfig(FloeModel):
    """Settings for every asset whose name matches this entry's glob pattern."""

    partitions: str | None = Field(
        default=None,
        description="Name of a partition definition under orchestration.partitions.",
    )
    automation_condition: AutomationCondition | None = Field(
        default=None,
        description="When Dagster materializes the assets by itself: 'eager' (whenever an "
        "upstream asset updates), 'on_cron' (after each tick of the partition's or "
        "schedule's cron once upstreams are fresh) or 'on_missing' (when a partition has "
        "never been materialized). Takes precedence over schedules of the same assets.",
    )
    backfill_policy: Literal["single_run", "multi_run"] | BackfillPolicyConfig | None = Field(
        default=None,
        description="How backfills are split into runs: 'single_run', 'multi_run', or "
        "{type: multi_run, max_partitions_per_run: N}.",
    )
    compute_kind: str | None = Field(
        default=None,
        description="The compute kind shown on the asset in the UI (e.g. 'python', 'duckdb').",
    )
    group_name: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_]+$",
        description="Puts the matching assets in this group (letters, digits, underscores).",
    )
