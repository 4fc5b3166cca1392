"""Finding and loading floe.yaml for the runtime, and turning runtime problems (a module that
fails to import, a dbt project that does not parse) into the same ``FloeConfigError`` the
core raises, pointing at the line of floe.yaml that caused them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from floe_core import Diagnostic, FloeConfigError, LoadedConfig, Severity
from floe_core.positions import DOCUMENT_START, Range
from floe_core.tree_paths import PathItem, lookup


def find_config(path: str | Path, caller_file: str | None) -> Path:
    """An absolute path as is; a relative one against the working directory, else against
    the calling module's folder and its parents (so ``load_definitions("floe.yaml")`` in
    ``orchestration/definitions.py`` works from anywhere)."""
    candidate = Path(path).expanduser()
    if candidate.is_absolute() or candidate.exists() or caller_file is None:
        return candidate
    folder = Path(caller_file).resolve().parent
    for parent in (folder, *folder.parents):
        if (parent / candidate).is_file():
            return parent / candidate
    return candidate


def site(loaded: LoadedConfig, config_path: Sequence[PathItem]) -> Range:
    """The range of the value at ``config_path`` (its nearest ancestor when absent)."""
    root = loaded.analysis.document.root
    return lookup(root, config_path).node.range if root is not None else DOCUMENT_START


def config_error(
    loaded: LoadedConfig, config_path: Sequence[PathItem], code: str, message: str
) -> FloeConfigError:
    """A FloeConfigError with one error at ``config_path``."""
    diagnostic = Diagnostic(site(loaded, config_path), Severity.ERROR, code, message)
    return FloeConfigError(loaded.path, [diagnostic])
