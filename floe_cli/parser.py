"""The command line of ``floe``: every command, argument and help text, and nothing else.

Parsing imports nothing heavy; ``args.command`` names the module of floe_cli.commands that
runs the command, imported only then (``floe validate`` never loads the formatter or the
runtime, ``floe --help`` loads nothing of floe_core).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

FORMATS = ("text", "json", "github")
DEFAULT_SCHEMA_OUTPUT = "schemas/floe.schema.json"
INSTALL_RUNTIME = "pip install 'floe[runtime]'"


class _VersionAction(argparse.Action):
    """``--version``: looks the installed version up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show floe's version and exit")

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            found = version("floe")
        except PackageNotFoundError:
            found = "unknown"
        parser.exit(message=f"floe {found}\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="floe",
        description="Validate, format and run floe.yaml pipeline configurations.",
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_validate(commands)
    _add_fmt(commands)
    _add_schema(commands)
    _add_backfill(commands)
    return parser


def _add_validate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``floe validate``."""
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
    parser.set_defaults(command="validate")


def _add_fmt(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``floe fmt``."""
    parser = commands.add_parser(
        "fmt",
        help="format floe.yaml files (comments, blank lines and key order kept)",
        description="Format floe.yaml files: 2-space indentation, sequences indented under "
        "their key, double quotes for quoted values; comments, blank lines, key order and "
        "flow style are kept. Files with YAML errors are never touched.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="floe.yaml files or directories; default: ./floe.yaml",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; list the files that would change and exit 1 if any",
    )
    parser.add_argument(
        "--diff", action="store_true", help="with --check: also print the changes as a diff"
    )
    parser.set_defaults(command="fmt")


def _add_schema(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``floe schema``."""
    parser = commands.add_parser(
        "schema",
        help="write the JSON Schema of floe.yaml (for yaml-language-server and other editors)",
        description="Write the JSON Schema of floe.yaml, generated from floe's models with "
        "every field's description.",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        default=DEFAULT_SCHEMA_OUTPUT,
        help=f"where to write it ('-' for standard output); default: {DEFAULT_SCHEMA_OUTPUT}",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the file is missing or differs from the models",
    )
    parser.set_defaults(command="schema")


def _add_backfill(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``floe backfill``."""
    parser = commands.add_parser(
        "backfill",
        help="run a backfill of floe.yaml (needs the runtime: " + INSTALL_RUNTIME + ")",
        description="Run the backfill NAME of orchestration.backfills: its job over the "
        "partition range, batch_size partitions per run.",
    )
    parser.add_argument("name", metavar="NAME", help="the backfill's name in floe.yaml")
    parser.add_argument(
        "--config",
        metavar="PATH",
        default="floe.yaml",
        help="the floe.yaml to read; default: ./floe.yaml",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run in this process instead of submitting runs to a Dagster instance",
    )
    parser.add_argument(
        "--env-file",
        metavar="FILE",
        help="dotenv file whose variables resolve ${VAR} (they override the process environment)",
    )
    parser.add_argument(
        "--platform",
        metavar="PATH",
        default="platform.yaml",
        help="the platform.yaml with the infrastructure (warehouse, endpoints); "
        "default: ./platform.yaml",
    )
    parser.add_argument(
        "--url",
        metavar="URL",
        help="the Dagster webserver to submit the runs to (without --in-process); "
        "default: http://127.0.0.1:3000",
    )
    parser.set_defaults(command="backfill")
