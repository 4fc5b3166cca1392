"""``load_definitions``: a validated floe.yaml (and platform.yaml) -> ``dagster.Definitions``.

The config is loaded by ``floe_core.load_config``, which refuses any file with errors (one
``FloeConfigError`` listing each as ``file:line:col``); nothing is built from a bad config.
Then, in order: platform and observability settings, partitions, Python assets from the
asset modules, the dbt assets (profiles generated, manifest parsed when stale), asset
patterns, jobs, schedules, sensors and the automation sensor. Problems found only at this
stage (a module that fails to import, a dbt project that does not parse) are raised as a
``FloeConfigError`` pointing at the floe.yaml line that named them.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.definitions.assets.graph.asset_graph import AssetGraph

from floe_core import FloeConfigError, LoadedConfig, load_config
from floe_core.job_partitions import assets_of_job
from floe_core.models import (
    AssetSensor,
    BatchJob,
    CustomSensor,
    FileWatcherSensor,
    FloeSpec,
    OpsJob,
    OrchestrationConfig,
    RunStatusSensor,
)
from floe_core.project_cache import ProjectCache
from floe_core.universe import AssetInfo
from floe_runtime import sensors as floe_sensors
from floe_runtime.asset_patterns import PatternApplier, ResolvedAssetConfig
from floe_runtime.automation import Condition, automation_sensor, condition_for
from floe_runtime.calls import ArgumentError, PreparedCall, prepare_call
from floe_runtime.config import config_error, find_config
from floe_runtime.dbt_assets import (
    DbtAssetPlan,
    build_job_level,
    build_per_model,
    dbt_resource,
    register_datasets,
)
from floe_runtime.dbt_project import (
    DbtProjectError,
    DbtProjectPaths,
    ensure_manifest,
    manifest_cache,
    manifest_is_stale,
    refresh_manifest,
    resolve_project,
)
from floe_runtime.dbt_translator import FloeDbtTranslator
from floe_runtime.jobs import JobTarget, batch_job, ops_job
from floe_runtime.modules import ModuleImportError, import_function, import_module
from floe_runtime.observability import LineageCatalog, ObservabilitySettings, observability_hooks
from floe_runtime.partitions import build_partitions, dynamic_partition_sensors
from floe_runtime.platform import DuckDBProfile, Platform, PlatformConfigError, load_platform
from floe_runtime.profiles import render_profiles, write_profiles
from floe_runtime.resources import WarehouseResource
from floe_runtime.schedules import build_schedule
from floe_runtime.selection import AssetIndex, SelectionTranslationError, translate_items

AssetLike = dg.AssetsDefinition | dg.AssetSpec


def load_definitions(
    path: str | Path = "floe.yaml",
    *,
    env: Mapping[str, str] | None = None,
    platform: str | Path | None = "platform.yaml",
) -> dg.Definitions:
    """Build the Dagster definitions of a floe.yaml.

    ``path`` is absolute, relative to the working directory, or relative to the calling
    module's folder or one of its parents. ``env`` replaces the process environment for
    ``${VAR}`` interpolation and endpoint variables. ``platform`` is looked up next to
    floe.yaml and in its parents; without one, the warehouse is an embedded DuckDB file
    ``<name>.duckdb`` next to floe.yaml and nothing is emitted to observability backends.
    Raises ``floe_core.FloeConfigError`` when the config (or what it names) is invalid.
    """
    frame = inspect.currentframe()
    caller = frame.f_back.f_globals.get("__file__") if frame and frame.f_back else None
    cache = manifest_cache()
    config_path = find_config(path, caller)
    environment = os.environ if env is None else env
    try:
        loaded = load_config(config_path, env=env, cache=cache)
    except FloeConfigError as error:
        if error.spec is None or not _parsed_stale_manifest(
            error.spec, config_path.parent, environment, platform
        ):
            raise
        loaded = load_config(config_path, env=env, cache=cache)
    return _Builder(loaded, environment, platform, cache).build()


def _parsed_stale_manifest(
    spec: FloeSpec, base_dir: Path, env: Mapping[str, str], platform_path: str | Path | None
) -> bool:
    """Run ``dbt parse`` when the config's dbt manifest is older than its project, so a
    model added together with the floe.yaml lines that name it is judged against the new
    manifest. False when there is nothing to refresh (or it cannot be: the original errors
    stand)."""
    dbt = spec.orchestration.dbt if spec.orchestration else None
    if dbt is None:
        return False
    try:
        paths = resolve_project(dbt, spec, base_dir)
        if not manifest_is_stale(paths):
            return False
        platform = load_platform(platform_path, base_dir, env)
        _write_profiles(paths, _profile_of(spec, base_dir, platform), platform)
        refresh_manifest(paths)
    except (DbtProjectError, PlatformConfigError):
        return False
    return True


def _profile_of(spec: FloeSpec, base_dir: Path, platform: Platform) -> Any:
    """The compute profile the config runs on (an embedded DuckDB file by default)."""
    return platform.compute_profile(spec.compute, base_dir / f"{spec.name}.duckdb")


def _write_profiles(paths: DbtProjectPaths, profile: Any, platform: Platform) -> None:
    """dbt's profiles.yml for the compute profile, when floe generates it."""
    if paths.profiles_generated:
        write_profiles(
            paths.profiles_dir, render_profiles(paths.profile_name, paths.target, profile, platform)
        )


