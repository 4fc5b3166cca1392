"""Names inside selection strings as references of the symbol table (for definition, hover
and rename), and where their targets are defined."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from floe_core import AnalysisContext, Position, analyze
from floe_core.symbols import Reference, SymbolKind
from floe_core.value_providers import reference_location

SHOP = Path(__file__).parent / "fixtures" / "universe" / "shop"
TEXT = """name: shop
orchestration:
  asset_modules: [pipeline.assets.bronze]
  dbt: {project_dir: dbt, manifest_path: target/manifest.json}
  jobs:
    j: {type: batch, selection: ["+raw_orders and not group:bronze", 'key:"raw/payments"']}
    k: {type: batch, selection: ["tag:tier=gold or customer_orders+", "raw_*"]}
    o: {type: ops, target_function: pipeline.ops.vacuum}
"""


@pytest.fixture
def analysis_path(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root)
    path = root / "floe.yaml"
    path.write_text(TEXT)
    return path


@pytest.mark.parametrize(
    ("line", "character", "kind", "name", "span"),
    [
        pytest.param(5, 37, SymbolKind.ASSET, "raw_orders", (5, 35, 45), id="asset-after-plus"),
        pytest.param(5, 60, SymbolKind.GROUP, "bronze", (5, 60, 66), id="group-name"),
        pytest.param(5, 78, SymbolKind.ASSET, "raw/payments", (5, 75, 87), id="quoted-key"),
        pytest.param(6, 39, SymbolKind.TAG, "tier", (6, 38, 42), id="tag-key"),
        pytest.param(6, 55, SymbolKind.ASSET, "customer_orders", (6, 51, 66), id="downstream"),
    ],
)
def test_reference_under_the_cursor(
    analysis_path: Path,
    line: int,
    character: int,
    kind: SymbolKind,
    name: str,
    span: tuple[int, int, int],
) -> None:
    analysis = analyze(TEXT, AnalysisContext(path=analysis_path, env={}))
    found = analysis.symbols.at(Position(line, character))
    assert isinstance(found, Reference)
    assert found.kind is kind
    assert found.name == name
    assert (found.range.start.line, found.range.start.character, found.range.end.character) == span


def test_globs_are_not_asset_references(analysis_path: Path) -> None:
    analysis = analyze(TEXT, AnalysisContext(path=analysis_path, env={}))
    found = analysis.symbols.at(Position(6, 72))
    assert isinstance(found, Reference)
    assert found.kind is SymbolKind.SELECTION


@pytest.mark.parametrize(
    ("line", "character", "file_name", "target_line"),
    [
        pytest.param(5, 37, "bronze.py", 11, id="python-asset"),
        pytest.param(6, 55, "customer_orders.sql", 0, id="dbt-model"),
        pytest.param(7, 50, "ops.py", 3, id="function"),
        pytest.param(2, 25, "bronze.py", 0, id="module"),
    ],
)
def test_reference_location(
    analysis_path: Path, line: int, character: int, file_name: str, target_line: int
) -> None:
    analysis = analyze(TEXT, AnalysisContext(path=analysis_path, env={}))
    found = analysis.symbols.at(Position(line, character))
    assert isinstance(found, Reference)
    location = reference_location(analysis, found)
    assert location is not None
    assert location[0].name == file_name
    assert location[1] == target_line
