"""``textDocument/hover``: dbt models, crons with their next fire times, job/partition/
schedule/sensor/backfill summaries, ``${VAR}`` values, selections and key documentation
(the content comes from floe_lsp.hover_content, imported after the first diagnostics
rather than at start-up), as Markdown or plain text.

``FLOE_LSP_NOW`` (an ISO 8601 instant, e.g. ``2024-01-01T00:00:00+00:00``) fixes the
instant fire times are counted from. It exists for tests; leave it unset otherwise.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

if TYPE_CHECKING:
    from floe_lsp.server import FloeLanguageServer

NOW_VARIABLE = "FLOE_LSP_NOW"
IMPLEMENTATION = "floe_lsp.hover_content"


def fixed_now(raw: str | None) -> datetime | None:
    """The instant ``FLOE_LSP_NOW`` names (UTC when it has no offset), or None."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class HoverFeature:
    """Answers hover requests for one server."""

    def __init__(self, server: FloeLanguageServer) -> None:
        self.server = server

    async def hover(self, params: types.HoverParams) -> types.Hover | None:
        """The hover at the cursor, or None when there is nothing to say."""
        server = self.server
        uri = params.text_document.uri
        doc = server.document(uri)
        if doc is None or not server.settings.features.hover:
            return None
        from floe_lsp.hover_content import hover_at  # noqa: PLC0415 (deferred)

        text, position = doc.source, server.to_core_position(doc, params.position)
        found = hover_at(
            text.removeprefix("\ufeff"),
            position,
            await server.last_good_analysis(uri),
            now=fixed_now(os.environ.get(NOW_VARIABLE)),
            process_env=os.environ,
        )
        if found is None or not found.blocks:
            return None
        formats = get_capability(
            server.client_capabilities, "text_document.hover.content_format", None
        )
        markdown = types.MarkupKind.Markdown in (formats or [])
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                value=found.markdown() if markdown else found.plaintext(),
            ),
            range=server.to_lsp_range(doc, found.range),
        )


def register(server: FloeLanguageServer) -> None:
    """Register the hover handler."""
    feature = HoverFeature(server)
    server.defer_import(IMPLEMENTATION)

    @server.guarded_feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        """Explain what is under the cursor."""
        return await feature.hover(params)
