"""Where a user Python module lives, found without importing it: the file a dotted module
path leads to, remembered in the ProjectCache for as long as that file is there.

Resolution mirrors the runtime (floe_runtime/modules.py). ``a.b.c`` is looked up in
floe.yaml's folder, then in each parent folder, then in the configured extra roots; the
first folder holding the top-level package ``a`` (or ``a.py``) is the root, and
``a/b/c.py``, ``a/b/c/__init__.py`` or a namespace folder ``a/b/c/`` must exist there. A
leading dot makes the path relative to floe.yaml's folder (``.assets.bronze`` is
``<floe.yaml folder>/assets/bronze.py``); each further dot goes up one folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from floe_core.project_cache import ProjectCache


class ModuleResolution(NamedTuple):
    """Where a dotted module path leads: the file to read (None: not found) and what was tried.

    ``namespace`` is True for a folder without ``__init__.py`` (nothing to scan).
    """

    dotted: str
    path: Path | None
    searched: tuple[Path, ...]
    namespace: bool = False

    @property
    def found(self) -> bool:
        """Whether the module exists."""
        return self.path is not None or self.namespace


def search_roots(base_dir: Path, extra_roots: Sequence[Path]) -> list[Path]:
    """The folders a dotted path is looked up in, in order."""
    roots = [base_dir, *base_dir.parents]
    roots.extend(root for root in extra_roots if root not in roots)
    return roots


def resolve_module(
    dotted: str, base_dir: Path, extra_roots: Sequence[Path] = ()
) -> ModuleResolution:
    """Find the file of a dotted module path (see the module docstring for the rules)."""
    stripped = dotted.lstrip(".")
    dots = len(dotted) - len(stripped)
    parts = stripped.split(".") if stripped else []
    if not parts or any(not part.isidentifier() for part in parts):
        return ModuleResolution(dotted, None, ())
    if dots:
        root = base_dir
        for _ in range(dots - 1):
            root = root.parent
        return _inside(dotted, root, parts)
    searched: list[Path] = []
    for root in search_roots(base_dir, extra_roots):
        top = root / parts[0]
        if _is_dir(top) or _is_file(top.with_suffix(".py")):
            return _inside(dotted, root, parts)
        searched.append(top)
    return ModuleResolution(dotted, None, tuple(searched))


def find_module(
    dotted: str, base_dir: Path, extra_roots: Sequence[Path], cache: ProjectCache
) -> ModuleResolution:
    """``resolve_module``, remembering where a module was found for as long as its file is
    there (one stat instead of a walk over the search roots on every analysis). A module
    not found is searched for again every time, so creating it clears the diagnostic."""
    key = ("module-resolution", dotted, base_dir, tuple(extra_roots))
    known = cache.recall(key)
    if (
        isinstance(known, ModuleResolution)
        and known.path is not None
        and os.path.isfile(known.path)
    ):
        return known
    resolution = resolve_module(dotted, base_dir, extra_roots)
    if resolution.path is not None:
        cache.remember(key, resolution)
    return resolution


def _inside(dotted: str, root: Path, parts: list[str]) -> ModuleResolution:
    target = root.joinpath(*parts)
    module_file = target.with_suffix(".py")
    package_file = target / "__init__.py"
    if _is_file(module_file):
        return ModuleResolution(dotted, module_file, (module_file,))
    if _is_file(package_file):
        return ModuleResolution(dotted, package_file, (module_file, package_file))
    if _is_dir(target):
        return ModuleResolution(dotted, None, (module_file, package_file), namespace=True)
    return ModuleResolution(dotted, None, (module_file, package_file))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False
