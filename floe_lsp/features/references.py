"""Find references for jobs and partitions: the definition key (when asked for) and every
value that names it, from the symbol table of the document's current text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from floe_core.positions import Range
from floe_core.symbols import Definition, Reference, SymbolKind

if TYPE_CHECKING:
    from floe_lsp.server import Cursor, FloeLanguageServer

RENAMEABLE = (SymbolKind.JOB, SymbolKind.PARTITION)


@dataclass(frozen=True)
class Occurrences:
    """Every place a job or partition name appears: its definition and its references."""

    kind: SymbolKind
    name: str
    under_cursor: Range
    definition: Definition | None
    references: list[Reference]


def occurrences(cursor: Cursor) -> Occurrences | None:
    """The job or partition under the cursor and all of its occurrences, if any."""
    symbols = cursor.analysis.symbols
    found = symbols.at(cursor.position)
    if found is None or found.kind not in RENAMEABLE:
        return None
    definition = (
        found if isinstance(found, Definition) else symbols.defined(found.kind).get(found.name)
    )
    where = found.entry.key.content_range if isinstance(found, Definition) else found.range
    return Occurrences(
        found.kind,
        found.name,
        where,
        definition,
        symbols.references_to(found.kind, found.name),
    )


def locations(
    server: FloeLanguageServer, cursor: Cursor, include_declaration: bool
) -> list[types.Location]:
    """The locations of every occurrence of the name under the cursor."""
    found = occurrences(cursor)
    if found is None:
        return []
    ranges = [ref.range for ref in found.references]
    if include_declaration and found.definition is not None:
        ranges.insert(0, found.definition.entry.key.content_range)
    return [
        types.Location(uri=cursor.uri, range=server.to_lsp_range(cursor.doc, r)) for r in ranges
    ]


def register(server: FloeLanguageServer) -> None:
    """Answer ``textDocument/references``."""

    @server.guarded_feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(params: types.ReferenceParams) -> list[types.Location] | None:
        """Every place the job or partition under the cursor is named."""
        cursor = await server.cursor(params.text_document.uri, params.position)
        if cursor is None:
            return None
        return locations(server, cursor, params.context.include_declaration)
