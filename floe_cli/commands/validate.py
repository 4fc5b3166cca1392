"""``floe validate [PATH ...]``: analyze floe.yaml files and report what floe_core finds."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from floe_cli.environment import EnvFileError, environment
from floe_cli.inputs import SourceFile, load_sources
from floe_cli.reports.github import render_github
from floe_cli.reports.lsp_json import render_json
from floe_cli.reports.text import render_text
from floe_cli.results import EXIT_UNREADABLE, FileResult, Results
from floe_core import AnalysisContext, analyze
from floe_core.project_cache import ProjectCache


def run(args: argparse.Namespace) -> int:
    """Validate every file and print the report; return the exit status."""
    try:
        env = environment(args.env_file)
    except EnvFileError as problem:
        print(f"floe: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    results = validate(
        args.paths,
        env=env,
        manifest=Path(args.manifest).resolve() if args.manifest else None,
        python_paths=tuple(Path(p).resolve() for p in args.python_path),
        strict_env=args.strict_env,
    )
    sys.stdout.write(render(results, args.format))
    for unreadable in results.unreadable:
        print(f"floe: cannot read {unreadable.shown}: {unreadable.reason}", file=sys.stderr)
    return results.exit_status


def validate(
    paths: list[str],
    *,
    env: Mapping[str, str] | None = None,
    manifest: Path | None = None,
    python_paths: tuple[Path, ...] = (),
    strict_env: bool = False,
) -> Results:
    """Analyze each file the paths name, sharing one project cache."""
    cache = ProjectCache()
    files: list[FileResult] = []
    for source in load_sources(paths):
        if not isinstance(source, SourceFile):
            files.append(FileResult(source))
            continue
        context = AnalysisContext(
            path=source.path,
            env=os.environ if env is None else env,
            extra_roots=python_paths,
            manifest_path=manifest,
            strict_env=strict_env,
            cache=cache,
        )
        analysis = analyze(source.text, context)
        files.append(FileResult(source, tuple(analysis.diagnostics)))
    return Results(files)


def render(results: Results, output_format: str) -> str:
    """The report in one of the formats of ``--format``."""
    if output_format == "json":
        return render_json(results)
    if output_format == "github":
        return render_github(results)
    return render_text(results)
