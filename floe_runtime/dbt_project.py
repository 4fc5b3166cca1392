"""The dbt project behind a floe.yaml: where it is, its profile, and a fresh manifest.

The manifest is (re)built with ``dbt parse`` when it is missing or older than any file of
the project (dbt_project.yml, packages, models, seeds, snapshots, macros, tests, analyses),
under a file lock because several step processes may load the project at once. It is decoded
once: through the ProjectCache the config was validated with, whose JSON decoder keeps the
whole document the core read when the file has not changed since.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml
from filelock import FileLock

from floe_core.manifest import ManifestError, load_manifest
from floe_core.models import DbtConfig, FloeSpec
from floe_core.project_cache import ProjectCache

PROJECT_FILES = ("dbt_project.yml", "packages.yml", "dependencies.yml", "selectors.yml")
DEFAULT_PATHS = {
    "model-paths": ["models"],
    "seed-paths": ["seeds"],
    "snapshot-paths": ["snapshots"],
    "macro-paths": ["macros"],
    "test-paths": ["tests"],
    "analysis-paths": ["analyses"],
}


class DbtProjectError(RuntimeError):
    """The dbt project cannot be read or parsed."""


@dataclass(frozen=True)
class DbtProjectPaths:
    """Where a dbt project, its manifest and its profiles are, and what it runs against;
    ``source_folders`` are the folders whose files the manifest is parsed from."""

    project_dir: Path
    manifest_path: Path
    profiles_dir: Path
    profile_name: str
    target: str
    profiles_generated: bool
    source_folders: tuple[Path, ...]

    @property
    def target_path(self) -> Path:
        """dbt's target folder: the one holding the manifest."""
        return self.manifest_path.parent


def dbt_executable() -> str:
    """The dbt next to this interpreter (a virtualenv need not be activated), else PATH's."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.is_file() else "dbt"


def dbt_environment() -> dict[str, str]:
    """The environment dbt runs in: the process's, with anonymous usage stats off."""
    return {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def resolve_project(config: DbtConfig, spec: FloeSpec, base_dir: Path) -> DbtProjectPaths:
    """Paths of the dbt project as floe.yaml in ``base_dir`` describes it."""
    transform = next((t for t in spec.transforms if t.type == "dbt"), None)
    project_rel = config.project_dir or (transform.path if transform else None)
    project_dir = (base_dir / project_rel).resolve() if project_rel else base_dir
    manifest_base = project_dir if config.project_dir else base_dir
    manifest_path = (manifest_base / config.manifest_path).resolve()
    project_file = project_dir / "dbt_project.yml"
    if not project_file.is_file():
        raise DbtProjectError(f"no dbt_project.yml in {project_dir}")
    project = _read_yaml(project_file)
    profile_name = str(project.get("profile") or "floe")
    target = config.target or (transform.target if transform else None) or "dev"
    if config.profiles_dir:
        profiles_dir = (base_dir / config.profiles_dir).resolve()
        generated = False
    else:
        profiles_dir = manifest_path.parent / "floe_profiles"
        generated = True
    folders = tuple(
        project_dir / folder
        for key, defaults in DEFAULT_PATHS.items()
        for folder in project.get(key) or defaults
    )
    return DbtProjectPaths(
        project_dir, manifest_path, profiles_dir, profile_name, target, generated, folders
    )


def manifest_cache() -> ProjectCache:
    """The cache the runtime validates the config with: the manifest the core reads is
    decoded whole (by orjson, as dagster-dbt does) and kept for :func:`ensure_manifest`."""
    return ProjectCache(json_decoder=orjson.loads)


def manifest_is_stale(paths: DbtProjectPaths) -> bool:
    """Whether the manifest is missing or older than a file of the project (the search
    stops at the first newer file)."""
    try:
        built = paths.manifest_path.stat().st_mtime_ns
    except OSError:
        return True
    if any(_mtime(paths.project_dir / name) > built for name in PROJECT_FILES):
        return True
    return any(_newer_file_in(folder, built) for folder in paths.source_folders)


def ensure_manifest(paths: DbtProjectPaths, cache: ProjectCache) -> Mapping[str, Any]:
    """The whole manifest, running ``dbt parse`` first when it is missing or stale; read
    through ``cache`` (see :func:`manifest_cache`), so an unchanged file is not decoded again."""
    refresh_manifest(paths)
    try:
        index = load_manifest(paths.manifest_path, cache, paths.project_dir)
    except ManifestError as exc:
        raise DbtProjectError(f"cannot read dbt manifest: {exc.message}") from exc
    if index.document is None:
        raise DbtProjectError("the manifest was read without keeping it: use manifest_cache()")
    return index.document


def refresh_manifest(paths: DbtProjectPaths) -> None:
    """Run ``dbt parse`` when the manifest is missing or stale (one process at a time)."""
    if manifest_is_stale(paths):
        paths.target_path.mkdir(parents=True, exist_ok=True)
        with FileLock(str(paths.target_path / ".floe-parse.lock")):
            if manifest_is_stale(paths):
                _parse(paths)


def _parse(paths: DbtProjectPaths) -> None:
    command = [
        dbt_executable(),
        "parse",
        "--project-dir",
        str(paths.project_dir),
        "--profiles-dir",
        str(paths.profiles_dir),
        "--target",
        paths.target,
        "--target-path",
        str(paths.target_path),
        "--log-path",
        str(paths.target_path / "logs"),
        "--quiet",
    ]
    result = subprocess.run(
        command,
        cwd=paths.project_dir,
        env=dbt_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not paths.manifest_path.is_file():
        output = (result.stdout + result.stderr).strip()
        raise DbtProjectError(
            f"dbt parse failed for {paths.project_dir} (exit {result.returncode}):\n{output}"
        )


def _newer_file_in(folder: Path, built: int) -> bool:
    """Whether a file under ``folder`` was modified after ``built`` (symlinked folders are
    not entered, as ``os.walk`` does not)."""
    pending = [str(folder)]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        if not entry.is_symlink():
                            pending.append(entry.path)
                    elif entry.stat().st_mtime_ns > built:
                        return True
                except OSError:
                    continue
    return False


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DbtProjectError(f"cannot read {path}: {exc}") from exc
    return loaded if isinstance(loaded, dict) else {}
