"""Caches of what an analysis reads from disk (dbt manifests, Python module scans), keyed by
path, modification time and size so that an unchanged file is never read twice.

One ProjectCache lives as long as its owner: a CLI process, the language server, or one
``load_definitions`` of the runtime (which hands the core a faster JSON decoder and reuses the
manifest document the core decoded, instead of reading the file a second time)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

FileKey = tuple[str, int, int]
JsonDecoder = Callable[[bytes], object]


def file_key(path: Path) -> FileKey | None:
    """``(path, mtime_ns, size)`` of an existing file, or None."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_mtime_ns, stat.st_size)


class FileCache(Generic[T]):
    """Values computed from files, recomputed only when the file changes."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[FileKey, T]] = {}

    def get(self, path: Path, compute: Callable[[Path], T]) -> T | None:
        """The value for ``path`` (None when the file does not exist)."""
        key = file_key(path)
        if key is None:
            self._entries.pop(str(path), None)
            return None
        cached = self._entries.get(str(path))
        if cached is not None and cached[0] == key:
            return cached[1]
        value = compute(path)
        self._entries[str(path)] = (key, value)
        return value

    def put(self, path: Path, value: T) -> None:
        """Store a value computed elsewhere (e.g. off the request path) for ``path``."""
        key = file_key(path)
        if key is not None:
            self._entries[str(path)] = (key, value)

    def peek(self, path: Path) -> T | None:
        """The last value stored for ``path``, even if the file changed since."""
        cached = self._entries.get(str(path))
        return cached[1] if cached else None


class ProjectCache:
    """The caches an analysis consults; keyed by kind of content, one FileCache each.

    ``json_decoder``, when given, decodes whole JSON documents (the dbt manifest) and the
    decoded document is kept for the caller; without one, the core decodes only the parts it
    reads, with the standard library, and keeps none of the rest.
    """

    def __init__(self, json_decoder: JsonDecoder | None = None) -> None:
        self._caches: dict[str, FileCache[object]] = {}
        self._last: dict[Hashable, object] = {}
        self.json_decoder = json_decoder

    def for_kind(self, kind: str) -> FileCache[object]:
        """The cache for one kind of file content (e.g. "manifest", "module")."""
        return self._caches.setdefault(kind, FileCache())

    def recall(self, key: Hashable) -> object | None:
        """The value last remembered under ``key`` (e.g. the last universe of a document)."""
        return self._last.get(key)

    def remember(self, key: Hashable, value: object) -> None:
        """Keep ``value`` as the last one under ``key``."""
        self._last[key] = value
