"""Document symbols: an outline of the orchestration section (partitions, asset patterns,
jobs, schedules, sensors, backfills), hierarchical when the client supports it, each entry
with a short detail (its type, job, cron or range) read from the text as written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace import TextDocument

from floe_core.analysis import Analysis
from floe_core.positions import Range
from floe_core.symbols import Definition, SymbolKind
from floe_core.yaml_tree import MapEntry, MapNode, Node, ScalarNode

if TYPE_CHECKING:
    from floe_lsp.server import FloeLanguageServer

SECTIONS: tuple[tuple[str, SymbolKind, types.SymbolKind], ...] = (
    ("partitions", SymbolKind.PARTITION, types.SymbolKind.Struct),
    ("assets", SymbolKind.ASSET_PATTERN, types.SymbolKind.Field),
    ("jobs", SymbolKind.JOB, types.SymbolKind.Function),
    ("schedules", SymbolKind.SCHEDULE, types.SymbolKind.Event),
    ("sensors", SymbolKind.SENSOR, types.SymbolKind.Event),
    ("backfills", SymbolKind.BACKFILL, types.SymbolKind.Operator),
)


def detail(definition: Definition) -> str:
    """A one-line summary of an entity, from the values written in its body."""
    body = definition.entry.value
    kind = definition.kind
    if kind is SymbolKind.PARTITION or kind is SymbolKind.JOB:
        return _text(body, "type")
    if kind is SymbolKind.ASSET_PATTERN:
        parts = [
            f"{key}: {value}"
            for key in ("partitions", "automation_condition")
            if (value := _text(body, key))
        ]
        return ", ".join(parts)
    if kind is SymbolKind.SCHEDULE:
        return _joined(_text(body, "job"), _text(body, "cron_schedule"))
    if kind is SymbolKind.SENSOR:
        return _joined(_text(body, "type"), _text(body, "job"))
    if kind is SymbolKind.BACKFILL:
        span = body.get("partition_range") if isinstance(body, MapNode) else None
        window = (
            f"{_text(span, 'start')}..{_text(span, 'end')}" if isinstance(span, MapNode) else ""
        )
        return _joined(_text(body, "job"), window)
    return ""


def _text(node: Node | None, key: str) -> str:
    value = node.get(key) if isinstance(node, MapNode) else None
    return value.raw if isinstance(value, ScalarNode) else ""


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def outline(
    server: FloeLanguageServer, doc: TextDocument, analysis: Analysis
) -> list[types.DocumentSymbol]:
    """The hierarchical outline: one symbol per section holding one per entity."""
    root = analysis.document.root
    orchestration = root.index.get("orchestration") if isinstance(root, MapNode) else None
    if orchestration is None or not isinstance(orchestration.value, MapNode):
        return []
    sections: list[types.DocumentSymbol] = []
    for section, kind, symbol_kind in SECTIONS:
        entry = orchestration.value.index.get(section)
        if entry is None:
            continue
        children = [
            _symbol(
                server, doc, definition.name, symbol_kind, definition.entry, info=detail(definition)
            )
            for definition in analysis.symbols.defined(kind).values()
        ]
        sections.append(
            _symbol(
                server,
                doc,
                section,
                types.SymbolKind.Namespace,
                entry,
                info=f"{len(children)}",
                children=children,
            )
        )
    return sections


def _symbol(
    server: FloeLanguageServer,
    doc: TextDocument,
    name: str,
    kind: types.SymbolKind,
    entry: MapEntry,
    *,
    info: str,
    children: list[types.DocumentSymbol] | None = None,
) -> types.DocumentSymbol:
    key = entry.key.range
    end = max(entry.value.range.end, key.end)
    whole = server.to_lsp_range(doc, Range(key.start, end))
    return types.DocumentSymbol(
        name=name or "(unnamed)",
        kind=kind,
        range=whole,
        selection_range=server.to_lsp_range(doc, key),
        detail=info or None,
        children=children,
    )


def flat(uri: str, symbols: list[types.DocumentSymbol]) -> list[types.SymbolInformation]:
    """The outline as a flat list, for clients without hierarchical symbol support."""
    out: list[types.SymbolInformation] = []
    for section in symbols:
        out.append(
            types.SymbolInformation(
                name=section.name,
                kind=section.kind,
                location=types.Location(uri=uri, range=section.range),
            )
        )
        for child in section.children or []:
            out.append(
                types.SymbolInformation(
                    name=child.name,
                    kind=child.kind,
                    location=types.Location(uri=uri, range=child.range),
                    container_name=section.name,
                )
            )
    return out


def register(server: FloeLanguageServer) -> None:
    """Answer ``textDocument/documentSymbol``."""

    @server.guarded_feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbols(
        params: types.DocumentSymbolParams,
    ) -> list[types.DocumentSymbol] | list[types.SymbolInformation] | None:
        """The outline of the document."""
        uri = params.text_document.uri
        doc, analysis = server.document(uri), await server.analysis(uri)
        if doc is None or analysis is None:
            return None
        symbols = outline(server, doc, analysis)
        text = server.client_capabilities.text_document
        hierarchical = (
            text
            and text.document_symbol
            and text.document_symbol.hierarchical_document_symbol_support
        )
        return symbols if hierarchical else flat(uri, symbols)
