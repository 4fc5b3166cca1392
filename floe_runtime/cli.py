"""The runtime side of ``floe backfill NAME``: the floe CLI (floe_cli.commands.backfill)
parses the arguments and calls ``run_backfill(args)`` from here, importing this module only
when the command runs.

Arguments read: ``name``, ``config`` (floe.yaml), ``in_process``, and when present
``env_file`` (a dotenv file overriding the environment), ``platform`` (platform.yaml) and
``url`` (the Dagster webserver runs are submitted to). A progress bar is drawn on stderr.
Exit codes: 0 every run succeeded, 1 a run failed, 2 the backfill could not start.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from floe_core import FloeConfigError
from floe_core.env_file import EnvFileError, read_env_file
from floe_runtime import backfill
from floe_runtime.platform import PlatformConfigError

BAR_WIDTH = 30
EXIT_RUN_FAILED = 1
EXIT_NOT_STARTED = 2


def render_progress(progress: backfill.BackfillProgress, stream: TextIO) -> None:
    """Draw ``name [#####.....] 2/3 runs, 6/7 partitions`` over one line."""
    done = len(progress.run_ids)
    filled = round(BAR_WIDTH * done / max(progress.total_runs, 1))
    failed = f", {len(progress.failed_run_ids)} failed" if progress.failed_run_ids else ""
    stream.write(
        f"\r{progress.name} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
        f"{done}/{progress.total_runs} runs, "
        f"{progress.done_partitions}/{progress.total_partitions} partitions{failed}"
    )
    if done == progress.total_runs:
        stream.write("\n")
    stream.flush()


def run_backfill(args: argparse.Namespace) -> int:
    """Run the backfill the parsed arguments name; the process exit code."""
    try:
        env_file = getattr(args, "env_file", None)
        env = {**os.environ, **read_env_file(env_file)} if env_file else None
        progress = backfill.run_backfill(
            args.name,
            config=args.config,
            env=env,
            platform=getattr(args, "platform", "platform.yaml"),
            in_process=args.in_process,
            graphql_url=getattr(args, "url", None) or "http://127.0.0.1:3000",
            on_progress=lambda p: render_progress(p, sys.stderr),
        )
    except (
        FloeConfigError,
        backfill.BackfillError,
        PlatformConfigError,
        EnvFileError,
        OSError,
    ) as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_NOT_STARTED
    for run_id in progress.failed_run_ids:
        sys.stderr.write(f"run {run_id} failed\n")
    return 0 if progress.succeeded else EXIT_RUN_FAILED
