"""Fixtures for the runtime tests: a small Python-only floe project, copies of the demo
(its dbt manifest parsed once per session), a real OpenLineage HTTP receiver on loopback and
an in-memory OpenTelemetry exporter installed as the process's tracer provider."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from dagster._core.storage.defs_state.base import set_defs_state_storage
from helpers import loopback_server
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo"
GENERATED = (".dagster_home", "demo.duckdb", "demo.duckdb.wal", "incoming", "logs")


@pytest.fixture(autouse=True)
def no_dagster_instance_left_current() -> Iterator[None]:
    """Each runtime test starts with no Dagster instance current.

    Dagster keeps the current instance's defs-state storage in a context variable. A tick
    or run that raises inside an instance leaves the context dagster entered for it to the
    garbage collector, and collecting it later makes a dead instance's storage current
    again: every later ``load_definitions`` in that worker then fails with "Attempted to
    resolve undefined DagsterInstance weakref" (six dbt tests did, depending on which test
    files a worker ran before them). Collecting first and clearing the variable for the
    test's duration keeps the tests independent of one another.
    """
    gc.collect()
    with set_defs_state_storage(None):
        yield


MINI_FLOE = """\
name: mini
orchestration:
  asset_modules: [pipeline.assets]
  partitions:
    daily: {type: time_window, start: "2024-01-01", end: "2024-02-01", cron_schedule: "0 0 * * *"}
  assets:
    "raw_*": {partitions: daily, backfill_policy: single_run}
    "report": {automation_condition: eager}
  jobs:
    raw_job: {type: batch, selection: ["group:raw"]}
    boom_job: {type: batch, selection: [boom]}
    report_job: {type: batch, selection: ["report"]}
    alert:
      type: ops
      target_function: pipeline.ops.write_alert
      args: {folder: "${OUT_DIR}", level: "${LEVEL:3}"}
  schedules:
    nightly: {job: raw_job, cron_schedule: "0 6 * * *", partition_selector: latest}
    nightly_all:
      job: raw_job
      cron_schedule: "0 7 * * *"
      partition_selector: all
      enabled: "${ENABLE_ALL:false}"
    hourly_report: {job: report_job, cron_schedule: "0 * * * *", timezone: Europe/Berlin}
  sensors:
    landing: {type: file_watcher, job: raw_job, path: landing, pattern: "*.{csv,json}"}
    raw_done: {type: asset_sensor, job: report_job, watched_assets: [raw_events]}
    on_boom: {type: run_status, job: alert, watched_jobs: [boom_job], status: FAILURE}
    flag:
      type: custom
      job: report_job
      target_function: pipeline.sensors.flag_present
      args: {path: "${OUT_DIR}/flag"}
      poll_interval_seconds: 5
  backfills:
    january:
      job: raw_job
      partition_range: {start: "2024-01-01", end: "2024-01-10"}
      batch_size: 4
"""

MINI_ASSETS = '''\
"""Assets of the mini test project."""

import dagster as dg


@dg.asset(group_name="raw", tags={"layer": "raw"})
def raw_events(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Events of the day."""
    return dg.MaterializeResult(metadata={"days": len(context.partition_keys)})


@dg.asset(group_name="raw")
def raw_users(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Users of the day."""
    return dg.MaterializeResult(metadata={"days": len(context.partition_keys)})


@dg.asset(deps=[raw_events, raw_users], group_name="mart", tags={"layer": "mart"})
def report() -> None:
    """A report over the raw data."""


@dg.asset(group_name="mart")
def boom() -> None:
    """Always fails."""
    raise RuntimeError("boom went the asset")
'''

MINI_OPS = '''\
"""Ops of the mini test project."""

import json
from pathlib import Path


def write_alert(context, folder: str, level: int) -> None:
    """Record the alert and the typed arguments it was called with."""
    record = {"level": level, "level_type": type(level).__name__, "tags": dict(context.run.tags)}
    (Path(folder) / "alert.json").write_text(json.dumps(record))
'''

MINI_SENSORS = '''\
"""Custom sensor functions of the mini test project."""

from pathlib import Path


def flag_present(path: str) -> bool:
    """Run when the flag file exists."""
    return Path(path).exists()
'''


def write_mini_project(root: Path, extra_jobs: str = "") -> Path:
    """Write the Python-only floe project (no dbt) under ``root``; its floe.yaml path."""
    package = root / "pipeline"
    package.mkdir(parents=True)
    (root / "landing").mkdir()
    (root / "out").mkdir()
    (root / "floe.yaml").write_text(MINI_FLOE.replace("  jobs:\n", "  jobs:\n" + extra_jobs))
    (package / "__init__.py").write_text("")
    (package / "assets.py").write_text(MINI_ASSETS)
    (package / "ops.py").write_text(MINI_OPS)
    (package / "sensors.py").write_text(MINI_SENSORS)
    return root / "floe.yaml"


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """The mini project in this test's folder: the path of its floe.yaml."""
    return write_mini_project(tmp_path / "mini")


@pytest.fixture(scope="session")
def mini_project_writer() -> Callable[[Path, str], Path]:
    """``write_mini_project`` for fixtures of a wider scope."""
    return write_mini_project


@pytest.fixture
def mini_env(mini_project: Path) -> dict[str, str]:
    """The environment the mini project is loaded with."""
    return {"OUT_DIR": str(mini_project.parent / "out")}


def _copy_demo(target: Path) -> Path:
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns(*GENERATED, "__pycache__"))
    return target


@pytest.fixture(scope="session")
def parsed_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo whose dbt manifest was parsed once for the session."""
    from floe_runtime import load_definitions

    root = _copy_demo(tmp_path_factory.mktemp("demo-template") / "demo")
    shutil.rmtree(root / "dbt" / "target", ignore_errors=True)
    load_definitions(root / "floe.yaml", platform=None)
    return root


@pytest.fixture
def demo_project(parsed_demo: Path, tmp_path: Path) -> Path:
    """A private copy of the demo (manifest included, still fresh): its floe.yaml path."""
    root = tmp_path / "demo"
    shutil.copytree(
        parsed_demo,
        root,
        ignore=shutil.ignore_patterns(*GENERATED, "__pycache__"),
        copy_function=shutil.copy2,
    )
    return root / "floe.yaml"


class _LineageHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.events.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(201)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def lineage_server() -> Iterator[ThreadingHTTPServer]:
    """A real OpenLineage HTTP endpoint on 127.0.0.1; received events in ``.events``."""
    with loopback_server(_LineageHandler, "events") as server:
        yield server


@pytest.fixture(scope="session")
def _tracer_provider() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


@pytest.fixture
def spans(_tracer_provider: InMemorySpanExporter) -> InMemorySpanExporter:
    """The in-memory exporter behind the process's tracer provider, emptied for this test."""
    _tracer_provider.clear()
    return _tracer_provider
