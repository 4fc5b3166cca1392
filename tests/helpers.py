"""Small helpers shared by the test modules (importable because pytest puts tests/ on the
path): where a piece of text stands, a keystroke's edit, the one diagnostic of a code, a
``|`` cursor marker, the language-server feature tests' fixture project, and a real HTTP
server on loopback."""

from __future__ import annotations

import gzip
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from floe_core import Analysis, Diagnostic, Position

TESTS = Path(__file__).resolve().parent
FEATURE_PROJECT = TESTS / "lsp" / "fixtures" / "features" / "project"
JAFFLE_MANIFEST = (
    TESTS.parent.parent / "shared" / "data" / "manifests" / "jaffle_shop_duckdb.manifest.json.gz"
)


def at(text: str, needle: str) -> Position:
    """Where ``needle`` starts in ``text``; ``'text#n'`` is its n-th occurrence (0-based)."""
    needle, _, nth = needle.partition("#")
    offset = -1
    for _ in range(int(nth or 0) + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset)
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1))


def typed_into(text: str, line: int, column: int, cut: int, typed: str) -> str:
    """``text`` after a keystroke on one line: ``cut`` characters at ``column`` replaced by
    ``typed`` (line and column wrap around, so any numbers a property test draws will do)."""
    lines = text.split("\n")
    target = lines[line % len(lines)]
    at = column % (len(target) + 1)
    lines[line % len(lines)] = target[:at] + typed + target[at + cut :]
    return "\n".join(lines)


def only(analysis: Analysis, code: str) -> Diagnostic:
    """The single diagnostic with ``code`` (the test fails when there are none or several)."""
    found = [d for d in analysis.diagnostics if d.code == code]
    assert len(found) == 1, analysis.diagnostics
    return found[0]


def split_cursor(marked: str) -> tuple[str, int, int]:
    """The text without its ``|`` marker, and the marker's line and code-point column."""
    for number, line in enumerate(marked.split("\n")):
        if "|" in line:
            column = line.index("|")
            return marked.replace("|", "", 1), number, column
    raise AssertionError("the case has no | cursor marker")


def make_project(root: Path) -> None:
    """The asset modules and the jaffle-shop manifest (target/manifest.json) under ``root``."""
    if not JAFFLE_MANIFEST.exists():
        pytest.skip(f"the shared manifest {JAFFLE_MANIFEST} is not available")
    shutil.copytree(FEATURE_PROJECT, root, dirs_exist_ok=True)
    (root / "target").mkdir(exist_ok=True)
    target = root / "target" / "manifest.json"
    with gzip.open(JAFFLE_MANIFEST, "rb") as packed, target.open("wb") as out:
        shutil.copyfileobj(packed, out)


@contextmanager
def loopback_server(
    handler: type[BaseHTTPRequestHandler], received: str
) -> Iterator[ThreadingHTTPServer]:
    """A real HTTP server on 127.0.0.1 (a free port) served from a thread; ``handler`` stores
    what it receives in the server's list attribute named ``received``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    setattr(server, received, [])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
