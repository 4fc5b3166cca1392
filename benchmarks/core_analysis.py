"""Core benchmark (issue 2): prints, never asserts.

- Full analysis (``analyze()`` with the project cache warm, as in the language server and
  in a multi-file ``floe validate``) of the generated 5,500-line floe.yaml and of every
  example, as a median, and its ratio to ``yaml.compose(text, Loader=yaml.CSafeLoader)`` of
  the same text measured in the same run. Goal: ratio <= 2.0.
- Loading the tuva manifest index (708 models), uncached. Goal: <= 0.5 s.
- A cold ``floe validate examples/...`` process, against ``python -c pass``. Goal: <= 0.5 s.
  floe_core and floe_cli are byte-compiled first, as an installed package is: with
  ``PYTHONDONTWRITEBYTECODE`` set, every start would otherwise compile changed sources again.

Run: ``.venv/bin/python benchmarks/core_analysis.py [--breakdown] [--profile]``.
``--breakdown`` times each stage of the analysis of the generated file (parse, symbols,
models, entities, universe, each check); ``--profile`` adds the top functions of one analysis
(cProfile, cumulative time).
"""

from __future__ import annotations

import argparse
import compileall
import cProfile
import gc
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from floe_core import AnalysisContext, analyze
from floe_core.asset_universe import build_universe
from floe_core.checks import CheckContext, all_checks
from floe_core.entities import collect_entities
from floe_core.manifest import read_manifest
from floe_core.models import FloeSpec
from floe_core.project_cache import ProjectCache
from floe_core.section_memo import SectionMemo
from floe_core.symbols import collect_symbols
from floe_core.yaml_tree import MapNode, parse_document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_floe_yaml import unpacked_tuva, write_benchmark_file

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(REPO.glob("examples/*/floe.yaml"))
FLOE = Path(sys.executable).with_name("floe")
BUDGET_SECONDS = 20.0


def median_seconds(action: Callable[[], object], runs: int = 7) -> float:
    """The median wall time of ``action`` over up to ``runs`` runs (fewer when slow)."""
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < runs:
        begin = time.perf_counter()
        action()
        samples.append(time.perf_counter() - begin)
        if len(samples) >= 3 and time.perf_counter() - started > BUDGET_SECONDS:
            break
    return statistics.median(samples)


def analysis_row(path: Path) -> tuple[str, int, float, float]:
    """(file, lines, analysis median, compose median) for one file."""
    text = path.read_text(encoding="utf-8")
    context = AnalysisContext(path=path, env={}, cache=ProjectCache())
    analyze(text, context)
    analysis = median_seconds(lambda: analyze(text, context))
    compose = median_seconds(lambda: yaml.compose(text, Loader=yaml.CSafeLoader), runs=21)
    return str(path.relative_to(REPO)), len(text.splitlines()), analysis, compose


def process_seconds(arguments: list[str], runs: int = 7) -> float:
    """The median wall time of a fresh process."""

    def run() -> None:
        subprocess.run(arguments, cwd=REPO, capture_output=True, check=False)

    run()
    return median_seconds(run, runs)


def breakdown(path: Path) -> list[tuple[str, float]]:
    """Median time of each stage of the analysis of ``path`` (the stages of analyze(), with
    the cyclic garbage collector paused as analyze() pauses it)."""
    text = path.read_text(encoding="utf-8")
    context = AnalysisContext(path=path, env={}, cache=ProjectCache())
    analyze(text, context)
    env = context.environment()
    document = parse_document(text, env)
    root = document.root
    assert isinstance(root, MapNode)
    symbols = collect_symbols(root)
    spec = FloeSpec.model_validate(document.data)
    entities = collect_entities(root, document.data, spec)
    universe = build_universe(context, entities, [], root)
    check_context = CheckContext(
        context, document, root, spec, entities, symbols, universe, SectionMemo()
    )
    stages: list[tuple[str, Callable[[], object]]] = [
        ("parse_document (libyaml compose + tree)", lambda: parse_document(text, env)),
        ("collect_symbols", lambda: collect_symbols(root)),
        ("FloeSpec.model_validate", lambda: FloeSpec.model_validate(document.data)),
        ("collect_entities", lambda: collect_entities(root, document.data, spec)),
        ("build_universe (manifest cached)", lambda: build_universe(context, entities, [], root)),
    ]
    stages += [
        (f"check {name}", lambda c=check: list(c(check_context))) for name, check in all_checks()
    ]
    gc.disable()
    try:
        return [(name, median_seconds(action, runs=3)) for name, action in stages]
    finally:
        gc.enable()


def profile(path: Path) -> str:
    """The top of a cProfile of one warm analysis of ``path``."""
    text = path.read_text(encoding="utf-8")
    context = AnalysisContext(path=path, env={}, cache=ProjectCache())
    analyze(text, context)
    profiler = cProfile.Profile()
    profiler.runcall(analyze, text, context)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def main() -> None:
    """Measure and print everything as markdown."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--breakdown", action="store_true", help="time each analysis stage")
    parser.add_argument("--profile", action="store_true", help="profile the generated file")
    args = parser.parse_args()
    generated = write_benchmark_file()
    for package in ("floe_core", "floe_cli"):
        compileall.compile_dir(REPO / package, quiet=1)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print()
    print("| file | lines | analysis (median) | CSafeLoader compose | ratio (goal <= 2.0) |")
    print("|---|---:|---:|---:|---:|")
    for path in [generated, *EXAMPLES]:
        name, lines, analysis, compose = analysis_row(path)
        print(
            f"| {name} | {lines:,} | {analysis * 1000:.1f} ms | {compose * 1000:.2f} ms | "
            f"{analysis / compose:.1f}x |"
        )
    tuva = unpacked_tuva()
    manifest = median_seconds(lambda: read_manifest(tuva), runs=5)
    print()
    print(f"- tuva manifest index load (uncached, 708 models): {manifest:.3f} s (goal <= 0.5 s)")
    validate = process_seconds(
        [str(FLOE), "validate", *(str(p.relative_to(REPO)) for p in EXAMPLES)]
    )
    bare = process_seconds([sys.executable, "-c", "pass"])
    core = process_seconds([sys.executable, "-c", "import floe_core"])
    print(
        f"- cold `floe validate examples/*/floe.yaml` process: {validate:.3f} s (goal <= 0.5 s); "
        f"`python -c pass` {bare:.3f} s, `python -c 'import floe_core'` {core:.3f} s"
    )
    if args.breakdown:
        print()
        print("| stage of the generated file's analysis | median |")
        print("|---|---:|")
        for name, seconds in breakdown(generated):
            print(f"| {name} | {seconds * 1000:.1f} ms |")
    if args.profile:
        print()
        print("```")
        print(profile(generated))
        print("```")


if __name__ == "__main__":
    main()
