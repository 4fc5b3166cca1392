"""Settings: read the ``floe`` section from ``initializationOptions``, then from
``workspace/configuration`` (when the client supports it) and again on every
``workspace/didChangeConfiguration``; workspace folder changes update the roots. A bad
setting is reported with ``window/showMessage`` and replaced by its default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from floe_lsp.settings import SECTION, parse_settings, section_of

if TYPE_CHECKING:
    from floe_lsp.server import FloeLanguageServer


class Configuration:
    """Keeps the server's settings in step with the client's."""

    def __init__(self, server: FloeLanguageServer) -> None:
        self.server = server
        self._last_message: str | None = None

    @property
    def can_pull(self) -> bool:
        """Whether the client answers ``workspace/configuration``."""
        workspace = self.server.client_capabilities.workspace
        return bool(workspace and workspace.configuration)

    def initialize(self, params: types.InitializeParams) -> None:
        """Adopt ``initializationOptions`` and the workspace roots."""
        self.apply(section_of(params.initialization_options), announce=False)

    async def initialized(self) -> None:
        """Ask the client for the ``floe`` section, and register for its changes."""
        self._announce()
        if self._can_register_configuration():
            await self.server.register_capability(
                types.Registration(
                    id="floe-configuration",
                    method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                    register_options=types.DidChangeConfigurationRegistrationOptions(
                        section=SECTION
                    ),
                )
            )
        await self.pull()

    async def pull(self) -> None:
        """Read the ``floe`` section through ``workspace/configuration``."""
        if not self.can_pull:
            return
        result = await self.server.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
        )
        raw = result[0] if result else None
        if raw is None:
            return
        if self.apply(raw, announce=True):
            self.server.workspace_changed()

    async def did_change(self, params: types.DidChangeConfigurationParams) -> None:
        """Re-read the settings (pulled when possible, else from the notification)."""
        if self.can_pull:
            await self.pull()
        elif self.apply(section_of(params.settings), announce=True):
            self.server.workspace_changed()

    def folders_changed(self, params: types.DidChangeWorkspaceFoldersParams) -> None:
        """Workspace folders came or went: module roots changed."""
        self.server.project.configure(self.server.settings, self.server.workspace_roots())
        self.server.workspace_changed()

    def apply(self, raw: object, *, announce: bool) -> bool:
        """Adopt settings from ``raw``; whether anything changed."""
        parsed = parse_settings(raw)
        project = self.server.project
        changed = parsed.settings != project.settings
        project.configure(parsed.settings, self.server.workspace_roots())
        self._last_message = parsed.message
        if announce:
            self._announce()
        return changed

    def _announce(self) -> None:
        for message in (self._last_message, self.server.project.env_problem):
            if message:
                self.server.show_warning(message)
        self._last_message = None

    def _can_register_configuration(self) -> bool:
        workspace = self.server.client_capabilities.workspace
        change = workspace.did_change_configuration if workspace else None
        return bool(change and change.dynamic_registration)


def register(server: FloeLanguageServer) -> None:
    """Wire the settings handlers into the server."""
    configuration = Configuration(server)
    server.on_initialize(configuration.initialize)
    server.on_initialized(configuration.initialized)
    server.guarded_feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(configuration.did_change)
    server.guarded_feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)(
        configuration.folders_changed
    )
