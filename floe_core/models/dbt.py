"""The dbt project behind the pipeline."""

from typing import Literal

from pydantic import Field

from floe_core.models.base import FloeModel


class DbtConfig(FloeModel):
    """Where the dbt project and its manifest are; every model becomes its own asset."""

    manifest_path: str = Field(
        description="Path to dbt's manifest.json, relative to the project_dir (or to "
        "floe.yaml when project_dir is not set), e.g. 'target/manifest.json'.",
    )
    observability_level: Literal["per_model", "job_level"] = Field(
        default="per_model",
        description="'per_model' (default): one asset, span and lineage event per dbt model; "
        "'job_level': one asset for the whole dbt build.",
    )
    project_dir: str | None = Field(
        default=None,
        description="The dbt project folder (holding dbt_project.yml), relative to floe.yaml.",
    )
    profiles_dir: str | None = Field(
        default=None,
        description="Folder holding profiles.yml; default: generated from platform.yaml.",
    )
    target: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_-]*$",
        description="The dbt target (profile output) to run against, e.g. 'dev'.",
    )
