"""``textDocument/inlayHint``: the plain-words description after every cron value
(``cron_schedule: "0 6 * * *"  ⟵ At 06:00``), for the requested range only. Clients ask
again after each edit; after a workspace change (env file, settings) the server asks
clients that support it to refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from floe_lsp.cron_hints import CronDescriber

if TYPE_CHECKING:
    from floe_lsp.server import FloeLanguageServer


class InlayHintFeature:
    """Answers inlay hint requests for one server."""

    def __init__(self, server: FloeLanguageServer) -> None:
        self.server = server
        self.describer = CronDescriber()

    async def hints(self, params: types.InlayHintParams) -> list[types.InlayHint]:
        """The cron descriptions inside the requested range."""
        server = self.server
        uri = params.text_document.uri
        doc = server.document(uri)
        if doc is None or not server.settings.features.inlay_hints:
            return []
        analysis = await server.analysis(uri)
        if analysis is None:
            return []
        within = server.to_core_range(doc, params.range)
        return [
            types.InlayHint(
                position=server.to_lsp_position(doc, hint.position),
                label=hint.label,
                kind=types.InlayHintKind.Type,
                padding_left=True,
                tooltip=f"cron '{hint.expression}'",
            )
            for hint in self.describer.hints(analysis.document.root, within)
        ]

    def refresh(self) -> None:
        """Ask the client to request the hints again (when it supports that)."""
        capabilities = self.server.client_capabilities
        if get_capability(capabilities, "workspace.inlay_hint.refresh_support", False):
            self.server.workspace_inlay_hint_refresh(None)


def register(server: FloeLanguageServer) -> None:
    """Register the inlay hint handler and the refresh after workspace changes."""
    feature = InlayHintFeature(server)
    server.on_workspace_change(feature.refresh)

    @server.guarded_feature(types.TEXT_DOCUMENT_INLAY_HINT, fallback=list)
    async def inlay_hint(params: types.InlayHintParams) -> list[types.InlayHint]:
        """Describe every cron value of the requested range in plain words."""
        return await feature.hints(params)
