"""The whole floe.yaml: pipeline identity, the logical sections, and orchestration."""

from pydantic import ConfigDict, Field

from floe_core.models.base import FloeModel, empty_dict, empty_list
from floe_core.models.orchestration import OrchestrationConfig


class TransformConfig(FloeModel):
    """One transformation step, e.g. the dbt project."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="The transformation kind, e.g. 'dbt'.")
    path: str = Field(default=".", description="Folder of the transformation project.")
    target: str | None = Field(default=None, description="Target/profile output to use.")


class ConsumptionConfig(FloeModel):
    """The semantic / consumption layer (served by the platform)."""

    model_config = ConfigDict(extra="allow")

    enabled: bool = Field(default=False, description="Whether the consumption layer is on.")


class GovernanceConfig(FloeModel):
    """Data governance settings."""

    model_config = ConfigDict(extra="allow")

    classification_source: str | None = Field(
        default=None,
        description="Where column classifications come from, e.g. 'dbt_meta'.",
    )


class ObservabilityConfig(FloeModel):
    """What the pipeline emits; the endpoints live in platform.yaml."""

    model_config = ConfigDict(extra="allow")

    traces: bool = Field(default=True, description="Emit an OpenTelemetry span per asset.")
    metrics: bool = Field(default=True, description="Emit run metrics.")
    lineage: bool = Field(
        default=True, description="Emit OpenLineage START/COMPLETE events per asset."
    )
    attributes: dict[str, str] = Field(
        default_factory=empty_dict,
        description="Attributes added to every span and lineage event.",
    )


class FloeSpec(FloeModel):
    """A floe.yaml: the data engineer's description of one pipeline."""

    name: str = Field(
        min_length=1,
        description="The pipeline's name (also the Dagster code location name).",
    )
    version: str = Field(default="1.0", description="Version of this pipeline definition.")
    storage: str | None = Field(
        default=None, description="Logical storage profile name, defined in platform.yaml."
    )
    catalog: str | None = Field(
        default=None, description="Logical catalog profile name, defined in platform.yaml."
    )
    compute: str | None = Field(
        default=None,
        description="Logical compute profile name, defined in platform.yaml (default: the "
        "embedded DuckDB).",
    )
    transforms: list[TransformConfig] = Field(
        default_factory=empty_list, description="Transformation steps, e.g. [{type: dbt, path: .}]."
    )
    consumption: ConsumptionConfig | None = Field(
        default=None, description="Consumption (semantic) layer settings."
    )
    governance: GovernanceConfig | None = Field(default=None, description="Governance settings.")
    observability: ObservabilityConfig | None = Field(
        default=None, description="Which traces, metrics and lineage are emitted."
    )
    orchestration: OrchestrationConfig | None = Field(
        default=None,
        description="Assets, dbt, partitions, jobs, schedules, sensors and backfills.",
    )
    service_account: str | None = Field(
        default=None, description="Service account the pipeline runs as (a logical name)."
    )
    principal_role: str | None = Field(
        default=None, description="Catalog principal role of the pipeline (a logical name)."
    )
