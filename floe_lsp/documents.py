"""Per-document analysis state: which floe.yaml documents are open, their latest analysis
(keyed by the text version and the workspace generation it was computed for), the last
analysis whose text parsed, and the background task that keeps the analysis current."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from floe_core.analysis import Analysis
from floe_core.yaml_tree import MapNode

FLOE_FILE_NAMES = frozenset({"floe.yaml", "floe.yml"})
FLOE_FILE_SUFFIX = ".floe.yaml"

AnalysisKey = tuple[int | None, int]
"""(document version, workspace generation) an analysis was computed for."""


def is_floe_uri(uri: str) -> bool:
    """Whether a document URI names a floe.yaml (``floe.yaml``, ``floe.yml``, ``*.floe.yaml``)."""
    name = PurePosixPath(unquote(urlparse(uri).path)).name
    return name in FLOE_FILE_NAMES or (
        name.endswith(FLOE_FILE_SUFFIX) and len(name) > len(FLOE_FILE_SUFFIX)
    )


def path_of(uri: str) -> Path | None:
    """The local file a ``file:`` URI points to (None for other schemes)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


@dataclass
class DocumentState:
    """What the server knows about one open floe.yaml document."""

    uri: str
    path: Path | None
    analysis: Analysis | None = None
    key: AnalysisKey | None = None
    last_good: Analysis | None = None
    published: int | None = None
    task: asyncio.Task[None] | None = None
    dirty: bool = False

    def store(self, analysis: Analysis, key: AnalysisKey) -> list[Analysis]:
        """Keep ``analysis`` unless a newer one is already stored; return the analyses it
        replaces (or ``analysis`` itself when it is not kept), for the caller to release
        when it suits it: freeing a whole document's analysis takes as long as a good part
        of computing one, which is better spent after the diagnostics are out."""
        if self.key is not None and _newer(self.key, key):
            return [analysis]
        replaced: list[Analysis] = []
        for old in (self.analysis, self.last_good):
            if old is not None and all(old is not other for other in replaced):
                replaced.append(old)
        self.analysis, self.key = analysis, key
        if isinstance(analysis.document.root, MapNode):
            self.last_good = analysis
        return [old for old in replaced if old is not self.analysis and old is not self.last_good]

    def fresh(self, key: AnalysisKey) -> Analysis | None:
        """The stored analysis when it was computed for ``key``."""
        return self.analysis if self.key == key else None

    @property
    def busy(self) -> bool:
        """Whether a background analysis is under way."""
        return self.task is not None and not self.task.done()


def _newer(a: AnalysisKey, b: AnalysisKey) -> bool:
    """Whether key ``a`` is strictly newer than ``b``."""
    return (a[1], a[0] or 0) > (b[1], b[0] or 0)


@dataclass
class DocumentStore:
    """The open floe.yaml documents by URI."""

    states: dict[str, DocumentState] = field(default_factory=dict)

    def open(self, uri: str) -> DocumentState:
        """The state of a newly opened document (a fresh one replaces any earlier)."""
        state = DocumentState(uri, path_of(uri))
        self.states[uri] = state
        return state

    def get(self, uri: str) -> DocumentState | None:
        """The state of an open document."""
        return self.states.get(uri)

    def close(self, uri: str) -> DocumentState | None:
        """Forget a document; its background analysis is cancelled."""
        state = self.states.pop(uri, None)
        if state is not None and state.task is not None:
            state.task.cancel()
        return state

    def uris(self) -> list[str]:
        """The URIs of all open documents."""
        return list(self.states)
