"""``textDocument/completion``: keys, enum values, references, environment variables and
entity snippets at the cursor, even on half-written lines (the proposals come from
floe_lsp.completion_items, imported after the first diagnostics rather than at start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.workspace import TextDocument

if TYPE_CHECKING:
    from floe_lsp.completion_items import CandidateCache, Completions, Proposal
    from floe_lsp.server import FloeLanguageServer

IMPLEMENTATION = "floe_lsp.completion_items"

TRIGGER_CHARACTERS = [":", " ", "-", "+", '"', "'", "{"]

_KINDS: dict[str, types.CompletionItemKind] = {
    "key": types.CompletionItemKind.Property,
    "snippet": types.CompletionItemKind.Snippet,
    "enum": types.CompletionItemKind.EnumMember,
    "reference": types.CompletionItemKind.Reference,
    "keyword": types.CompletionItemKind.Keyword,
}


class CompletionFeature:
    """Answers completion requests for one server."""

    def __init__(self, server: FloeLanguageServer) -> None:
        self.server = server
        self._cache: CandidateCache | None = None

    def _capability(self, path: str, default: Any) -> Any:
        return get_capability(self.server.client_capabilities, path, default)

    async def complete(self, params: types.CompletionParams) -> types.CompletionList | None:
        """The completion list at the cursor, or None outside floe.yaml documents."""
        server = self.server
        uri = params.text_document.uri
        doc = server.document(uri)
        if doc is None or not server.settings.features.completion:
            return None
        from floe_lsp.completion_items import CandidateCache, complete  # noqa: PLC0415 (deferred)

        text, position = doc.source, server.to_core_position(doc, params.position)
        snippets = bool(self._capability(_ITEM + "snippet_support", False))
        if self._cache is None:
            self._cache = CandidateCache()
        found = complete(
            text.removeprefix("\ufeff"),
            position,
            await server.last_good_analysis(uri),
            snippets=snippets,
            cache=self._cache,
        )
        return self._to_lsp(doc, found)

    def _to_lsp(self, doc: TextDocument, found: Completions) -> types.CompletionList:
        markdown = types.MarkupKind.Markdown in (
            self._capability(_ITEM + "documentation_format", None) or []
        )
        modes = self._capability(_ITEM + "insert_text_mode_support.value_set", None) or []
        as_is = types.InsertTextMode.AsIs if types.InsertTextMode.AsIs in modes else None
        items = [self._item(doc, p, markdown, as_is) for p in found.proposals]
        return types.CompletionList(is_incomplete=found.incomplete, items=items)

    def _item(
        self,
        doc: TextDocument,
        proposal: Proposal,
        markdown: bool,
        as_is: types.InsertTextMode | None,
    ) -> types.CompletionItem:
        documentation: types.MarkupContent | None = None
        if proposal.documentation:
            documentation = types.MarkupContent(
                kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                value=proposal.documentation,
            )
        return types.CompletionItem(
            label=proposal.label,
            kind=_KINDS[proposal.kind],
            detail=proposal.detail,
            documentation=documentation,
            sort_text=proposal.sort_text,
            filter_text=proposal.filter_text,
            text_edit=types.TextEdit(
                range=self.server.to_lsp_range(doc, proposal.range),
                new_text=proposal.insert_text,
            ),
            insert_text_format=(
                types.InsertTextFormat.Snippet
                if proposal.snippet
                else types.InsertTextFormat.PlainText
            ),
            insert_text_mode=as_is if "\n" in proposal.insert_text else None,
        )


_ITEM = "text_document.completion.completion_item."


def register(server: FloeLanguageServer) -> None:
    """Register the completion handler."""
    feature = CompletionFeature(server)
    server.defer_import(IMPLEMENTATION)

    @server.guarded_feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS),
        fallback=lambda: types.CompletionList(is_incomplete=False, items=[]),
    )
    async def completion(params: types.CompletionParams) -> types.CompletionList | None:
        """Complete keys, values, references and new entities at the cursor."""
        return await feature.complete(params)
