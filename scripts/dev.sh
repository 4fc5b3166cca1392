#!/usr/bin/env bash
# make dev: the Dagster UI on the demo at http://127.0.0.1:3000 (DAGSTER_HOST / DAGSTER_PORT
# override). Every dbt model is its own asset in the silver and gold groups; the instance is
# demo/.dagster_home, so the runs of `make demo` are there too.
set -euo pipefail
cd "$(dirname "$0")/.."
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export DAGSTER_HOME="$PWD/demo/.dagster_home"
mkdir -p "$DAGSTER_HOME"
if [ ! -f "$DAGSTER_HOME/dagster.yaml" ]; then
  # One run at a time: the embedded DuckDB file takes one writer.
  printf 'concurrency:\n  runs:\n    max_concurrent_runs: 1\ntelemetry:\n  enabled: false\n' \
    > "$DAGSTER_HOME/dagster.yaml"
fi
exec .venv/bin/dagster dev -f demo/orchestration/definitions.py \
  -h "${DAGSTER_HOST:-127.0.0.1}" -p "${DAGSTER_PORT:-3000}"
