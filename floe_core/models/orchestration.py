"""The ``orchestration:`` section: assets, dbt, partitions, jobs, schedules, sensors, backfills."""

from typing import Any

from pydantic import Field, model_validator

from floe_core.models.assets import AssetConfig
from floe_core.models.backfills import BackfillDefinition
from floe_core.models.base import FloeModel, empty_dict, empty_list
from floe_core.models.dbt import DbtConfig
from floe_core.models.jobs import JobDefinition
from floe_core.models.partitions import PartitionDefinition
from floe_core.models.schedules import ScheduleDefinition
from floe_core.models.sensors import SensorDefinition


class OrchestrationConfig(FloeModel):
    """Declarative orchestration: what to load and when to run it."""

    asset_modules: list[str] = Field(
        default_factory=empty_list,
        description="Python modules holding assets, as dotted import paths "
        "(e.g. 'orchestration.assets.bronze'), found next to floe.yaml or in a parent folder.",
    )
    dbt: DbtConfig | None = Field(
        default=None,
        description="The dbt project: every model, seed and snapshot becomes an asset.",
    )
    partitions: dict[str, PartitionDefinition] = Field(
        default_factory=empty_dict,
        description="Named partition definitions, referenced by asset patterns.",
    )
    assets: dict[str, AssetConfig] = Field(
        default_factory=empty_dict,
        description="Settings applied to assets whose name matches the glob key "
        "('bronze_*', 'stg_{orders,customers}').",
    )
    jobs: dict[str, JobDefinition] = Field(
        default_factory=empty_dict,
        description="Named jobs: batch (assets) or ops (a function).",
    )
    schedules: dict[str, ScheduleDefinition] = Field(
        default_factory=empty_dict,
        description="Named schedules that run a job on a cron.",
    )
    sensors: dict[str, SensorDefinition] = Field(
        default_factory=empty_dict,
        description="Named sensors that run a job on an event.",
    )
    backfills: dict[str, BackfillDefinition] = Field(
        default_factory=empty_dict,
        description="Named backfills: a job's partition range, run in batches.",
    )

    @model_validator(mode="before")
    @classmethod
    def _empty_sections_are_absent(cls, data: Any) -> Any:
        """A section written with nothing under it (``jobs:``) means "none yet"."""
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}
        return data
