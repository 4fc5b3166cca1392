"""``textDocument/completion``: keys, enum values, references, environment variables and
entity snippets at the cursor, even on half-written lines (the proposals come from
floe_lsp.completion_items, imported after the first diagnostics rather than at start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.workspace import TextDocument

if TYPE_CHECKING:
    from floe_core.positions import Range
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


CompletionJson = dict[str, Any]
"""A CompletionList in the protocol's JSON form."""


class CompletionFeature:
    """Answers completion requests for one server."""

    def __init__(self, server: FloeLanguageServer) -> None:
        self.server = server
        self._cache: CandidateCache | None = None

    def _capability(self, path: str, default: Any) -> Any:
        return get_capability(self.server.client_capabilities, path, default)

    async def complete(self, params: types.CompletionParams) -> CompletionJson | None:
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

    def _to_lsp(self, doc: TextDocument, found: Completions) -> CompletionJson:
        """The list as the JSON of an LSP CompletionList.

        A completion answer carries up to a hundred items; built as lsprotocol objects and
        unstructured by cattrs, they cost several times what finding them does. They are
        written as the protocol's JSON directly (the other answers are small and keep the
        typed objects)."""
        markdown = types.MarkupKind.Markdown in (
            self._capability(_ITEM + "documentation_format", None) or []
        )
        modes = self._capability(_ITEM + "insert_text_mode_support.value_set", None) or []
        as_is = types.InsertTextMode.AsIs in modes
        ranges: dict[Range, dict[str, Any]] = {}
        for proposal in found.proposals:
            if proposal.range not in ranges:
                ranges[proposal.range] = _range_json(self.server.to_lsp_range(doc, proposal.range))
        items = [_item(ranges[p.range], p, markdown, as_is) for p in found.proposals]
        return {"isIncomplete": found.incomplete, "items": items}


def _range_json(where: types.Range) -> dict[str, Any]:
    start, end = where.start, where.end
    return {
        "start": {"line": start.line, "character": start.character},
        "end": {"line": end.line, "character": end.character},
    }


def _item(where: dict[str, Any], proposal: Proposal, markdown: bool, as_is: bool) -> dict[str, Any]:
    """One CompletionItem in the protocol's JSON form (absent fields are left out)."""
    snippet = (
        types.InsertTextFormat.Snippet if proposal.snippet else types.InsertTextFormat.PlainText
    )
    item: dict[str, Any] = {
        "label": proposal.label,
        "kind": _KINDS[proposal.kind].value,
        "textEdit": {"range": where, "newText": proposal.insert_text},
        "insertTextFormat": snippet.value,
    }
    if proposal.detail is not None:
        item["detail"] = proposal.detail
    if proposal.documentation:
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        item["documentation"] = {"kind": kind.value, "value": proposal.documentation}
    if proposal.sort_text is not None:
        item["sortText"] = proposal.sort_text
    if proposal.filter_text is not None:
        item["filterText"] = proposal.filter_text
    if as_is and "\n" in proposal.insert_text:
        item["insertTextMode"] = types.InsertTextMode.AsIs.value
    return item


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
    async def completion(params: types.CompletionParams) -> CompletionJson | None:
        """Complete keys, values, references and new entities at the cursor."""
        return await feature.complete(params)
