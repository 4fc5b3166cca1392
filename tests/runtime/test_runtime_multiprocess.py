"""The multiprocess executor: a run whose every step is a separate process, each one loading
the project's definitions again from its definitions file, against a real temporary Dagster
instance.

On a remote warehouse (here a postgres compute profile) floe leaves Dagster's default
executor in place, which runs each step in its own process; the project's two-line
definitions file is loaded the way ``dagster dev`` loads it, and each step process sends its
asset's OpenLineage events to a real endpoint on loopback. On the embedded DuckDB floe
runs in-process by default (one writer at a time); a user who wants process isolation there
gives the job the multiprocess executor with one step at a time, and the dbt model, built in
its own process, reads what the Python asset wrote to the DuckDB file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.definitions.reconstruct import ReconstructableRepository

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dbt")]

DEFINITIONS = """\
from floe_runtime import load_definitions

defs = load_definitions("floe.yaml")
"""

ASSETS = '''\
"""Three Python assets; each records the process it ran in."""

import json
import os
from pathlib import Path

import dagster as dg

OUT = Path(__file__).resolve().parent.parent / "out"


def _record(name: str) -> None:
    (OUT / f"{name}.json").write_text(json.dumps({"pid": os.getpid()}))


@dg.asset(group_name="raw")
def raw_orders() -> None:
    """Orders."""
    _record("raw_orders")


@dg.asset(group_name="raw")
def raw_customers() -> None:
    """Customers."""
    _record("raw_customers")


@dg.asset(deps=[raw_orders, raw_customers], group_name="mart")
def summary() -> None:
    """Built after both raw assets."""
    _record("summary")
'''

REMOTE_FLOE = """\
name: mp
compute: warehouse
orchestration:
  asset_modules: [pipeline.assets]
  jobs:
    everything: {type: batch, selection: ["*"]}
"""

REMOTE_PLATFORM = """\
compute:
  default: warehouse
  profiles:
    warehouse: {type: postgres}
observability:
  lineage: {endpoint: "LINEAGE_URL"}
"""


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    """A real Dagster instance in a temporary DAGSTER_HOME (runs, events, compute logs)."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        yield instance


def _python_project(root: Path, floe_yaml: str) -> Path:
    """A project with the three Python assets; its path."""
    (root / "pipeline").mkdir(parents=True)
    (root / "out").mkdir()
    (root / "pipeline" / "__init__.py").write_text("")
    (root / "pipeline" / "assets.py").write_text(ASSETS)
    (root / "floe.yaml").write_text(floe_yaml)
    return root


def _materialized(instance: dg.DagsterInstance, run_id: str) -> set[str]:
    events = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    return {
        record.event_log_entry.dagster_event.asset_key.to_user_string()
        for record in events
        if record.event_log_entry.dagster_event is not None
        and record.event_log_entry.dagster_event.asset_key is not None
    }


def test_a_remote_warehouse_runs_each_step_in_its_own_process(
    tmp_path: Path, instance: dg.DagsterInstance, lineage_server: ThreadingHTTPServer
) -> None:
    root = _python_project(tmp_path / "mp", REMOTE_FLOE)
    url = f"http://127.0.0.1:{lineage_server.server_port}"
    (root / "platform.yaml").write_text(REMOTE_PLATFORM.replace("LINEAGE_URL", url))
    (root / "mp_definitions.py").write_text(DEFINITIONS)
    repository = ReconstructableRepository.for_file(
        str(root / "mp_definitions.py"), "defs", working_directory=str(root)
    )

    result = dg.execute_job(repository.get_reconstructable_job("everything"), instance=instance)

    assert result.success
    assert _materialized(instance, result.run_id) == {"raw_orders", "raw_customers", "summary"}
    pids = {
        json.loads((root / "out" / f"{name}.json").read_text())["pid"]
        for name in ("raw_orders", "raw_customers", "summary")
    }
    assert len(pids) == 3
    assert os.getpid() not in pids
    run = instance.get_run_by_id(result.run_id)
    assert run is not None
    assert run.status == dg.DagsterRunStatus.SUCCESS
    by_asset: dict[str, list[str]] = {}
    for event in lineage_server.events:  # type: ignore[attr-defined]
        by_asset.setdefault(event["job"]["name"].removeprefix("mp."), []).append(event["eventType"])
    assert by_asset == {
        asset: ["START", "COMPLETE"] for asset in ("raw_orders", "raw_customers", "summary")
    }


DUCKDB_DEFINITIONS = """\
import dagster as dg

from floe_runtime import load_definitions

defs = load_definitions("floe.yaml")


def everything_one_step_at_a_time() -> dg.JobDefinition:
    \"\"\"The job with each step in its own process, one at a time (one DuckDB writer).\"\"\"
    return defs.resolve_job_def("everything").with_executor_def(
        dg.multiprocess_executor.configured({"max_concurrent": 1})
    )
"""

DUCKDB_FLOE = """\
name: mpdb
orchestration:
  asset_modules: [pipeline.bronze]
  dbt: {project_dir: dbt, manifest_path: target/manifest.json}
  jobs:
    everything: {type: batch, selection: ["*"]}
"""

BRONZE = '''\
"""A Python asset that writes the orders table the dbt model reads."""

import json
import os
from pathlib import Path

import dagster as dg

from floe_runtime.resources import WarehouseResource

OUT = Path(__file__).resolve().parent.parent / "out"


@dg.asset(group_name="bronze")
def bronze_orders(warehouse: WarehouseResource) -> None:
    """Three orders."""
    with warehouse.connect() as connection:
        connection.execute("create schema if not exists raw")
        connection.execute("create or replace table raw.orders as select range as order_id "
                           "from range(3)")
    (OUT / "bronze_orders.json").write_text(json.dumps({"pid": os.getpid()}))
'''

DBT_PROJECT = """\
name: mpdb
version: "1.0.0"
config-version: 2
profile: floe
models:
  mpdb:
    +materialized: table
"""

SOURCES = """\
version: 2
sources:
  - name: raw
    schema: raw
    tables:
      - name: bronze_orders
        identifier: orders
"""


def test_dbt_on_duckdb_one_process_per_step_one_at_a_time(
    tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    root = _python_project(tmp_path / "mpdb", DUCKDB_FLOE)
    (root / "pipeline" / "bronze.py").write_text(BRONZE)
    (root / "mp_duckdb_definitions.py").write_text(DUCKDB_DEFINITIONS)
    models = root / "dbt" / "models"
    models.mkdir(parents=True)
    (root / "dbt" / "dbt_project.yml").write_text(DBT_PROJECT)
    (models / "sources.yml").write_text(SOURCES)
    (models / "order_count.sql").write_text(
        "select count(*) as orders from {{ source('raw', 'bronze_orders') }}\n"
    )
    # A module name of its own: the other test's definitions module stays imported.
    job = dg.build_reconstructable_job(
        "mp_duckdb_definitions",
        "everything_one_step_at_a_time",
        reconstructor_working_directory=str(root),
    )

    result = dg.execute_job(job, instance=instance)

    assert result.success
    assert _materialized(instance, result.run_id) == {"bronze_orders", "order_count"}
    bronze_pid = json.loads((root / "out" / "bronze_orders.json").read_text())["pid"]
    assert bronze_pid != os.getpid()
    with duckdb.connect(str(root / "mpdb.duckdb"), read_only=True) as connection:
        assert connection.execute("select orders from main.order_count").fetchall() == [(3,)]
