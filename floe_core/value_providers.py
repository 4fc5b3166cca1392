"""One value provider per kind of reference, serving completion and validation alike.

``provider(kind).candidates(analysis)`` lists the values a reference of that kind may take
(label, detail, documentation, and where the value is defined, for go-to-definition);
``provider(kind).strict(analysis)`` says whether a value outside that list is an error
(the universe is known: jobs and partitions of this file, timezones, enum values) or only
worth a suggestion (assets, groups and tags while the asset universe is incomplete, dbt
models while the manifest is missing). Kinds: 'job', 'partition', 'asset', 'group', 'tag',
'dbt model', 'timezone', 'module', 'function', 'env' (the variables ``${VAR}`` can name),
and ``enum_kind(path)`` for the allowed values of any model field (e.g.
``enum_kind(("orchestration", "jobs", "*", "type"))``).
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from floe_core.model_paths import annotation_at, literal_values, strip, union_members
from floe_core.module_resolution import resolve_module
from floe_core.python_modules import scan_module
from floe_core.symbols import Reference, SymbolKind
from floe_core.timezones import all_timezones
from floe_core.universe import AssetInfo, Location

if TYPE_CHECKING:
    from floe_core.analysis import Analysis

MAX_MODULE_FILES = 400
MAX_FUNCTION_MODULES = 100
MAX_FOLDERS = 2000
MAX_DEPTH = 6
_SKIPPED_FOLDERS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "target", "dbt_packages", "logs", "venv"}
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One value a reference may take, and what to show beside it."""

    label: str
    detail: str = ""
    documentation: str | None = None
    location: Location | None = None


class ValueProvider(ABC):
    """The values of one kind of reference."""

    kind: str = ""

    @abstractmethod
    def candidates(self, analysis: Analysis) -> list[Candidate]:
        """Every value this kind of reference may take in ``analysis``'s document."""

    def strict(self, analysis: Analysis) -> bool:
        """Whether a value not among the candidates is an error (else: suggestions only)."""
        del analysis
        return True

    def locate(self, analysis: Analysis, name: str) -> Location | None:
        """Where ``name`` is defined (file and 0-based line), if it is known."""
        for candidate in self.candidates(analysis):
            if candidate.label == name:
                return candidate.location
        return None


class _DefinitionProvider(ValueProvider):
    """Names defined in this file (jobs, partitions): always known exactly."""

    symbol: SymbolKind = SymbolKind.JOB

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        path = analysis.context.path
        out: list[Candidate] = []
        for name, definition in analysis.symbols.defined(self.symbol).items():
            entity = self._entity(analysis, name)
            detail, doc = _describe_entity(entity)
            location = (path, definition.range.start.line) if path is not None else None
            out.append(Candidate(name, detail or self.kind, doc, location))
        return out

    def _entity(self, analysis: Analysis, name: str) -> object:
        if self.symbol is SymbolKind.JOB:
            job = analysis.entities.jobs.get(name)
            return job.model if job is not None else None
        partition = analysis.entities.partitions.get(name)
        return partition.model if partition is not None else None


class JobProvider(_DefinitionProvider):
    """Jobs under orchestration.jobs."""

    kind = "job"
    symbol = SymbolKind.JOB


class PartitionProvider(_DefinitionProvider):
    """Partition definitions under orchestration.partitions."""

    kind = "partition"
    symbol = SymbolKind.PARTITION


class _UniverseProvider(ValueProvider):
    """Values read from the asset universe: strict only when it is complete."""

    def strict(self, analysis: Analysis) -> bool:
        return analysis.universe.complete


class AssetProvider(_UniverseProvider):
    """Every asset key of the universe (Python assets and dbt nodes)."""

    kind = "asset"

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        return [_asset_candidate(info) for info in analysis.universe.assets.values()]

    def locate(self, analysis: Analysis, name: str) -> Location | None:
        found = analysis.universe.lookup(name)
        return found[0].location if found else None


class GroupProvider(_UniverseProvider):
    """Asset groups."""

    kind = "group"

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        return [
            Candidate(name, f"group of {count} asset{'s' if count != 1 else ''}")
            for name, count in analysis.universe.groups().items()
        ]


