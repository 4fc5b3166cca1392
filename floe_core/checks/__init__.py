"""Semantic checks beyond the schema. Each module of this package defines
``check(ctx: CheckContext) -> Iterable[Diagnostic]``; the analysis runs all of them, in
module-name order, each guarded so that a failing check is a diagnostic, never a crash."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from floe_core.context import AnalysisContext
from floe_core.diagnostics import Diagnostic
from floe_core.entities import Entities
from floe_core.models import FloeSpec
from floe_core.section_memo import SectionMemo
from floe_core.symbols import SymbolTable
from floe_core.universe import AssetUniverse
from floe_core.yaml_tree import MapNode, ParsedDocument

T = TypeVar("T")


class CheckContext(NamedTuple):
    """What every check may look at.

    ``carried`` remembers what checks found in each section of the document, and
    ``earlier`` is the previous analysis' memory of the same document: after an edit, a
    check asks ``carry`` and works out again only what the edit touched.
    """

    context: AnalysisContext
    document: ParsedDocument
    root: MapNode
    spec: FloeSpec | None
    entities: Entities
    symbols: SymbolTable
    universe: AssetUniverse
    carried: SectionMemo[Any]
    earlier: SectionMemo[Any] | None = None

    @property
    def base_dir(self) -> Path:
        """The folder of the floe.yaml (relative paths resolve against it)."""
        return self.context.base_dir

    def carry(
        self, tag: Hashable, part: object, compute: Callable[[], T], along: object = None
    ) -> T:
        """``compute()``, a check's findings about one part of the document (a section's
        view or raw value), or what the previous analysis found for that very object when
        ``along`` (what else the findings depend on: an object or a tuple of them) is the
        very same too."""
        found: T = self.carried.carry(self.earlier, tag, part, lambda _: compute(), along)
        return found


Check = Callable[[CheckContext], Iterable[Diagnostic]]


@functools.cache
def all_checks() -> tuple[tuple[str, Check], ...]:
    """Every check of this package as ``(module name, check)``, in name order (found once per
    process: the package's modules do not change while it runs)."""
    found: list[tuple[str, Check]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        check = getattr(module, "check", None)
        if callable(check):
            found.append((info.name, check))
    return tuple(found)
