"""Benchmark: ``load_definitions`` on a generated 2,000-model dbt project against the
equivalent hand-written dagster-dbt code (``@dbt_assets`` + ``Definitions``), in the same run.

Each measurement runs in a fresh interpreter (so caches and memory do not leak between them),
alternating floe and hand-written, and reports medians: the time to build the definitions
after ``import dagster, dagster_dbt`` (both sides pay those equally; floe's time includes
importing floe_core and floe_runtime), the peak RSS of the process, and the share of floe's
time spent in the config part (the ``floe_core.load_config`` call inside ``load_definitions``:
parse + validate, manifest index included, timed by wrapping it). Inside that call the
runtime's JSON decoder decodes the dbt manifest once, for the core's index and for
dagster-dbt (which the hand-written code has decode it too); that decode is timed by wrapping
the decoder and reported apart, and the config part is also given without it. The manifest
is parsed once, before measuring. Prints ratios; asserts nothing.

    .venv/bin/python benchmarks/runtime_load.py [--models 2000] [--repeat 5]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATED = HERE / ".generated"
FOLDERS = 10

FLOE_YAML = """\
name: bench
orchestration:
  dbt: {project_dir: dbt, manifest_path: target/manifest.json}
  jobs:
    everything: {type: batch, selection: ["*"]}
"""

HAND_WRITTEN = """\
import sys
from pathlib import Path
import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

project = Path(ROOT) / "dbt"
manifest = project / "target" / "manifest.json"


@dbt_assets(manifest=manifest, dagster_dbt_translator=DagsterDbtTranslator())
def bench_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()


defs = dg.Definitions(
    assets=[bench_dbt],
    jobs=[dg.define_asset_job("everything", selection=dg.AssetSelection.all())],
    resources={
        "dbt": DbtCliResource(
            project_dir=str(project),
            profiles_dir=str(project),
            dbt_executable=str(Path(sys.executable).parent / "dbt"),
        )
    },
)
"""

PROBE = """\
import json, resource, sys, time
import dagster, dagster_dbt
ROOT = sys.argv[2]
config_seconds = decode_seconds = imports_seconds = 0.0
start = time.perf_counter()
if sys.argv[1] == "floe":
    import floe_runtime.definitions as runtime
    imports_seconds = time.perf_counter() - start
    load_config = runtime.load_config

    def timed_load_config(*args, **kwargs):
        global config_seconds
        began = time.perf_counter()
        try:
            return load_config(*args, **kwargs)
        finally:
            config_seconds += time.perf_counter() - began

    runtime.load_config = timed_load_config
    make_cache = runtime.manifest_cache

    def timed_manifest_cache():
        cache = make_cache()
        decode = cache.json_decoder

        def timed_decode(raw):
            global decode_seconds
            began = time.perf_counter()
            try:
                return decode(raw)
            finally:
                decode_seconds += time.perf_counter() - began

        cache.json_decoder = timed_decode
        return cache

    runtime.manifest_cache = timed_manifest_cache
    defs = runtime.load_definitions(ROOT + "/floe.yaml", platform=None)
else:
    exec(sys.argv[3], {"ROOT": ROOT})
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "config_seconds": config_seconds,
                  "decode_seconds": decode_seconds, "imports_seconds": imports_seconds,
                  "rss_kb": rss}))
"""


def generate(root: Path, models: int) -> None:
    """A dbt project of ``models`` models in FOLDERS folders, each reading one or two earlier
    models (the first ones a source), with a not_null test on every tenth model."""
    if (root / "dbt" / "target" / "manifest.json").is_file():
        return
    dbt = root / "dbt"
    (dbt / "models").mkdir(parents=True, exist_ok=True)
    (dbt / "dbt_project.yml").write_text(
        "name: bench\nversion: '1.0.0'\nconfig-version: 2\nprofile: floe\n"
        "models:\n  bench:\n    +materialized: view\n"
    )
    (dbt / "profiles.yml").write_text(
        "floe:\n  target: dev\n  outputs:\n    dev:\n"
        f"      type: duckdb\n      path: {root / 'bench.duckdb'}\n"
    )
    (dbt / "models" / "sources.yml").write_text(
        "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n"
    )
    tests = ["version: 2", "models:"]
    for index in range(models):
        folder = dbt / "models" / f"area_{index % FOLDERS}"
        folder.mkdir(exist_ok=True)
        if index < FOLDERS:
            body = "select * from {{ source('raw', 'events') }}"
        else:
            parents = sorted({index // 2, index - FOLDERS})
            body = " union all ".join(
                f"select * from {{{{ ref('m_{parent:04d}') }}}}" for parent in parents
            )
        (folder / f"m_{index:04d}.sql").write_text(body + "\n")
        if index % 10 == 0:
            tests.append(
                f"  - name: m_{index:04d}\n    columns:\n      - name: id\n"
                "        data_tests: [not_null]"
            )
    (dbt / "models" / "tests.yml").write_text("\n".join(tests) + "\n")
    (root / "floe.yaml").write_text(FLOE_YAML)
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "parse",
            "--project-dir",
            str(dbt),
            "--profiles-dir",
            str(dbt),
            "--quiet",
        ],
        check=True,
        env=env,
        cwd=dbt,
    )


def measure(kind: str, root: Path) -> dict[str, float]:
    """One fresh-interpreter measurement of ``kind`` ('floe' or 'hand')."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    output = subprocess.run(
        [sys.executable, "-c", PROBE, kind, str(root), HAND_WRITTEN],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    """Generate, warm up, measure alternately, print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = GENERATED / f"runtime_{args.models}"
    generate(root, args.models)
    measure("floe", root)
    results: dict[str, list[dict[str, float]]] = {"floe": [], "hand": []}
    for _ in range(args.repeat):
        for kind in ("hand", "floe"):
            results[kind].append(measure(kind, root))

    def median(kind: str, key: str) -> float:
        return statistics.median(run[key] for run in results[kind])

    floe_s, hand_s = median("floe", "seconds"), median("hand", "seconds")
    floe_kb, hand_kb = median("floe", "rss_kb"), median("hand", "rss_kb")
    config_s = median("floe", "config_seconds")
    decode_s = median("floe", "decode_seconds")
    validate_s = statistics.median(
        run["config_seconds"] - run["decode_seconds"] for run in results["floe"]
    )
    imports_s = median("floe", "imports_seconds")
    print(
        textwrap.dedent(f"""\
        runtime_load: {args.models} dbt models, {args.repeat} runs each (medians)
          hand-written dagster-dbt  build {hand_s:7.3f} s   peak RSS {hand_kb / 1024:7.1f} MiB
          floe load_definitions     build {floe_s:7.3f} s   peak RSS {floe_kb / 1024:7.1f} MiB
          time ratio   {floe_s / hand_s:.3f}x   (goal <= 1.15x)
          memory ratio {floe_kb / hand_kb:.3f}x   (goal <= 1.15x)
          config part (load_config) {config_s:.3f} s = {100 * config_s / floe_s:.1f}% \
of floe's build
            of which decoding the dbt manifest (for dagster-dbt and the core, once) \
{decode_s:.3f} s
            parse + validate without the decode {validate_s:.3f} s = \
{100 * validate_s / floe_s:.1f}% of floe's build (goal < 5%)
          importing floe_core + floe_runtime {imports_s:.3f} s (part of floe's build)""")
    )


if __name__ == "__main__":
    main()
