"""``floe fmt [PATH ...] [--check]``: rewrite floe.yaml files with consistent layout.

Exit status: 0 when every file is formatted (or, with ``--check``, already was), 1 with
``--check`` when some file would change, 2 when a file cannot be read or must not be
formatted (YAML errors: floe fmt never rewrites a file it cannot parse).
"""

from __future__ import annotations

import argparse
import difflib
import sys

from floe_cli.inputs import SourceFile, load_sources
from floe_cli.results import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE
from floe_core.formatting import format_document


def run(args: argparse.Namespace) -> int:
    """Format (or check) every file; return the exit status."""
    status = EXIT_OK
    for source in load_sources(args.paths):
        if not isinstance(source, SourceFile):
            print(f"floe: cannot read {source.shown}: {source.reason}", file=sys.stderr)
            status = EXIT_UNREADABLE
            continue
        original = ("\ufeff" if source.bom else "") + source.text
        result = format_document(original)
        if result.text is None:
            print(f"{source.shown}: {result.error}", file=sys.stderr)
            status = EXIT_UNREADABLE
            continue
        if result.text == original:
            continue
        if args.check:
            print(f"would reformat {source.shown}")
            if args.diff:
                sys.stdout.writelines(_diff(source.shown, original, result.text))
            status = max(status, EXIT_ERRORS)
            continue
        try:
            source.path.write_bytes(result.text.encode("utf-8"))
        except OSError as exc:
            print(f"floe: cannot write {source.shown}: {exc}", file=sys.stderr)
            status = EXIT_UNREADABLE
            continue
        print(f"reformatted {source.shown}")
    return status


def _diff(shown: str, before: str, after: str) -> list[str]:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=shown,
        tofile=f"{shown} (formatted)",
    )
    return [line if line.endswith("\n") else line + "\n" for line in lines]
