"""The asset universe: every asset the pipeline will have, known without running user code.

Assets come from the dbt manifest (models, seeds, snapshots, sources) and from reading the
``asset_modules`` files with ``ast``. ``complete`` says whether the universe is known to be
whole; checks are strict only when it is, and suggestion-only otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AssetInfo:
    """One asset: its key (slash-joined), where it comes from, group, tags and upstreams."""

    key: str
    source: str
    group: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    deps: tuple[str, ...] = ()
    description: str | None = None

    @property
    def name(self) -> str:
        """The last component of the key (what patterns and selections usually name)."""
        return self.key.rsplit("/", 1)[-1]


@dataclass
class AssetUniverse:
    """All known assets by key, and whether that knowledge is complete."""

    assets: dict[str, AssetInfo] = field(default_factory=dict)
    complete: bool = False
