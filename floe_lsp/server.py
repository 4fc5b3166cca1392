"""The floe language server: document lifecycle, analysis scheduling, shared state and the
hooks feature modules build on.

State lives on :class:`FloeLanguageServer`: the settings, one floe_core ProjectCache, the
latest analysis of every open floe.yaml (always computed from the editor's text, off the
event loop, coalescing rapid edits so that a stale result is never delivered after a newer
one), the workspace roots, and the position conversion between floe_core's code-point
columns and the client's negotiated encoding, which happens here and nowhere else.

Features live in ``floe_lsp/features/<feature>.py``; each defines
``register(server: FloeLanguageServer) -> None`` and is discovered in module-name order.
Handlers registered through :meth:`FloeLanguageServer.guarded_feature` never crash the
server: an exception becomes a ``window/logMessage`` error and an empty result.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import os
import pkgutil
import stat
import sys
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import FeatureRequestError, JsonRpcException
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from floe_core.analysis import Analysis, analyze
from floe_core.positions import Position, Range
from floe_lsp import __version__, features
from floe_lsp.documents import DocumentState, DocumentStore, is_floe_uri, path_of
from floe_lsp.protocol import fast_converter
from floe_lsp.settings import Settings
from floe_lsp.workspace import Project, WorkspaceCache

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
AnalysisListener = Callable[[str, int | None, Analysis], None]
InitializeHook = Callable[[types.InitializeParams], None]
AsyncHook = Callable[[], Awaitable[None]]


class RequestRefused(JsonRpcException):
    """A request the server deliberately refuses (e.g. an invalid new name in a rename); the
    client shows the message to the user. Guarded handlers let it through."""

    CODE = -32803


@dataclass(frozen=True)
class Cursor:
    """A client position resolved against an open document's current analysis."""

    uri: str
    doc: TextDocument
    analysis: Analysis
    position: Position


_LEVELS: dict[str, types.MessageType] = {
    "error": types.MessageType.Error,
    "warning": types.MessageType.Warning,
    "info": types.MessageType.Info,
    "debug": types.MessageType.Log,
}


