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

FORMATS = ("text", "json", "github")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate`` and its options."""
    parser = commands.add_parser(
        "validate",
        help="check floe.yaml files and print every problem",
        description="Check floe.yaml files: YAML, schema, references, cron, timezones, "
        "partitions, selections, the dbt manifest and asset modules. Exit status: 0 without "
        "errors, 1 with errors, 2 when a file cannot be read.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="floe.yaml files or directories (their floe.yaml, floe.yml, *.floe.yaml); "
        "default: ./floe.yaml",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json (LSP Diagnostic objects, UTF-16 columns) or github "
        "(workflow annotations)",
    )
    parser.add_argument(
        "--env-file",
        metavar="FILE",
        help="dotenv file whose variables resolve ${VAR} (they override the process environment)",
    )
    parser.add_argument(
        "--manifest",
        metavar="PATH",
        help="dbt manifest.json to use instead of orchestration.dbt.manifest_path",
    )
    parser.add_argument(
        "--python-path",
        metavar="DIR",
        action="append",
        default=[],
        help="extra folder to find asset modules and functions in (repeatable)",
    )
    parser.add_argument(
        "--strict-env",
        action="store_true",
        help="treat unset variables without a default as errors (as the runtime does)",
    )
    parser.set_defaults(handler=run)


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
    """The report in one of FORMATS."""
    if output_format == "json":
        return render_json(results)
    if output_format == "github":
        return render_github(results)
    return render_text(results)
