"""``floe schema``: write, print and check the JSON Schema file."""

from __future__ import annotations

import json

from floe_core.json_schema import floe_json_schema


def test_schema_writes_the_file(floe, tmp_path):
    output = tmp_path / "nested" / "floe.schema.json"
    run = floe("schema", "--output", str(output))
    assert run.status == 0
    assert json.loads(output.read_text(encoding="utf-8")) == floe_json_schema()
    assert floe("schema", "--output", str(output), "--check").status == 0


def test_schema_to_stdout(floe):
    run = floe("schema", "--output", "-")
    assert json.loads(run.stdout)["title"] == "floe.yaml"


def test_schema_check_fails_when_stale_or_missing(floe, tmp_path):
    output = tmp_path / "floe.schema.json"
    missing = floe("schema", "--output", str(output), "--check")
    assert missing.status == 1
    assert "does not exist" in missing.stderr
    output.write_text("{}\n", encoding="utf-8")
    stale = floe("schema", "--output", str(output), "--check")
    assert stale.status == 1
    assert "is stale; run 'floe schema'" in stale.stderr


def test_default_output_is_schemas_floe_schema_json(floe, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert floe("schema").status == 0
    assert (tmp_path / "schemas" / "floe.schema.json").is_file()
