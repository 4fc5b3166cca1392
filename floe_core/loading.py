"""Load a floe.yaml from disk for a caller that needs a valid, typed config (the runtime)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from floe_core.analysis import Analysis, analyze
from floe_core.context import AnalysisContext
from floe_core.diagnostics import Diagnostic, Severity
from floe_core.errors import FloeConfigError
from floe_core.models import FloeSpec
from floe_core.positions import DOCUMENT_START
from floe_core.project_cache import ProjectCache


class LoadedConfig(NamedTuple):
    """A valid floe.yaml: the typed spec, where it lives, and its full analysis."""

    path: Path
    spec: FloeSpec
    analysis: Analysis

    @property
    def base_dir(self) -> Path:
        """The folder of the floe.yaml; relative paths in it resolve against this."""
        return self.path.parent

    def resolve(self, relative: str | Path) -> Path:
        """A path written in floe.yaml, made absolute."""
        candidate = Path(relative).expanduser()
        return candidate if candidate.is_absolute() else (self.base_dir / candidate).resolve()


def read_text(path: Path) -> str:
    """The file's text (UTF-8, BOM tolerated); raises OSError or UnicodeDecodeError."""
    return path.read_bytes().decode("utf-8-sig")


def load_config(
    path: str | Path = "floe.yaml",
    *,
    env: Mapping[str, str] | None = None,
    extra_roots: tuple[Path, ...] = (),
    cache: ProjectCache | None = None,
) -> LoadedConfig:
    """Analyze the file strictly (unset variables are errors); raise FloeConfigError on errors.

    ``cache`` is where what the analysis reads from disk (the dbt manifest) is kept, for a
    caller that reuses it afterwards; by default a fresh one.
    """
    resolved = Path(path).resolve()
    try:
        text = read_text(resolved)
    except (OSError, UnicodeDecodeError) as exc:
        problem = Diagnostic(
            DOCUMENT_START, Severity.ERROR, "unreadable", f"cannot read {path}: {exc}"
        )
        raise FloeConfigError(path, [problem]) from exc
    context = AnalysisContext(
        path=resolved,
        env=env,
        extra_roots=extra_roots,
        strict_env=True,
        cache=cache if cache is not None else ProjectCache(),
    )
    analysis = analyze(text, context)
    if analysis.has_errors or analysis.spec is None:
        raise FloeConfigError(path, analysis.errors, analysis.spec)
    return LoadedConfig(resolved, analysis.spec, analysis)
