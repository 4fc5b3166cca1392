"""platform.yaml: the platform engineer's file (compute profiles and observability endpoints).

floe.yaml names a compute profile (``compute: prod``) and says *what* to emit; platform.yaml
says *where*: which warehouse each profile is and which OpenTelemetry / OpenLineage endpoints
receive traces and lineage. Credentials never appear in it: secret fields exist only as
``<field>_env`` (the name of an environment variable), and every environment-specific field
left out defaults to the conventional variable (``SNOWFLAKE_ACCOUNT`` ...), so the generated
dbt ``profiles.yml`` holds ``{{ env_var('...') }}`` references only. String values may use
``${VAR:default}`` like floe.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from floe_core.interpolation import interpolate

SECRET_KEYS = frozenset({"password", "token", "keyfile", "private_key", "api_key", "secret"})


class PlatformConfigError(ValueError):
    """platform.yaml is missing a profile, unreadable or invalid."""


class _PlatformModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secrets(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for key in SECRET_KEYS & set(data):
                raise ValueError(
                    f"'{key}' cannot be written in platform.yaml: credentials come from the "
                    f"environment; write '{key}_env: VARIABLE_NAME' instead"
                )
        return data


class DuckDBProfile(_PlatformModel):
    """The embedded DuckDB warehouse (the default)."""

    type: Literal["duckdb"]
    path: str = Field(
        default="warehouse.duckdb",
        description="Database file, relative to platform.yaml's folder (or absolute).",
    )
    threads: int = Field(default=4, ge=1, le=64)
    extensions: list[str] = Field(default_factory=list)


class SnowflakeProfile(_PlatformModel):
    """Snowflake; fields left out come from SNOWFLAKE_* environment variables."""

    type: Literal["snowflake"]
    account: str | None = None
    user: str | None = None
    role: str | None = None
    database: str | None = None
    warehouse: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    password_env: str = "SNOWFLAKE_PASSWORD"
    threads: int = Field(default=4, ge=1, le=64)


class BigQueryProfile(_PlatformModel):
    """BigQuery with a service-account key file or OAuth."""

    type: Literal["bigquery"]
    method: Literal["service-account", "oauth"] = "service-account"
    project: str | None = None
    dataset: str | None = None
    location: str | None = None
    keyfile_env: str = "GOOGLE_APPLICATION_CREDENTIALS"
    threads: int = Field(default=4, ge=1, le=64)


class RedshiftProfile(_PlatformModel):
    """Amazon Redshift."""

    type: Literal["redshift"]
    host: str | None = None
    port: int = 5439
    user: str | None = None
    dbname: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    password_env: str = "REDSHIFT_PASSWORD"
    threads: int = Field(default=4, ge=1, le=64)


class DatabricksProfile(_PlatformModel):
    """Databricks SQL warehouse (Unity Catalog)."""

    type: Literal["databricks"]
    catalog: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    host: str | None = None
    http_path: str | None = None
    token_env: str = "DATABRICKS_TOKEN"
    threads: int = Field(default=4, ge=1, le=64)


class PostgresProfile(_PlatformModel):
    """PostgreSQL."""

    type: Literal["postgres"]
    host: str | None = None
    port: int = 5432
    user: str | None = None
    dbname: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    password_env: str = "POSTGRES_PASSWORD"
    threads: int = Field(default=4, ge=1, le=64)


class SparkProfile(_PlatformModel):
    """Apache Spark through Thrift, ODBC, HTTP or a local session."""

    type: Literal["spark"]
    method: Literal["thrift", "odbc", "session", "http"] = "thrift"
    host: str | None = None
    port: int = 10000
    schema_: str | None = Field(default=None, alias="schema")
    token_env: str | None = None
    threads: int = Field(default=4, ge=1, le=64)


ComputeProfile = Annotated[
    DuckDBProfile
    | SnowflakeProfile
    | BigQueryProfile
    | RedshiftProfile
    | DatabricksProfile
    | PostgresProfile
    | SparkProfile,
    Field(discriminator="type"),
]


class ComputeConfig(_PlatformModel):
    """Named compute profiles; floe.yaml's ``compute:`` picks one (else ``default``)."""

    default: str | None = None
    profiles: dict[str, ComputeProfile] = Field(default_factory=dict)


