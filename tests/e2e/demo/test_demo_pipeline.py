"""The demo as `make demo` runs it, on a private copy: the first-week backfill in three
batches, every asset materialized into DuckDB, the gold tables filled with the row counts the
generated data implies, and spans and lineage events counted."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[3]
GENERATED = (".dagster_home", "demo.duckdb", "demo.duckdb.wal", "incoming", "target", "logs")

DAYS = 8
CUSTOMERS, PRODUCTS, ORDERS = 10 * DAYS, 3 * DAYS, 25 * DAYS
COMPLETED_ORDERS = DAYS * sum(1 for n in range(25) if n % 10 != 9)  # every tenth cancelled
ASSETS = 10
BACKFILL_RUNS = 3


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Run demo/run_demo.py on a copy of the demo; its folder and its output."""
    root = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(REPO / "demo", root, ignore=shutil.ignore_patterns(*GENERATED, "__pycache__"))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("OPENLINEAGE_URL", None)
    completed = subprocess.run(
        [sys.executable, str(root / "run_demo.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return root, completed.stdout


pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]


def _count(root: Path, table: str) -> int:
    with duckdb.connect(str(root / "demo.duckdb"), read_only=True) as connection:
        return int(connection.execute(f"select count(*) from {table}").fetchone()[0])


def test_gold_tables_hold_every_customer_and_product(demo_run):
    root, _ = demo_run
    assert _count(root, "main.customer_orders") == CUSTOMERS
    assert _count(root, "main.revenue_by_product") == PRODUCTS


def test_silver_keeps_completed_orders_only(demo_run):
    root, _ = demo_run
    assert _count(root, "raw.orders") == ORDERS
    assert _count(root, "main.stg_orders") == COMPLETED_ORDERS


def test_gold_totals_match_the_order_lines(demo_run):
    root, _ = demo_run
    with duckdb.connect(str(root / "demo.duckdb"), read_only=True) as connection:
        spent = connection.execute("select sum(total_spent) from main.customer_orders").fetchone()
        revenue = connection.execute("select sum(revenue) from main.revenue_by_product").fetchone()
        orders = connection.execute("select sum(order_count) from main.customer_orders").fetchone()
    assert spent[0] == revenue[0]
    assert orders[0] == COMPLETED_ORDERS


def test_the_report_shows_every_asset_materialized(demo_run):
    _, output = demo_run
    table = output.split("== assets")[1].split("== gold tables")[0]
    rows = [line for line in table.splitlines()[3:] if line.strip()]
    assert len(rows) == ASSETS
    assert all(row.rstrip().endswith("materialized") for row in rows)
    assert f"{DAYS}/31" in table


def test_backfill_ran_in_three_batches_and_everything_was_observed(demo_run):
    _, output = demo_run
    assert f"{BACKFILL_RUNS} runs, 0 failed" in output
    spans = BACKFILL_RUNS * 4 + ASSETS
    assert f"OpenTelemetry spans: {spans}" in output
    assert f"OpenLineage events:  {2 * spans}" in output
    assert "== demo succeeded" in output
