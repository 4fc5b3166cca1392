"""dbt ``profiles.yml`` generated from a platform compute profile, for the seven targets
(duckdb, snowflake, bigquery, redshift, databricks, postgres, spark).

Every credential and every environment-specific value the platform did not spell out is an
``{{ env_var('...') }}`` reference, so the generated file holds no secret. The file is
rewritten only when its content changes (atomically, as several step processes may load the
same project at once).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from floe_runtime.platform import (
    BigQueryProfile,
    ComputeProfile,
    DatabricksProfile,
    DuckDBProfile,
    Platform,
    PostgresProfile,
    RedshiftProfile,
    SnowflakeProfile,
    SparkProfile,
)


def env_ref(variable: str) -> str:
    """The dbt Jinja reference to an environment variable."""
    return "{{ env_var('" + variable + "') }}"


def _value(literal: str | None, variable: str) -> str:
    return literal if literal is not None else env_ref(variable)


def _duckdb(profile: DuckDBProfile, platform: Platform) -> dict[str, Any]:
    output: dict[str, Any] = {
        "type": "duckdb",
        "path": str(platform.resolve(profile.path)),
        "threads": profile.threads,
    }
    if profile.extensions:
        output["extensions"] = list(profile.extensions)
    return output


def _snowflake(profile: SnowflakeProfile, _: Platform) -> dict[str, Any]:
    return {
        "type": "snowflake",
        "account": _value(profile.account, "SNOWFLAKE_ACCOUNT"),
        "user": _value(profile.user, "SNOWFLAKE_USER"),
        "password": env_ref(profile.password_env),
        "role": _value(profile.role, "SNOWFLAKE_ROLE"),
        "database": _value(profile.database, "SNOWFLAKE_DATABASE"),
        "warehouse": _value(profile.warehouse, "SNOWFLAKE_WAREHOUSE"),
        "schema": _value(profile.schema_, "SNOWFLAKE_SCHEMA"),
        "threads": profile.threads,
    }


def _bigquery(profile: BigQueryProfile, _: Platform) -> dict[str, Any]:
    output: dict[str, Any] = {
        "type": "bigquery",
        "method": profile.method,
        "project": _value(profile.project, "GCP_PROJECT"),
        "dataset": _value(profile.dataset, "BQ_DATASET"),
        "location": _value(profile.location, "BQ_LOCATION"),
        "threads": profile.threads,
    }
    if profile.method == "service-account":
        output["keyfile"] = env_ref(profile.keyfile_env)
    return output


def _redshift(profile: RedshiftProfile, _: Platform) -> dict[str, Any]:
    return {
        "type": "redshift",
        "host": _value(profile.host, "REDSHIFT_HOST"),
        "port": profile.port,
        "user": _value(profile.user, "REDSHIFT_USER"),
        "password": env_ref(profile.password_env),
        "dbname": _value(profile.dbname, "REDSHIFT_DATABASE"),
        "schema": _value(profile.schema_, "REDSHIFT_SCHEMA"),
        "threads": profile.threads,
    }


def _databricks(profile: DatabricksProfile, _: Platform) -> dict[str, Any]:
    return {
        "type": "databricks",
        "catalog": _value(profile.catalog, "DATABRICKS_CATALOG"),
        "schema": _value(profile.schema_, "DATABRICKS_SCHEMA"),
        "host": _value(profile.host, "DATABRICKS_HOST"),
        "http_path": _value(profile.http_path, "DATABRICKS_HTTP_PATH"),
        "token": env_ref(profile.token_env),
        "threads": profile.threads,
    }


def _postgres(profile: PostgresProfile, _: Platform) -> dict[str, Any]:
    return {
        "type": "postgres",
        "host": _value(profile.host, "POSTGRES_HOST"),
        "port": profile.port,
        "user": _value(profile.user, "POSTGRES_USER"),
        "password": env_ref(profile.password_env),
        "dbname": _value(profile.dbname, "POSTGRES_DATABASE"),
        "schema": _value(profile.schema_, "POSTGRES_SCHEMA"),
        "threads": profile.threads,
    }


def _spark(profile: SparkProfile, _: Platform) -> dict[str, Any]:
    output: dict[str, Any] = {
        "type": "spark",
        "method": profile.method,
        "schema": _value(profile.schema_, "SPARK_SCHEMA"),
        "threads": profile.threads,
    }
    if profile.method != "session":
        output["host"] = _value(profile.host, "SPARK_HOST")
        output["port"] = profile.port
    if profile.token_env:
        output["token"] = env_ref(profile.token_env)
    return output


_GENERATORS: dict[type[Any], Callable[[Any, Platform], dict[str, Any]]] = {
    DuckDBProfile: _duckdb,
    SnowflakeProfile: _snowflake,
    BigQueryProfile: _bigquery,
    RedshiftProfile: _redshift,
    DatabricksProfile: _databricks,
    PostgresProfile: _postgres,
    SparkProfile: _spark,
}


def profile_output(profile: ComputeProfile, platform: Platform) -> dict[str, Any]:
    """The dbt output (one entry of ``outputs:``) for a compute profile."""
    return _GENERATORS[type(profile)](profile, platform)


def render_profiles(
    profile_name: str, target: str, profile: ComputeProfile, platform: Platform
) -> str:
    """The text of a profiles.yml with one profile and one target."""
    document = {
        profile_name: {"target": target, "outputs": {target: profile_output(profile, platform)}}
    }
    header = "# Generated by floe from platform.yaml; edits are overwritten.\n"
    return header + yaml.safe_dump(document, sort_keys=False)


def write_profiles(directory: Path, text: str) -> Path:
    """Write ``profiles.yml`` into ``directory`` unless it already holds ``text``."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "profiles.yml"
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return target
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".profiles.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    Path(temporary).replace(target)
    return target
