"""Formatting (``textDocument/formatting``): floe_core.formatting's round-trip format of the
whole document (comments, blank lines and key order kept), as one edit. A document that
cannot be formatted (a syntax error) is left alone and the reason is logged. The formatter
(and ruamel.yaml) is imported after the first diagnostics rather than at start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace import TextDocument

if TYPE_CHECKING:
    from floe_lsp.server import FloeLanguageServer

IMPLEMENTATION = "floe_core.formatting"


def formatting_edits(server: FloeLanguageServer, doc: TextDocument) -> list[types.TextEdit]:
    """The edits that format the document (none when it is formatted or cannot be)."""
    from floe_core.formatting import format_document  # noqa: PLC0415 (deferred)

    text = doc.source
    result = format_document(text)
    if result.text is None:
        server.log(f"floe-lsp: {doc.uri} was not formatted: {result.error}", "warning")
        return []
    if result.text == text:
        return []
    whole = types.Range(
        start=types.Position(line=0, character=0),
        end=types.Position(line=len(text.splitlines(True)), character=0),
    )
    return [types.TextEdit(range=whole, new_text=result.text)]


def register(server: FloeLanguageServer) -> None:
    """Answer ``textDocument/formatting``."""
    server.defer_import(IMPLEMENTATION)

    @server.guarded_feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        """Format the whole document."""
        doc = server.document(params.text_document.uri)
        if doc is None or not server.settings.features.formatting:
            return None
        return formatting_edits(server, doc)
