"""The datasets every asset reads and writes, named once for all lineage events.

A dbt node is its warehouse relation (``<adapter>://<location>`` / ``database.schema.table``);
any other asset is ``dagster://<pipeline>`` / its asset key. A dbt source mapped onto a Python
asset takes that asset's name, so lineage runs unbroken from bronze through every model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import dagster as dg


@dataclass(frozen=True)
class DatasetRef:
    """An OpenLineage dataset identity."""

    namespace: str
    name: str


@dataclass(frozen=True)
class AssetLineage:
    """What one asset reads and writes."""

    output: DatasetRef
    inputs: tuple[DatasetRef, ...]


@dataclass
class LineageCatalog:
    """Datasets by asset key and the lineage of every executable asset."""

    pipeline: str
    datasets: dict[dg.AssetKey, DatasetRef] = field(default_factory=dict)
    upstream: dict[dg.AssetKey, tuple[dg.AssetKey, ...]] = field(default_factory=dict)

    def dataset(self, key: dg.AssetKey) -> DatasetRef:
        """The dataset of an asset (named after its key unless registered otherwise)."""
        return self.datasets.get(key) or DatasetRef(
            f"dagster://{self.pipeline}", key.to_user_string()
        )

    def register(self, key: dg.AssetKey, dataset: DatasetRef) -> None:
        """Name the dataset an asset is stored as."""
        self.datasets[key] = dataset

    def add_assets(self, assets: Iterable[dg.AssetsDefinition]) -> None:
        """Record the upstream keys of every asset of these definitions."""
        for assets_def in assets:
            for spec in assets_def.specs:
                self.upstream[spec.key] = tuple(dep.asset_key for dep in spec.deps)

    def lineage(self, key: dg.AssetKey) -> AssetLineage:
        """Inputs and output of one asset."""
        return AssetLineage(
            output=self.dataset(key),
            inputs=tuple(self.dataset(parent) for parent in self.upstream.get(key, ())),
        )
