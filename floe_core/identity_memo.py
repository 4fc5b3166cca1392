"""What one analysis worked out for objects, by identity, for the next analysis to take over.

An edit's re-parse shares the untouched parts of the previous document with it: the same
raw values, the same node views. What an analysis worked out for one of them (an entity's
model, the references in an entity's body) holds for it again, so the next analysis of the
same document asks the previous one's memo before working it out. Each entry holds its
object, so that its id stays its own while it is remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    """Values remembered for objects, keyed by a tag and the object's identity."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[tuple[Hashable, int], tuple[object, T]] = {}

    def carry(
        self,
        previous: IdentityMemo[T] | None,
        tag: Hashable,
        obj: object,
        compute: Callable[[], T],
    ) -> T:
        """What ``previous`` remembered for ``obj`` under ``tag``, else ``compute()``;
        remembered here either way."""
        key = (tag, id(obj))
        seen = previous._entries.get(key) if previous is not None else None
        value = seen[1] if seen is not None and seen[0] is obj else compute()
        self._entries[key] = (obj, value)
        return value