class TagProvider(_UniverseProvider):
    """Asset tags, as ``key`` (any value) and ``key=value``."""

    kind = "tag"

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        out: list[Candidate] = []
        for key, values in analysis.universe.tags().items():
            out.append(Candidate(key, "tag (any value)"))
            out.extend(Candidate(f"{key}={value}", "tag") for value in sorted(values) if value)
        return out


class DbtModelProvider(ValueProvider):
    """The models of the dbt manifest (strict only while the manifest is readable)."""

    kind = "dbt model"

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        index = analysis.universe.manifest
        if index is None:
            return []
        out: list[Candidate] = []
        for node in index.models():
            detail = f"dbt model ({node.materialization or 'view'})"
            location = (node.path, 0) if node.path is not None else None
            out.append(Candidate(node.name, detail, node.description or None, location))
        return out

    def strict(self, analysis: Analysis) -> bool:
        return analysis.universe.manifest is not None


class TimezoneProvider(ValueProvider):
    """IANA timezone names."""

    kind = "timezone"

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        del analysis
        return [Candidate(name, "IANA timezone") for name in all_timezones()]


class ModuleProvider(ValueProvider):
    """Dotted paths of the Python modules under floe.yaml's folder."""

    kind = "module"

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        return [
            Candidate(dotted, "Python module", None, (path, 0))
            for dotted, path in project_modules(analysis.context.base_dir)
        ]

    def strict(self, analysis: Analysis) -> bool:
        del analysis
        return False

    def locate(self, analysis: Analysis, name: str) -> Location | None:
        found = resolve_module(name, analysis.context.base_dir, analysis.context.extra_roots)
        return (found.path, 0) if found.path is not None else None


class FunctionProvider(ValueProvider):
    """``module.function`` for the functions of the modules the document names."""

    kind = "function"

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        context = analysis.context
        modules = list(
            dict.fromkeys([*analysis.entities.asset_modules, *_function_modules(analysis)])
        )
        modules.extend(d for d, _ in project_modules(context.base_dir) if d not in modules)
        out: list[Candidate] = []
        for dotted in modules[:MAX_FUNCTION_MODULES]:
            resolution = resolve_module(dotted, context.base_dir, context.extra_roots)
            if resolution.path is None:
                continue
            scan = scan_module(resolution.path, context.cache)
            if scan is None:
                continue
            for name, line in scan.functions.items():
                if not name.startswith("_"):
                    out.append(
                        Candidate(f"{dotted}.{name}", "function", None, (resolution.path, line))
                    )
        return out

    def strict(self, analysis: Analysis) -> bool:
        del analysis
        return False

    def locate(self, analysis: Analysis, name: str) -> Location | None:
        module, _, function = name.rpartition(".")
        context = analysis.context
        resolution = resolve_module(module, context.base_dir, context.extra_roots)
        if not module or resolution.path is None:
            return None
        scan = scan_module(resolution.path, context.cache)
        if scan is None or function not in scan.functions:
            return None
        return (resolution.path, scan.functions[function])


class EnvVarProvider(ValueProvider):
    """The environment variables ``${VAR}`` resolves against: the process environment, and
    the env file's variables when one is configured (those first). The detail is the
    current value, except for names that look like secrets."""

    kind = "env"

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        env = analysis.context.environment()
        from_file = analysis.context.env is not None
        in_file: list[Candidate] = []
        inherited: list[Candidate] = []
        for name in sorted(env):
            value = env[name]
            shown = "(value hidden)" if _SECRET_NAME.search(name) else _shortened(value)
            if from_file and os.environ.get(name) != value:
                in_file.append(Candidate(name, shown, "Set in the env file (floe.envFile)."))
            else:
                inherited.append(Candidate(name, shown, "Set in the server's environment."))
        return in_file + inherited

    def strict(self, analysis: Analysis) -> bool:
        del analysis
        return False


_SECRET_NAME = re.compile(r"SECRET|PASSW|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY", re.I)
MAX_DETAIL = 60


def _shortened(value: str) -> str:
    """A value as one short line for a completion's detail."""
    line = " ".join(value.split())
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


class EnumProvider(ValueProvider):
    """The allowed values of one model field (from its Literal type)."""

    def __init__(self, path: tuple[str, ...]) -> None:
        self.path = path
        self.kind = enum_kind(path)

    def candidates(self, analysis: Analysis) -> list[Candidate]:
        del analysis
        return [Candidate(value, "allowed value") for value in field_values(self.path)]


