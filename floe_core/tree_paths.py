"""Find nodes by path (keys and indices) in a parsed document, with nearest-ancestor fallback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from floe_core.yaml_tree import MapEntry, MapNode, Node, SeqNode

PathItem = str | int


class Lookup(NamedTuple):
    """The deepest node reached along a path, the entry holding it, and what was not found."""

    node: Node
    entry: MapEntry | None
    missing: tuple[PathItem, ...]

    @property
    def exact(self) -> bool:
        """Whether the whole path was found."""
        return not self.missing


def lookup(root: Node, path: Sequence[PathItem]) -> Lookup:
    """Walk ``path`` from ``root``; stop at the nearest ancestor when a step is absent.

    A step that names the value of the mapping's ``type`` key is skipped: pydantic puts the
    discriminator tag of a tagged union into error locations.
    """
    node, entry = root, None
    for index, step in enumerate(path):
        if isinstance(node, MapNode):
            found = node.entry(str(step))
            if found is None and _is_type_tag(node, step):
                continue
            if found is None:
                return Lookup(node, entry, tuple(path[index:]))
            node, entry = found.value, found
        elif isinstance(node, SeqNode) and isinstance(step, int) and 0 <= step < len(node.items):
            node, entry = node.items[step], None
        else:
            return Lookup(node, entry, tuple(path[index:]))
    return Lookup(node, entry, ())


def _is_type_tag(node: MapNode, step: PathItem) -> bool:
    type_node = node.get("type")
    return type_node is not None and getattr(type_node, "value", None) == step
