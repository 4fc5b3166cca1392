"""The one entry point: ``analyze(text, context) -> Analysis``.

text -> node tree with ranges -> interpolated data -> typed models -> semantic checks ->
diagnostics + symbol table + the typed config. The CLI prints the diagnostics, the
language server publishes them and answers from the symbol table, and the runtime refuses
to load while any of them is an error.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from floe_core.asset_universe import build_universe
from floe_core.checks import CheckContext, all_checks
from floe_core.context import AnalysisContext
from floe_core.diagnostics import Diagnostic, Severity
from floe_core.entities import Entities, collect_entities, with_models
from floe_core.models import FloeSpec
from floe_core.positions import DOCUMENT_START
from floe_core.schema_errors import schema_diagnostics
from floe_core.section_memo import SectionMemo
from floe_core.source_lines import EDITOR_BREAK
from floe_core.symbols import SymbolTable, collect_symbols
from floe_core.universe import AssetUniverse
from floe_core.yaml_reparse import reparse
from floe_core.yaml_tree import MapNode, ParsedDocument, parse_document

_IGNORE = re.compile(r"#\s*floe:\s*ignore(?:\[([^\]]*)\])?")


@dataclass
class Analysis:
    """Everything known about one document."""

    text: str
    context: AnalysisContext
    document: ParsedDocument
    diagnostics: list[Diagnostic] = field(default_factory=list)
    spec: FloeSpec | None = None
    entities: Entities = field(default_factory=Entities)
    symbols: SymbolTable = field(default_factory=SymbolTable)
    universe: AssetUniverse = field(default_factory=AssetUniverse)
    # What the checks found in each section, for the next analysis to take over.
    carried: SectionMemo[Any] = field(default_factory=SectionMemo, repr=False)

    @property
    def has_errors(self) -> bool:
        """Whether any diagnostic is an error (the runtime will refuse the file)."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """Only the errors."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def analyze(
    text: str, context: AnalysisContext | None = None, previous: Analysis | None = None
) -> Analysis:
    """Analyze one floe.yaml document; never raises for any input text.

    ``previous``, an analysis of an earlier version of the same document (an editor's last
    one), lets an edit inside one entity re-parse only that entity; the result is the same.
    """
    # The cyclic garbage collector stays out of an analysis' burst of allocations. Left
    # running, it makes repeated passes over the fresh nodes (~40% of the analysis of a
    # 5,500-line file); merely paused, the first allocation after re-enabling it scans every
    # new survivor once (another ~25%). An analysis creates no reference cycles (a test holds
    # it to that), so its objects never need cycle detection: ``freeze``/``unfreeze`` moves
    # them to the oldest generation in two constant-time list splices, and reference
    # counting frees them when the analysis is dropped.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyze(text, context or AnalysisContext(), previous)
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _analyze(text: str, ctx: AnalysisContext, previous: Analysis | None) -> Analysis:
    env = ctx.environment()
    reparsed = reparse(text, env, previous.document) if previous is not None else None
    # Only a re-parse shares objects with the previous analysis for it to take over.
    prior = previous if reparsed is not None else None
    document = reparsed or parse_document(text, env)
    diagnostics = list(document.diagnostics)
    root = document.root
    if root is None:
        if not diagnostics:
            diagnostics.append(_empty_document())
        return Analysis(text, ctx, document, diagnostics)
    if not isinstance(root, MapNode):
        diagnostics.append(
            Diagnostic(
                root.range,
                Severity.ERROR,
                "not-a-mapping",
                "the top level of floe.yaml must be a mapping of keys (name:, orchestration:, "
                "...), not a list or a single value",
            )
        )
        return Analysis(text, ctx, document, diagnostics)
    data = document.data
    if prior is None:
        symbols = collect_symbols(root)
        spec, schema = _validate(data, root)
        entities = collect_entities(root, data, spec)
    else:
        # Entities first, most of them the previous analysis' own; the spec then takes
        # their models as they are and validates only the rest.
        symbols = collect_symbols(root, prior.symbols)
        entities = collect_entities(root, data, None, prior.entities)
        spec, schema = _validate(with_models(data, entities), root)
    diagnostics.extend(schema)
    universe = build_universe(ctx, entities, diagnostics, root)
    carried: SectionMemo[Any] = SectionMemo()
    check_context = CheckContext(
        ctx,
        document,
        root,
        spec,
        entities,
        symbols,
        universe,
        carried,
        prior.carried if prior is not None else None,
    )
    for name, check in all_checks():
        try:
            diagnostics.extend(check(check_context))
        except Exception as exc:
            diagnostics.append(
                Diagnostic(
                    DOCUMENT_START,
                    Severity.WARNING,
                    "internal-error",
                    f"floe's '{name}' check failed ({type(exc).__name__}: {exc}); the other "
                    "checks ran. Please report this.",
                )
            )
    return Analysis(
        text,
        ctx,
        document,
        _sorted(_unsuppressed(text, diagnostics)),
        spec,
        entities,
        symbols,
        universe,
        carried,
    )


def _validate(data: Any, root: MapNode) -> tuple[FloeSpec | None, list[Diagnostic]]:
    try:
        return FloeSpec.model_validate(data), []
    except ValidationError as exc:
        return None, schema_diagnostics(exc.errors(), root)


def _empty_document() -> Diagnostic:
    return Diagnostic(
        DOCUMENT_START,
        Severity.ERROR,
        "empty-document",
        "floe.yaml is empty: it needs at least a 'name:' and usually an 'orchestration:' section",
    )


def _unsuppressed(text: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop diagnostics whose line carries ``# floe: ignore`` or ``# floe: ignore[code,...]``."""
    if "floe:" not in text:
        return diagnostics
    lines = EDITOR_BREAK.split(text)
    kept = []
    for diagnostic in diagnostics:
        line = diagnostic.range.start.line
        match = _IGNORE.search(lines[line]) if line < len(lines) else None
        if match is None:
            kept.append(diagnostic)
            continue
        codes = match.group(1)
        if codes is not None and diagnostic.code not in {c.strip() for c in codes.split(",")}:
            kept.append(diagnostic)
    return kept


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.range.start, d.severity, d.code))
