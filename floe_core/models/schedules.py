"""Schedules: run a job on a cron."""

from pydantic import Field

from floe_core.models.base import Description, FloeModel, JobRef


class ScheduleDefinition(FloeModel):
    """Runs a job at every tick of a cron expression."""

    job: JobRef
    cron_schedule: str = Field(
        description="When to run: a cron expression with five fields (minute hour "
        "day-of-month month day-of-week), or an alias such as @daily; e.g. '0 6 * * *' for "
        "06:00 daily.",
    )
    timezone: str = Field(
        default="UTC",
        description="IANA timezone the cron is read in (default UTC), e.g. 'Europe/Berlin'.",
    )
    enabled: bool = Field(
        default=True,
        description="Whether the schedule starts running when deployed (true) or stopped.",
    )
    partition_selector: str | None = Field(
        default=None,
        description="Which partition a run targets for partitioned jobs: 'latest' (the last "
        "complete partition), 'all', or a function 'module.function' returning keys.",
    )
    description: Description = None
