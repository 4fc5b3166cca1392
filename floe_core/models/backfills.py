"""Backfills: a named partition range of a job, run in batches."""

from pydantic import Field

from floe_core.models.base import Description, FloeModel, JobRef, Tags


class PartitionRange(FloeModel):
    """The first and last partition key of a backfill (both included)."""

    start: str = Field(description="First partition key, e.g. '2024-01-01' or 'eu-central'.")
    end: str = Field(description="Last partition key (included); not before start.")


class BackfillDefinition(FloeModel):
    """Materializes a job's partitions from start to end, at most batch_size per run."""

    job: JobRef
    partition_range: PartitionRange = Field(
        description="The range of partition keys to run: {start: ..., end: ...}.",
    )
    batch_size: int = Field(
        default=10,
        gt=0,
        description="At most this many partitions per run (a positive whole number; default 10).",
    )
    description: Description = None
    tags: Tags = None
