"""The demo, end to end and in process: validate-free (scripts/demo.sh validates first),
build the Definitions, run the first-week backfill in batches, materialize every asset, and
report assets, gold row counts, spans and lineage events.

Traces go to an in-memory OpenTelemetry exporter and lineage to a local OpenLineage HTTP
receiver on 127.0.0.1 started here, so the counts printed are what floe really emitted.
Run history is kept in demo/.dagster_home, so ``make dev`` shows these runs afterwards.
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import duckdb
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

DEMO = Path(__file__).resolve().parent
LATEST_DAY = "2024-01-08"
GOLD_TABLES = ("customer_orders", "revenue_by_product")
INSTANCE_SETTINGS = """\
# Written by demo/run_demo.py: one run at a time (the embedded DuckDB file takes one writer).
concurrency:
  runs:
    max_concurrent_runs: 1
telemetry:
  enabled: false
"""


class LineageReceiver(BaseHTTPRequestHandler):
    """Accepts OpenLineage events (POST /api/v1/lineage) and keeps them on the server."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.events.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(201)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


def start_receiver() -> ThreadingHTTPServer:
    """A lineage receiver on a free loopback port, serving in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), LineageReceiver)
    server.events = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def asset_table(defs: dg.Definitions, instance: dg.DagsterInstance) -> list[tuple[str, ...]]:
    """One row per asset: key, group, partitions materialized, status."""
    graph = defs.get_repository_def().asset_graph
    rows = []
    for key in sorted(graph.materializable_asset_keys, key=lambda k: k.to_user_string()):
        node = graph.get(key)
        latest = instance.get_latest_materialization_event(key)
        partitions = "-"
        if node.partitions_def is not None:
            done = len(instance.get_materialized_partitions(key))
            partitions = f"{done}/{len(node.partitions_def.get_partition_keys())}"
        status = "materialized" if latest is not None else "missing"
        rows.append((key.to_user_string(), node.group_name, partitions, status))
    return rows


def print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Rows aligned under a header."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def main() -> int:
    """Run the demo; 0 when every asset is materialized and the gold tables are filled."""
    home = DEMO / ".dagster_home"
    home.mkdir(exist_ok=True)
    if not (home / "dagster.yaml").is_file():
        (home / "dagster.yaml").write_text(INSTANCE_SETTINGS, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    receiver = start_receiver()
    os.environ["OPENLINEAGE_URL"] = f"http://127.0.0.1:{receiver.server_port}"
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    trace.set_tracer_provider(provider)

    from floe_runtime import load_definitions  # noqa: PLC0415
    from floe_runtime.backfill import run_backfill  # noqa: PLC0415
    from floe_runtime.cli import render_progress  # noqa: PLC0415

    print("== building Definitions from demo/floe.yaml")
    defs = load_definitions(DEMO / "floe.yaml")
    instance = dg.DagsterInstance.get()

    print("== backfill 'first_week' (in process, batches of 3 days)")
    progress = run_backfill(
        "first_week",
        config=DEMO / "floe.yaml",
        in_process=True,
        instance=instance,
        on_progress=lambda p: render_progress(p, sys.stdout),
    )
    print(f"   {len(progress.run_ids)} runs, {len(progress.failed_run_ids)} failed")

    print(f"== materializing every asset in process (bronze partition {LATEST_DAY})")
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, partition_key=LATEST_DAY, raise_on_error=False
    )
    print(f"   run {result.run_id}: {'success' if result.success else 'FAILED'}")

    print("== assets")
    rows = asset_table(defs, instance)
    print_table(("asset", "group", "partitions", "status"), rows)

    print("== gold tables")
    with duckdb.connect(str(DEMO / "demo.duckdb"), read_only=True) as connection:
        counts = {
            table: connection.execute(f"select count(*) from main.{table}").fetchone()[0]
            for table in GOLD_TABLES
        }
    for table, count in counts.items():
        print(f"   {table}: {count} rows")

    receiver.shutdown()
    provider.force_flush()
    print("== observability")
    print(f"   OpenTelemetry spans: {len(spans.get_finished_spans())}")
    print(f"   OpenLineage events:  {len(receiver.events)}")  # type: ignore[attr-defined]

    complete = all(row[3] == "materialized" for row in rows)
    ok = result.success and progress.succeeded and complete and all(counts.values())
    print("== demo " + ("succeeded" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
