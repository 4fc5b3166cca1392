"""``floe validate``: files and directories, exit statuses, the three output formats,
--env-file and --manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

VALID = "name: shop\n"

UNKNOWN_JOB = """\
name: shop
orchestration:
  jobs:
    nightly: {type: batch, selection: ["group:bronze"]}
  schedules:
    daily: {job: nighty, cron_schedule: "0 6 * * *"}
"""

UNSET_VARIABLE = """\
name: "${FLOE_TEST_NEVER_SET}"
"""


@pytest.mark.parametrize(
    ("files", "arguments", "status"),
    [
        pytest.param({"floe.yaml": VALID}, ["floe.yaml"], 0, id="valid"),
        pytest.param({"floe.yaml": UNSET_VARIABLE}, ["floe.yaml"], 0, id="warning-only"),
        pytest.param({"floe.yaml": UNKNOWN_JOB}, ["floe.yaml"], 1, id="error"),
        pytest.param({"floe.yaml": "name: [\n"}, ["floe.yaml"], 1, id="syntax-error"),
        pytest.param({"floe.yaml": ""}, ["floe.yaml"], 1, id="empty"),
        pytest.param({}, ["floe.yaml"], 2, id="missing"),
        pytest.param({"other.txt": "x"}, ["."], 2, id="directory-without-config"),
        pytest.param({"floe.yaml": b"\x00\x01name: x"}, ["floe.yaml"], 2, id="binary"),
        pytest.param({"floe.yaml": b"name: caf\xe9\n"}, ["floe.yaml"], 2, id="latin-1"),
        pytest.param(
            {"floe.yaml": UNKNOWN_JOB}, ["floe.yaml", "missing.yaml"], 2, id="unreadable-wins"
        ),
        pytest.param({"floe.yaml": b"\xef\xbb\xbfname: bom\n"}, ["floe.yaml"], 0, id="bom"),
        pytest.param({"floe.yaml": "name: crlf\r\nversion: '2'\r\n"}, ["."], 0, id="crlf"),
    ],
)
def test_exit_status(floe, write, tmp_path, monkeypatch, files, arguments, status):
    for name, content in files.items():
        write(name, content)
    monkeypatch.chdir(tmp_path)
    assert floe("validate", *arguments).status == status


def test_default_path_is_floe_yaml_in_the_current_directory(floe, write, tmp_path, monkeypatch):
    write("floe.yaml", UNKNOWN_JOB)
    monkeypatch.chdir(tmp_path)
    run = floe("validate")
    assert run.status == 1
    assert run.stdout.startswith("floe.yaml:6:18: error[unknown-job]: ")


def test_missing_default_file_says_so(floe, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = floe("validate")
    assert run.status == 2
    assert "cannot read floe.yaml: no such file" in run.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b"\x00\x00", "is a binary file", id="binary"),
        pytest.param(b"name: \xff\n", "is not UTF-8 text (byte 0xff at offset 6)", id="not-utf8"),
    ],
)
def test_unreadable_file_reasons(floe, write, content, reason):
    path = write("floe.yaml", content)
    run = floe("validate", str(path))
    assert run.status == 2
    assert reason in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        pytest.param("/dev/zero", "is not a regular file", id="endless-device"),
        pytest.param("/dev/null", "is not a regular file", id="null-device"),
    ],
)
def test_special_files_are_not_read(floe, path, reason):
    run = floe("validate", path)
    assert run.status == 2
    assert reason in run.stderr


def test_huge_file_is_refused(floe, tmp_path):
    path = tmp_path / "floe.yaml"
    with path.open("wb") as out:
        out.truncate(50_000_001)
    run = floe("validate", str(path))
    assert run.status == 2
    assert "too large for a floe.yaml" in run.stderr


def test_directory_means_its_floe_configs(floe, write, tmp_path):
    write("project/floe.yaml", VALID)
    write("project/extra.floe.yaml", UNKNOWN_JOB)
    write("project/more.floe.yml", VALID)
    write("project/unrelated.yaml", "not: [valid")
    run = floe("validate", str(tmp_path / "project"), "--format", "json")
    paths = [Path(entry["path"]).name for entry in json.loads(run.stdout)["files"]]
    assert paths == ["floe.yaml", "extra.floe.yaml", "more.floe.yml"]
    assert run.status == 1


def test_same_file_twice_is_validated_once(floe, write, tmp_path):
    path = write("floe.yaml", VALID)
    run = floe("validate", str(path), str(tmp_path), "--format", "json")
    assert len(json.loads(run.stdout)["files"]) == 1


def test_text_output_has_location_excerpt_caret_fix_and_summary(floe, write, tmp_path, monkeypatch):
    write("floe.yaml", UNKNOWN_JOB)
    monkeypatch.chdir(tmp_path)
    lines = floe("validate", "floe.yaml").stdout.splitlines()
    assert lines[0] == (
        "floe.yaml:6:18: error[unknown-job]: schedule 'daily' refers to job 'nighty', which "
        "does not exist; did you mean 'nightly'?"
    )
    assert lines[1] == ' 6 |     daily: {job: nighty, cron_schedule: "0 6 * * *"}'
    assert lines[2] == "   |                  ^^^^^^"
    assert lines[3] == "   = help: Change to 'nightly'"
    assert lines[-1] == "1 file checked: 1 error."


def test_text_summary_without_problems(floe, write):
    run = floe("validate", str(write("floe.yaml", VALID)))
    assert run.stdout == "1 file checked: no problems.\n"


def test_json_diagnostics_are_lsp_diagnostics(floe, write):
    path = write("floe.yaml", UNKNOWN_JOB)
    document = json.loads(floe("validate", str(path), "--format", "json").stdout)
    assert document["positionEncoding"] == "utf-16"
    [entry] = document["files"]
    assert entry["path"] == str(path)
    [diagnostic] = entry["diagnostics"]
    assert diagnostic == {
        "range": {"start": {"line": 5, "character": 17}, "end": {"line": 5, "character": 23}},
        "severity": 1,
        "code": "unknown-job",
        "source": "floe",
        "message": "schedule 'daily' refers to job 'nighty', which does not exist; did you "
        "mean 'nightly'?",
    }


@pytest.mark.parametrize(
    ("prefix", "start", "end"),
    [
        pytest.param("ascii", 39, 45, id="ascii"),
        pytest.param("caf\u00e9", 38, 44, id="bmp-character-one-unit"),
        pytest.param("\U0001f600x", 37, 43, id="astral-character-two-units"),
    ],
)
def test_json_columns_are_utf16(floe, write, prefix, start, end):
    text = UNKNOWN_JOB.replace(
        "daily: {job: nighty,", f'daily: {{description: "{prefix}", job: nighty,'
    )
    path = write("floe.yaml", text)
    document = json.loads(floe("validate", str(path), "--format", "json").stdout)
    [diagnostic] = [d for d in document["files"][0]["diagnostics"] if d["code"] == "unknown-job"]
    assert diagnostic["range"]["start"] == {"line": 5, "character": start}
    assert diagnostic["range"]["end"] == {"line": 5, "character": end}


def test_json_reports_unreadable_files(floe, tmp_path):
    run = floe("validate", str(tmp_path / "missing.yaml"), "--format", "json")
    assert run.status == 2
    [entry] = json.loads(run.stdout)["files"]
    assert entry == {
        "path": str(tmp_path / "missing.yaml"),
        "diagnostics": [],
        "error": "no such file",
    }


def test_github_annotations(floe, write, tmp_path, monkeypatch):
    write("floe.yaml", UNKNOWN_JOB)
    monkeypatch.chdir(tmp_path)
    lines = floe("validate", "floe.yaml", "--format", "github").stdout.splitlines()
    assert lines[0] == (
        "::error file=floe.yaml,line=6,col=18,endLine=6,endColumn=23,title=floe unknown-job::"
        "schedule 'daily' refers to job 'nighty', which does not exist; did you mean 'nightly'?"
    )
    assert lines[-1] == "1 file checked: 1 error."


def test_github_annotations_escape_properties_and_data(floe, write, tmp_path, monkeypatch):
    write("a,b:c.yaml", UNKNOWN_JOB.replace("nighty", "'50%'"))
    monkeypatch.chdir(tmp_path)
    first = floe("validate", "a,b:c.yaml", "--format", "github").stdout.splitlines()[0]
    assert first.startswith("::error file=a%2Cb%3Ac.yaml,line=6,")
    assert "job '50%25', which does not exist" in first


def test_github_warning_and_unreadable(floe, write, tmp_path, monkeypatch):
    write("floe.yaml", UNSET_VARIABLE)
    monkeypatch.chdir(tmp_path)
    lines = floe("validate", "floe.yaml", "missing.yaml", "--format", "github").stdout.splitlines()
    assert lines[0].startswith("::warning file=floe.yaml,line=1,col=8,")
    assert lines[1] == "::error file=missing.yaml::cannot read missing.yaml: no such file"


ENV_JOB = """\
name: shop
orchestration:
  jobs:
    nightly: {type: batch, selection: ["group:bronze"]}
  schedules:
    daily: {job: "${FLOE_TEST_JOB}", cron_schedule: "0 6 * * *"}
