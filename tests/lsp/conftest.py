"""pytest-lsp fixtures for floe-lsp protocol tests (shared with the completion/hover tests).

Every test that uses ``lsp`` (or ``start_lsp``) runs once per client capability profile,
``visual_studio_code`` and ``neovim`` (pytest ids ``[visual_studio_code]``/``[neovim]``),
against a real ``floe-lsp --stdio`` subprocess. Test modules need
``pytestmark = pytest.mark.asyncio``.

Fixtures
--------
``lsp`` -> :class:`LspSession`
    A started, initialized server whose workspace root is ``tmp_path``.
``start_lsp`` -> async ``start(*, root=None, init_options=None, configuration=None,
capabilities=None) -> LspSession``
    Start more servers, or one with custom ``initializationOptions``, ``workspace/
    configuration`` answers (``{"floe": {...}}``) or a capability transform
    (``ClientCapabilities -> ClientCapabilities``, e.g. :func:`with_pull_diagnostics`).
    Every session is shut down at teardown.
``client_profile`` -> str
    The profile name of the current parametrization.
``with_pull`` -> capability transform
    Adds pull diagnostics and ``workspace/diagnostic/refresh`` to the profile:
    ``session = await start_lsp(capabilities=with_pull)`` makes the server use pull mode.

``project`` -> Path
    tmp_path holding a copy of fixtures/project (floe.yaml, an ast-read asset module, an ops
    module, a dbt project) with jaffle_shop's real manifest in dbt/target/manifest.json.
``find_position`` -> ``(text, needle, nth=0, delta=1) -> types.Position``
    The position ``delta`` characters into the ``nth`` occurrence of ``needle`` (ASCII text).

(Test modules cannot import from this conftest; use the fixtures.)

LspSession helpers
------------------
``uri = session.uri("floe.yaml")``: the file URI of a path relative to the root.
``diags = await session.open("floe.yaml", text)``: open a document (nothing is written to
disk) and return its diagnostics for that version, whether the server pushes or the client
has to pull (``session.pull_mode``). ``await session.change(uri, text)`` replaces the whole
text and returns the new diagnostics; ``await session.diagnostics(uri)`` returns the current
ones. ``await session.until(uri, accept)`` waits for pushed diagnostics that ``accept(diags)``
approves of (after a watched-file change); ``session.files_changed("a.py")`` sends
``workspace/didChangeWatchedFiles``; ``await session.client.wait_for_log(text)`` waits for a
``window/logMessage``. ``session.client`` is the pytest-lsp client for every other request
(``await session.client.text_document_hover_async(...)``). ``session.encoding`` is the
negotiated position encoding and ``session.column(line_text, index)`` converts a code-point
index of a line into it. Diagnostics are ``lsprotocol.types.Diagnostic`` objects.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

CLIENT_PROFILES = ("visual_studio_code", "neovim")
PROJECT = Path(__file__).parent / "fixtures" / "project"
SERVER_COMMAND = [sys.executable, "-m", "floe_lsp", "--stdio"]
WAIT_SECONDS = 30.0

CapabilityTransform = Callable[[types.ClientCapabilities], types.ClientCapabilities]


class FloeTestClient(LanguageClient):
    """A pytest-lsp client that also records registrations, every diagnostics push and log
    message, and lets tests await a condition on them without sleeping."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations: list[types.Registration] = []
        self.publications: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []

    def recorded(self) -> None:
        """Something was recorded: wake the waiters whose condition now holds."""
        for check, future in list(self._waiters):
            if not future.done() and check():
                future.set_result(None)

    async def wait_until(self, check: Callable[[], bool]) -> None:
        """Return once ``check()`` holds (it is re-checked after every recorded message)."""
        if check():
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiter = (check, future)
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(future, WAIT_SECONDS)
        finally:
            self._waiters.remove(waiter)

    async def wait_for_push(self, uri: str, version: int | None) -> types.PublishDiagnosticsParams:
        """The latest push for ``uri`` at ``version`` or later (one already received counts)."""

        def latest() -> types.PublishDiagnosticsParams | None:
            pushes = self.publications.get(uri, [])
            return pushes[-1] if pushes and _reached(pushes[-1].version, version) else None

        await self.wait_until(lambda: latest() is not None)
        found = latest()
        assert found is not None
        return found

    async def wait_for_log(self, needle: str) -> types.LogMessageParams:
        """The first ``window/logMessage`` containing ``needle`` (one already received counts)."""

        def first() -> types.LogMessageParams | None:
            return next((m for m in self.log_messages if needle in m.message), None)

        await self.wait_until(lambda: first() is not None)
        found = first()
        assert found is not None
        return found


