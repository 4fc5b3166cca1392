"""Secrets and infrastructure in floe.yaml (seed 000, "Two-Tier Configuration").

floe.yaml holds logical references only; credentials and endpoints belong in platform.yaml.
- A credential is an error: the value of a key named like one (password, secret, token,
  api_key, access_key, private_key, credentials, connection_string, ...), a URL with
  ``user:password@``, a ``Password=`` pair or a private key block. A key whose whole value
  is ``${VAR}`` is fine (the secret stays in the environment, which the platform provides);
  a non-empty default (``${DB_PASSWORD:hunter2}``) is a secret written into the file.
- An endpoint is a warning: a URL (s3://, gs://, abfs://, http(s)://, ...), a ``jdbc:``
  string or a ``host:port``.
Descriptions are prose and are not scanned; file_watcher paths are the sensor check's.

The document's plain data is scanned first (cheap); only suspicious values are looked up in
the node tree for their exact range.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import Any

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Fix, Severity, replace_fix
from floe_core.tree_paths import PathItem, lookup
from floe_core.yaml_tree import ScalarNode

_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "passphrase",
    }
)
_SECRET_PAIRS = frozenset(
    {
        "api_key",
        "access_key",
        "private_key",
        "secret_key",
        "client_secret",
        "connection_string",
        "conn_str",
        "auth_key",
        "account_key",
        "sas_token",
    }
)
_NOT_SECRET_SUFFIXES = frozenset(
    {
        "path",
        "file",
        "dir",
        "env",
        "var",
        "variable",
        "name",
        "ref",
        "id",
        "url",
        "count",
        "length",
        "ttl",
        "expiry",
        "enabled",
        "type",
        "field",
        "header",
    }
)
_URL = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]{1,15})://[^\s'\"<>{}]+")
_USERINFO = re.compile(r"://([^/\s:@]+):([^/\s@]+)@")
_JDBC = re.compile(r"\bjdbc:[A-Za-z0-9]+:[^\s'\"]*")
_HOST_PORT = re.compile(
    r"(?<![\w.@/-])(localhost|\d{1,3}(?:\.\d{1,3}){3}|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})"
    r":\d{2,5}\b"
)
_PASSWORD_PAIR = re.compile(r"(?i)\b(?:password|pwd)\s*=\s*([^;\s]+)")
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_LOCAL_SCHEMES = frozenset({"file"})
_QUICK = re.compile(r"://|jdbc:|(?i:password|pwd)\s*=|-----BEGIN|\w:\d{2,5}\b")
"""A superset of every pattern above, so one search rules most values out."""


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Report credentials (errors) and endpoints (warnings) written into floe.yaml."""
    scanner = _Scanner(ctx)
    scanner.scan(ctx.document.data, [])
    seen: set[int] = set()
    for path, as_credential in scanner.suspects:
        found = lookup(ctx.root, path)
        node = found.node
        if not found.exact or not isinstance(node, ScalarNode):
            continue
        seen.add(id(node))
        if as_credential:
            yield from _credential_value(path, node)
        else:
            yield from _value_problems(path, node)
    for node in ctx.document.interpolated(lambda raw, _: _looks_suspicious(raw)):
        if id(node) not in seen:
            yield from _value_problems((), node)


Suspects = list[tuple[tuple[PathItem, ...], bool]]


class _Scanner:
    """Walks plain data; records the paths of values worth a closer look.

    An orchestration section that the previous analysis scanned (the same object, after an
    edit in another section) keeps the suspects found in it then.
    """

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.suspects: Suspects = []

    def scan(self, data: Any, path: list[PathItem]) -> None:
        if isinstance(data, dict):
            sections = path == ["orchestration"]
            for key, value in data.items():
                kind = type(value)
                if kind is dict and sections:
                    found = functools.partial(self._section, value, [*path, key])
                    self.suspects.extend(self.ctx.carry(("secrets", key), value, found))
                    continue
                if kind is dict or kind is list:
                    if key != "description":
                        path.append(key)
                        self.scan(value, path)
                        path.pop()
                    continue
                if key != "description" and is_secret_key(str(key)):
                    if _has_value(value):
                        self.suspects.append(((*path, key), True))
                elif (
                    kind is str
                    and (":" in value or "=" in value or "-----BEGIN" in value)
                    and key != "description"
                    and _looks_suspicious(value)
                    and not _is_sensor_path(path, key)
                ):
                    self.suspects.append(((*path, key), False))
        elif isinstance(data, list):
            for index, value in enumerate(data):
                kind = type(value)
                if kind is dict or kind is list:
                    path.append(index)
                    self.scan(value, path)
                    path.pop()
                elif kind is str and _looks_suspicious(value):
                    self.suspects.append(((*path, index), False))

    def _section(self, value: dict[Any, Any], path: list[PathItem]) -> Suspects:
        section = _Scanner(self.ctx)
        section.scan(value, path)
        return section.suspects


