"""What one analysis made of each section of a document, for the next analysis to take over.

An edit's re-parse shares the untouched parts of the previous document with it: the same
raw values, the same node views. What an analysis made of a section (the jobs' entities,
the schedules' symbols, the findings of a check) holds again when the section is the very
same object, so the next analysis of the same document takes it over whole. A changed
section is made again, handed what the previous analysis made of it, so that the entities
the edit left alone (their body views are the very same objects) are taken over one by one.
What is made of a section is shared by both analyses and must never be modified.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class SectionMemo(Generic[T]):
    """What was made of each section (by tag), and of which objects."""

    __slots__ = ("_sections",)

    def __init__(self) -> None:
        self._sections: dict[Hashable, tuple[object, object, T]] = {}

    def carry(
        self,
        previous: SectionMemo[T] | None,
        tag: Hashable,
        obj: object,
        compute: Callable[[T | None], T],
        along: object = None,
    ) -> T:
        """What ``previous`` made of section ``tag`` when it made it of ``obj`` too, else
        ``compute(earlier)`` with what ``previous`` made of the section (None if nothing).

        ``along`` is what else the section's value depends on (the asset universe, say):
        an object, or a tuple of objects, that must be the very same too.
        """
        seen = previous._sections.get(tag) if previous is not None else None
        if seen is not None and seen[0] is obj and _same(seen[1], along):
            self._sections[tag] = seen
            return seen[2]
        value = compute(seen[2] if seen is not None else None)
        self._sections[tag] = (obj, along, value)
        return value


def _same(before: object, now: object) -> bool:
    if before is now:
        return True
    if isinstance(before, tuple) and isinstance(now, tuple) and len(before) == len(now):
        return all(a is b for a, b in zip(before, now, strict=True))
    return False
