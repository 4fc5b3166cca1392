"""The floe VS Code extension in real VS Code (code-server 4.100.3 in Debian's chromium).

The packaged .vsix and a companion test extension are installed into an isolated
code-server; the companion opens demo/floe.yaml (or the fixture here when the demo lacks
what the test needs) and records, through the VS Code API, what the floe extension and
floe-lsp answer. This file asserts on that record. scripts/setup/node.sh installs
everything; the test skips only when code-server cannot be installed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.xdist_group("vscode")

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
EXTENSION = ROOT / "vscode-extension"
CODE_SERVER = HERE / "node_modules" / "code-server"
INSTALL_FAILURE = HERE / "node_modules" / ".code-server-failed"
DRIVER = HERE / "run_vscode_e2e.mjs"
FIXTURE = HERE / "fixture" / "floe.yaml"
DEMO = ROOT / "demo" / "floe.yaml"
OUTPUT = ROOT / ".test-output" / "vscode"
CHROMIUM = Path("/usr/bin/chromium")


def _vsix() -> Path:
    version = json.loads((EXTENSION / "package.json").read_text())["version"]
    return EXTENSION / f"floe-vscode-{version}.vsix"


def _ensure_installed() -> None:
    """Runs the (idempotent) npm set-up unless code-server and the .vsix are in place."""
    if (CODE_SERVER / ".floe-ready").exists() and _vsix().exists():
        return
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("code-server cannot be installed: node/npm are not on PATH")
    subprocess.run(["bash", str(ROOT / "scripts" / "setup" / "node.sh")], check=True, timeout=1800)
    if not (CODE_SERVER / ".floe-ready").exists():
        reason = (
            INSTALL_FAILURE.read_text() if INSTALL_FAILURE.exists() else "see scripts/setup/node.sh"
        )
        pytest.skip(f"code-server cannot be installed here: {reason}")


def _get(mapping: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def build_spec(floe_file: Path, results: Path) -> dict[str, Any] | None:
    """Positions of a job reference, a cron and a place to complete, read from the file.

    None when the file lacks a block-style `schedules:` with a literal cron and a job
    reference to a job of the file.
    """
    root = yaml.compose(floe_file.read_text())
    orchestration = _get(root, "orchestration")
    jobs_item = _get(orchestration[1] if orchestration else None, "jobs")
    schedules_item = _get(orchestration[1] if orchestration else None, "schedules")
    if jobs_item is None or schedules_item is None:
        return None
    jobs = {key.value: key for key, _ in jobs_item[1].value}
    schedules_key, schedules = schedules_item
    if not isinstance(schedules, yaml.MappingNode) or schedules.flow_style or not schedules.value:
        return None
    for _, schedule in schedules.value:
        job = _get(schedule, "job")
        cron = _get(schedule, "cron_schedule")
        if job is None or cron is None or job[1].value not in jobs or "${" in cron[1].value:
            continue
        reference, cron_node = job[1], cron[1]
        if reference.style is not None or reference.start_mark.line != reference.end_mark.line:
            continue  # the edit below replaces a plain scalar on one line
        name = reference.value
        typo = name[:-3] + name[-2:] if len(name) > 3 else name + "x"
        if typo in jobs:
            typo = name + "_typo"
        indent = schedules.value[0][0].start_mark.column
        return {
            "file": str(floe_file),
            "results": str(results),
            "jobs": sorted(jobs),
            "reference": {
                "line": reference.start_mark.line,
                "character": reference.start_mark.column,
                "endCharacter": reference.end_mark.column,
                "job": name,
                "typo": typo,
            },
            "jobDefinitionLine": jobs[name].start_mark.line,
            "cron": {
                "line": cron_node.start_mark.line,
                # inside the expression, past a quote if there is one
                "character": cron_node.start_mark.column + (2 if cron_node.style else 1),
                "text": cron_node.value,
            },
            "completion": {
                "afterLine": schedules_key.start_mark.line,
                "text": f"{' ' * indent}e2e_completion:\n{' ' * (indent + 2)}job: \n",
                "line": schedules_key.start_mark.line + 2,
                "character": indent + 2 + len("job: "),
            },
        }
    return None


def _choose_file(results: Path) -> dict[str, Any]:
    candidates = (
        [Path(os.environ["FLOE_E2E_VSCODE_FILE"])]
        if "FLOE_E2E_VSCODE_FILE" in os.environ
        else [DEMO, FIXTURE]
    )
    for candidate in candidates:
        if candidate.exists():
            try:
                spec = build_spec(candidate, results)
            except yaml.YAMLError:
                spec = None
            if spec is not None:
                return spec
    pytest.fail(
        f"none of {[str(c) for c in candidates]} has a schedule with a cron and a job reference"
    )


def _floe_log(limit: int = 3000) -> str:
    """The end of the floe output channel's log, as code-server wrote it."""
    logs = sorted((OUTPUT / "logs").glob("*floe*")) if (OUTPUT / "logs").exists() else []
    return "\n".join(path.read_text()[-limit:] for path in logs)