class FloeLanguageServer(LanguageServer):
    """pygls server holding everything the features share."""

    def __init__(self) -> None:
        super().__init__(
            "floe-lsp",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            converter_factory=fast_converter,
        )
        self.cache = WorkspaceCache(on_reloaded=self._files_reloaded)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.project = Project(self.cache)
        self.documents = DocumentStore()
        self.generation = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="floe-analysis")
        self._initialize_hooks: list[InitializeHook] = []
        self._initialized_hooks: list[AsyncHook] = []
        self._analysis_listeners: list[AnalysisListener] = []
        self._close_listeners: list[Callable[[str], None]] = []
        self._workspace_listeners: list[Callable[[], None]] = []
        self._lines: tuple[str, list[str]] | None = None
        self._ascii: tuple[str, bool] | None = None
        self.startup_problems: list[str] = []
        self.last_analysis_seconds = 0.0
        self._deferred_imports: list[str] = []

    # --- transport ---------------------------------------------------------------------

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve over stdin/stdout until the client exits.

        pygls reads stdin through a thread pool, one hand-over between threads per header
        line and per body; when stdin is a pipe or a socket (as editors start servers), it
        is read on the event loop itself instead. Anything else (a terminal, a file) is
        left to pygls.
        """
        source = stdin or sys.stdin.buffer
        mode = os.fstat(source.fileno()).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            super().start_io(stdin, stdout)
            return
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(self._serve_pipe(source, self._stop_event))
        except BrokenPipeError:
            logger.error("the connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]  # (pygls leaves it untyped)

    async def _serve_pipe(self, source: BinaryIO, stop: threading.Event) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), source)
        await run_async(
            stop_event=stop,
            reader=reader,
            protocol=self.protocol,
            logger=logger,
            error_handler=self.report_server_error,
        )

    # --- state -------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The current, fully defaulted settings."""
        return self.project.settings

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The single worker thread analyses (and other blocking reads) run on."""
        return self._executor

    def is_floe_uri(self, uri: str) -> bool:
        """Whether the URI names a floe.yaml document (other YAML is ignored)."""
        return is_floe_uri(uri)

    def document(self, uri: str) -> TextDocument | None:
        """The open floe.yaml document at ``uri`` (never a file read from disk)."""
        if uri not in self.documents.states:
            return None
        found: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return found

    async def analysis(self, uri: str) -> Analysis | None:
        """The analysis of the document's current text: the stored one, else the one the
        background analysis under way delivers, else one computed on the worker thread
        (never on the event loop, and never a second analysis of the same text)."""
        state, doc = self.documents.get(uri), self.document(uri)
        if state is None or doc is None:
            return None
        key, text = (doc.version, self.generation), doc.source
        if state.fresh(key) is None and state.task is not None and state.busy:
            await asyncio.wait([state.task])
        found = state.fresh(key)
        if found is None:
            loop = asyncio.get_running_loop()
            found = await loop.run_in_executor(
                self._executor, self._analyze, state.path, text, state.analysis
            )
            self._release(state.store(found, key))
        return found

    async def cursor(self, uri: str, position: types.Position) -> Cursor | None:
        """The document, its current analysis and the position in code points (or None)."""
        doc = self.document(uri)
        if doc is None:
            return None
        core_position = self.to_core_position(doc, position)
        analysis = await self.analysis(uri)
        if analysis is None:
            return None
        return Cursor(uri, doc, analysis, core_position)

    async def last_good_analysis(self, uri: str) -> Analysis | None:
        """The latest analysis whose text parsed into a mapping (for half-written text)."""
        state = self.documents.get(uri)
        if state is None:
            return None
        await self.analysis(uri)
        return state.last_good

    def _analyze(self, path: Path | None, text: str, previous: Analysis | None) -> Analysis:
        """Analyse ``text``; ``previous`` (the document's last analysis) lets an edit inside
        one entity re-parse only that entity."""
        started = time.perf_counter()
        found = analyze(text, self.project.context_for(path), previous)
        self.last_analysis_seconds = time.perf_counter() - started
        return found

    def _release(self, retired: list[Analysis]) -> None:
        """Free replaced analyses on the worker thread, after what is queued there (the
        event loop is then free to answer the client meanwhile)."""
        if retired:
            self._executor.submit(retired.clear)

    # --- scheduling --------------------------------------------------------------------

    def schedule_analysis(self, uri: str) -> None:
        """Bring the document's analysis up to date in the background, then notify."""
        state = self.documents.get(uri)
        if state is None:
            return
        if state.busy:
            state.dirty = True
            return
        state.task = asyncio.ensure_future(self._keep_current(state))

    async def _keep_current(self, state: DocumentState) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.documents.get(state.uri) is state:
                doc = self.document(state.uri)
                if doc is None:
                    return
                state.dirty = False
                key = (doc.version, self.generation)
                analysis = state.fresh(key)
                retired: list[Analysis] = []
                if analysis is None:
                    analysis = await loop.run_in_executor(
                        self._executor, self._analyze, state.path, doc.source, state.analysis
                    )
                    retired = state.store(analysis, key)
                if state.dirty or key != (doc.version, self.generation):
                    self._release(retired)
                    continue
                self._notify(state.uri, doc.version, analysis)
                self._release(retired)
                self._start_deferred_imports()
                return
        except Exception as exc:
            self.log_exception(f"analysing {state.uri}", exc)

    def defer_import(self, module: str) -> None:
        """Keep ``module`` (a feature's implementation, imported where it is used) off the
        start-up path: it is imported on the worker thread once the first diagnostics are
        out, so that neither start-up nor the first request pays for it."""
        self._deferred_imports.append(module)

    def _start_deferred_imports(self) -> None:
        if self._deferred_imports:
            modules, self._deferred_imports = self._deferred_imports, []
            self._executor.submit(_import_all, modules)

    def _notify(self, uri: str, version: int | None, analysis: Analysis) -> None:
        for listener in self._analysis_listeners:
            try:
                listener(uri, version, analysis)
            except Exception as exc:
                self.log_exception(f"delivering the analysis of {uri}", exc)

    def workspace_changed(self) -> None:
        """Something analyses depend on changed: re-analyze every open document."""
        self.generation += 1
        for uri in self.documents.uris():
            self.schedule_analysis(uri)
        for listener in self._workspace_listeners:
            try:
                listener()
            except Exception as exc:
                self.log_exception("handling a workspace change", exc)

    def _files_reloaded(self, path: Path, problem: str | None) -> None:
        """Called from a loader thread when a changed manifest finished (re)loading."""
        if self._loop is None:
            return
        if problem is None:
            self._loop.call_soon_threadsafe(self.workspace_changed)
        else:
            message = f"floe-lsp: {path} did not load ({problem}); keeping its last good version"
            self._loop.call_soon_threadsafe(self.log, message, "warning")

    def opened(self, uri: str) -> None:
        """A document was opened: track it if it is a floe.yaml."""
        if self.is_floe_uri(uri):
            self.documents.open(uri)
            self.schedule_analysis(uri)

    def closed(self, uri: str) -> None:
        """A document was closed: forget it and tell the features."""
        if self.documents.close(uri) is None:
            return
        for listener in self._close_listeners:
            try:
                listener(uri)
            except Exception as exc:
                self.log_exception(f"closing {uri}", exc)

    def workspace_roots(self) -> list[Path]:
        """The local folders of the workspace (folders first, then the root)."""
        roots = [path_of(uri) for uri in self.workspace.folders]
        root_uri = self.workspace.root_uri
        if root_uri:
            roots.append(path_of(root_uri))
        return [root for root in roots if root is not None]

    # --- hooks -------------------------------------------------------------------------

    def on_initialize(self, hook: InitializeHook) -> None:
        """Run ``hook(params)`` during ``initialize`` (before capabilities are computed)."""
        self._initialize_hooks.append(hook)

    def on_initialized(self, hook: AsyncHook) -> None:
        """Await ``hook()`` once the client sent ``initialized``."""
        self._initialized_hooks.append(hook)

    def on_analysis(self, listener: AnalysisListener) -> None:
        """Call ``listener(uri, version, analysis)`` whenever a document's analysis is current."""
        self._analysis_listeners.append(listener)

    def on_close(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(uri)`` when a floe.yaml document is closed."""
        self._close_listeners.append(listener)

    def on_workspace_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after settings or watched files changed."""
        self._workspace_listeners.append(listener)

    async def run_initialize_hooks(self, params: types.InitializeParams) -> None:
        """Run the ``initialize`` hooks (called by the lifecycle handler)."""
        self._loop = asyncio.get_running_loop()
        for hook in self._initialize_hooks:
            try:
                hook(params)
            except Exception as exc:
                self.log_exception("initializing a feature", exc)

    async def run_initialized_hooks(self) -> None:
        """Run the ``initialized`` hooks (called by the lifecycle handler)."""
        for problem in self.startup_problems:
            self.log(problem, "error")
        for hook in self._initialized_hooks:
            try:
                await hook()
            except Exception as exc:
                self.log_exception("starting a feature", exc)

    # --- positions: the one place columns are converted ---------------------------------

    def to_lsp_position(self, doc: TextDocument, position: Position) -> types.Position:
        """A floe_core position (code points) in the client's encoding."""
        if self._is_ascii(doc):
            return types.Position(line=position.line, character=position.character)
        lines = self._lines_of(doc)
        character = position.character + self._bom_shift(doc, position.line)
        point = types.Position(line=position.line, character=character)
        return doc.position_codec.position_to_client_units(lines, point)

    def to_lsp_range(self, doc: TextDocument, range_: Range) -> types.Range:
        """A floe_core range (code points) in the client's encoding."""
        return types.Range(
            start=self.to_lsp_position(doc, range_.start),
            end=self.to_lsp_position(doc, range_.end),
        )

    def to_core_position(self, doc: TextDocument, position: types.Position) -> Position:
        """A client position (its encoding) as a floe_core position (code points)."""
        lines = self._lines_of(doc)
        line = max(position.line, 0)
        if line >= len(lines):
            return Position(len(lines), 0)
        text = lines[line]
        if text.isascii():
            return Position(line, min(max(position.character, 0), len(text.rstrip("\r\n"))))
        point = types.Position(line=line, character=max(position.character, 0))
        server = doc.position_codec.position_from_client_units(lines, point)
        character = max(server.character - self._bom_shift(doc, server.line), 0)
        return Position(server.line, character)

    def to_core_range(self, doc: TextDocument, range_: types.Range) -> Range:
        """A client range as a floe_core range."""
        return Range(
            self.to_core_position(doc, range_.start), self.to_core_position(doc, range_.end)
        )

    def _lines_of(self, doc: TextDocument) -> Sequence[str]:
        source = doc.source
        if self._lines is None or self._lines[0] is not source:
            self._lines = (source, source.splitlines(True))
        return self._lines[1]

    def _is_ascii(self, doc: TextDocument) -> bool:
        """Whether the text is ASCII: then every encoding counts columns in code points, and
        floe_core's positions are the client's as they are."""
        source = doc.source
        if self._ascii is None or self._ascii[0] is not source:
            self._ascii = (source, source.isascii())
        return self._ascii[1]

    @staticmethod
    def _bom_shift(doc: TextDocument, line: int) -> int:
        """floe_core drops a leading byte-order mark; the editor's line 0 still has it."""
        return 1 if line == 0 and doc.source.startswith("\ufeff") else 0

    # --- logging and guarding ----------------------------------------------------------

    def log(self, message: str, level: str = "info") -> None:
        """Send ``window/logMessage`` when ``level`` passes the ``floe.logLevel`` setting."""
        order = list(_LEVELS)
        if order.index(level) > order.index(self.settings.log_level) and level != "error":
            return
        logger.log(logging.ERROR if level == "error" else logging.INFO, "%s", message)
        try:
            self.window_log_message(types.LogMessageParams(type=_LEVELS[level], message=message))
        except Exception:
            logger.exception("could not send a log message")

    def log_exception(self, doing: str, exc: BaseException) -> None:
        """Log an unexpected exception as an error (with its traceback in the server log)."""
        logger.error("error while %s\n%s", doing, "".join(traceback.format_exception(exc)))
        self.log(f"floe-lsp: error while {doing}: {type(exc).__name__}: {exc}", "error")

    def show_warning(self, message: str) -> None:
        """Tell the user something went wrong with their set-up (``window/showMessage``)."""
        logger.warning("%s", message)
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=message)
        )

    async def register_capability(self, registration: types.Registration) -> bool:
        """Ask the client to register a capability dynamically; whether it agreed."""
        try:
            await self.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as exc:
            self.log(f"floe-lsp: the client did not register {registration.method}: {exc}")
            return False
        return True

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Errors pygls catches itself go to the log, never as pop-ups."""
        if isinstance(error, RequestRefused) and source is FeatureRequestError:
            return
        self.log(f"floe-lsp: {type(error).__name__}: {error}", "error")

    def guarded_feature(
        self,
        method: str,
        options: Any | None = None,
        *,
        fallback: Callable[[], Any] | None = None,
    ) -> Callable[[F], F]:
        """Register a feature handler that never raises: errors are logged, and the result is
        ``fallback()`` (None when not given)."""

        def failed(exc: Exception) -> Any:
            self.log_exception(f"answering {method}", exc)
            return fallback() if fallback is not None else None

        def decorator(handler: F) -> F:
            wrapped: Callable[..., Any]
            if asyncio.iscoroutinefunction(handler):

                async def run_async(params: Any) -> Any:
                    try:
                        return await handler(params)
                    except RequestRefused:
                        raise
                    except Exception as exc:
                        return failed(exc)

                wrapped = run_async
            else:

                def run(params: Any) -> Any:
                    try:
                        return handler(params)
                    except RequestRefused:
                        raise
                    except Exception as exc:
                        return failed(exc)

                wrapped = run
            functools.update_wrapper(wrapped, handler, assigned=("__name__", "__doc__"))
            self.feature(method, options)(wrapped)
            return handler

        return decorator

    def status(self) -> dict[str, Any]:
        """What ``floe/status`` answers: for tests and troubleshooting."""
        return {
            "version": __version__,
            "dagsterImported": "dagster" in sys.modules,
            "openDocuments": sorted(self.documents.uris()),
            "generation": self.generation,
            "positionEncoding": str(self.workspace.position_encoding),
            "lastAnalysisSeconds": self.last_analysis_seconds,
        }


def _import_all(modules: list[str]) -> None:
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:
            logger.exception("importing %s failed; the feature reports it when used", module)


def create_server() -> FloeLanguageServer:
    """A server with the lifecycle handlers and every feature module registered."""
    server = FloeLanguageServer()
    _register_lifecycle(server)
    _register_features(server)
    return server


def _register_features(server: FloeLanguageServer) -> None:
    for info in sorted(pkgutil.iter_modules(features.__path__), key=lambda m: m.name):
        try:
            module = importlib.import_module(f"{features.__name__}.{info.name}")
            register = getattr(module, "register", None)
            if callable(register):
                register(server)
        except Exception as exc:
            logger.exception("feature module %s failed to load", info.name)
            server.startup_problems.append(
                f"floe-lsp: the feature module '{info.name}' failed to load "
                f"({type(exc).__name__}: {exc}); the other features work"
            )


def _register_lifecycle(server: FloeLanguageServer) -> None:
    @server.guarded_feature(types.INITIALIZE)
    async def initialize(params: types.InitializeParams) -> None:
        """Adopt roots and initial settings; let features adapt to the client."""
        await server.run_initialize_hooks(params)

    @server.guarded_feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        """Start the features that talk to the client."""
        await server.run_initialized_hooks()

    @server.guarded_feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        """Track and analyze a newly opened floe.yaml."""
        server.opened(params.text_document.uri)

    @server.guarded_feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        """Re-analyze the edited text (rapid edits coalesce)."""
        server.schedule_analysis(params.text_document.uri)

    @server.guarded_feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        """Forget a closed document."""
        server.closed(params.text_document.uri)

    @server.guarded_feature("floe/status")
    def status(params: Any) -> dict[str, Any]:
        """Report the server's state (version, open documents, whether dagster is loaded)."""
        return server.status()
