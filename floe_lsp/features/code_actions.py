"""Code actions: the core's machine-applicable fixes as quick fixes (did-you-mean for unknown
references, keys, enum values and timezones, ``${VAR:-x}`` -> ``${VAR:x}``, adding a missing
required key), for the diagnostics that touch the requested range."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace import TextDocument

from floe_core.diagnostics import Diagnostic, Fix
from floe_core.positions import Range
from floe_lsp.features.diagnostics import to_lsp

if TYPE_CHECKING:
    from floe_lsp.server import FloeLanguageServer

QUICK_FIX = types.CodeActionKind.QuickFix


def overlaps(a: Range, b: Range) -> bool:
    """Whether two ranges touch (an empty range at a diagnostic's edge counts)."""
    return a.start <= b.end and b.start <= a.end


def quick_fixes(
    server: FloeLanguageServer,
    uri: str,
    doc: TextDocument,
    diagnostics: list[Diagnostic],
    wanted: Range,
) -> list[types.CodeAction]:
    """One code action per fix of every diagnostic overlapping ``wanted``."""
    actions: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        if not diagnostic.fixes or not overlaps(diagnostic.range, wanted):
            continue
        lsp_diagnostic = to_lsp(server, doc, diagnostic)
        actions.extend(_action(server, uri, doc, fix, lsp_diagnostic) for fix in diagnostic.fixes)
    return actions


def _action(
    server: FloeLanguageServer, uri: str, doc: TextDocument, fix: Fix, diagnostic: types.Diagnostic
) -> types.CodeAction:
    edits = [
        types.TextEdit(range=server.to_lsp_range(doc, edit.range), new_text=edit.new_text)
        for edit in fix.edits
    ]
    return types.CodeAction(
        title=fix.title,
        kind=QUICK_FIX,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: edits}),
        is_preferred=fix.preferred,
    )


def _wants_quick_fixes(context: types.CodeActionContext) -> bool:
    only = context.only
    return not only or any(QUICK_FIX.value.startswith(str(kind)) for kind in only)


def register(server: FloeLanguageServer) -> None:
    """Answer ``textDocument/codeAction`` with quick fixes."""

    @server.guarded_feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[QUICK_FIX])
    )
    async def code_actions(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        """The quick fixes for the diagnostics in the requested range."""
        uri = params.text_document.uri
        doc, analysis = server.document(uri), await server.analysis(uri)
        if doc is None or analysis is None or not server.settings.features.code_actions:
            return None
        if not _wants_quick_fixes(params.context):
            return []
        wanted = server.to_core_range(doc, params.range)
        return quick_fixes(server, uri, doc, analysis.diagnostics, wanted)
