"""The ``floe`` entry point: parse the command line and run one command.

Exit status 0/1/2 is each command's (see ``floe COMMAND --help``); 2 also for a wrong
command line, 3 for an internal error (a bug, reported without a traceback), 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from floe_cli.commands import backfill, fmt, schema, validate

EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="floe",
        description="Validate, format and run floe.yaml pipeline configurations.",
    )
    parser.add_argument("--version", action="version", version=f"floe {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in (validate, fmt, schema, backfill):
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``floe`` with ``argv`` (default: the process arguments); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        status: int = handler(args)
        sys.stdout.flush()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return status_after_broken_pipe()
    except Exception as exc:
        print(
            f"floe: internal error ({type(exc).__name__}: {exc}); please report this",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return status


def status_after_broken_pipe() -> int:
    """The status when the reader of our output went away (``floe validate | head``)."""
    return 1


def _version() -> str:
    try:
        return version("floe")
    except PackageNotFoundError:
        return "unknown"
