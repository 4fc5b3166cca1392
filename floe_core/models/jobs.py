"""Jobs: batch jobs that materialize a selection of assets, and ops jobs that call a function."""

from typing import Annotated, Any, Literal

from pydantic import Field

from floe_core.models.base import Description, FloeModel, FunctionRef, Tags


class BatchJob(FloeModel):
    """Materializes the assets its selection picks."""

    type: Literal["batch"] = Field(description="A job that materializes selected assets.")
    selection: list[str] = Field(
        min_length=1,
        description="Asset selection expressions, united: 'group:bronze', 'tag:key=value', "
        "'asset:name' (or 'key:a/b'), a name or glob, '+name' (with upstream), 'name+' (with "
        "downstream), '2+name' (two levels), combined with and / or / not and parentheses.",
    )
    description: Description = None
    tags: Tags = None


class OpsJob(FloeModel):
    """Calls one Python function (maintenance: vacuum, compaction, statistics)."""

    type: Literal["ops"] = Field(description="A job that calls a Python function.")
    target_function: FunctionRef = Field(
        description="The function to run, as 'package.module.function'.",
    )
    args: dict[str, Any] | None = Field(
        default=None,
        description="Keyword arguments passed to the function (interpolated and typed).",
    )
    description: Description = None
    tags: Tags = None


JobDefinition = Annotated[BatchJob | OpsJob, Field(discriminator="type")]
