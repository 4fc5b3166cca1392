"""schemas/floe.schema.json: fresh, documented, usable by yaml-language-server, and in
agreement with floe's models on real documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from floe_cli.commands.schema import schema_text
from floe_core.json_schema import SCHEMA_DIALECT, floe_json_schema

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "schemas" / "floe.schema.json"
jsonschema = pytest.importorskip("jsonschema")


def test_committed_schema_is_fresh():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "schemas/floe.schema.json is stale: run `floe schema` (or `make schema`) and commit it"
    )


def test_schema_header():
    schema = floe_json_schema()
    assert schema["$schema"] == SCHEMA_DIALECT
    assert schema["$id"].endswith("/floe.schema.json")
    assert schema["title"] == "floe.yaml"
    jsonschema.Draft7Validator.check_schema(schema)


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for model, definition in [("FloeSpec", schema), *schema["$defs"].items()]:
        for name, prop in definition.get("properties", {}).items():
            yield model, name, prop


def test_every_field_has_a_description():
    missing = [
        f"{m}.{n}" for m, n, p in _properties(floe_json_schema()) if not p.get("description")
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("section", "members"),
    [
        pytest.param("jobs", {"batch", "ops"}, id="jobs"),
        pytest.param(
            "sensors", {"file_watcher", "asset_sensor", "run_status", "custom"}, id="sensors"
        ),
        pytest.param("partitions", {"time_window", "static", "multi", "dynamic"}, id="partitions"),
    ],
)
def test_discriminated_unions_are_one_of_with_type_constants(section, members):
    schema = floe_json_schema()
    union = schema["$defs"]["OrchestrationConfig"]["properties"][section]["additionalProperties"]
    assert "discriminator" not in union
    found = set()
    for branch in union["oneOf"]:
        member = schema["$defs"][branch["$ref"].rsplit("/", 1)[-1]]
        type_schema = member["properties"]["type"]
        assert type_schema["enum"] == [type_schema["const"]]
        assert "type" in member["required"]
        found.add(type_schema["const"])
    assert found == members


def _validator() -> Any:
    return jsonschema.Draft7Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, id=str(p.relative_to(REPO)))
        for p in sorted(REPO.glob("examples/*/floe.yaml"))
    ],
)
def test_examples_are_valid_under_the_schema(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(document)]
    assert errors == []


SCHEDULE = (
    "name: s\norchestration:\n  schedules:\n    daily: {job: j, cron_schedule: '* * * * *', %s}\n"
)


@pytest.mark.parametrize(
    ("field", "valid"),
    [
        pytest.param("enabled: true", True, id="bool"),
        pytest.param("enabled: '${SCHEDULE_ENABLED:true}'", True, id="bool-interpolated"),
        pytest.param("enabled: maybe", False, id="bool-wrong"),
        pytest.param("timezone: Europe/Berlin", True, id="string"),
        pytest.param("colour: blue", False, id="unknown-key"),
        pytest.param("description: 5", False, id="wrong-type"),
    ],
)
def test_schema_accepts_interpolation_where_values_are_typed(field, valid):
    document = yaml.safe_load(SCHEDULE % field)
    assert _validator().is_valid(document) is valid


@pytest.mark.parametrize(
    ("sensor", "valid"),
    [
        pytest.param(
            "{type: run_status, job: j, watched_jobs: [a], status: FAILURE}", True, id="run-status"
        ),
        pytest.param(
            "{type: run_status, job: j, watched_jobs: [a], status: '${S:FAILURE}'}",
            True,
            id="enum-interpolated",
        ),
        pytest.param(
            "{type: run_status, job: j, watched_jobs: [a], status: BROKEN}", False, id="enum-wrong"
        ),
        pytest.param(
            "{type: file_watcher, job: j, watched_jobs: [a]}", False, id="fields-of-another-variant"
        ),
        pytest.param("{type: teleport, job: j}", False, id="unknown-type"),
    ],
)
def test_schema_checks_union_members(sensor, valid):
    document = yaml.safe_load(f"name: s\norchestration:\n  sensors:\n    s: {sensor}\n")
    assert _validator().is_valid(document) is valid