def enum_kind(path: Sequence[str | int]) -> str:
    """The provider kind for the allowed values of the field at ``path`` ('*' for any name)."""
    return "enum:" + ".".join(str(step) for step in path)


def field_values(path: Sequence[str | int]) -> list[str]:
    """The Literal values of the field at ``path``, across the members of tagged unions."""
    values = literal_values(annotation_at(path))
    if values or not path:
        return values
    parent = strip(annotation_at(path[:-1]))
    found: list[str] = []
    for member in union_members(parent):
        info = member.model_fields.get(str(path[-1]))
        if info is not None:
            found.extend(v for v in literal_values(info.annotation) if v not in found)
    return found


def provider(kind: SymbolKind | str) -> ValueProvider:
    """The provider of one kind of reference; raises KeyError for an unknown kind."""
    name = kind.value if isinstance(kind, SymbolKind) else kind
    if name.startswith("enum:"):
        return EnumProvider(tuple(name[len("enum:") :].split(".")))
    for candidate in (
        JobProvider,
        PartitionProvider,
        AssetProvider,
        GroupProvider,
        TagProvider,
        DbtModelProvider,
        TimezoneProvider,
        ModuleProvider,
        FunctionProvider,
        EnvVarProvider,
    ):
        if candidate.kind == name:
            return candidate()
    raise KeyError(f"no value provider for '{name}'")


def reference_location(analysis: Analysis, ref: Reference) -> Location | None:
    """Where the target of a reference to an asset, dbt model, module or function is defined.

    Names defined in this file (jobs, partitions) are answered from the symbol table.
    """
    if ref.kind not in (SymbolKind.ASSET, SymbolKind.MODULE, SymbolKind.FUNCTION):
        return None
    return provider(ref.kind).locate(analysis, ref.name)


def project_modules(base_dir: Path) -> list[tuple[str, Path]]:
    """Importable modules below ``base_dir`` as (dotted path, file): at most MAX_MODULE_FILES,
    MAX_DEPTH folders deep, looking into at most MAX_FOLDERS folders."""
    found: list[tuple[str, Path]] = []
    for visited, (folder, subfolders, files) in enumerate(os.walk(base_dir)):
        relative = Path(folder).relative_to(base_dir).parts
        if visited >= MAX_FOLDERS:
            break
        subfolders[:] = sorted(
            d
            for d in subfolders
            if not d.startswith(".")
            and d not in _SKIPPED_FOLDERS
            and d.isidentifier()
            and len(relative) < MAX_DEPTH
        )
        for file_name in sorted(files):
            if not file_name.endswith(".py"):
                continue
            stem = file_name[:-3]
            parts = relative if stem == "__init__" else (*relative, stem)
            if parts and all(part.isidentifier() for part in parts):
                found.append((".".join(parts), Path(folder) / file_name))
            if len(found) >= MAX_MODULE_FILES:
                return found
    return found


def _function_modules(analysis: Analysis) -> list[str]:
    modules: list[str] = []
    for ref in analysis.symbols.references_of(SymbolKind.FUNCTION):
        module = ref.name.rpartition(".")[0]
        if module:
            modules.append(module)
    return modules


def _asset_candidate(info: AssetInfo) -> Candidate:
    where = info.dbt.original_file_path if info.dbt is not None else info.module
    detail = f"{info.source} {info.kind} · group {info.group_name}"
    lines = [info.description] if info.description else []
    if where:
        lines.append(f"Defined in {where}")
    if info.deps:
        lines.append("Upstream: " + ", ".join(info.deps[:10]))
    return Candidate(info.key, detail, "\n\n".join(lines) or None, info.location)


def _describe_entity(model: object) -> tuple[str, str | None]:
    kind = getattr(model, "type", None)
    if model is None or not isinstance(kind, str):
        return "", None
    description = getattr(model, "description", None)
    selection = getattr(model, "selection", None)
    lines = [description] if isinstance(description, str) and description else []
    if isinstance(selection, list):
        lines.append("Selects: " + ", ".join(selection))
    cron = getattr(model, "cron_schedule", None)
    if isinstance(cron, str):
        lines.append(f"Cron: {cron}")
    return kind, "\n\n".join(lines) or None
