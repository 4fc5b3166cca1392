"""floe.yaml ``assets:`` patterns applied to every matching asset (Python and dbt alike).

Each pattern is a glob matched against the asset's name (its key's last part) and its whole
key (``a/b``). Every matching pattern contributes the settings it sets, in file order (a
later pattern overrides an earlier one field by field). Settings are applied through
``map_asset_specs`` (partitions, automation condition, group, kinds) and ``with_attributes``
(backfill policy), so they land on each model of a dbt multi-asset too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import dagster as dg

from floe_core.globs import glob_match
from floe_core.models import AssetConfig, BackfillPolicyConfig

if TYPE_CHECKING:
    from floe_runtime.automation import Condition


@dataclass(frozen=True)
class ResolvedAssetConfig:
    """The settings that apply to one asset after merging every matching pattern."""

    partitions: str | None = None
    automation_condition: str | None = None
    backfill_policy: str | BackfillPolicyConfig | None = None
    compute_kind: str | None = None
    group_name: str | None = None


_NOTHING = ResolvedAssetConfig()


def resolve(key: dg.AssetKey, patterns: Mapping[str, AssetConfig]) -> ResolvedAssetConfig:
    """The merged settings of every pattern matching ``key``."""
    merged: dict[str, object] = {}
    name, full = key.path[-1], key.to_user_string()
    for pattern, config in patterns.items():
        if glob_match(pattern, name) or glob_match(pattern, full):
            merged.update(config.model_dump(exclude_none=True, exclude_unset=False))
            if isinstance(config.backfill_policy, BackfillPolicyConfig):
                merged["backfill_policy"] = config.backfill_policy
    return ResolvedAssetConfig(**merged)  # type: ignore[arg-type]


def backfill_policy(config: ResolvedAssetConfig) -> dg.BackfillPolicy | None:
    """The Dagster backfill policy of a resolved config."""
    policy = config.backfill_policy
    if policy is None:
        return None
    if isinstance(policy, BackfillPolicyConfig):
        if policy.type == "single_run":
            return dg.BackfillPolicy.single_run()
        return dg.BackfillPolicy.multi_run(policy.max_partitions_per_run or 1)
    return (
        dg.BackfillPolicy.single_run() if policy == "single_run" else dg.BackfillPolicy.multi_run()
    )


@dataclass(frozen=True)
class PatternApplier:
    """Applies resolved pattern settings to asset definitions and specs."""

    patterns: Mapping[str, AssetConfig]
    partitions: Mapping[str, dg.PartitionsDefinition]
    automation: Callable[[dg.AssetKey, ResolvedAssetConfig], Condition | None]
    _resolved: dict[dg.AssetKey, ResolvedAssetConfig] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def config_for(self, key: dg.AssetKey) -> ResolvedAssetConfig:
        """Merged settings for one asset (each key resolved once)."""
        if not self.patterns:
            return _NOTHING
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = resolve(key, self.patterns)
        return found

    def partitions_for(self, key: dg.AssetKey) -> tuple[str | None, dg.PartitionsDefinition | None]:
        """The partitions name and definition a pattern gives ``key`` (or none)."""
        name = self.config_for(key).partitions
        return (name, self.partitions[name]) if name else (None, None)

    def backfill_policy_for(self, key: dg.AssetKey) -> dg.BackfillPolicy | None:
        """The backfill policy a pattern gives ``key`` (or none)."""
        return backfill_policy(self.config_for(key))

    def spec(self, spec: dg.AssetSpec) -> dg.AssetSpec:
        """One spec with its pattern settings."""
        config = self.config_for(spec.key)
        changes: dict[str, object] = {}
        if config.partitions:
            changes["partitions_def"] = self.partitions[config.partitions]
        if config.group_name:
            changes["group_name"] = config.group_name
        condition = self.automation(spec.key, config)
        if condition is not None:
            changes["automation_condition"] = condition
        if config.compute_kind:
            changes["kinds"] = {*spec.kinds, config.compute_kind}
        return spec.replace_attributes(**changes) if changes else spec  # type: ignore[arg-type]

    def assets(self, assets_def: dg.AssetsDefinition) -> dg.AssetsDefinition:
        """An assets definition with its specs' pattern settings and backfill policy (the
        same object when no setting applies)."""
        specs = {spec.key: self.spec(spec) for spec in assets_def.specs}
        changed = any(specs[spec.key] is not spec for spec in assets_def.specs)
        mapped = assets_def.map_asset_specs(lambda spec: specs[spec.key]) if changed else assets_def
        policies = {self.backfill_policy_for(key) for key in mapped.keys}
        policies.discard(None)
        if len(policies) == 1 and mapped.partitions_def is not None:
            mapped = mapped.with_attributes(backfill_policy=policies.pop())
        return mapped

    def apply(
        self, definitions: Iterable[dg.AssetsDefinition | dg.AssetSpec]
    ) -> list[dg.AssetsDefinition | dg.AssetSpec]:
        """Every definition and spec with its pattern settings."""
        return [
            self.assets(item) if isinstance(item, dg.AssetsDefinition) else self.spec(item)
            for item in definitions
        ]
