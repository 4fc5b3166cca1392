"""Importing user code named in floe.yaml: asset modules and ``package.module.function``
references, found next to floe.yaml or in one of its parent folders.

``orchestration.assets.bronze`` is looked up in floe.yaml's folder, then each parent, and
the first folder that holds ``orchestration`` goes on ``sys.path``. A leading dot makes a
path relative to floe.yaml's folder (``.assets.bronze``; ``..shared.assets`` one folder up).
A module already imported from another project with the same package name is replaced, so
two projects can be loaded one after the other in one process. A failure to import is
reported with the file and line where the import broke.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any


class ModuleImportError(Exception):
    """A module or function named in floe.yaml could not be imported."""

    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(f"'{reference}' cannot be imported: {reason}")
        self.reference = reference
        self.reason = reason


def import_module(dotted: str, base_dir: Path) -> ModuleType:
    """Import ``dotted`` as floe.yaml in ``base_dir`` means it."""
    name, root = _resolve(dotted, base_dir)
    if root is not None:
        _activate_root(name.split(".")[0], root)
    try:
        return importlib.import_module(name)
    except Exception as exc:  # any error raised by user code while importing
        raise ModuleImportError(dotted, _describe(exc, root or base_dir)) from exc


def import_function(reference: str, base_dir: Path) -> Callable[..., Any]:
    """The callable named by ``package.module.function``."""
    module_name, _, attribute = reference.rpartition(".")
    try:
        module = import_module(module_name, base_dir)
    except ModuleImportError as failure:
        raise ModuleImportError(reference, failure.reason) from failure
    function = getattr(module, attribute, None)
    if function is None:
        raise ModuleImportError(reference, f"module '{module_name}' has no '{attribute}'")
    if not callable(function):
        raise ModuleImportError(reference, f"'{attribute}' in '{module_name}' is not callable")
    return function  # type: ignore[no-any-return]


def _resolve(dotted: str, base_dir: Path) -> tuple[str, Path | None]:
    stripped = dotted.lstrip(".")
    dots = len(dotted) - len(stripped)
    if dots:
        root = base_dir
        for _ in range(dots - 1):
            root = root.parent
        return stripped, root.resolve()
    top = stripped.split(".")[0]
    for folder in (base_dir, *base_dir.parents):
        if (folder / top).is_dir() or (folder / f"{top}.py").is_file():
            return stripped, folder.resolve()
    return stripped, None


def _activate_root(top: str, root: Path) -> None:
    loaded = sys.modules.get(top)
    if loaded is not None and not _lives_under(loaded, root):
        for name in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
            del sys.modules[name]
    entry = str(root)
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)
    importlib.invalidate_caches()


def _lives_under(module: ModuleType, root: Path) -> bool:
    locations = [getattr(module, "__file__", None), *getattr(module, "__path__", [])]
    return any(
        location is not None and Path(location).resolve().is_relative_to(root)
        for location in locations
    )


def _describe(exc: BaseException, root: Path) -> str:
    """The error with the file:line of the innermost traceback frame in the user's project
    (else the innermost frame)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"SyntaxError: {exc.msg} ({exc.filename}:{exc.lineno})"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(root.resolve())]
    candidates = ours or frames
    where = f" ({candidates[-1].filename}:{candidates[-1].lineno})" if candidates else ""
    return f"{type(exc).__name__}: {exc}{where}"
