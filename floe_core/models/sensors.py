"""Sensors: start a job when a file arrives, an asset updates, a job ends, or a function says so."""

from typing import Annotated, Any, Literal

from pydantic import Field

from floe_core.models.base import Description, FloeModel, FunctionRef, JobRef, PollInterval


class FileWatcherSensor(FloeModel):
    """Starts the job once for each new file in a local folder that matches a glob."""

    type: Literal["file_watcher"] = Field(description="Watches a local folder for new files.")
    job: JobRef
    path: str = Field(
        description="A local folder (or file) to watch, relative to floe.yaml or absolute; "
        "remote storage (s3://, gs://, http://) belongs to platform.yaml.",
    )
    pattern: str = Field(
        default="*",
        description="Glob the file names must match, e.g. 'customers_*.csv' ('*', '?', "
        "'[abc]', '{a,b}'); a glob, not a regular expression.",
    )
    poll_interval_seconds: PollInterval = 30
    description: Description = None


class AssetSensor(FloeModel):
    """Starts the job when any of the watched assets is materialized."""

    type: Literal["asset_sensor"] = Field(description="Watches asset materializations.")
    job: JobRef
    watched_assets: list[str] = Field(
        min_length=1,
        description="Names of the assets to watch (Python assets or dbt models).",
    )
    poll_interval_seconds: PollInterval = 30
    description: Description = None


class RunStatusSensor(FloeModel):
    """Starts the job when a watched job's run reaches a status."""

    type: Literal["run_status"] = Field(description="Watches other jobs' run status.")
    job: JobRef
    watched_jobs: list[str] = Field(
        min_length=1,
        description="Names of the jobs whose runs are watched.",
    )
    status: Literal["SUCCESS", "FAILURE", "STARTED"] = Field(
        description="The run status that triggers: SUCCESS, FAILURE or STARTED.",
    )
    poll_interval_seconds: PollInterval = 30
    description: Description = None


class CustomSensor(FloeModel):
    """Calls a function that returns run requests or a skip reason."""

    type: Literal["custom"] = Field(description="A sensor implemented by a Python function.")
    job: JobRef
    target_function: FunctionRef = Field(
        description="The sensor function, 'package.module.function'; it returns run requests "
        "(or a list of them), a skip reason, or None.",
    )
    args: dict[str, Any] | None = Field(
        default=None,
        description="Keyword arguments passed to the function.",
    )
    poll_interval_seconds: PollInterval = 30
    description: Description = None


SensorDefinition = Annotated[
    FileWatcherSensor | AssetSensor | RunStatusSensor | CustomSensor,
    Field(discriminator="type"),
]
