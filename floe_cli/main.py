"""The ``floe`` entry point: parse the command line and run one command.

Exit status 0/1/2 is each command's (see ``floe COMMAND --help``); 2 also for a wrong
command line, 3 for an internal error (a bug, reported without a traceback), 130 when
interrupted, 141 when the reader of the output went away (as after SIGPIPE).
"""

from __future__ import annotations

import gc
import importlib
import io
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from floe_cli.parser import build_parser

EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``floe`` with ``argv`` (default: the process arguments); return the exit status."""
    _tolerate_narrow_terminals()
    # floe's models are its own business: a pydantic plugin installed for the user's code
    # need not see them, and looking for plugins scans every installed distribution.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        command = getattr(args, "command", None)
        if command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        module = _import_command(command)
        status: int = module.run(args)
        sys.stdout.flush()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        print(
            f"floe: internal error ({type(exc).__name__}: {exc}); please report this",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return status


def _import_command(command: str) -> ModuleType:
    """The command's module, imported with the cyclic garbage collector paused.

    The import (floe_core's classes, pydantic models and validators) creates long-lived
    objects and next to no garbage: collections in its middle only walk the new objects
    again and again. ``freeze`` moves them to the permanent generation, out of the way of
    the collections that follow (an analysis unfreezes them when it ends, see
    floe_core.analysis). Together about 1.5% of the instructions of a ``floe validate``.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module(f"floe_cli.commands.{command}")
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _tolerate_narrow_terminals() -> None:
    """Print characters the output encoding lacks (``PYTHONIOENCODING=ascii``) as escapes
    instead of failing on them."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
