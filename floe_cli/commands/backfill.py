"""``floe backfill NAME``: run a backfill defined in floe.yaml, through the runtime.

The runtime (dagster, dbt) is imported only when this command runs, so that every other
command starts fast; without it installed the command says how to install it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

RUNTIME_MODULES = ("dagster", "dagster_dbt", "dbt", "floe_runtime")
INSTALL_HINT = "pip install 'floe[runtime]'"
EXIT_NO_RUNTIME = 2


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``backfill`` and its options."""
    parser = commands.add_parser(
        "backfill",
        help="run a backfill of floe.yaml (needs the runtime: " + INSTALL_HINT + ")",
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
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Hand the arguments to ``floe_runtime.cli.run_backfill``."""
    try:
        runtime_cli = importlib.import_module("floe_runtime.cli")
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing in RUNTIME_MODULES:
            print(
                f"floe backfill needs floe's runtime, which is not installed here "
                f"({exc}); install it with: {INSTALL_HINT}",
                file=sys.stderr,
            )
            return EXIT_NO_RUNTIME
        raise
    run_backfill: Callable[[argparse.Namespace], int] = runtime_cli.run_backfill
    return run_backfill(args)
