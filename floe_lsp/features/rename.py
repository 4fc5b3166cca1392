"""Rename jobs and partitions: ``prepareRename`` says what would be renamed (or why nothing
can be), and a rename edits the definition key and every reference in one workspace edit.
A new name must be a valid name (letters, digits, underscores) not already taken."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from floe_core.checks.names import VALID_NAME
from floe_core.positions import Range
from floe_lsp.features.references import Occurrences, occurrences
from floe_lsp.server import RequestRefused

if TYPE_CHECKING:
    from floe_lsp.server import Cursor, FloeLanguageServer


def prepare(server: FloeLanguageServer, cursor: Cursor) -> types.PrepareRenamePlaceholder:
    """The name under the cursor and its range; refuses anything but a job or partition."""
    found = occurrences(cursor)
    if found is None:
        raise RequestRefused("only job and partition names can be renamed")
    return types.PrepareRenamePlaceholder(
        range=server.to_lsp_range(cursor.doc, found.under_cursor), placeholder=found.name
    )


def rename_edit(server: FloeLanguageServer, cursor: Cursor, new_name: str) -> types.WorkspaceEdit:
    """The edit renaming the job or partition under the cursor to ``new_name``."""
    found = occurrences(cursor)
    if found is None:
        raise RequestRefused("only job and partition names can be renamed")
    _check_name(cursor, found, new_name)
    ranges: list[Range] = []
    if found.definition is not None:
        ranges.append(found.definition.entry.key.content_range)
    ranges.extend(ref.range for ref in found.references if ref.node.interpolation is None)
    edits = [
        types.TextEdit(range=server.to_lsp_range(cursor.doc, r), new_text=new_name) for r in ranges
    ]
    if _supports_document_changes(server):
        identifier = types.OptionalVersionedTextDocumentIdentifier(
            uri=cursor.uri, version=cursor.doc.version
        )
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)]
        )
    return types.WorkspaceEdit(changes={cursor.uri: edits})


def _check_name(cursor: Cursor, found: Occurrences, new_name: str) -> None:
    noun = found.kind.value
    if not VALID_NAME.match(new_name):
        raise RequestRefused(
            f"'{new_name}' is not a valid {noun} name: use only letters, digits and "
            "underscores (Dagster's rule for names), e.g. 'bronze_refresh'"
        )
    if new_name != found.name and new_name in cursor.analysis.symbols.defined(found.kind):
        raise RequestRefused(
            f"a {noun} named '{new_name}' already exists; choose another name or remove it first"
        )


def _supports_document_changes(server: FloeLanguageServer) -> bool:
    workspace = server.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace else None
    return bool(edit and edit.document_changes)


def register(server: FloeLanguageServer) -> None:
    """Answer ``textDocument/prepareRename`` and ``textDocument/rename``."""

    @server.guarded_feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(
        params: types.PrepareRenameParams,
    ) -> types.PrepareRenamePlaceholder | None:
        """What a rename at the cursor would rename."""
        cursor = await server.cursor(params.text_document.uri, params.position)
        return prepare(server, cursor) if cursor is not None else None

    @server.guarded_feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    async def rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        """Rename the job or partition under the cursor everywhere in the document."""
        cursor = await server.cursor(params.text_document.uri, params.position)
        return rename_edit(server, cursor, params.new_name) if cursor is not None else None
