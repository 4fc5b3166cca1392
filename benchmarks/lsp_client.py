"""A minimal LSP client over stdio for the benchmarks: it starts a server process, frames
JSON-RPC messages, matches responses to requests, queues notifications with the time they
arrived, and answers the server's own requests (configuration, registrations, progress).

It is deliberately small and synchronous (one reader thread), so what it measures is the
server's latency rather than a client framework's.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PUBLISH_DIAGNOSTICS = "textDocument/publishDiagnostics"


class LspError(RuntimeError):
    """The server answered with an error, went silent past a deadline, or exited."""


@dataclass(frozen=True)
class Notification:
    """A notification from the server and when it arrived (``time.perf_counter()``)."""

    method: str
    params: Any
    received: float


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    response: dict[str, Any] | None = None
    received: float = 0.0


class LspClient:
    """One server process and the JSON-RPC conversation with it."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        cwd: Path,
        settings: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        stderr_path: Path | None = None,
    ) -> None:
        self.settings: Mapping[str, Any] = settings or {}
        self._stderr = stderr_path.open("wb") if stderr_path else subprocess.DEVNULL
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.notifications: queue.Queue[Notification] = queue.Queue()
        self.capabilities: dict[str, Any] = {}
        self._pending: dict[int, _Pending] = {}
        self._lock = threading.Lock()
        self._next_id = 0
        self._server_requests: dict[str, Callable[[Any], Any]] = {
            "workspace/configuration": self._configuration,
            "client/registerCapability": lambda _params: None,
            "client/unregisterCapability": lambda _params: None,
            "window/workDoneProgress/create": lambda _params: None,
            "workspace/workspaceFolders": lambda _params: [],
        }
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        with self._lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read_message(self) -> dict[str, Any] | None:
        stream = self.process.stdout
        assert stream is not None
        length = None
        while True:
            line = stream.readline()
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if length is None:
            return None
        parsed: dict[str, Any] = json.loads(stream.read(length))
        return parsed

    def _read_loop(self) -> None:
        while True:
            message = self._read_message()
            received = time.perf_counter()
            if message is None:
                break
            if "method" in message and "id" in message:
                self._answer(message)
            elif "method" in message:
                self.notifications.put(
                    Notification(message["method"], message.get("params"), received)
                )
            else:
                pending = self._pending.get(message.get("id", -1))
                if pending is not None:
                    pending.response, pending.received = message, received
                    pending.done.set()
        for pending in list(self._pending.values()):
            pending.done.set()

    def _answer(self, message: dict[str, Any]) -> None:
        handler = self._server_requests.get(message["method"])
        if handler is None:
            error = {"code": -32601, "message": f"unsupported: {message['method']}"}
            self._send({"jsonrpc": "2.0", "id": message["id"], "error": error})
        else:
            result = handler(message.get("params"))
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _configuration(self, params: Any) -> list[Any]:
        return [self._section(item.get("section")) for item in params.get("items", [])]

    def _section(self, section: str | None) -> Any:
        value: Any = self.settings
        for part in (section or "").split("."):
            if not part:
                continue
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value

    def request_timed(self, method: str, params: Any, timeout: float = 120.0) -> tuple[Any, float]:
        """Send a request; return its result and the seconds until the response arrived."""
        self._next_id += 1
        request_id = self._next_id
        pending = self._pending[request_id] = _Pending()
        sent = time.perf_counter()
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        if not pending.done.wait(timeout):
            raise LspError(f"{method}: no response within {timeout} s")
        del self._pending[request_id]
        if pending.response is None:
            raise LspError(f"{method}: the server exited (code {self.process.poll()})")
        if "error" in pending.response:
            raise LspError(f"{method}: {pending.response['error']}")
        return pending.response.get("result"), pending.received - sent

    def request(self, method: str, params: Any, timeout: float = 120.0) -> Any:
        """Send a request and return its result."""
        return self.request_timed(method, params, timeout)[0]

    def notify(self, method: str, params: Any) -> float:
        """Send a notification; return the moment it was sent (``time.perf_counter()``)."""
        sent = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return sent

    def drain(self) -> None:
        """Forget every notification received so far."""
        while not self.notifications.empty():
            self.notifications.get_nowait()

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Any], bool] = lambda _p: True,
        timeout: float = 120.0,
    ) -> Notification:
        """The next notification ``method`` whose params satisfy ``predicate``."""
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise LspError(f"no {method} within {timeout} s")
            try:
                note = self.notifications.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                if self.process.poll() is not None:
                    raise LspError(f"the server exited (code {self.process.poll()})") from None
                continue
            if note.method == method and predicate(note.params):
                return note

    def initialize(
        self, root: Path, capabilities: Mapping[str, Any], options: Any = None
    ) -> dict[str, Any]:
        """The initialize / initialized handshake; returns the server's capabilities."""
        result = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": dict(capabilities),
                "initializationOptions": options,
            },
        )
        self.capabilities = result.get("capabilities", {})
        self.notify("initialized", {})
        return self.capabilities

    def close(self) -> None:
        """Shut the server down politely, then make sure the process is gone."""
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=5)
                self.notify("exit", None)
                self.process.wait(timeout=5)
        except (LspError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        if self._stderr is not subprocess.DEVNULL:
            self._stderr.close()