@dataclass
class _Builder:
    """Builds the definitions of one loaded config; each step a method."""

    loaded: LoadedConfig
    env: Mapping[str, str]
    platform_path: str | Path | None
    cache: ProjectCache
    resources: dict[str, Any] = field(default_factory=dict)

    @property
    def orchestration(self) -> OrchestrationConfig:
        return self.loaded.spec.orchestration or OrchestrationConfig()

    def build(self) -> dg.Definitions:
        spec, base = self.loaded.spec, self.loaded.base_dir
        platform = self._platform()
        profile = self._compute_profile(platform)
        if isinstance(profile, DuckDBProfile):
            self.resources["warehouse"] = WarehouseResource(
                path=str(platform.resolve(profile.path))
            )
        settings = ObservabilitySettings.resolve(
            spec.name, spec.observability, platform.config.observability, self.env
        )
        catalog = LineageCatalog(spec.name)
        partitions = build_partitions(self.orchestration.partitions)
        applier = PatternApplier(
            self.orchestration.assets, partitions, self._automation(partitions)
        )
        python_assets, checks = self._python_assets()
        python_assets = applier.apply(python_assets)
        dbt_assets = self._dbt_assets(
            python_assets, applier, platform, profile=profile, settings=settings, catalog=catalog
        )
        python_assets = [_observed(a, settings, catalog) for a in python_assets]
        all_assets: list[AssetLike] = [*python_assets, *dbt_assets]
        catalog.add_assets(a for a in all_assets if isinstance(a, dg.AssetsDefinition))
        index = AssetIndex.of(all_assets)
        jobs, job_partitions = self._jobs(index, all_assets)
        schedules = self._schedules(jobs, job_partitions)
        sensors = self._sensors(jobs, job_partitions)
        sensors.extend(dynamic_partition_sensors(self.orchestration.partitions, base))
        if any(spec_.automation_condition for spec_ in index.specs):
            sensors.append(automation_sensor())
        return dg.Definitions(
            assets=all_assets,
            asset_checks=checks,
            jobs=list(jobs.values()),
            schedules=schedules,
            sensors=sensors,
            resources=self.resources,
            executor=dg.in_process_executor if isinstance(profile, DuckDBProfile) else None,
        )

    def _platform(self) -> Platform:
        try:
            return load_platform(self.platform_path, self.loaded.base_dir, self.env)
        except PlatformConfigError as exc:
            raise config_error(self.loaded, ("compute",), "platform", str(exc)) from exc

    def _compute_profile(self, platform: Platform) -> Any:
        try:
            return _profile_of(self.loaded.spec, self.loaded.base_dir, platform)
        except PlatformConfigError as exc:
            raise config_error(self.loaded, ("compute",), "platform", str(exc)) from exc

    def _automation(
        self, partitions: Mapping[str, dg.PartitionsDefinition]
    ) -> Callable[[dg.AssetKey, ResolvedAssetConfig], Condition | None]:
        def schedule_cron(key: dg.AssetKey) -> tuple[str, str] | None:
            for schedule in self.orchestration.schedules.values():
                if key.to_user_string() in assets_of_job(self.loaded.analysis, schedule.job).keys:
                    return schedule.cron_schedule, schedule.timezone
            return None

        def automation(key: dg.AssetKey, config: ResolvedAssetConfig) -> Condition | None:
            partitions_def = partitions[config.partitions] if config.partitions else None
            return condition_for(config, partitions_def, schedule_cron, key)

        return automation

    def _python_assets(self) -> tuple[list[AssetLike], list[dg.AssetChecksDefinition]]:
        modules = []
        for index, name in enumerate(self.orchestration.asset_modules):
            try:
                modules.append(import_module(name, self.loaded.base_dir))
            except ModuleImportError as failure:
                raise config_error(
                    self.loaded,
                    ("orchestration", "asset_modules", index),
                    "module-import",
                    f"asset module {failure}",
                ) from failure
        loaded = dg.load_assets_from_modules(modules, include_specs=True)
        assets = [a for a in loaded if isinstance(a, dg.AssetsDefinition | dg.AssetSpec)]
        checks = list(dg.load_asset_checks_from_modules(modules))
        return assets, checks

    def _dbt_assets(
        self,
        python_assets: Sequence[AssetLike],
        applier: PatternApplier,
        platform: Platform,
        *,
        profile: Any,
        settings: ObservabilitySettings,
        catalog: LineageCatalog,
    ) -> list[dg.AssetsDefinition]:
        dbt = self.orchestration.dbt
        if dbt is None:
            return []
        where = ("orchestration", "dbt")
        try:
            paths = resolve_project(dbt, self.loaded.spec, self.loaded.base_dir)
            _write_profiles(paths, profile, platform)
            manifest = ensure_manifest(paths, self.cache)
        except DbtProjectError as exc:
            raise config_error(self.loaded, where, "dbt-project", str(exc)) from exc
        python_keys = frozenset(k for a in python_assets for k in _keys(a))
        plan = DbtAssetPlan(manifest, FloeDbtTranslator(python_keys), paths, settings, catalog)
        register_datasets(plan, _namespace(profile, platform))
        self.resources["dbt"] = dbt_resource(paths)
        if dbt.observability_level == "job_level":
            built = [build_job_level(plan, "dbt")]
        else:
            built = build_per_model(plan, applier.partitions_for, applier.backfill_policy_for)
        return [applier.assets(assets_def) for assets_def in built]

    def _jobs(
        self, index: AssetIndex, all_assets: Sequence[AssetLike]
    ) -> tuple[dict[str, JobTarget], dict[str, dg.PartitionsDefinition | None]]:
        jobs: dict[str, JobTarget] = {}
        partitions: dict[str, dg.PartitionsDefinition | None] = {}
        graph = _LazyGraph(all_assets)
        for name, job in self.orchestration.jobs.items():
            where = ("orchestration", "jobs", name)
            if isinstance(job, BatchJob):
                try:
                    selection = translate_items(job.selection, index)
                except SelectionTranslationError as exc:
                    raise config_error(
                        self.loaded, (*where, "selection"), "selection", str(exc)
                    ) from exc
                partitions[name] = self._job_partitions(name, selection, index, graph)
                jobs[name] = batch_job(name, job, selection)
            elif isinstance(job, OpsJob):
                call = self._call(job.target_function, job.args, where)
                jobs[name] = ops_job(name, job, call)
                partitions[name] = None
        return jobs, partitions

    def _job_partitions(
        self, name: str, selection: dg.AssetSelection, index: AssetIndex, graph: _LazyGraph
    ) -> dg.PartitionsDefinition | None:
        """The partitions of the assets a job selects: from the core's resolution of the
        selection when its asset universe is complete (dbt sources it selects are no Dagster
        assets, so they carry no partitions), else from Dagster's asset graph."""
        selected = assets_of_job(self.loaded.analysis, name)
        universe = self.loaded.analysis.universe.assets
        outside = selected.keys - index.by_key.keys()
        if selected.complete and all(_is_source(universe.get(key)) for key in outside):
            specs = [index.by_key[key] for key in selected.keys - outside]
            found = {spec.partitions_def for spec in specs} - {None}
        else:
            keys = selection.resolve(graph.get(), allow_missing=True)
            found = {graph.get().get(key).partitions_def for key in keys} - {None}
        if len(found) > 1:
            raise config_error(
                self.loaded,
                ("orchestration", "jobs", name, "selection"),
                "job-partitions",
                f"job '{name}' selects assets with {len(found)} different partition "
                "definitions; a job can run one kind of partition",
            )
        return next(iter(found), None)

    def _function(self, reference: str, where: tuple[str | int, ...]) -> Callable[..., Any]:
        try:
            return import_function(reference, self.loaded.base_dir)
        except ModuleImportError as failure:
            raise config_error(self.loaded, where, "function-import", str(failure)) from failure

    def _call(
        self, reference: str, args: Mapping[str, Any] | None, where: tuple[str | int, ...]
    ) -> PreparedCall:
        function = self._function(reference, (*where, "target_function"))
        try:
            return prepare_call(function, args, frozenset(self.resources))
        except ArgumentError as exc:
            raise config_error(
                self.loaded, (*where, "args"), "function-args", f"{reference}: {exc}"
            ) from exc

    def _schedules(
        self,
        jobs: Mapping[str, JobTarget],
        partitions: Mapping[str, dg.PartitionsDefinition | None],
    ) -> list[dg.ScheduleDefinition]:
        built = []
        for name, schedule in self.orchestration.schedules.items():
            selector = schedule.partition_selector
            function = None
            if selector is not None and selector not in ("latest", "all"):
                where = ("orchestration", "schedules", name, "partition_selector")
                function = self._function(selector, where)
            built.append(
                build_schedule(
                    name, schedule, jobs[schedule.job], partitions[schedule.job], function
                )
            )
        return built

    def _sensors(
        self,
        jobs: Mapping[str, JobTarget],
        partitions: Mapping[str, dg.PartitionsDefinition | None],
    ) -> list[dg.SensorDefinition]:
        built: list[dg.SensorDefinition] = []
        for name, sensor in self.orchestration.sensors.items():
            job, job_partitions = jobs[sensor.job], partitions[sensor.job]
            if isinstance(sensor, FileWatcherSensor):
                folder = self.loaded.resolve(sensor.path)
                built.append(floe_sensors.file_watcher(name, sensor, job, job_partitions, folder))
            elif isinstance(sensor, AssetSensor):
                built.append(floe_sensors.asset_sensor(name, sensor, job, job_partitions))
            elif isinstance(sensor, RunStatusSensor):
                watched = [jobs[watched] for watched in sensor.watched_jobs]
                built.append(floe_sensors.run_status(name, sensor, job, job_partitions, watched))
            elif isinstance(sensor, CustomSensor):
                where = ("orchestration", "sensors", name)
                call = self._call(sensor.target_function, sensor.args, where)
                built.append(floe_sensors.custom(name, sensor, job, job_partitions, call))
        return built


