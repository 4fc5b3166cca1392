"""What an analysis needs from outside the text: the file's path, the environment, the
Python roots to resolve modules in, a manifest override, and the caches to reuse."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from floe_core.project_cache import ProjectCache


@dataclass(frozen=True)
class AnalysisContext:
    """Everything outside the document that an analysis depends on."""

    path: Path | None = None
    env: Mapping[str, str] | None = None
    extra_roots: tuple[Path, ...] = ()
    manifest_path: Path | None = None
    strict_env: bool = False
    cache: ProjectCache = field(default_factory=ProjectCache)

    @property
    def base_dir(self) -> Path:
        """The folder relative paths in the document are resolved against."""
        return self.path.parent if self.path is not None else Path.cwd()

    def environment(self) -> Mapping[str, str]:
        """The variables ``${VAR}`` resolves against (the process environment by default)."""
        return os.environ if self.env is None else self.env
