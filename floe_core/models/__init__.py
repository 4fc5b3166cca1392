"""Typed models of floe.yaml. Field descriptions live here, once: they feed the JSON Schema,
hover and completion documentation.

The model modules do without ``from __future__ import annotations``: pydantic would have to
evaluate every field's annotation from its text when the classes are built at import."""

from floe_core.models.assets import AssetConfig, AutomationCondition, BackfillPolicyConfig
from floe_core.models.backfills import BackfillDefinition, PartitionRange
from floe_core.models.dbt import DbtConfig
from floe_core.models.jobs import BatchJob, JobDefinition, OpsJob
from floe_core.models.orchestration import OrchestrationConfig
from floe_core.models.partitions import (
    DynamicPartition,
    MultiPartition,
    PartitionDefinition,
    SinglePartition,
    StaticPartition,
    TimeWindowPartition,
)
from floe_core.models.schedules import ScheduleDefinition
from floe_core.models.sensors import (
    AssetSensor,
    CustomSensor,
    FileWatcherSensor,
    RunStatusSensor,
    SensorDefinition,
)
from floe_core.models.spec import (
    ConsumptionConfig,
    FloeSpec,
    GovernanceConfig,
    ObservabilityConfig,
    TransformConfig,
)

__all__ = [
    "AssetConfig",
    "AssetSensor",
    "AutomationCondition",
    "BackfillDefinition",
    "BackfillPolicyConfig",
    "BatchJob",
    "ConsumptionConfig",
    "CustomSensor",
    "DbtConfig",
    "DynamicPartition",
    "FileWatcherSensor",
    "FloeSpec",
    "GovernanceConfig",
    "JobDefinition",
    "MultiPartition",
    "ObservabilityConfig",
    "OpsJob",
    "OrchestrationConfig",
    "PartitionDefinition",
    "PartitionRange",
    "RunStatusSensor",
    "ScheduleDefinition",
    "SensorDefinition",
    "SinglePartition",
    "StaticPartition",
    "TimeWindowPartition",
    "TransformConfig",
]
