"""Sensors: a file_watcher watches a LOCAL folder (remote storage belongs in platform.yaml)
that should exist, and its ``pattern`` is a glob, not a regular expression; a run_status
sensor must not watch the job it starts (it would trigger itself in a loop).

Unknown watched jobs are the reference check's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.symbols import SymbolKind
from floe_core.yaml_tree import MapNode, ScalarNode, SeqNode

REMOTE = re.compile(r"^(?!file:)([A-Za-z][A-Za-z0-9+.-]*)://|^(?:\\\\|//)[^/\\]")
_REGEX_HINT = re.compile(r"^\^|^\.\*|(?<!\\)\$$|\\[dDwWsS.]|\(|\)|\+|\|")
_LOOP = {
    "SUCCESS": "each successful run it starts succeeds again and starts the next one",
    "FAILURE": "each failed run it starts can fail again and start the next one",
    "STARTED": "each run it starts immediately starts the next one",
}


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Diagnose file_watcher paths and patterns and self-triggering run_status sensors."""
    for name, definition in ctx.symbols.defined(SymbolKind.SENSOR).items():
        body = definition.entry.value
        if not isinstance(body, MapNode):
            continue
        kind = _string(body, "type")
        owner = f"sensor '{name}'"
        if kind is not None and kind.value == "file_watcher":
            path = _string(body, "path")
            if path is not None:
                yield from _path(ctx, owner, path)
            pattern = _string(body, "pattern")
            if pattern is not None:
                yield from _pattern(owner, pattern)
        elif kind is not None and kind.value == "run_status":
            yield from _self_trigger(owner, body)


def _string(body: MapNode, key: str) -> ScalarNode | None:
    node = body.get(key)
    if isinstance(node, ScalarNode) and isinstance(node.value, str) and not node.unresolved:
        return node
    return None


def _path(ctx: CheckContext, owner: str, node: ScalarNode) -> Iterator[Diagnostic]:
    value: str = node.value
    remote = REMOTE.match(value)
    if remote is not None:
        scheme = f"'{remote.group(1)}://'" if remote.group(1) else "a network share"
        yield Diagnostic(
            node.content_range,
            Severity.ERROR,
            "sensor-path-remote",
            f"{owner}: path '{value}' is remote storage ({scheme}); a file_watcher watches a "
            "LOCAL folder only: storage endpoints and buckets belong in platform.yaml, not "
            "floe.yaml (watch a local landing folder such as './incoming/', or use an "
            "asset_sensor or a custom sensor)",
        )
        return
    if ctx.context.path is None:
        return
    target = Path(value).expanduser()
    if not target.is_absolute():
        target = ctx.base_dir / target
    if not target.exists():
        yield Diagnostic(
            node.content_range,
            Severity.WARNING,
            "sensor-path-missing",
            f"{owner}: path '{value}' does not exist (looked for {target}); the sensor will "
            "find no files until it is created",
        )


def _pattern(owner: str, node: ScalarNode) -> Iterator[Diagnostic]:
    value: str = node.value
    if not _REGEX_HINT.search(value):
        return
    glob = regex_to_glob(value)
    offer = f"; the glob for it is '{glob}'" if glob else ""
    yield Diagnostic(
        node.content_range,
        Severity.WARNING,
        "sensor-pattern-regex",
        f"{owner}: pattern '{value}' looks like a regular expression, but file_watcher "
        "patterns are globs matched against file names ('*' any text, '?' one character, "
        "'[abc]' one of, '{a,b}' either), e.g. 'customers_*.csv'" + offer,
        replace_fix(f"Change to the glob '{glob}'", node.content_range, glob)
        if glob and node.interpolation is None
        else (),
    )


_ESCAPES = {"d": "[0-9]", "w": "[A-Za-z0-9_]"}


def regex_to_glob(pattern: str) -> str | None:
    """The glob matching what a simple regex matches, or None when a glob cannot say it.

    Handles anchors, '.*', '.+', '.', escapes, character classes and '(a|b)' alternatives.
    """
    text = pattern[1:] if pattern.startswith("^") else pattern
    if text.endswith("$") and not text.endswith("\\$"):
        text = text[:-1]
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        following = text[i + 1] if i + 1 < len(text) else ""
        if char == "\\" and following:
            if following in _ESCAPES:
                piece = _ESCAPES[following]
            elif following.isalnum():
                return None
            else:
                piece = f"[{following}]" if following in "*?[{}" else following
            i += 2
        elif char == ".":
            piece, i = {"*": ("*", i + 2), "+": ("?*", i + 2)}.get(following, ("?", i + 1))
        elif char == "[":
            close = text.find("]", i + 2)
            if close < 0:
                return None
            inner = text[i + 1 : close]
            piece = "[" + ("!" + inner[1:] if inner.startswith("^") else inner) + "]"
            i = close + 1
        elif char == "(":
            close = text.find(")", i)
            inner = text[i + 1 : close] if close > 0 else ""
            if close < 0 or re.search(r"[\\()\[\].*+?{}]", inner):
                return None
            piece = "{" + inner.replace("|", ",") + "}"
            i = close + 1
        elif char in "*+?{}|)^$":
            return None
        else:
            piece = char
            i += 1
        if i < len(text) and text[i] in "*+?{":
            return None
        out.append(piece)
    return "".join(out) or None


def _self_trigger(owner: str, body: MapNode) -> Iterator[Diagnostic]:
    job = _string(body, "job")
    status = _string(body, "status")
    watched = body.get("watched_jobs")
    if (
        job is None
        or status is None
        or status.value not in _LOOP
        or not isinstance(watched, SeqNode)
    ):
        return
    for item in watched.items:
        if isinstance(item, ScalarNode) and item.value == job.value:
            yield Diagnostic(
                item.content_range,
                Severity.WARNING,
                "sensor-self-trigger",
                f"{owner} starts job '{job.value}' when a run of '{job.value}' reaches "
                f"{status.value}: {_LOOP[status.value]}, in an endless loop; watch other "
                "jobs, or start a different job (e.g. an alert)",
            )
