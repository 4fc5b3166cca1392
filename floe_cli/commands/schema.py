"""``floe schema [--output PATH] [--check]``: write (or check) floe.yaml's JSON Schema.

Exit status: 0 when written (or up to date), 1 with ``--check`` when the file is missing or
stale, 2 when it cannot be written or read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from floe_cli.results import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE
from floe_core.json_schema import floe_json_schema


def schema_text() -> str:
    """The schema as it is committed: 2-space indented JSON ending with a newline."""
    return json.dumps(floe_json_schema(), indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    """Write or check the schema; return the exit status."""
    text = schema_text()
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    output = Path(args.output)
    if args.check:
        try:
            current = output.read_text(encoding="utf-8")
        except FileNotFoundError:
            print(f"{output} does not exist; run 'floe schema' to write it", file=sys.stderr)
            return EXIT_ERRORS
        except (OSError, UnicodeDecodeError) as exc:
            print(f"floe: cannot read {output}: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
        if current != text:
            print(f"{output} is stale; run 'floe schema' to regenerate it", file=sys.stderr)
            return EXIT_ERRORS
        print(f"{output} is up to date")
        return EXIT_OK
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"floe: cannot write {output}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"wrote {output}")
    return EXIT_OK
