"""The ``floe-lsp`` command: parse the arguments, set up logging, and serve over stdio
(the default; ``--stdio`` is accepted because vscode-languageclient appends it) or TCP."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from floe_lsp import __version__


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``floe-lsp``."""
    parser = argparse.ArgumentParser(
        prog="floe-lsp", description="Language server for floe.yaml pipeline configurations."
    )
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument(
        "--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)"
    )
    transport.add_argument("--tcp", action="store_true", help="listen for one client over TCP")
    parser.add_argument("--host", default="127.0.0.1", help="TCP host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2087, help="TCP port (default 2087)")
    parser.add_argument("--log-file", type=Path, help="write the server's log to this file")
    parser.add_argument(
        "--log-level",
        choices=("error", "warning", "info", "debug"),
        default="warning",
        help="how much to write to the log file or stderr (default warning)",
    )
    parser.add_argument("--version", action="version", version=f"floe-lsp {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until the client disconnects; returns the exit status."""
    args, unknown = build_parser().parse_known_args(argv)
    _configure_logging(args.log_file, args.log_level)
    if unknown:
        logging.getLogger("floe_lsp").warning("ignoring unknown arguments: %s", " ".join(unknown))
    # floe's models are its own business: a pydantic plugin installed for the user's code
    # need not see them, and looking for plugins scans every installed distribution.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # The imports build thousands of long-lived classes (lsprotocol's types, floe's models)
    # and next to no garbage: collections in their middle would only walk them again and
    # again (a tenth of a start's instructions). Freezing moves them out of later ones' way.
    gc.disable()
    from floe_lsp.server import create_server  # noqa: PLC0415 (keeps --version instant)

    gc.freeze()
    gc.enable()
    server = create_server()
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0


def _configure_logging(log_file: Path | None, level: str) -> None:
    handler: logging.Handler
    if log_file is not None:
        try:
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            print(f"floe-lsp: cannot write the log file {log_file}: {exc}", file=sys.stderr)
            handler = logging.StreamHandler(sys.stderr)
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())