def _run_driver(command: list[str], timeout: float) -> tuple[int, str]:
    """Runs the node driver; on a time-out stops it and the code-server it started."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as driver:
        try:
            output, _ = driver.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            driver.terminate()  # the driver cleans up on SIGTERM
            try:
                output, _ = driver.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                driver.kill()
                output, _ = driver.communicate()
            pgid_file = OUTPUT / "code-server.pgid"
            if pgid_file.exists():
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(int(pgid_file.read_text()), signal.SIGKILL)
            output += f"\n[test] the driver did not finish within {timeout} s"
        return driver.returncode, output


@pytest.fixture(scope="module")
def vscode_run() -> dict[str, Any]:
    """Runs VS Code once for every assertion below."""
    _ensure_installed()
    assert _vsix().exists(), f"{_vsix()} was not built by scripts/setup/node.sh"
    assert CHROMIUM.exists(), "chromium is missing: scripts/setup/apt.sh installs it"
    assert importlib.util.find_spec("floe_lsp") is not None, (
        f"floe is not installed in {sys.executable}"
    )

    if OUTPUT.exists():
        shutil.rmtree(OUTPUT)
    OUTPUT.mkdir(parents=True)
    spec = _choose_file(OUTPUT / "results.json")
    without_floe = OUTPUT / "python-without-floe"
    venv.EnvBuilder(with_pip=False).create(without_floe)
    spec["pythonWithoutFloe"] = str(without_floe / "bin" / "python")
    broken_server = OUTPUT / "broken-floe-lsp"
    broken_server.write_text("#!/bin/sh\necho 'floe-lsp: broken on purpose' >&2\nexit 3\n")
    broken_server.chmod(0o755)
    spec["brokenServer"] = str(broken_server)
    spec_file = OUTPUT / "spec.json"
    spec_file.write_text(json.dumps(spec, indent=2))
    settings = {"floe.server.pythonPath": sys.executable, "floe.trace.server": "messages"}
    command = [
        shutil.which("node") or "node",
        str(DRIVER),
        "--vsix",
        str(_vsix()),
        "--folder",
        str(Path(spec["file"]).parent),
        "--spec",
        str(spec_file),
        "--out",
        str(OUTPUT),
        "--settings",
        json.dumps(settings),
    ]
    returncode, output = _run_driver(command, timeout=480)
    (OUTPUT / "driver.log").write_text(output)
    assert returncode == 0, f"the VS Code run failed:\n{output[-5000:]}\n{_floe_log()}"
    results: dict[str, Any] = json.loads((OUTPUT / "results.json").read_text())
    results["spec"] = spec
    results["ui"] = json.loads((OUTPUT / "ui.json").read_text())
    return results


def _context(results: dict[str, Any]) -> str:
    shown = {key: value for key, value in results.items() if key != "spec"}
    return f"\nresults: {json.dumps(shown, indent=1)[-4000:]}\nfloe log:\n{_floe_log()}"


@pytest.mark.e2e
@pytest.mark.slow
def test_extension_activates_and_starts_floe_lsp(vscode_run: dict[str, Any]) -> None:
    results = vscode_run
    assert results.get("error") is None, results.get("error")
    assert results["installed"], f"floe.floe-vscode is not installed{_context(results)}"
    assert results["activated"], f"the extension did not activate{_context(results)}"
    assert results["languageId"] == "yaml", "floe files must keep the yaml language"
    status = results["status"]
    assert status["state"] == "running", (
        f"server {status['state']}: {status['detail']}{_context(results)}"
    )
    assert status["source"] == "floe.server.pythonPath"
    assert status["command"].endswith("-m floe_lsp --stdio")
    log = _floe_log(limit=10**7)
    assert "Sending request 'initialize" in log, (
        "floe.trace.server=messages shows no trace in the log"
    )


@pytest.mark.e2e
@pytest.mark.slow
def test_broken_reference_diagnostic_arrives(vscode_run: dict[str, Any]) -> None:
    results, reference = vscode_run, vscode_run["spec"]["reference"]
    matching = [
        d
        for d in results.get("diagnostics", [])
        if d["source"] == "floe"
        and reference["typo"] in d["message"]
        and d["line"] == reference["line"]
    ]
    where = f"job {reference['typo']!r} on line {reference['line'] + 1}"
    assert matching, f"no floe diagnostic for {where}{_context(results)}"
    assert matching[0]["severity"] == "Error"


@pytest.mark.e2e
@pytest.mark.slow
def test_hover_on_cron_shows_next_runs(vscode_run: dict[str, Any]) -> None:
    results = vscode_run
    hover = results.get("hover", "")
    assert re.search(r"next", hover, re.IGNORECASE), (
        f"hover on the cron shows no next runs: {hover!r}{_context(results)}"
    )
    assert re.search(r"\d{4}-\d{2}-\d{2}", hover), f"hover on the cron lists no dates: {hover!r}"


@pytest.mark.e2e
@pytest.mark.slow
def test_completion_after_job_lists_the_jobs(vscode_run: dict[str, Any]) -> None:
    results = vscode_run
    labels = {item["label"] for item in results.get("completion", [])}
    missing = set(results["spec"]["jobs"]) - labels
    assert not missing, (
        f"completion after `job: ` lacks {sorted(missing)}; got {sorted(labels)}{_context(results)}"
    )


@pytest.mark.e2e
@pytest.mark.slow
def test_go_to_definition_of_a_job_reference(vscode_run: dict[str, Any]) -> None:
    results, spec = vscode_run, vscode_run["spec"]
    targets = [(Path(d["path"]), d["line"]) for d in results.get("definition", [])]
    expected = (Path(spec["file"]), spec["jobDefinitionLine"])
    assert expected in targets, (
        f"definition of {spec['reference']['job']!r} should be line {expected[1] + 1}; "
        f"got {targets}{_context(results)}"
    )


@pytest.mark.e2e
@pytest.mark.slow
def test_status_bar_and_restart(vscode_run: dict[str, Any]) -> None:
    results = vscode_run
    labels = results["ui"]["statusBar"]
    assert "floe: floe-lsp is running" in labels, f"status bar: {labels}"
    assert results["afterRestartCommand"]["state"] == "running", _context(results)


@pytest.mark.e2e
@pytest.mark.slow
def test_missing_floe_is_reported_with_the_install_command(vscode_run: dict[str, Any]) -> None:
    results, python = vscode_run, vscode_run["spec"]["pythonWithoutFloe"]
    failed = results["withoutFloe"]
    assert failed["state"] == "failed", f"no failure for {python}{_context(results)}"
    assert f"{python} -m pip install floe" in failed["detail"], failed["detail"]
    assert results["afterSwitchBack"]["state"] == "running", "no restart after the settings change"


@pytest.mark.e2e
@pytest.mark.slow
def test_a_server_that_dies_at_start_is_reported(vscode_run: dict[str, Any]) -> None:
    results = vscode_run
    broken = results["brokenServer"]
    assert broken["state"] == "failed", f"no failure for a server that exits{_context(results)}"
    assert broken["command"] == f"{vscode_run['spec']['brokenServer']} --stdio"
    assert broken["source"] == "floe.server.path"
    assert "exited with code 3: floe-lsp: broken on purpose" in broken["detail"], broken["detail"]
    assert results["afterBrokenServer"]["state"] == "running", _context(results)


@pytest.mark.e2e
@pytest.mark.slow
def test_screenshot_saved(vscode_run: dict[str, Any]) -> None:
    screenshot = OUTPUT / "vscode-floe.png"
    assert screenshot.exists()
    assert screenshot.stat().st_size > 20_000, "the screenshot looks empty"


@pytest.mark.slow
def test_extension_unit_tests_pass() -> None:
    """The extension's own unit tests (node's test runner), so that `make test` runs them."""
    if not (EXTENSION / "node_modules").exists():
        _ensure_installed()
    npm = shutil.which("npm")
    assert npm is not None, "npm is not on PATH"
    run = subprocess.run(
        [npm, "test"], cwd=EXTENSION, capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, (
        f"npm test failed in vscode-extension:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    )
