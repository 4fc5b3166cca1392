"""Builds the AssetUniverse of a document from its dbt manifest and asset modules.

Python assets come first (the runtime maps dbt sources onto Python assets of the same
name); then every dbt model, seed, snapshot and source. Problems reading either source are
diagnostics on the value that named it: a module that does not exist or does not parse
(error, on its ``asset_modules`` item), a missing manifest (warning: run ``dbt parse``) or
an unusable one (error, on ``manifest_path``). The universe is ``complete`` only when every
configured source was read and no asset name may be computed at run time; with no source
configured at all it is not ``known`` and asset names are not checked.

The manifest path: ``manifest_path`` relative to ``dbt.project_dir`` (itself relative to
floe.yaml) when set, else relative to floe.yaml; ``AnalysisContext.manifest_path`` wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from floe_core.context import AnalysisContext
from floe_core.diagnostics import Diagnostic, Severity
from floe_core.entities import Entities
from floe_core.manifest import DbtNode, ManifestError, ManifestIndex, load_manifest
from floe_core.module_resolution import find_module, resolve_module
from floe_core.positions import DOCUMENT_START, Range
from floe_core.python_modules import ModuleScan, PyAsset, scan_module
from floe_core.tree_paths import lookup
from floe_core.universe import AssetInfo, AssetUniverse
from floe_core.yaml_tree import MapNode, Node, ScalarNode, SeqNode

MAX_IMPORT_DEPTH = 4
# The runtime keeps AssetsDefinitions and AssetSpecs of a module, not SourceAssets (which
# @observable_source_asset and SourceAsset(...) create): they are not assets of the pipeline.
RUNTIME_SKIPPED_KINDS = frozenset({"source", "observable_source"})


class ScannedModule(NamedTuple):
    """One module read for assets: its dotted name and the scan."""

    dotted: str
    scan: ModuleScan


class DbtAssets(NamedTuple):
    """The assets made of one manifest index, given the Python asset keys (cached)."""

    manifest: ManifestIndex
    python_keys: frozenset[str]
    infos: list[AssetInfo]


def manifest_location(context: AnalysisContext, entities: Entities) -> Path | None:
    """Where the dbt manifest is read from (None when no dbt section is configured)."""
    if context.manifest_path is not None:
        return context.manifest_path
    if entities.dbt is None:
        return None
    base = context.base_dir
    if entities.dbt.project_dir:
        base = base / entities.dbt.project_dir
    return base / entities.dbt.manifest_path


def dbt_project_dir(context: AnalysisContext, entities: Entities) -> Path | None:
    """The dbt project folder (``project_dir`` relative to floe.yaml, else floe.yaml's)."""
    if entities.dbt is None:
        return None
    if entities.dbt.project_dir:
        return context.base_dir / entities.dbt.project_dir
    return context.base_dir


def build_universe(
    context: AnalysisContext, entities: Entities, sink: list[Diagnostic], root: MapNode
) -> AssetUniverse:
    """The assets this pipeline will have; problems reading sources are added to ``sink``."""
    builder = _UniverseBuilder(context, entities, sink, root)
    try:
        return builder.build()
    except Exception as exc:  # a safety net: reading the project must never crash analysis
        sink.append(
            Diagnostic(
                DOCUMENT_START,
                Severity.WARNING,
                "internal-error",
                f"floe could not read the project's assets ({type(exc).__name__}: {exc}); "
                "asset names are not checked. Please report this.",
            )
        )
        return AssetUniverse()


class _UniverseBuilder:
    def __init__(
        self, context: AnalysisContext, entities: Entities, sink: list[Diagnostic], root: MapNode
    ) -> None:
        self.context = context
        self.entities = entities
        self.sink = sink
        self.root = root
        self.universe = AssetUniverse()
        self.complete = True

    def build(self) -> AssetUniverse:
        modules = self._module_nodes()
        has_dbt = self.entities.dbt is not None or self.context.manifest_path is not None
        self.universe.known = bool(modules) or has_dbt
        for node in modules:
            self._python_module(node)
        if has_dbt:
            self._dbt()
        self.universe.complete = self.universe.known and self.complete
        return self._previous_if_same(self.universe)

    def _previous_if_same(self, built: AssetUniverse) -> AssetUniverse:
        """The last universe built for this document when nothing in it changed.

        Between two keystrokes the assets are nearly always the same; handing back the
        previous object keeps what it memoized (resolved selections, graph closures).
        Diagnostics were produced by this build either way.
        """
        key = ("universe", str(self.context.path))
        previous = self.context.cache.recall(key)
        if (
            isinstance(previous, AssetUniverse)
            and previous.known == built.known
            and previous.complete == built.complete
            and previous.manifest is built.manifest
            and previous.incomplete_reasons == built.incomplete_reasons
            and previous.assets == built.assets
        ):
            return previous
        self.context.cache.remember(key, built)
        return built

    def incomplete(self, reason: str) -> None:
        self.complete = False
        self.universe.incomplete_reasons.append(reason)

    def _module_nodes(self) -> list[ScalarNode]:
        found = lookup(self.root, ("orchestration", "asset_modules"))
        if not found.exact or not isinstance(found.node, SeqNode):
            return []
        return [item for item in found.node.items if isinstance(item, ScalarNode)]

    def _python_module(self, node: ScalarNode) -> None:
        dotted = node.value
        if not isinstance(dotted, str) or not dotted or node.unresolved:
            self.incomplete("an asset module path is not known")
            return
        where = node.content_range
        context = self.context
        resolution = find_module(dotted, context.base_dir, context.extra_roots, context.cache)
        if resolution.namespace:
            self.sink.append(
                Diagnostic(
                    where,
                    Severity.WARNING,
                    "module-namespace",
                    f"asset module '{dotted}' is a folder without __init__.py; Dagster loads "
                    "assets only from a module itself, so it contributes none. Name the "
                    f"module files inside it (e.g. '{dotted}.assets')",
                )
            )
            return
        if resolution.path is None:
            self.incomplete(f"asset module '{dotted}' was not found")
            self.sink.append(_module_not_found(dotted, where, resolution.searched, self.context))
            return
        scan = scan_module(resolution.path, self.context.cache)
        if scan is None or not self._scan_ok(dotted, scan, where):
            return
        self._add_scan(dotted, scan, set(), 0, where)

    def _scan_ok(self, dotted: str, scan: ModuleScan, where: Range) -> bool:
        if scan.unreadable is not None:
            self.incomplete(f"asset module '{dotted}' cannot be read")
            self.sink.append(
                Diagnostic(
                    where,
                    Severity.ERROR,
                    "module-unreadable",
                    f"asset module '{dotted}' ({scan.path}) cannot be read: {scan.unreadable}",
                )
            )
            return False
        if scan.syntax_error is not None:
            problem = scan.syntax_error
            self.incomplete(f"asset module '{dotted}' has a syntax error")
            self.sink.append(
                Diagnostic(
                    where,
                    Severity.ERROR,
                    "module-syntax-error",
                    f"asset module '{dotted}' cannot be loaded: {scan.path}:{problem.line + 1}:"
                    f"{problem.column + 1}: syntax error: {problem.message}",
                )
            )
            return False
        if scan.dynamic:
            line, reason = scan.dynamic[0]
            more = f" (and {len(scan.dynamic) - 1} more places)" if len(scan.dynamic) > 1 else ""
            self.incomplete(f"{scan.path}:{line + 1}: {reason}")
            self.sink.append(
                Diagnostic(
                    where,
                    Severity.INFORMATION,
                    "module-dynamic-assets",
                    f"asset module '{dotted}' may define assets floe cannot see without running "
                    f"it ({scan.path.name}:{line + 1}: {reason}{more}); asset names that floe "
                    "does not find are reported as warnings, not errors",
                )
            )
        return True

    def _add_scan(
        self, dotted: str, scan: ModuleScan, seen: set[Path], depth: int, where: Range
    ) -> None:
        if scan.path in seen:
            return
        seen.add(scan.path)
        functions: dict[str, str] = {}
        for asset in scan.assets:
            if asset.function:
                functions.setdefault(asset.function, "/".join(asset.key))
        for asset in scan.assets:
            if asset.kind in RUNTIME_SKIPPED_KINDS:
                continue
            info = _python_info(dotted, scan.path, asset, functions)
            self._add_python(info, where)
        if depth >= MAX_IMPORT_DEPTH:
            return
        for module, _line, names in scan.imports:
            target = self._imported(module, dotted, scan.path)
            if target is None:
                continue
            imported_dotted, imported = target
            if imported.dynamic:
                line, reason = imported.dynamic[0]
                self.incomplete(f"{imported.path}:{line + 1}: {reason}")
            if "*" in names:
                self._add_scan(imported_dotted, imported, seen, depth + 1, where)
                continue
            wanted = set(names)
            picked = ModuleScan(
                imported.path,
                assets=[a for a in imported.assets if a.function in wanted],
            )
            self._add_scan(imported_dotted, picked, set(), MAX_IMPORT_DEPTH, where)

    def _add_python(self, info: AssetInfo, where: Range) -> None:
        existing = self.universe.assets.get(info.key)
        if existing is None:
            self.universe.add(info)
        elif existing.location != info.location:
            self.sink.append(_duplicate(info, existing, where))

    def _imported(
        self, module: str, importer_dotted: str, importer: Path
    ) -> tuple[str, ModuleScan] | None:
        """The scan of a project module imported by ``importer`` (not third-party ones)."""
        stripped = module.lstrip(".")
        dots = len(module) - len(stripped)
        if dots:
            base = importer.parent
            package = importer_dotted.lstrip(".").split(".")
            if importer.name != "__init__.py":
                package = package[:-1]
            for _ in range(dots - 1):
                base = base.parent
                package = package[:-1]
            if not stripped:
                return None
            resolution = resolve_module("." + stripped, base)
            stripped = ".".join([*package, stripped])
        else:
            if not stripped:
                return None
            context = self.context
            resolution = find_module(stripped, context.base_dir, context.extra_roots, context.cache)
        if resolution.path is None:
            return None
        scan = scan_module(resolution.path, self.context.cache)
        if scan is None or scan.syntax_error is not None or scan.unreadable is not None:
            return None
        return stripped, scan

    def _dbt(self) -> None:
        path = manifest_location(self.context, self.entities)
        node = self._manifest_node()
        if path is None or (isinstance(node, ScalarNode) and node.unresolved):
            self.incomplete("the dbt manifest path is not known")
            return
        try:
            index = load_manifest(
                path, self.context.cache, dbt_project_dir(self.context, self.entities)
            )
        except ManifestError as problem:
            self.incomplete(f"the dbt manifest cannot be used: {problem.message}")
            where = node.content_range if isinstance(node, ScalarNode) else self._dbt_key_range()
            self.sink.append(_manifest_diagnostic(problem, where))
            return
        self.universe.manifest = index
        python_keys = frozenset(self.universe.assets)
        if self.entities.dbt is not None and self.entities.dbt.observability_level == "job_level":
            self.universe.add(_dbt_build_asset(index, python_keys, path))
            return
        memo = self.context.cache.for_kind("dbt-assets")
        stored = memo.peek(path)
        if (
            isinstance(stored, DbtAssets)
            and stored.manifest is index
            and stored.python_keys == python_keys
        ):
            infos = stored.infos
        else:
            infos = _dbt_assets(index, python_keys)
            memo.put(path, DbtAssets(index, python_keys, infos))
        known = self.universe.assets
        before = len(known)
        self.universe.add_all(info for info in infos if info.key not in known)
        if isinstance(node, ScalarNode) and len(known) - before != len(infos):
            for info in infos:
                existing = known.get(info.key)
                if existing is not info and info.kind != "source" and existing is not None:
                    self.sink.append(_duplicate(info, existing, node.content_range))

    def _dbt_key_range(self) -> Range:
        """Where to report a manifest given outside floe.yaml: the dbt key, else the top."""
        found = lookup(self.root, ("orchestration", "dbt"))
        if found.exact and found.entry is not None:
            return found.entry.key.range
        return DOCUMENT_START

    def _manifest_node(self) -> Node | None:
        found = lookup(self.root, ("orchestration", "dbt", "manifest_path"))
        return found.node if found.exact else None


def _dbt_assets(index: ManifestIndex, python_keys: frozenset[str]) -> list[AssetInfo]:
    """Every asset node of the manifest; models, seeds and snapshots carry dagster-dbt's
    kinds ('dbt' and the adapter) as ``dagster/kind/...`` tags.

    One pass finds the asset nodes and their keys; a node's upstream keys are its direct
    parents' keys, unless a parent is no asset (an ephemeral model: looked through) or is
    listed twice.
    """
    kinds = {"dagster/kind/dbt": "", f"dagster/kind/{index.adapter_type or 'dbt'}": ""}
    only_kinds = MappingProxyType(kinds)
    assets = [node for node in index.nodes.values() if node.is_asset]
    key_of = {
        node.unique_id: node.asset_key(python_keys) if python_keys else node.own_key
        for node in assets
    }
    parent_key = key_of.__getitem__
    infos: list[AssetInfo] = []
    for node in assets:
        parents = node.depends_on
        try:
            deps = tuple(map(parent_key, parents))
        except KeyError:
            deps = _looked_through(index, node, python_keys)
        else:
            if len(parents) > 1 and len(set(parents)) != len(parents):
                deps = _looked_through(index, node, python_keys)
        kind = node.resource_type
        tags: Mapping[str, str] = node.asset_tags
        if kind != "source":
            tags = {**tags, **kinds} if tags else only_kinds
        infos.append(
            AssetInfo(
                key_of[node.unique_id],
                "dbt",
                kind,
                node.asset_group,
                tags,
                deps,
                node.description or None,
                None,
                node,
            )
        )
    return infos


def _looked_through(
    index: ManifestIndex, node: DbtNode, python_keys: frozenset[str]
) -> tuple[str, ...]:
    """The keys of a node's nearest asset parents, looking through ephemeral models."""
    return tuple(parent.asset_key(python_keys) for parent in index.asset_parents(node))


def _dbt_build_asset(index: ManifestIndex, python_keys: frozenset[str], path: Path) -> AssetInfo:
    """The one asset of ``observability_level: job_level``: the whole ``dbt build``."""
    project = index.project_name or "dbt"
    sources = (n for n in index.nodes.values() if n.resource_type == "source")
    return AssetInfo(
        key=f"{project}_dbt_build",
        source="dbt",
        kind="asset",
        group="dbt",
        tags={"dagster/kind/dbt": ""},
        deps=tuple(sorted({n.asset_key(python_keys) for n in sources})),
        description=f"Runs `dbt build` for the whole dbt project '{project}' (job_level).",
        defined_at=(path, 0),
    )


def _python_info(dotted: str, path: Path, asset: PyAsset, functions: dict[str, str]) -> AssetInfo:
    deps = tuple(
        "/".join(dep) if isinstance(dep, tuple) else functions.get(dep, dep) for dep in asset.deps
    )
    tags = dict(asset.tags)
    for kind in asset.kinds:
        tags.setdefault(f"dagster/kind/{kind}", "")
    return AssetInfo(
        key="/".join(asset.key),
        source="python",
        kind=asset.kind,
        group=asset.group,
        tags=tags,
        deps=deps,
        description=asset.description,
        defined_at=(path, asset.line),
        partitioned=asset.partitioned,
        module=dotted,
    )


def _duplicate(info: AssetInfo, existing: AssetInfo, where: Range) -> Diagnostic:
    def place(asset: AssetInfo) -> str:
        if asset.location is None:
            return f"the {asset.source} {asset.kind}"
        return f"{asset.location[0]}:{asset.location[1] + 1}"

    return Diagnostic(
        where,
        Severity.ERROR,
        "duplicate-asset-key",
        f"asset key '{info.key}' is defined twice: in {place(existing)} and in {place(info)}; "
        "Dagster refuses two assets with one key: rename one (name=, key_prefix= or "
        "meta.dagster.asset_key)",
    )


def _module_not_found(
    dotted: str, where: Range, searched: tuple[Path, ...], context: AnalysisContext
) -> Diagnostic:
    shown = ", ".join(str(p) for p in searched[:6])
    if len(searched) > 6:
        shown += f" (and {len(searched) - 6} more)"
    if dotted.startswith("."):
        hint = "a leading '.' makes the path relative to floe.yaml's folder"
    else:
        hint = (
            "a dotted path is looked up in floe.yaml's folder, its parent folders and the "
            "configured extra roots; a leading '.' makes it relative to floe.yaml's folder"
        )
    return Diagnostic(
        where,
        Severity.ERROR,
        "module-not-found",
        f"asset module '{dotted}' does not exist (looked for {shown or 'nothing'}); {hint}",
    )


def _manifest_diagnostic(problem: ManifestError, where: Range) -> Diagnostic:
    if problem.kind == "missing":
        return Diagnostic(
            where,
            Severity.WARNING,
            "manifest-missing",
            f"{problem.message}; until then dbt models are unknown and asset names are not "
            "checked strictly",
        )
    return Diagnostic(where, Severity.ERROR, "manifest-invalid", problem.message)
