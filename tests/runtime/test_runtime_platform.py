"""platform.yaml: compute profiles -> dbt profiles.yml for the seven targets, credentials only
as env_var references, the embedded DuckDB default, and clear errors."""

from pathlib import Path

import pytest
import yaml

from floe_runtime.platform import PlatformConfigError, load_platform
from floe_runtime.profiles import render_profiles, write_profiles

SECRETS = {
    "snowflake": ("password", "SNOWFLAKE_PASSWORD"),
    "bigquery": ("keyfile", "GOOGLE_APPLICATION_CREDENTIALS"),
    "redshift": ("password", "REDSHIFT_PASSWORD"),
    "databricks": ("token", "DATABRICKS_TOKEN"),
    "postgres": ("password", "POSTGRES_PASSWORD"),
}


def _platform(tmp_path: Path, text: str, env: dict[str, str] | None = None):
    (tmp_path / "platform.yaml").write_text(text)
    return load_platform("platform.yaml", tmp_path, env or {})


def _output(tmp_path: Path, profile_yaml: str, env: dict[str, str] | None = None) -> dict:
    platform = _platform(tmp_path, f"compute:\n  profiles:\n    main:\n{profile_yaml}", env)
    profile = platform.compute_profile("main", tmp_path / "x.duckdb")
    rendered = yaml.safe_load(render_profiles("floe", "dev", profile, platform))
    assert rendered["floe"]["target"] == "dev"
    return rendered["floe"]["outputs"]["dev"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param(
            "snowflake",
            {
                "account": "{{ env_var('SNOWFLAKE_ACCOUNT') }}",
                "warehouse": "{{ env_var('SNOWFLAKE_WAREHOUSE') }}",
            },
            id="snowflake",
        ),
        pytest.param(
            "bigquery",
            {"method": "service-account", "project": "{{ env_var('GCP_PROJECT') }}"},
            id="bigquery",
        ),
        pytest.param(
            "redshift", {"port": 5439, "host": "{{ env_var('REDSHIFT_HOST') }}"}, id="redshift"
        ),
        pytest.param(
            "databricks", {"http_path": "{{ env_var('DATABRICKS_HTTP_PATH') }}"}, id="databricks"
        ),
        pytest.param(
            "postgres",
            {"port": 5432, "dbname": "{{ env_var('POSTGRES_DATABASE') }}"},
            id="postgres",
        ),
        pytest.param(
            "spark",
            {"method": "thrift", "port": 10000, "schema": "{{ env_var('SPARK_SCHEMA') }}"},
            id="spark",
        ),
    ],
)
def test_remote_targets_reference_environment_variables(tmp_path, target, expected):
    output = _output(tmp_path, f"      type: {target}\n")
    assert output["type"] == target
    for key, value in expected.items():
        assert output[key] == value
    if target in SECRETS:
        field, variable = SECRETS[target]
        assert output[field] == "{{ env_var('" + variable + "') }}"


def test_literal_non_secret_values_and_renamed_secret_variables(tmp_path):
    output = _output(
        tmp_path,
        "      type: snowflake\n      account: acme\n"
        "      password_env: SF_PASS\n      threads: 8\n",
    )
    assert output["account"] == "acme"
    assert output["password"] == "{{ env_var('SF_PASS') }}"
    assert output["threads"] == 8


def test_a_literal_secret_is_rejected(tmp_path):
    with pytest.raises(PlatformConfigError, match="password_env"):
        _platform(
            tmp_path,
            "compute:\n  profiles:\n    prod:\n      type: postgres\n      password: hunter2\n",
        )


def test_duckdb_path_is_relative_to_platform_yaml_and_interpolated(tmp_path):
    output = _output(
        tmp_path, "      type: duckdb\n      path: ${WH:data/wh.duckdb}\n", {"WH": "w/x.duckdb"}
    )
    assert output == {"type": "duckdb", "path": str(tmp_path / "w" / "x.duckdb"), "threads": 4}


def test_without_platform_yaml_the_default_is_embedded_duckdb(tmp_path):
    platform = load_platform("platform.yaml", tmp_path, {})
    assert platform.source is None
    profile = platform.compute_profile(None, tmp_path / "demo.duckdb")
    assert profile.type == "duckdb"
    assert Path(profile.path) == tmp_path / "demo.duckdb"


def test_platform_yaml_is_found_in_a_parent_folder(tmp_path):
    (tmp_path / "platform.yaml").write_text(
        "compute: {default: local, profiles: {local: {type: duckdb}}}\n"
    )
    nested = tmp_path / "pipelines" / "sales"
    nested.mkdir(parents=True)
    assert load_platform("platform.yaml", nested, {}).source == tmp_path / "platform.yaml"


def test_an_unknown_compute_profile_names_the_defined_ones(tmp_path):
    platform = _platform(tmp_path, "compute:\n  profiles:\n    local: {type: duckdb}\n")
    with pytest.raises(PlatformConfigError, match=r"'prod' is not defined.*local"):
        platform.compute_profile("prod", tmp_path / "x.duckdb")


def test_profiles_file_is_rewritten_only_when_it_changes(tmp_path):
    first = write_profiles(tmp_path, "a: 1\n")
    stamp = first.stat().st_mtime_ns
    assert write_profiles(tmp_path, "a: 1\n").stat().st_mtime_ns == stamp
    assert write_profiles(tmp_path, "a: 2\n").read_text() == "a: 2\n"
