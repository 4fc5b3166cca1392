"""Go to definition: from any reference to what it names.

A job or partition goes to its key in this file; a dbt model (or any asset) to its .sql or
.py file; an ``asset_modules`` entry to the module's file; ``target_function``/``fn`` to the
function's line; ``manifest_path`` to the manifest. Files are located the way the core
finds them (never by importing anything)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from floe_core.analysis import Analysis
from floe_core.asset_universe import manifest_location
from floe_core.module_resolution import resolve_module
from floe_core.python_modules import scan_module
from floe_core.symbols import Definition, Reference, SymbolKind
from floe_core.universe import AssetInfo

if TYPE_CHECKING:
    from floe_lsp.server import Cursor, FloeLanguageServer

_IN_FILE = (SymbolKind.JOB, SymbolKind.PARTITION)


def file_location(path: Path, line: int = 0) -> types.Location:
    """A location at the start of a line of a file (columns are 0 in every encoding)."""
    point = types.Position(line=max(line, 0), character=0)
    return types.Location(uri=path.as_uri(), range=types.Range(start=point, end=point))


def definitions(server: FloeLanguageServer, cursor: Cursor) -> list[types.Location]:
    """Where the symbol under the cursor is defined (empty when nothing is there)."""
    found = cursor.analysis.symbols.at(cursor.position)
    if found is None:
        return []
    if isinstance(found, Definition):
        return [types.Location(uri=cursor.uri, range=server.to_lsp_range(cursor.doc, found.range))]
    if found.kind in _IN_FILE:
        target = cursor.analysis.symbols.defined(found.kind).get(found.name)
        if target is None:
            return []
        return [types.Location(uri=cursor.uri, range=server.to_lsp_range(cursor.doc, target.range))]
    return [file_location(path, line) for path, line in _external(cursor.analysis, found)]


def _external(analysis: Analysis, ref: Reference) -> list[tuple[Path, int]]:
    context = analysis.context
    if ref.kind is SymbolKind.ASSET:
        return [
            place for info in analysis.universe.lookup(ref.name) if (place := _asset_place(info))
        ]
    if ref.kind is SymbolKind.MODULE:
        resolved = resolve_module(ref.name, context.base_dir, context.extra_roots).path
        return [(resolved, 0)] if resolved else []
    if ref.kind is SymbolKind.FUNCTION:
        return _function(analysis, ref.name)
    if ref.kind is SymbolKind.FILE:
        path = manifest_location(context, analysis.entities) or context.base_dir / ref.name
        return [(path, 0)] if path.is_file() else []
    return []


def _asset_place(info: AssetInfo) -> tuple[Path, int] | None:
    if info.location is not None:
        return info.location
    path = info.dbt.path if info.dbt is not None else None
    return (path, 0) if path is not None else None


def _function(analysis: Analysis, dotted: str) -> list[tuple[Path, int]]:
    module, _, name = dotted.rpartition(".")
    if not module:
        return []
    context = analysis.context
    path = resolve_module(module, context.base_dir, context.extra_roots).path
    if path is None:
        return []
    scan = scan_module(path, context.cache)
    line = scan.functions.get(name) if scan is not None else None
    return [(path, line if line is not None else 0)]


def register(server: FloeLanguageServer) -> None:
    """Answer ``textDocument/definition``."""

    @server.guarded_feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(params: types.DefinitionParams) -> list[types.Location] | None:
        """Where the reference under the cursor is defined."""
        cursor = await server.cursor(params.text_document.uri, params.position)
        return definitions(server, cursor) if cursor is not None else None
