"""Fixtures shared by every test package: repository paths, the real dbt manifests, and a
helper that analyzes a document the way the CLI and the language server do."""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from floe_core import Analysis, AnalysisContext, analyze

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
MANIFESTS = SHARED / "data" / "manifests"

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO


def _unpacked_manifest(name: str, target_dir: Path) -> Path:
    source = MANIFESTS / f"{name}.manifest.json.gz"
    if not source.exists():
        pytest.skip(f"the shared manifest {source} is not available")
    target = target_dir / f"{name}.manifest.json"
    if not target.exists():
        with gzip.open(source, "rb") as packed, target.open("wb") as out:
            shutil.copyfileobj(packed, out)
    return target


@pytest.fixture(scope="session")
def jaffle_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dbt-labs/jaffle_shop_duckdb's manifest.json (5 models, 3 seeds), unpacked."""
    return _unpacked_manifest("jaffle_shop_duckdb", tmp_path_factory.mktemp("manifests"))


@pytest.fixture(scope="session")
def tuva_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tuva-health/tuva's manifest.json (708 models, two packages), unpacked."""
    return _unpacked_manifest("tuva", tmp_path_factory.mktemp("manifests"))


Analyzer = Callable[..., Analysis]


@pytest.fixture
def analyze_text(tmp_path: Path) -> Analyzer:
    """Analyze ``text`` as if it were ``tmp_path/floe.yaml`` (the file is written too)."""

    def run(
        text: str,
        *,
        env: Mapping[str, str] | None = None,
        name: str = "floe.yaml",
        strict_env: bool = False,
    ) -> Analysis:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        context = AnalysisContext(path=path, env=env or {}, strict_env=strict_env)
        return analyze(text, context)

    return run
