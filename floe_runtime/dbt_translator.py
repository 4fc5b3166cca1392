"""How dbt nodes become Dagster assets in floe.

Models, seeds and snapshots are keyed by their name (or ``meta.dagster.asset_key``). A source
is mapped onto an upstream Python asset: by ``meta.dagster.asset_key``, else by a Python
asset named like the source table, else it stays ``[source_name, table]``. Groups come from
``meta.dagster.group`` or the dbt group, else the model's top folder under ``models/``
(``models/silver/stg_orders.sql`` -> ``silver``). dbt tests become asset checks. A node's key
is worked out once per translator (dagster-dbt and floe ask for it several times per node).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings
from dagster_dbt.asset_utils import default_asset_key_fn, default_group_from_dbt_resource_props

_NOT_GROUP_CHARACTER = re.compile(r"[^A-Za-z0-9_]")


class FloeDbtTranslator(DagsterDbtTranslator):
    """floe's naming of dbt assets, sources and groups."""

    def __init__(self, python_asset_keys: frozenset[dg.AssetKey]) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_asset_checks=True))
        self._python_asset_keys = python_asset_keys
        self._keys: dict[str, dg.AssetKey] = {}

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """Name-keyed assets; sources resolve onto Python assets where possible."""
        unique_id = dbt_resource_props.get("unique_id")
        if unique_id is None:
            return self._asset_key(dbt_resource_props)
        key = self._keys.get(unique_id)
        if key is None:
            key = self._keys[unique_id] = self._asset_key(dbt_resource_props)
        return key

    def _asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        meta = dbt_resource_props.get("config", {}).get("meta") or dbt_resource_props.get(
            "meta", {}
        )
        if (meta.get("dagster") or {}).get("asset_key"):
            return default_asset_key_fn(dbt_resource_props)
        if dbt_resource_props["resource_type"] == "source":
            by_name = dg.AssetKey([dbt_resource_props["name"]])
            if by_name in self._python_asset_keys:
                return by_name
            return default_asset_key_fn(dbt_resource_props)
        if dbt_resource_props.get("version"):
            return default_asset_key_fn(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Explicit Dagster/dbt group, else the top folder of the node."""
        explicit = default_group_from_dbt_resource_props(dbt_resource_props)
        if explicit:
            return explicit
        fqn = dbt_resource_props.get("fqn") or []
        if len(fqn) > 2:
            return _NOT_GROUP_CHARACTER.sub("_", str(fqn[1]))
        return None
