"""What a user Python module defines, read with ``ast`` and never imported.

Scanning parses the file and records: Dagster assets (``@asset``, ``@multi_asset``,
``@graph_asset``, ``@graph_multi_asset``, ``@observable_source_asset``, ``AssetSpec(...)``
and ``SourceAsset(...)`` at module level) with their keys, groups, tags, kinds,
dependencies and whether they carry a ``partitions_def``; asset checks; module-level
functions (name -> line); names imported from other project modules (Dagster loads those
too); and the reasons the list may be incomplete (names computed at run time, assets made
in loops or factories, ``@dbt_assets``). Finding a module's file is
floe_core.module_resolution's job.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from floe_core.project_cache import ProjectCache

_ASSET_DECORATORS = frozenset({"asset", "graph_asset", "observable_source_asset"})
_MULTI_DECORATORS = frozenset({"multi_asset", "graph_multi_asset"})
_CHECK_DECORATORS = frozenset({"asset_check", "multi_asset_check"})
_DYNAMIC_DECORATORS = frozenset({"dbt_assets", "dlt_assets", "sling_assets"})
_SKIPPED_PARAMETERS = frozenset({"context", "config", "self"})


@dataclass(frozen=True)
class PyAsset:
    """One asset defined in Python, as written in the source."""

    key: tuple[str, ...]
    line: int
    function: str | None = None
    group: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    deps: tuple[tuple[str, ...] | str, ...] = ()
    kinds: tuple[str, ...] = ()
    description: str | None = None
    partitioned: bool = False
    kind: str = "asset"


class SyntaxProblem(NamedTuple):
    """A syntax error in a module: 0-based line and column, and Python's message."""

    line: int
    column: int
    message: str


@dataclass
class ModuleScan:
    """What one module file defines, read with ``ast``."""

    path: Path
    assets: list[PyAsset] = field(default_factory=list)
    checks: list[tuple[str, int]] = field(default_factory=list)
    functions: dict[str, int] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    imports: list[tuple[str, int, tuple[str, ...]]] = field(default_factory=list)
    dynamic: list[tuple[int, str]] = field(default_factory=list)
    syntax_error: SyntaxProblem | None = None
    unreadable: str | None = None


def scan_module(path: Path, cache: ProjectCache) -> ModuleScan | None:
    """The scan of one module file, cached by path, modification time and size."""
    value = cache.for_kind("python-module").get(path, read_module)
    return value if isinstance(value, ModuleScan) else None


def read_module(path: Path) -> ModuleScan:
    """Parse and scan one module file (uncached); never raises."""
    scan = ModuleScan(path)
    try:
        source = path.read_bytes()
    except OSError as exc:
        scan.unreadable = str(exc)
        return scan
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        scan.syntax_error = SyntaxProblem(
            max((exc.lineno or 1) - 1, 0), max((exc.offset or 1) - 1, 0), exc.msg
        )
        return scan
    except (ValueError, RecursionError, MemoryError) as exc:
        scan.syntax_error = SyntaxProblem(0, 0, str(exc))
        return scan
    _Scanner(scan).module(tree)
    return scan


