"""Module paths resolved like the runtime does, and assets read from source with ``ast``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from floe_core.module_resolution import resolve_module
from floe_core.project_cache import ProjectCache
from floe_core.python_modules import read_module, scan_module

SHOP = Path(__file__).parent / "fixtures" / "universe" / "shop"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project copied to tmp_path, with floe.yaml's folder at ``project/``."""
    root = tmp_path / "project"
    shutil.copytree(SHOP, root)
    return root


@pytest.mark.parametrize(
    ("dotted", "base", "expected"),
    [
        pytest.param("pipeline.ops", ".", "pipeline/ops.py", id="module-file"),
        pytest.param("pipeline.assets", ".", "pipeline/assets/__init__.py", id="package"),
        pytest.param(
            "project.pipeline.ops", "pipeline", "pipeline/ops.py", id="found-in-a-parent-folder"
        ),
        pytest.param(".pipeline.ops", ".", "pipeline/ops.py", id="relative-to-floe-yaml"),
        pytest.param("..project.pipeline.ops", ".", "pipeline/ops.py", id="relative-one-up"),
        pytest.param("pipeline.missing", ".", None, id="missing-module"),
        pytest.param("nothere.at_all", ".", None, id="missing-package"),
        pytest.param("pipeline..ops", ".", None, id="empty-component"),
    ],
)
def test_resolve_module(project: Path, dotted: str, base: str, expected: str | None) -> None:
    found = resolve_module(dotted, project / base)
    if expected is None:
        assert found.path is None
        assert not found.found
    else:
        assert found.path == project / expected


def test_namespace_package_is_found_but_has_no_file(project: Path) -> None:
    found = resolve_module("pipeline.nspkg", project)
    assert found.namespace
    assert found.path is None
    assert found.found


def test_missing_module_lists_what_was_searched(project: Path) -> None:
    found = resolve_module("pipeline.missing", project)
    assert found.searched == (
        project / "pipeline" / "missing.py",
        project / "pipeline" / "missing" / "__init__.py",
    )


def test_extra_roots_are_searched_last(project: Path, tmp_path: Path) -> None:
    extra = tmp_path / "elsewhere"
    (extra / "shared").mkdir(parents=True)
    (extra / "shared" / "lib.py").write_text("def f() -> None: ...\n")
    assert resolve_module("shared.lib", project).path is None
    assert resolve_module("shared.lib", project, (extra,)).path == extra / "shared" / "lib.py"


@pytest.mark.parametrize(
    ("key", "group", "deps", "partitioned", "line"),
    [
        pytest.param(("raw_orders",), "bronze", (), False, 11, id="asset"),
        pytest.param(("raw_customers",), "bronze", (), False, 16, id="dg-asset-with-tags"),
        pytest.param(("raw", "payments"), "bronze", (), False, 21, id="key-prefix-and-name"),
        pytest.param(
            ("orders_summary",),
            None,
            ("raw_orders", ("raw_customers",)),
            True,
            26,
            id="deps-and-partitions",
        ),
        pytest.param(("multi_one",), "multi", (), False, 31, id="multi-asset-spec"),
        pytest.param(("warehouse", "multi_two"), None, (), False, 31, id="multi-asset-key-list"),
        pytest.param(("external_feed",), "external", (), False, 39, id="module-level-spec"),
    ],
)
def test_scan_finds_assets(
    project: Path,
    key: tuple[str, ...],
    group: str | None,
    deps: tuple[object, ...],
    partitioned: bool,
    line: int,
) -> None:
    scan = read_module(project / "pipeline" / "assets" / "bronze.py")
    found = {asset.key: asset for asset in scan.assets}
    asset = found[key]
    assert asset.group == group
    assert asset.deps == deps
    assert asset.partitioned is partitioned
    assert asset.line == line
    assert scan.dynamic == []


def test_scan_records_functions_tags_and_kinds(project: Path) -> None:
    scan = read_module(project / "pipeline" / "assets" / "bronze.py")
    by_key = {asset.key: asset for asset in scan.assets}
    assert by_key[("raw_customers",)].tags == {"tier": "raw"}
    assert by_key[("raw_orders",)].kinds == ("python",)
    assert by_key[("raw_orders",)].description == "Orders as they arrive."
    assert scan.functions["helper"] == 42


def test_scan_marks_assets_made_in_a_loop_as_dynamic(project: Path) -> None:
    scan = read_module(project / "pipeline" / "assets" / "dynamic.py")
    assert [asset.key for asset in scan.assets] == [("sales_total",)]
    assert scan.dynamic[0] == (7, "assets are defined inside a loop")


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(
            "from dagster import asset\n\n@asset(name=NAME)\ndef a(): ...\n",
            "an asset name is computed at run time",
            id="computed-name",
        ),
        pytest.param(
            "from dagster import asset\n\n"
            "def make():\n    @asset\n    def a(): ...\n    return a\n",
            "'make' builds assets at run time (a factory)",
            id="factory",
        ),
        pytest.param(
            "from x import build_assets\n\nassets = build_assets('a')\n",
            "'build_assets(...)' may create assets at run time",
            id="factory-call",
        ),
        pytest.param(
            "def __getattr__(name): ...\n", "the module defines __getattr__", id="module-getattr"
        ),
    ],
)
def test_scan_dynamic_reasons(tmp_path: Path, source: str, reason: str) -> None:
    path = tmp_path / "m.py"
    path.write_text(source)
    assert reason in [found for _, found in read_module(path).dynamic]


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text('"""Broken."""\n\n\ndef broken(:\n    pass\n')
    problem = read_module(path).syntax_error
    assert problem is not None
    assert problem.line == 3
    assert "invalid syntax" in problem.message


def test_scan_is_cached_by_file_version(project: Path) -> None:
    cache = ProjectCache()
    path = project / "pipeline" / "ops.py"
    first = scan_module(path, cache)
    assert scan_module(path, cache) is first
    path.write_text(path.read_text() + "\n\ndef added() -> None:\n    pass\n")
    second = scan_module(path, cache)
    assert second is not None
    assert "added" in second.functions
