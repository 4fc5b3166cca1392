"""``floe backfill NAME``: run a backfill defined in floe.yaml, through the runtime.

The runtime (dagster, dbt) is imported only when this command runs, so that every other
command starts fast; without it installed the command says how to install it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from floe_cli.parser import INSTALL_RUNTIME

RUNTIME_MODULES = ("dagster", "dagster_dbt", "dbt", "floe_runtime")
EXIT_NO_RUNTIME = 2


def run(args: argparse.Namespace) -> int:
    """Hand the arguments to ``floe_runtime.cli.run_backfill``."""
    try:
        runtime_cli = importlib.import_module("floe_runtime.cli")
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing in RUNTIME_MODULES:
            print(
                f"floe backfill needs floe's runtime, which is not installed here "
                f"({exc}); install it with: {INSTALL_RUNTIME}",
                file=sys.stderr,
            )
            return EXIT_NO_RUNTIME
        raise
    run_backfill: Callable[[argparse.Namespace], int] = runtime_cli.run_backfill
    return run_backfill(args)