def _reached(got: int | None, wanted: int | None) -> bool:
    return wanted is None or (got is not None and got >= wanted)


def make_client() -> FloeTestClient:
    """A FloeTestClient with pytest-lsp's default handlers, diagnostics recorded by us."""
    client = FloeTestClient(converter_factory=default_converter)
    ours = (
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
        types.WINDOW_LOG_MESSAGE,
        types.WINDOW_SHOW_MESSAGE,
    )
    defaults = {m: h for m, h in DEFAULT_CLIENT_FEATURES.items() if m not in ours}
    register_lsp_features(client, defaults)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.publications.setdefault(params.uri, []).append(params)
        client.recorded()

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def show_message(params: types.ShowMessageParams) -> None:
        client.messages.append(params)
        client.recorded()

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def log_message(params: types.LogMessageParams) -> None:
        client.log_messages.append(params)
        client.recorded()

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)
        client.recorded()

    return client


def with_pull_diagnostics(capabilities: types.ClientCapabilities) -> types.ClientCapabilities:
    """The capabilities plus pull diagnostics and ``workspace/diagnostic/refresh``."""
    text = capabilities.text_document or types.TextDocumentClientCapabilities()
    text.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=False)
    capabilities.text_document = text
    workspace = capabilities.workspace or types.WorkspaceClientCapabilities()
    workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    capabilities.workspace = workspace
    return capabilities


class LspSession:
    """One initialized server and the helpers tests use to drive it."""

    def __init__(
        self, client: FloeTestClient, root: Path, result: types.InitializeResult, profile: str
    ) -> None:
        self.client = client
        self.root = root
        self.profile = profile
        self.capabilities = result.capabilities
        self.versions: dict[str, int] = {}

    @property
    def pull_mode(self) -> bool:
        """Whether the server expects the client to pull diagnostics."""
        return self.capabilities.diagnostic_provider is not None

    @property
    def encoding(self) -> str:
        """The negotiated position encoding ('utf-16' unless the client offered another)."""
        return str(self.capabilities.position_encoding or types.PositionEncodingKind.Utf16)

    def column(self, line: str, index: int) -> int:
        """A code-point index into ``line`` as a column in the negotiated encoding."""
        prefix = line[:index]
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(prefix.encode("utf-8"))
        if self.encoding == types.PositionEncodingKind.Utf32:
            return len(prefix)
        return len(prefix.encode("utf-16-le")) // 2

    def uri(self, relative: str | Path) -> str:
        """The file URI of a path relative to the workspace root."""
        return (self.root / relative).as_uri()

    async def open(
        self, relative: str | Path, text: str, language_id: str = "yaml"
    ) -> list[types.Diagnostic]:
        """Open a document with ``text`` and return its diagnostics."""
        uri = self.uri(relative)
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language_id, version=1, text=text
                )
            )
        )
        return await self.diagnostics(uri)

    def open_only(self, relative: str | Path, text: str) -> str:
        """Open a document without waiting for anything; returns its URI."""
        uri = self.uri(relative)
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="yaml", version=1, text=text
                )
            )
        )
        return uri

    def send_change(self, uri: str, text: str) -> int:
        """Replace the whole text without waiting; returns the new version."""
        version = self.versions[uri] = self.versions[uri] + 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return version

    async def change(self, uri: str, text: str) -> list[types.Diagnostic]:
        """Replace the whole text and return the diagnostics of the new version."""
        self.send_change(uri, text)
        return await self.diagnostics(uri)

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics of the document's latest version (pushed or pulled)."""
        if self.pull_mode:
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            return list(report.items)
        pushed = await self.client.wait_for_push(uri, self.versions.get(uri))
        return list(pushed.diagnostics)

    async def until(
        self, uri: str, accept: Callable[[list[types.Diagnostic]], bool]
    ) -> list[types.Diagnostic]:
        """Wait (push mode) until the latest diagnostics of ``uri`` satisfy ``accept``."""

        def latest() -> list[types.Diagnostic] | None:
            pushes = self.client.publications.get(uri, [])
            return list(pushes[-1].diagnostics) if pushes else None

        def good() -> bool:
            current = latest()
            return current is not None and accept(current)

        await self.client.wait_until(good)
        return latest() or []

    def files_changed(
        self, *relative: str, kind: types.FileChangeType = types.FileChangeType.Changed
    ) -> None:
        """Send ``workspace/didChangeWatchedFiles`` for files relative to the root."""
        self.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=self.uri(path), type=kind) for path in relative]
            )
        )

    async def request(self, method: str, params: Any) -> Any:
        """Send any request (e.g. the custom ``floe/status``) and return its result."""
        return await self.client.protocol.send_request_async(method, params)


