"""What one analysis worked out for objects, by identity, for the next analysis to take over.

An edit's re-parse shares the untouched parts of the previous document with it: the same
raw values, the same node views. What an analysis worked out for one of them (an entity,
the references in an entity's body, a check's verdict on an entity) holds for it again, so
the next analysis of the same document asks the previous one's memo before working it out.
Each entry holds its objects, so that their ids stay their own while they are remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    """Values remembered for objects, keyed by a tag and the object's identity."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[tuple[Hashable, int], tuple[object, object, T]] = {}

    def carry(
        self,
        previous: IdentityMemo[T] | None,
        tag: Hashable,
        obj: object,
        compute: Callable[[], T],
        along: object = None,
    ) -> T:
        """What this memo or ``previous`` remembered for ``obj`` under ``tag``, else
        ``compute()``; remembered here either way.

        ``along`` is a second object the value depends on (the asset universe, say): what
        was remembered holds only if that is the very same object too.
        """
        key = (tag, id(obj))
        seen = self._entries.get(key)
        if seen is None and previous is not None:
            seen = previous._entries.get(key)
        held = seen is not None and seen[0] is obj and seen[1] is along
        value = seen[2] if seen is not None and held else compute()
        self._entries[key] = (obj, along, value)
        return value


class SectionMemo(Generic[T]):
    """What an analysis made of each section of the document, and of the parts inside it.

    A section (the jobs, the schedules, ...) whose objects are the very ones the previous
    analysis saw is taken over whole, in one step; a changed section is made again, with
    the per-part memo the previous analysis kept for it, so that its untouched parts (all
    but the edited entity) are still taken over one by one. What a section is made into is
    shared by both analyses and must never be modified.
    """

    __slots__ = ("_sections",)

    def __init__(self) -> None:
        self._sections: dict[Hashable, tuple[object, object, T, IdentityMemo[Any]]] = {}

    def carry(
        self,
        previous: SectionMemo[T] | None,
        tag: Hashable,
        obj: object,
        compute: Callable[[IdentityMemo[Any], IdentityMemo[Any] | None], T],
        along: object = None,
    ) -> T:
        """What ``previous`` made of section ``tag`` when it was made of ``obj`` (and
        ``along``) too, else ``compute(parts, earlier_parts)``: ``parts`` is the memo to
        make this section's parts with, ``earlier_parts`` the previous analysis' for it."""
        seen = previous._sections.get(tag) if previous is not None else None
        if seen is not None and seen[0] is obj and seen[1] is along:
            self._sections[tag] = seen
            return seen[2]
        parts: IdentityMemo[Any] = IdentityMemo()
        value = compute(parts, seen[3] if seen is not None else None)
        self._sections[tag] = (obj, along, value, parts)
        return value
