"""Diagnostics: floe_core's diagnostics of every open floe.yaml, pushed or pulled.

The mode is chosen once, from the client's capabilities, so that a client never receives
the same diagnostics twice:

- pull (``textDocument/diagnostic``, registered only then) when the client supports it AND
  ``workspace/diagnostic/refresh``: the server asks it to pull again after the manifest, a
  module, the env file or the settings change;
- push (``textDocument/publishDiagnostics`` with the document version) otherwise.

A pushed result is never older than one pushed before it: only the analysis of the current
version is published, and a version never goes backwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace import TextDocument

from floe_core.analysis import Analysis
from floe_core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from floe_lsp.server import FloeLanguageServer

SOURCE = "floe"


def to_lsp(
    server: FloeLanguageServer, doc: TextDocument, diagnostic: Diagnostic
) -> types.Diagnostic:
    """A floe_core diagnostic as an LSP one, in the client's position encoding."""
    return types.Diagnostic(
        range=server.to_lsp_range(doc, diagnostic.range),
        message=diagnostic.message,
        severity=types.DiagnosticSeverity(int(diagnostic.severity)),
        code=diagnostic.code,
        source=SOURCE,
    )


class Diagnostics:
    """Delivers each document's diagnostics in the mode the client supports."""

    def __init__(self, server: FloeLanguageServer) -> None:
        self.server = server
        self.pull_mode = False

    def choose_mode(self, params: types.InitializeParams) -> None:
        """Pull when the client can pull and be told to re-pull; else push."""
        capabilities = params.capabilities
        text = capabilities.text_document
        workspace = capabilities.workspace
        can_pull = text is not None and text.diagnostic is not None
        can_refresh = bool(
            workspace and workspace.diagnostics and workspace.diagnostics.refresh_support
        )
        self.pull_mode = can_pull and can_refresh
        if self.pull_mode:
            self.server.guarded_feature(
                types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(
                    identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False
                ),
                fallback=lambda: types.RelatedFullDocumentDiagnosticReport(items=[]),
            )(self.pull)

    def items(self, uri: str, analysis: Analysis) -> list[types.Diagnostic]:
        """The LSP diagnostics of an analysis (none when the feature is off)."""
        doc = self.server.document(uri)
        if doc is None or not self.server.settings.features.diagnostics:
            return []
        return [to_lsp(self.server, doc, d) for d in analysis.diagnostics]

    def analysis_ready(self, uri: str, version: int | None, analysis: Analysis) -> None:
        """Push the diagnostics of a document's current analysis."""
        state = self.server.documents.get(uri)
        if self.pull_mode or state is None:
            return
        if version is not None and state.published is not None and version < state.published:
            return
        state.published = version
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=self.items(uri, analysis), version=version
            )
        )

    def closed(self, uri: str) -> None:
        """Clear a closed document's diagnostics."""
        if not self.pull_mode:
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )

    def workspace_changed(self) -> None:
        """Ask a pulling client to pull again."""
        if self.pull_mode:
            self.server.workspace_diagnostic_refresh(None)

    async def pull(
        self, params: types.DocumentDiagnosticParams
    ) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
        """Answer ``textDocument/diagnostic`` from the analysis of the current text."""
        uri = params.text_document.uri
        doc = self.server.document(uri)
        if doc is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{doc.version}.{self.server.generation}"
        analysis = await self.server.analysis(uri)
        if analysis is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(
            items=self.items(uri, analysis), result_id=result_id
        )


def register(server: FloeLanguageServer) -> None:
    """Choose push or pull at ``initialize`` and deliver every current analysis."""
    diagnostics = Diagnostics(server)
    server.on_initialize(diagnostics.choose_mode)
    server.on_analysis(diagnostics.analysis_ready)
    server.on_close(diagnostics.closed)
    server.on_workspace_change(diagnostics.workspace_changed)
