"""Did-you-mean suggestions for misspelt names, keys and values."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most similar to ``word``, or None when nothing is close enough."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` or an empty string."""
    best = closest(word, candidates)
    return f"; did you mean '{best}'?" if best else ""


def one_of(candidates: Iterable[str], limit: int = 8) -> str:
    """A readable list of allowed values: ``'a', 'b' or 'c'``."""
    items = [f"'{c}'" for c in candidates]
    if not items:
        return "nothing"
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" (and {len(items) - limit} more)"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]