class _LazyGraph:
    """Dagster's asset graph of the loaded assets, built on first use only."""

    def __init__(self, assets: Sequence[AssetLike]) -> None:
        self._assets = assets
        self._graph: AssetGraph | None = None

    def get(self) -> AssetGraph:
        """The graph (built now if it was not yet)."""
        if self._graph is None:
            self._graph = AssetGraph.from_assets(
                [
                    a if isinstance(a, dg.AssetsDefinition) else dg.AssetsDefinition(specs=[a])
                    for a in self._assets
                ]
            )
        return self._graph


def _is_source(info: AssetInfo | None) -> bool:
    return info is not None and info.kind == "source"


def _keys(asset: AssetLike) -> list[dg.AssetKey]:
    return list(asset.keys) if isinstance(asset, dg.AssetsDefinition) else [asset.key]


def _observed(
    asset: AssetLike, settings: ObservabilitySettings, catalog: LineageCatalog
) -> AssetLike:
    """An executable Python asset with the hooks that observe its step."""
    if not isinstance(asset, dg.AssetsDefinition) or not asset.is_executable:
        return asset
    hooks = observability_hooks(settings, catalog, tuple(asset.keys))
    return asset.with_attributes(hook_defs={*asset.hook_defs, *hooks}) if hooks else asset


def _namespace(profile: Any, platform: Platform) -> str:
    if isinstance(profile, DuckDBProfile):
        return f"duckdb://{platform.resolve(profile.path)}"
    location = getattr(profile, "account", None) or getattr(profile, "host", None)
    return f"{profile.type}://{location or profile.type}"