@functools.lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """Whether a key names a credential ('db_password', 'apiKey', 'aws-secret-access-key')."""
    normalized = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).lower().replace("-", "_")
    parts = [part for part in re.split(r"[_.\s]+", normalized) if part]
    if not parts or parts[-1] in _NOT_SECRET_SUFFIXES:
        return False
    if any(part in _SECRET_WORDS for part in parts):
        return True
    return any(f"{a}_{b}" in _SECRET_PAIRS for a, b in itertools.pairwise(parts))


def _has_value(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    return bool(str(value).strip())


def _looks_suspicious(text: str) -> bool:
    """A cheap filter first (most values hold neither ':' nor '='), then the real patterns."""
    if ":" not in text and "=" not in text and "-----BEGIN" not in text:
        return False
    if _QUICK.search(text) is None:
        return False
    return (
        _USERINFO.search(text) is not None
        or _PASSWORD_PAIR.search(text) is not None
        or _PRIVATE_KEY.search(text) is not None
        or _endpoint(text) is not None
    )


def _is_sensor_path(path: list[PathItem], key: str) -> bool:
    return key == "path" and len(path) == 3 and path[:2] == ["orchestration", "sensors"]


def _where(path: tuple[PathItem, ...]) -> str:
    return ".".join(str(step) for step in path) if path else "a ${VAR} default"


def _credential_value(path: tuple[PathItem, ...], node: ScalarNode) -> Iterator[Diagnostic]:
    key = str(path[-1])
    result = node.interpolation
    variable = re.sub(r"[^A-Za-z0-9]+", "_", key).upper().strip("_") or "SECRET"
    if variable[0].isdigit():
        variable = f"SECRET_{variable}"
    if result is not None and result.refs and not result.problems:
        literal = node.raw
        for ref in result.refs:
            literal = literal.replace(node.raw[ref.start : ref.end], "")
        defaults = [ref for ref in result.refs if ref.default]
        for ref in defaults:
            offset = node.raw.index(":", ref.start) + (2 if ref.form == "shell-default" else 1)
            where = node.span(offset, ref.end - 1)
            yield Diagnostic(
                where,
                Severity.ERROR,
                "secret-in-config",
                f"{_where(path)}: the default of ${{{ref.name}}} is a credential written into "
                f"floe.yaml; credentials belong in platform.yaml or the environment: write "
                f"'${{{ref.name}}}' without a default",
                replace_fix(f"Remove the default of ${{{ref.name}}}", where, "")
                if ref.form == "default"
                else (),
            )
        if defaults or not literal.strip():
            return
    where = node.content_range
    yield Diagnostic(
        where,
        Severity.ERROR,
        "secret-in-config",
        f"{_where(path)}: '{key}' holds a credential written into floe.yaml, which must hold "
        f"logical references only; it belongs in platform.yaml, or reference it as "
        f"${{{variable}}} and set that variable in the environment",
        (
            Fix(
                f"Reference the environment variable ${{{variable}}}",
                replace_fix("", where, f"${{{variable}}}")[0].edits,
            ),
        ),
    )


def _value_problems(path: tuple[PathItem, ...], node: ScalarNode) -> Iterator[Diagnostic]:
    raw = node.raw
    userinfo = _USERINFO.search(raw)
    if userinfo is not None:
        yield Diagnostic(
            node.span(userinfo.start(1), userinfo.end(2)),
            Severity.ERROR,
            "secret-in-config",
            f"{_where(path)}: this URL carries a user name and password; credentials belong "
            "in platform.yaml, not floe.yaml",
        )
        return
    for pattern, what in ((_PASSWORD_PAIR, "a password"), (_PRIVATE_KEY, "a private key")):
        match = pattern.search(raw)
        if match is not None:
            yield Diagnostic(
                node.span(match.start(), match.end()),
                Severity.ERROR,
                "secret-in-config",
                f"{_where(path)}: the value contains {what}; credentials belong in "
                "platform.yaml, not floe.yaml",
            )
            return
    endpoint = _endpoint(raw)
    if endpoint is not None:
        start, end, kind = endpoint
        yield Diagnostic(
            node.span(start, end),
            Severity.WARNING,
            "infrastructure-endpoint",
            f"{_where(path)}: '{raw[start:end]}' is {kind}; floe.yaml names logical things "
            "only, infrastructure endpoints belong in platform.yaml (refer to a profile by "
            "name, or to ${VAR} set by the platform)",
        )


def _endpoint(raw: str) -> tuple[int, int, str] | None:
    jdbc = _JDBC.search(raw)
    if jdbc is not None:
        return jdbc.start(), jdbc.end(), "a JDBC connection string"
    for match in _URL.finditer(raw):
        scheme = match.group(1).lower()
        if scheme not in _LOCAL_SCHEMES:
            return match.start(), match.end(), f"an endpoint ({scheme}://)"
    host = _HOST_PORT.search(raw)
    if host is not None:
        return host.start(), host.end(), "a host:port endpoint"
    return None