class _Scanner:
    """Walks a module's top level (and looks into bodies only for hidden assets)."""

    def __init__(self, scan: ModuleScan) -> None:
        self.scan = scan

    def module(self, tree: ast.Module) -> None:
        for statement in tree.body:
            self.statement(statement, top=True)

    def statement(self, node: ast.stmt, *, top: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self.function(node, top=top)
        elif isinstance(node, ast.ClassDef):
            if top:
                self.scan.names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            self.assignment(node, top=top)
        elif isinstance(node, ast.ImportFrom):
            if top:
                self.import_from(node)
        elif isinstance(node, ast.Import):
            if top:
                for alias in node.names:
                    self.scan.names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.If | ast.Try | ast.With):
            for child in _bodies(node):
                self.statement(child, top=top)
        elif isinstance(node, ast.For | ast.While | ast.AsyncFor):
            for inner in ast.walk(node):
                if _defines_asset(inner):
                    self.dynamic(inner, "assets are defined inside a loop")
                    break
        elif (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and _called_name(node.value) in ("globals", "setattr")
        ):
            self.dynamic(node, "module attributes are set at run time")

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, *, top: bool) -> None:
        if top:
            self.scan.functions[node.name] = node.lineno - 1
            self.scan.names.add(node.name)
            if node.name == "__getattr__":
                self.dynamic(node, "the module defines __getattr__")
        else:
            if _decorated_as_asset(node):
                self.dynamic(node, f"'{node.name}' is an asset defined inside a function")
            return
        for child in (inner for statement in node.body for inner in ast.walk(statement)):
            if _defines_asset(child):
                self.dynamic(child, f"'{node.name}' builds assets at run time (a factory)")
                break
        for decorator in node.decorator_list:
            self.decorator(node, decorator)

    def decorator(self, node: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.expr) -> None:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = _called_name(call) if call else _dotted_last(decorator)
        if name in _ASSET_DECORATORS:
            self.single_asset(node, call, name)
        elif name in _MULTI_DECORATORS:
            self.multi_asset(node, call)
        elif name in _CHECK_DECORATORS:
            self.scan.checks.append((node.name, node.lineno - 1))
        elif name in _DYNAMIC_DECORATORS:
            self.dynamic(node, f"'@{name}' makes assets from outside this file")

    def single_asset(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call | None, decorator: str
    ) -> None:
        kwargs = _keywords(call)
        key = self.asset_key(node, kwargs, node.name)
        if key is None:
            return
        deps: list[tuple[str, ...] | str] = list(self.deps(kwargs.get("deps"), node))
        deps.extend(self.ins(kwargs.get("ins"), node))
        named_ins = _literal_keys(kwargs.get("ins"))
        for argument in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            if argument.arg in _SKIPPED_PARAMETERS or argument.arg in named_ins:
                continue
            if argument.annotation is not None and _is_resource_annotation(argument.annotation):
                continue
            deps.append((argument.arg,))
        kind = "observable_source" if decorator == "observable_source_asset" else "asset"
        self.scan.assets.append(
            PyAsset(
                key=key,
                line=node.lineno - 1,
                function=node.name,
                group=_string(kwargs.get("group_name")),
                tags=_string_dict(kwargs.get("tags")),
                deps=tuple(deps),
                kinds=self.kinds(kwargs),
                description=_string(kwargs.get("description")) or ast.get_docstring(node),
                partitioned="partitions_def" in kwargs,
                kind=kind,
            )
        )

    def multi_asset(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call | None
    ) -> None:
        kwargs = _keywords(call)
        group = _string(kwargs.get("group_name"))
        partitioned = "partitions_def" in kwargs
        specs = kwargs.get("specs")
        outs = kwargs.get("outs")
        if specs is not None:
            if not isinstance(specs, ast.List | ast.Tuple):
                self.dynamic(node, f"'{node.name}' computes its specs at run time")
            else:
                for spec in specs.elts:
                    if isinstance(spec, ast.Call) and _called_name(spec) == "AssetSpec":
                        self.spec(spec, group=group, partitioned=partitioned, function=node.name)
                    else:
                        self.dynamic(spec, f"'{node.name}' has a spec floe cannot read")
        if outs is not None:
            if not isinstance(outs, ast.Dict):
                self.dynamic(node, f"'{node.name}' computes its outs at run time")
                return
            for out_name, out in zip(outs.keys, outs.values, strict=True):
                name = _string(out_name)
                if name is None:
                    self.dynamic(node, f"'{node.name}' has an out whose name is computed")
                    continue
                out_kwargs = _keywords(out if isinstance(out, ast.Call) else None)
                key = self.asset_key(out, out_kwargs, name)
                if key is None:
                    continue
                self.scan.assets.append(
                    PyAsset(
                        key=key,
                        line=out.lineno - 1,
                        function=node.name,
                        group=_string(out_kwargs.get("group_name")) or group,
                        tags=_string_dict(out_kwargs.get("tags")),
                        deps=tuple(self.deps(kwargs.get("deps"), node)),
                        kinds=self.kinds(out_kwargs) or self.kinds(kwargs),
                        description=_string(out_kwargs.get("description")),
                        partitioned=partitioned,
                    )
                )

    def spec(
        self, call: ast.Call, *, group: str | None, partitioned: bool, function: str | None
    ) -> None:
        kwargs = _keywords(call)
        if call.args:
            kwargs.setdefault("key", call.args[0])
        key_node = kwargs.get("key")
        key = _key_value(key_node) if key_node is not None else None
        if key is None:
            self.dynamic(call, "an AssetSpec key is computed at run time")
            return
        prefix = _key_value(kwargs["key_prefix"]) if "key_prefix" in kwargs else ()
        self.scan.assets.append(
            PyAsset(
                key=(*(prefix or ()), *key),
                line=call.lineno - 1,
                function=function,
                group=_string(kwargs.get("group_name")) or group,
                tags=_string_dict(kwargs.get("tags")),
                deps=tuple(self.deps(kwargs.get("deps"), call)),
                kinds=self.kinds(kwargs),
                description=_string(kwargs.get("description")),
                partitioned=partitioned or "partitions_def" in kwargs,
            )
        )

    def assignment(self, node: ast.Assign | ast.AnnAssign, *, top: bool) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if top:
            for target in targets:
                for name_node in ast.walk(target):
                    if isinstance(name_node, ast.Name):
                        self.scan.names.add(name_node.id)
        value = node.value
        if not top or value is None:
            return
        if isinstance(value, ast.Call):
            called = _called_name(value)
            if called == "AssetSpec":
                self.spec(value, group=None, partitioned=False, function=None)
            elif called == "SourceAsset":
                self.source_asset(value)
            elif called and "asset" in called.lower() and called not in _NOT_ASSET_FACTORIES:
                self.dynamic(node, f"'{called}(...)' may create assets at run time")
        elif isinstance(value, ast.List | ast.Tuple | ast.ListComp):
            for child in ast.walk(value):
                if isinstance(child, ast.Call) and _called_name(child) == "AssetSpec":
                    if isinstance(value, ast.ListComp):
                        self.dynamic(node, "AssetSpecs are built in a comprehension")
                        return
                    self.spec(child, group=None, partitioned=False, function=None)

    def source_asset(self, call: ast.Call) -> None:
        kwargs = _keywords(call)
        if call.args:
            kwargs.setdefault("key", call.args[0])
        key = _key_value(kwargs["key"]) if "key" in kwargs else None
        if key is None:
            self.dynamic(call, "a SourceAsset key is computed at run time")
            return
        self.scan.assets.append(
            PyAsset(
                key=key,
                line=call.lineno - 1,
                group=_string(kwargs.get("group_name")),
                description=_string(kwargs.get("description")),
                partitioned="partitions_def" in kwargs,
                kind="source",
            )
        )

    def import_from(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        names = tuple(alias.name for alias in node.names)
        for alias in node.names:
            if alias.name != "*":
                self.scan.names.add(alias.asname or alias.name)
        self.scan.imports.append((module, node.lineno - 1, names))

    def asset_key(
        self, node: ast.AST, kwargs: dict[str, ast.expr], default: str
    ) -> tuple[str, ...] | None:
        if "key" in kwargs:
            key = _key_value(kwargs["key"])
            if key is None:
                self.dynamic(node, "an asset key is computed at run time")
            return key
        name: str | None = default
        if "name" in kwargs:
            name = _string(kwargs["name"])
            if name is None:
                self.dynamic(node, "an asset name is computed at run time")
                return None
        prefix: tuple[str, ...] = ()
        if "key_prefix" in kwargs:
            found = _key_value(kwargs["key_prefix"])
            if found is None:
                self.dynamic(node, "an asset key prefix is computed at run time")
                return None
            prefix = found
        return (*prefix, name or default)

    def deps(self, node: ast.expr | None, owner: ast.AST) -> Iterable[tuple[str, ...] | str]:
        if node is None:
            return
        if not isinstance(node, ast.List | ast.Tuple | ast.Set):
            self.dynamic(owner, "dependencies are computed at run time")
            return
        for item in node.elts:
            key = _key_value(item)
            if key is not None:
                yield key
            elif isinstance(item, ast.Name):
                yield item.id
            elif isinstance(item, ast.Call) and _called_name(item) == "AssetDep" and item.args:
                inner = item.args[0]
                found = _key_value(inner)
                if found is not None:
                    yield found
                elif isinstance(inner, ast.Name):
                    yield inner.id

    def ins(self, node: ast.expr | None, owner: ast.AST) -> Iterable[tuple[str, ...]]:
        if node is None:
            return
        if not isinstance(node, ast.Dict):
            self.dynamic(owner, "inputs are computed at run time")
            return
        for name_node, value in zip(node.keys, node.values, strict=True):
            name = _string(name_node)
            kwargs = _keywords(value if isinstance(value, ast.Call) else None)
            if isinstance(value, ast.Call) and value.args:
                kwargs.setdefault("key", value.args[0])
            if "key" in kwargs:
                key = _key_value(kwargs["key"])
                if key is not None:
                    yield key
            elif name is not None:
                prefix = _key_value(kwargs["key_prefix"]) if "key_prefix" in kwargs else ()
                yield (*(prefix or ()), name)

    def kinds(self, kwargs: dict[str, ast.expr]) -> tuple[str, ...]:
        found: list[str] = []
        kinds = kwargs.get("kinds")
        if isinstance(kinds, ast.List | ast.Tuple | ast.Set):
            found.extend(s for s in (_string(e) for e in kinds.elts) if s)
        compute = _string(kwargs.get("compute_kind"))
        if compute:
            found.append(compute)
        return tuple(found)

    def dynamic(self, node: ast.AST, reason: str) -> None:
        self.scan.dynamic.append((getattr(node, "lineno", 1) - 1, reason))


_NOT_ASSET_FACTORIES = frozenset(
    {"AssetKey", "AssetIn", "AssetOut", "AssetDep", "AssetSelection", "define_asset_job"}
)


def _bodies(node: ast.If | ast.Try | ast.With) -> list[ast.stmt]:
    statements = list(node.body)
    if isinstance(node, ast.If | ast.Try):
        statements.extend(node.orelse)
    if isinstance(node, ast.Try):
        for handler in node.handlers:
            statements.extend(handler.body)
        statements.extend(node.finalbody)
    return statements


def _decorated_as_asset(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = _called_name(call) if call else _dotted_last(decorator)
        if name in _ASSET_DECORATORS or name in _MULTI_DECORATORS:
            return True
    return False


def _defines_asset(node: ast.AST) -> bool:
    if _decorated_as_asset(node):
        return True
    return isinstance(node, ast.Call) and _called_name(node) in ("AssetSpec", "SourceAsset")


def _called_name(call: ast.Call | None) -> str | None:
    return _dotted_last(call.func) if call is not None else None


def _dotted_last(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _keywords(call: ast.Call | None) -> dict[str, ast.expr]:
    if call is None:
        return {}
    return {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _string_dict(node: ast.expr | None) -> dict[str, str]:
    if not isinstance(node, ast.Dict):
        return {}
    found: dict[str, str] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        key_text, value_text = _string(key), _string(value)
        if key_text is not None:
            found[key_text] = value_text or ""
    return found


def _literal_keys(node: ast.expr | None) -> set[str]:
    if not isinstance(node, ast.Dict):
        return set()
    return {s for s in (_string(k) for k in node.keys) if s is not None}


def _key_value(node: ast.expr) -> tuple[str, ...] | None:
    """A literal asset key: 'a', 'a/b', ['a', 'b'], AssetKey('a') or AssetKey(['a', 'b'])."""
    text = _string(node)
    if text is not None:
        return tuple(text.split("/"))
    if isinstance(node, ast.List | ast.Tuple):
        parts = [_string(e) for e in node.elts]
        if parts and all(p is not None for p in parts):
            return tuple(p for p in parts if p is not None)
        return None
    if isinstance(node, ast.Call) and _called_name(node) == "AssetKey" and node.args:
        inner = node.args[0]
        single = _string(inner)
        if single is not None:
            return (single,)
        return _key_value(inner)
    return None


def _is_resource_annotation(node: ast.expr) -> bool:
    name = _dotted_last(node) if isinstance(node, ast.Name | ast.Attribute) else None
    if name is None and isinstance(node, ast.Subscript):
        name = _dotted_last(node.value)
    if name is None and isinstance(node, ast.Constant) and isinstance(node.value, str):
        name = node.value.rsplit(".", 1)[-1]
    return name is not None and (
        name.endswith(("Resource", "Config", "Context")) or name in ("ResourceParam",)
    )