Starter = Callable[..., Awaitable[LspSession]]


@pytest.fixture(params=CLIENT_PROFILES)
def client_profile(request: pytest.FixtureRequest) -> str:
    """The client capability profile the test runs under."""
    return str(request.param)


@pytest_asyncio.fixture
async def start_lsp(client_profile: str, tmp_path: Path) -> AsyncIterator[Starter]:
    """Start (and, at teardown, shut down) floe-lsp sessions under the current profile."""
    sessions: list[LspSession] = []
    config = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client)

    async def start(
        *,
        root: Path | None = None,
        init_options: Any = None,
        configuration: dict[str, Any] | None = None,
        capabilities: CapabilityTransform | None = None,
    ) -> LspSession:
        workspace = root or tmp_path
        client = await config.start()
        assert isinstance(client, FloeTestClient)
        if configuration is not None:
            client.set_configuration(configuration)
        caps = client_capabilities(client_profile)
        if capabilities is not None:
            caps = capabilities(caps)
        result = await client.initialize_session(
            types.InitializeParams(
                capabilities=caps,
                root_uri=workspace.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="root")],
                initialization_options=init_options,
            )
        )
        session = LspSession(client, workspace, result, client_profile)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        await session.client.shutdown_session()
        await session.client.stop()


def position_of(text: str, needle: str, nth: int = 0, delta: int = 1) -> types.Position:
    """The position ``delta`` characters into the ``nth`` occurrence of ``needle`` (ASCII)."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += delta
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


@pytest.fixture
def find_position() -> Callable[..., types.Position]:
    """:func:`position_of`, for test modules."""
    return position_of


@pytest.fixture
def project(tmp_path: Path, jaffle_manifest: Path) -> Path:
    """fixtures/project copied to tmp_path, with jaffle_shop's manifest in dbt/target."""
    shutil.copytree(PROJECT, tmp_path, dirs_exist_ok=True)
    target = tmp_path / "dbt" / "target"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(jaffle_manifest, target / "manifest.json")
    return tmp_path


@pytest.fixture
def with_pull() -> CapabilityTransform:
    """The capability transform that makes the server choose pull diagnostics."""
    return with_pull_diagnostics


@pytest_asyncio.fixture
async def lsp(start_lsp: Starter) -> LspSession:
    """A floe-lsp session rooted at ``tmp_path`` with default settings."""
    return await start_lsp()
