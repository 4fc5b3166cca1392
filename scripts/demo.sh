#!/usr/bin/env bash
# make demo: validate demo/floe.yaml, then run the whole demo in process (demo/run_demo.py):
# the first-week backfill in batches, every asset materialized into demo/demo.duckdb, and a
# report of assets, gold row counts, spans and lineage events.
set -euo pipefail
cd "$(dirname "$0")/.."
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
BIN=.venv/bin

mkdir -p demo/incoming   # the folder the incoming_orders file sensor watches
echo "== building the Definitions once (runs dbt parse when the manifest is missing or stale)"
"$BIN/python" -c 'from floe_runtime import load_definitions; load_definitions("demo/floe.yaml")'
echo "== floe validate demo/floe.yaml"
"$BIN/floe" validate demo/floe.yaml

"$BIN/python" demo/run_demo.py
