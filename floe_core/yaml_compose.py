"""Compose YAML text into libyaml's node tree, resolving plain-scalar tags once per value.

The composer is libyaml's (PyYAML ``CSafeLoader``), but for every node it calls back into
PyYAML's Python resolver: a regex walk per plain scalar to decide whether ``yes`` is a bool
and ``8080`` an int, plus path-resolver bookkeeping that safe loading never uses. A pipeline
file repeats the same few hundred plain values (keys, job names, ``batch``) thousands of
times, so the tag of each distinct value is resolved once and remembered. The tags are
exactly PyYAML's safe-loader tags (YAML 1.1 rules): the remembered answer is its answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import yaml
from yaml.resolver import Resolver

_STR_TAG = Resolver.DEFAULT_SCALAR_TAG
_RESOLVE: Callable[[Any, Any, Any, Any], object] = Resolver.resolve


class _Loader(yaml.CSafeLoader):
    """``CSafeLoader`` with memoized implicit-tag resolution and no path resolvers."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _plain_scalar_tag(value) if implicit[0] else _STR_TAG
        return str(_RESOLVE(self, kind, value, implicit))

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Safe loading registers no path resolvers: nothing to track per level."""

    def ascend_resolver(self) -> None:
        """Safe loading registers no path resolvers: nothing to track per level."""


@lru_cache(maxsize=1 << 16)
def _plain_scalar_tag(value: str) -> str:
    """The tag PyYAML's safe loader gives a plain (unquoted, untagged) scalar."""
    resolvers = yaml.CSafeLoader.yaml_implicit_resolvers
    for tag, regexp in resolvers.get(value[:1], []) + resolvers.get(None, []):
        if regexp.match(value):
            return str(tag)
    return _STR_TAG


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document (``yaml.compose`` with ``CSafeLoader``'s tags)."""
    return yaml.compose(text, Loader=_Loader)
