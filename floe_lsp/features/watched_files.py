"""Watched files: register ``workspace/didChangeWatchedFiles`` for dbt manifests, Python
modules, floe.yaml files and env files, and re-analyze the open documents when one of them
changes (the analysis re-reads exactly the files whose modification time changed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from floe_lsp.documents import path_of
from floe_lsp.workspace import WATCHED_GLOBS, Project

if TYPE_CHECKING:
    from floe_lsp.server import FloeLanguageServer


def register(server: FloeLanguageServer) -> None:
    """Register the watchers once initialized, and react to their notifications."""

    async def initialized() -> None:
        workspace = server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if not (watched and watched.dynamic_registration):
            return
        await server.register_capability(
            types.Registration(
                id="floe-watched-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
                ),
            )
        )

    @server.guarded_feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        """A watched file changed on disk: refresh what depends on it."""
        paths = [path for change in params.changes if (path := path_of(change.uri)) is not None]
        relevant = [path for path in paths if Project.matters(path)]
        if not relevant:
            return
        if any(server.project.concerns_env(path) for path in relevant):
            server.project.reload_env()
        server.workspace_changed()

    server.on_initialized(initialized)
