"""Document symbols: the hierarchical outline (and the flat list for clients without it)."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.asyncio

EXPECTED = {
    "partitions": [("daily", types.SymbolKind.Struct, "time_window", 8)],
    "assets": [("bronze_*", types.SymbolKind.Field, "partitions: daily", 13)],
    "jobs": [
        ("bronze_refresh", types.SymbolKind.Function, "batch", 16),
        ("vacuum", types.SymbolKind.Function, "ops", 21),
    ],
    "schedules": [("nightly", types.SymbolKind.Event, "bronze_refresh · 0 6 * * *", 25)],
    "sensors": [("after_vacuum", types.SymbolKind.Event, "run_status · bronze_refresh", 29)],
    "backfills": [
        ("january", types.SymbolKind.Operator, "bronze_refresh · 2024-01-01..2024-01-31", 35)
    ],
}


async def test_outline_lists_every_entity_by_section(lsp, project) -> None:
    text = (project / "floe.yaml").read_text(encoding="utf-8")
    await lsp.open("floe.yaml", text)
    symbols = await lsp.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(
            text_document=types.TextDocumentIdentifier(uri=lsp.uri("floe.yaml"))
        )
    )
    assert symbols is not None
    assert [s.name for s in symbols] == list(EXPECTED)
    for section in symbols:
        assert isinstance(section, types.DocumentSymbol)
        children = [
            (c.name, c.kind, c.detail, c.selection_range.start.line) for c in section.children or []
        ]
        assert children == EXPECTED[section.name]
        for child in section.children or []:
            assert section.range.start <= child.range.start
            assert child.range.start <= child.selection_range.start
            assert child.selection_range.end <= child.range.end


async def test_outline_is_flat_without_hierarchy_support(start_lsp, project) -> None:
    def flat(caps: types.ClientCapabilities) -> types.ClientCapabilities:
        assert caps.text_document is not None
        caps.text_document.document_symbol = types.DocumentSymbolClientCapabilities(
            hierarchical_document_symbol_support=False
        )
        return caps

    session = await start_lsp(root=project, capabilities=flat)
    await session.open("floe.yaml", (project / "floe.yaml").read_text(encoding="utf-8"))
    symbols = await session.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(
            text_document=types.TextDocumentIdentifier(uri=session.uri("floe.yaml"))
        )
    )
    assert symbols is not None
    assert all(isinstance(s, types.SymbolInformation) for s in symbols)
    named = {(s.container_name, s.name) for s in symbols if isinstance(s, types.SymbolInformation)}
    assert ("jobs", "vacuum") in named
    assert (None, "backfills") in named


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("name: x\n", id="no-orchestration"),
        pytest.param("- a\n- b\n", id="not-a-mapping"),
        pytest.param("name: x\norchestration: [\n", id="syntax-error"),
    ],
)
async def test_outline_of_documents_without_entities_is_empty(lsp, text) -> None:
    await lsp.open("floe.yaml", text)
    symbols = await lsp.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(
            text_document=types.TextDocumentIdentifier(uri=lsp.uri("floe.yaml"))
        )
    )
    assert not symbols
