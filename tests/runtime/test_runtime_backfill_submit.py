"""``floe backfill NAME`` without ``--in-process``: the real ``floe`` command submits one
ranged run per batch to a real ``dagster-webserver`` on loopback (its instance a fresh
DAGSTER_HOME whose runs launch at once, no daemon), follows them to the end and draws its
progress bar; the runs are then read back from that instance."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
STARTUP_SECONDS = 180
BACKFILL_SECONDS = 300
INSTANCE_YAML = """\
run_coordinator:
  module: dagster.core.run_coordinator
  class: DefaultRunCoordinator
telemetry:
  enabled: false
"""
DEFINITIONS = """\
from floe_runtime import load_definitions

defs = load_definitions("floe.yaml", platform=None)
"""
REPOSITORIES = (
    '{"query": "{ repositoriesOrError { ... on RepositoryConnection { nodes { name } } } }"}'
)


@dataclass(frozen=True)
class Webserver:
    """A running webserver serving the mini project, and the environment it runs with."""

    url: str
    home: Path
    project: Path
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _repositories(url: str) -> list[object]:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=REPOSITORIES.encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.loads(response.read())
    return list((answer["data"]["repositoriesOrError"] or {}).get("nodes") or [])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster-webserver exited ({process.returncode}):\n{log.read_text()}")
        try:
            if _repositories(url):
                return
        except (urllib.error.URLError, OSError, KeyError):
            pass
        time.sleep(1)
    pytest.fail(f"dagster-webserver did not serve the project in time:\n{log.read_text()}")


@pytest.fixture
def webserver(mini_project: Path, mini_env: dict[str, str], tmp_path: Path) -> Iterator[Webserver]:
    """``dagster-webserver`` on a free loopback port, serving the mini project."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(INSTANCE_YAML)
    project = mini_project.parent
    (project / "definitions.py").write_text(DEFINITIONS)
    env = {
        **os.environ,
        **mini_env,
        "DAGSTER_HOME": str(home),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    env.pop("OPENLINEAGE_URL", None)
    port = _free_port()
    log = tmp_path / "webserver.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(BIN / "dagster-webserver"),
                *("-h", "127.0.0.1", "-p", str(port)),
                *("-f", "definitions.py", "--working-directory", str(project)),
            ],
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log)
        yield Webserver(url, home, project, env)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _floe_backfill(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "floe"), "backfill", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=BACKFILL_SECONDS,
        check=False,
    )


def test_backfill_submits_one_ranged_run_per_batch_to_the_webserver(webserver):
    done = _floe_backfill(
        "january", "--url", webserver.url, cwd=webserver.project, env=webserver.env
    )
    assert done.returncode == 0, done.stderr
    bars = [line for line in done.stderr.replace("\r", "\n").splitlines() if line]
    assert [bar.split("] ")[1].split(",")[0] for bar in bars] == [
        "1/3 runs",
        "2/3 runs",
        "3/3 runs",
    ]
    assert bars[-1] == f"january [{'#' * 30}] 3/3 runs, 10/10 partitions"
    with dg.DagsterInstance.from_config(str(webserver.home)) as instance:
        runs = instance.get_runs(dg.RunsFilter(tags={"floe/backfill": "january"}))
        ranges = sorted(
            (
                run.tags["dagster/asset_partition_range_start"],
                run.tags["dagster/asset_partition_range_end"],
            )
            for run in runs
        )
        assert ranges == [
            ("2024-01-01", "2024-01-04"),
            ("2024-01-05", "2024-01-08"),
            ("2024-01-09", "2024-01-10"),
        ]
        assert {run.job_name for run in runs} == {"raw_job"}
        assert {run.status for run in runs} == {dg.DagsterRunStatus.SUCCESS}
        materialized = instance.get_materialized_partitions(dg.AssetKey("raw_events"))
        assert materialized == {f"2024-01-{day:02d}" for day in range(1, 11)}


def test_backfill_without_a_webserver_says_so_and_exits_2(mini_project, mini_env):
    url = f"http://127.0.0.1:{_free_port()}"
    done = _floe_backfill(
        "january", "--url", url, cwd=mini_project.parent, env={**os.environ, **mini_env}
    )
    assert done.returncode == 2, done.stderr
    assert url in done.stderr
    assert "internal error" not in done.stderr
