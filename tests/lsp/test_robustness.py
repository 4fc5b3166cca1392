"""The server survives anything: garbage text, runaway nesting, malformed parameters and
unknown documents get empty answers, and it keeps answering; it never imports dagster."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.asyncio

VALID = "name: demo\norchestration:\n  jobs:\n    j:\n      type: batch\n      selection: [x]\n"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\x00\x01\x02\x7f\x1b[31m", id="control-characters"),
        pytest.param("[" * 5000 + "]" * 5000, id="deep-flow-nesting"),
        pytest.param("".join(f"{' ' * i}a{i}:\n" for i in range(400)), id="deep-block-nesting"),
        pytest.param("a: &a [*a]\n", id="recursive-alias"),
        pytest.param("key: " + "x" * 200_000, id="huge-line"),
        pytest.param("\t- : : ]]} {{ \n" * 50, id="punctuation-soup"),
        pytest.param("\ufeffname: demo\n", id="bom"),
        pytest.param("", id="empty"),
    ],
)
async def test_garbage_gets_diagnostics_and_the_server_keeps_answering(lsp, text) -> None:
    uri = lsp.uri("floe.yaml")
    diagnostics = await lsp.open("floe.yaml", text)
    for diagnostic in diagnostics:
        assert diagnostic.range.start <= diagnostic.range.end
    symbols = await lsp.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert not symbols
    assert await lsp.change(uri, VALID) == []


@pytest.mark.parametrize(
    ("line", "character"),
    [
        pytest.param(0, 10_000, id="past-the-line"),
        pytest.param(10_000, 3, id="past-the-document"),
    ],
)
async def test_positions_outside_the_document(lsp, line, character) -> None:
    uri = lsp.uri("floe.yaml")
    await lsp.open("floe.yaml", VALID)
    where = types.Position(line=line, character=character)
    ident = types.TextDocumentIdentifier(uri=uri)
    assert not await lsp.client.text_document_definition_async(
        types.DefinitionParams(text_document=ident, position=where)
    )
    assert not await lsp.client.text_document_references_async(
        types.ReferenceParams(
            text_document=ident,
            position=where,
            context=types.ReferenceContext(include_declaration=True),
        )
    )


@pytest.mark.parametrize(
    "uri",
    [
        pytest.param("file:///nowhere/floe.yaml", id="never-opened"),
        pytest.param("untitled:Untitled-1", id="untitled"),
        pytest.param("not a uri at all", id="garbage"),
    ],
)
async def test_unknown_documents_get_empty_answers(lsp, uri) -> None:
    ident = types.TextDocumentIdentifier(uri=uri)
    origin = types.Position(line=0, character=0)
    assert not await lsp.client.text_document_definition_async(
        types.DefinitionParams(text_document=ident, position=origin)
    )
    assert not await lsp.client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=ident, options=types.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert not await lsp.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=ident)
    )
    status = await lsp.request("floe/status", {})
    assert status.version


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(
            {"id": 9001, "method": types.TEXT_DOCUMENT_DEFINITION, "params": {"textDocument": 3}},
            id="request-with-bad-params",
        ),
        pytest.param(
            {"method": types.TEXT_DOCUMENT_DID_OPEN, "params": {"textDocument": {"uri": 1}}},
            id="notification-with-bad-params",
        ),
        pytest.param(
            {"method": types.TEXT_DOCUMENT_DID_CHANGE, "params": None}, id="change-without-params"
        ),
        pytest.param({"id": 9002, "method": "floe/noSuchThing", "params": {}}, id="unknown-method"),
    ],
)
async def test_malformed_messages_leave_the_server_answering(lsp, message) -> None:
    lsp.client.protocol._send_data({"jsonrpc": "2.0", **message})
    assert await lsp.open("floe.yaml", VALID) == []
    status = await lsp.request("floe/status", {})
    assert status.openDocuments == [lsp.uri("floe.yaml")]


async def test_the_server_never_imports_dagster(lsp, project) -> None:
    text = (project / "floe.yaml").read_text(encoding="utf-8")
    assert await lsp.open("floe.yaml", text) == []
    status = await lsp.request("floe/status", {})
    assert status.dagsterImported is False
    assert status.openDocuments == [lsp.uri("floe.yaml")]
