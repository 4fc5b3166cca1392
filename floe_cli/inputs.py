"""Which files a command works on, and reading them as floe.yaml text.

An argument naming a directory means its ``floe.yaml``, ``floe.yml`` and ``*.floe.yaml``
files. A file that is missing, not a regular file (``/dev/zero`` would never end), larger than
50 MB, binary or not UTF-8 is reported as unreadable (the commands exit with status 2 for
it) instead of being analyzed.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

DEFAULT_FILE = "floe.yaml"
MAX_BYTES = 50_000_000
DIRECTORY_NAMES = ("floe.yaml", "floe.yml")
DIRECTORY_GLOBS = ("*.floe.yaml", "*.floe.yml")


class SourceFile(NamedTuple):
    """A readable floe.yaml: the path as the user wrote it, the real path, the text (without
    a byte-order mark; ``bom`` says whether the file had one)."""

    shown: str
    path: Path
    text: str
    bom: bool = False


class Unreadable(NamedTuple):
    """A path that names no readable floe.yaml, and why."""

    shown: str
    reason: str


Source = SourceFile | Unreadable


def load_sources(arguments: Sequence[str]) -> list[Source]:
    """The files the arguments name (default ``./floe.yaml``), read or explained."""
    sources: list[Source] = []
    seen: set[Path] = set()
    for argument in arguments or [DEFAULT_FILE]:
        for item in _expand(argument):
            if isinstance(item, Unreadable):
                sources.append(item)
                continue
            shown, path = item
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            sources.append(read_source(shown, resolved))
    return sources


def _expand(argument: str) -> list[tuple[str, Path] | Unreadable]:
    """The files one argument names."""
    path = Path(argument)
    if not path.is_dir():
        return [(argument, path)]
    found = [path / name for name in DIRECTORY_NAMES if (path / name).is_file()]
    for pattern in DIRECTORY_GLOBS:
        found.extend(sorted(p for p in path.glob(pattern) if p.is_file()))
    if not found:
        names = ", ".join((*DIRECTORY_NAMES, *DIRECTORY_GLOBS))
        return [Unreadable(argument, f"the directory holds no floe config ({names})")]
    return [(str(p), p) for p in found]


def read_source(shown: str, path: Path) -> Source:
    """The text of ``path`` (UTF-8, a byte-order mark tolerated), or why it cannot be read."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            return Unreadable(shown, "is a directory")
        if not stat.S_ISREG(status.st_mode):
            return Unreadable(shown, "is not a regular file (a device, pipe or socket)")
        if status.st_size > MAX_BYTES:
            size = f"{status.st_size / 1_000_000:.0f} MB"
            return Unreadable(shown, f"is {size}: too large for a floe.yaml (at most 50 MB)")
        raw = path.read_bytes()
    except FileNotFoundError:
        return Unreadable(shown, "no such file")
    except OSError as exc:
        return Unreadable(shown, exc.strerror or str(exc))
    if b"\x00" in raw:
        return Unreadable(shown, "is a binary file (it contains NUL bytes), not YAML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        return Unreadable(
            shown, f"is not UTF-8 text (byte 0x{bad} at offset {exc.start}); save it as UTF-8"
        )
    return SourceFile(shown, path, text, bom=raw.startswith(b"\xef\xbb\xbf"))