"""


@pytest.mark.parametrize(
    ("env_file", "process_value", "status", "message"),
    [
        pytest.param("FLOE_TEST_JOB=nightly\n", None, 0, "", id="resolved-by-env-file"),
        pytest.param(
            "export FLOE_TEST_JOB='nighty'  # typo\n",
            None,
            1,
            "refers to job 'nighty'",
            id="env-file-value-checked",
        ),
        pytest.param("FLOE_TEST_JOB=nightly\n", "nighty", 0, "", id="env-file-overrides-process"),
        pytest.param(None, "nighty", 1, "refers to job 'nighty'", id="process-environment"),
    ],
)
def test_env_file(floe, write, monkeypatch, env_file, process_value, status, message):
    path = write("floe.yaml", ENV_JOB)
    if process_value is None:
        monkeypatch.delenv("FLOE_TEST_JOB", raising=False)
    else:
        monkeypatch.setenv("FLOE_TEST_JOB", process_value)
    arguments = ["validate", str(path)]
    if env_file is not None:
        arguments += ["--env-file", str(write(".env", env_file))]
    run = floe(*arguments)
    assert run.status == status
    assert message in run.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "cannot read env file", id="missing"),
        pytest.param("JUST A LINE\n", ".env:1: expected KEY=value", id="malformed"),
    ],
)
def test_bad_env_file_exits_2(floe, write, tmp_path, content, message):
    path = write("floe.yaml", VALID)
    env_path = tmp_path / ".env"
    if content is not None:
        env_path.write_text(content, encoding="utf-8")
    run = floe("validate", str(path), "--env-file", str(env_path))
    assert run.status == 2
    assert message in run.stderr


DBT = """\
name: shop
orchestration:
  dbt:
    manifest_path: nowhere/manifest.json
"""


def test_manifest_override(floe, write, jaffle_manifest):
    path = write("floe.yaml", DBT)
    without = json.loads(floe("validate", str(path), "--format", "json").stdout)
    [problem] = without["files"][0]["diagnostics"]
    assert problem["range"]["start"] == {"line": 3, "character": 19}
    assert "nowhere/manifest.json" in problem["message"]
    run = floe("validate", str(path), "--manifest", str(jaffle_manifest), "--format", "json")
    assert json.loads(run.stdout)["files"][0]["diagnostics"] == []
    assert run.status == 0


def test_strict_env_makes_unset_variables_errors(floe, write):
    path = write("floe.yaml", UNSET_VARIABLE)
    assert floe("validate", str(path)).status == 0
    run = floe("validate", str(path), "--strict-env")
    assert run.status == 1
    assert "error[env-unset]" in run.stdout
