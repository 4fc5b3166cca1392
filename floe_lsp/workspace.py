"""The project around the open documents: workspace roots, the settings-derived analysis
context (environment, Python roots, manifest override), and which file changes matter.

Files on disk that analyses read (dbt manifests, asset modules, the env file) are cached in
one floe_core ProjectCache keyed by modification time; a watched-file change tells the
server to re-analyze the open documents, which then re-read exactly what changed.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from floe_core.context import AnalysisContext
from floe_core.env_file import read_env_file
from floe_core.manifest import ManifestIndex
from floe_core.project_cache import FileCache, ProjectCache, file_key
from floe_lsp.settings import Settings

WATCHED_GLOBS = (
    "**/manifest.json",
    "**/*.py",
    "**/floe.yaml",
    "**/floe.yml",
    "**/*.floe.yaml",
    "**/.env*",
    "**/*.env",
)


logger = logging.getLogger(__name__)

Reloaded = Callable[[Path, str | None], None]
"""Told when a background reload finished: the file, and the problem when it did not load."""


class ReloadingFileCache(FileCache[object]):
    """A FileCache for dbt manifests that never makes an analysis wait for a reload.

    The first load of a file happens in the caller (the analysis thread). When the file
    changes later, callers get the last good index at once while the new version loads on a
    background thread; ``on_reloaded`` is called when it is in. A version that does not
    load (a half-written manifest) keeps the last good index, and ``on_reloaded`` is told
    why (``on_reloaded(path, problem)``; ``problem`` is None after a good load).
    """

    def __init__(self, loader: ThreadPoolExecutor, on_reloaded: Reloaded) -> None:
        super().__init__()
        self._loader = loader
        self._on_reloaded = on_reloaded
        self._good: dict[str, object] = {}
        self._loading: set[tuple[str, int, int]] = set()
        self._lock = threading.Lock()

    def get(self, path: Path, compute: Callable[[Path], object]) -> object | None:
        """The value for ``path``: current, or the last good one while a reload runs."""
        key = file_key(path)
        name = str(path)
        if key is None:
            return super().get(path, compute)
        with self._lock:
            cached = self._entries.get(name)
            if cached is not None and cached[0] == key:
                return cached[1]
            good = self._good.get(name)
            if good is not None:
                if key not in self._loading:
                    self._loading.add(key)
                    self._loader.submit(self._reload, path, key, compute)
                return good
        value = compute(path)
        self._keep(path, key, value)
        return value

    def _reload(
        self, path: Path, key: tuple[str, int, int], compute: Callable[[Path], object]
    ) -> None:
        try:
            value = compute(path)
        except Exception as exc:
            logger.exception("reloading %s failed", path)
            value = exc
        with self._lock:
            self._loading.discard(key)
        good = self._keep(path, key, value)
        self._on_reloaded(path, None if good else str(value))

    def _keep(self, path: Path, key: tuple[str, int, int], value: object) -> bool:
        """Store a loaded value; a failed load keeps the last good one. Whether it was good."""
        name = str(path)
        with self._lock:
            if isinstance(value, ManifestIndex):
                self._good[name] = value
                self._entries[name] = (key, value)
                return True
            good = self._good.get(name)
            if good is None:
                self._entries[name] = (key, value)
            else:
                logger.warning("%s did not load; keeping its last good version", path)
                self._entries[name] = (key, good)
            return False


class WorkspaceCache(ProjectCache):
    """The server's ProjectCache: dbt manifests reload in the background (see above)."""

    def __init__(self, on_reloaded: Reloaded) -> None:
        super().__init__()
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="floe-manifest")
        self._on_reloaded = on_reloaded

    def for_kind(self, kind: str) -> FileCache[object]:
        """The cache for one kind of content; manifests get a ReloadingFileCache."""
        if kind.startswith("manifest") and kind not in self._caches:
            self._caches[kind] = ReloadingFileCache(self._loader, self._on_reloaded)
        return super().for_kind(kind)


class Project:
    """Workspace roots + settings -> the AnalysisContext of each document."""

    def __init__(self, cache: ProjectCache) -> None:
        self.cache = cache
        self.roots: tuple[Path, ...] = ()
        self.settings = Settings()
        self.env_problem: str | None = None
        self._env: Mapping[str, str] | None = None

    def configure(self, settings: Settings, roots: Iterable[Path]) -> None:
        """Adopt new settings and roots; re-reads the env file."""
        self.settings = settings
        self.roots = tuple(dict.fromkeys(roots))
        self.reload_env()

    def reload_env(self) -> None:
        """Read the env file again (the process environment, overridden by its variables)."""
        self.env_problem = None
        self._env = None
        if self.settings.env_file is None:
            return
        path = self.resolve(self.settings.env_file)
        try:
            values = read_env_file(path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self.env_problem = (
                f"floe settings: cannot read the env file 'floe.envFile' = {path} ({exc}); "
                "${VAR} resolves against the server's environment only"
            )
            return
        self._env = {**os.environ, **values}

    def resolve(self, setting: str) -> Path:
        """A path from the settings: absolute, or relative to the first workspace root."""
        candidate = Path(setting).expanduser()
        if candidate.is_absolute():
            return candidate
        base = self.roots[0] if self.roots else Path.cwd()
        return base / candidate

    def context_for(self, path: Path | None) -> AnalysisContext:
        """The context a document at ``path`` is analyzed in."""
        extra = tuple(self.resolve(root) for root in self.settings.extra_python_roots)
        manifest = self.settings.manifest_path
        return AnalysisContext(
            path=path,
            env=self._env,
            extra_roots=(*extra, *self.roots),
            manifest_path=self.resolve(manifest) if manifest else None,
            cache=self.cache,
        )

    def concerns_env(self, path: Path) -> bool:
        """Whether ``path`` is the configured env file."""
        env_file = self.settings.env_file
        return env_file is not None and _same(self.resolve(env_file), path)

    @staticmethod
    def matters(path: Path) -> bool:
        """Whether a change to ``path`` can change an analysis."""
        name = PurePosixPath(path.as_posix()).name
        return (
            name == "manifest.json"
            or name.endswith((".py", ".json", ".yaml", ".yml"))
            or name.startswith(".env")
            or name.endswith(".env")
        )


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