class TracingConfig(_PlatformModel):
    """Where OpenTelemetry spans go (OTLP over HTTP)."""

    endpoint: str | None = None
    service_name: str = "floe"
    attributes: dict[str, str] = Field(default_factory=dict)
    batch_export: bool = True


class LineageConfig(_PlatformModel):
    """Where OpenLineage events go (HTTP)."""

    endpoint: str | None = None
    namespace: str = "floe"
    producer: str = "https://github.com/floe/floe_runtime"
    timeout: float = Field(default=5.0, ge=0.1, le=60.0)
    api_key_env: str | None = None


class PlatformObservability(_PlatformModel):
    """The observability endpoints of the platform."""

    tracing: TracingConfig = Field(default_factory=TracingConfig)
    lineage: LineageConfig = Field(default_factory=LineageConfig)


class PlatformConfig(_PlatformModel):
    """A whole platform.yaml."""

    compute: ComputeConfig = Field(default_factory=ComputeConfig)
    observability: PlatformObservability = Field(default_factory=PlatformObservability)


class Platform(BaseModel):
    """A loaded platform: its config and the folder relative paths resolve against."""

    model_config = ConfigDict(frozen=True)

    config: PlatformConfig
    base_dir: Path
    source: Path | None

    def compute_profile(self, name: str | None, default_duckdb: Path) -> ComputeProfile:
        """The profile ``name`` (floe.yaml's ``compute``), else the platform default, else an
        embedded DuckDB file at ``default_duckdb``."""
        profiles = self.config.compute.profiles
        chosen = name or self.config.compute.default
        if chosen is None:
            if profiles:
                return next(iter(profiles.values()))
            return DuckDBProfile(type="duckdb", path=str(default_duckdb))
        if chosen not in profiles:
            where = str(self.source) if self.source else "no platform.yaml was found"
            known = ", ".join(sorted(profiles)) or "none"
            raise PlatformConfigError(
                f"compute profile '{chosen}' is not defined in platform.yaml ({where}); "
                f"defined profiles: {known}"
            )
        return profiles[chosen]

    def resolve(self, path: str) -> Path:
        """A path from platform.yaml, made absolute against its folder."""
        candidate = Path(path).expanduser()
        return candidate if candidate.is_absolute() else (self.base_dir / candidate).resolve()


def find_platform_file(platform: str | Path | None, floe_dir: Path) -> Path | None:
    """Locate platform.yaml: an absolute path as is; a relative one in floe.yaml's folder or
    the nearest parent that has it; None when there is none."""
    if platform is None:
        return None
    candidate = Path(platform).expanduser()
    if candidate.is_absolute():
        if not candidate.is_file():
            raise PlatformConfigError(f"platform file {candidate} does not exist")
        return candidate
    for folder in (floe_dir, *floe_dir.parents):
        if (folder / candidate).is_file():
            return (folder / candidate).resolve()
    return None


def load_platform(platform: str | Path | None, floe_dir: Path, env: Mapping[str, str]) -> Platform:
    """Read and validate platform.yaml (interpolating ``${VAR:default}``); the built-in
    platform (embedded DuckDB, nothing emitted) when there is no file."""
    source = find_platform_file(platform, floe_dir)
    if source is None:
        return Platform(config=PlatformConfig(), base_dir=floe_dir, source=None)
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PlatformConfigError(f"{source}: cannot read platform.yaml: {exc}") from exc
    try:
        config = PlatformConfig.model_validate(_interpolated(raw, env))
    except ValidationError as exc:
        problems = "\n".join(
            f"{source}: {'.'.join(str(p) for p in error['loc']) or '(top)'}: {error['msg']}"
            for error in exc.errors()
        )
        raise PlatformConfigError(f"platform.yaml is invalid:\n{problems}") from exc
    return Platform(config=config, base_dir=source.parent, source=source)


def _interpolated(value: Any, env: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return interpolate(value, env).value
    if isinstance(value, dict):
        return {key: _interpolated(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolated(item, env) for item in value]
    return value
