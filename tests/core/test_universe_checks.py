"""The asset universe in an analysis, and every rule that depends on it, end to end.

Each case analyzes a floe.yaml placed in a copy of the ``shop`` fixture project (asset
modules read with ast, a hand-made dbt manifest) and asserts the diagnostic's code,
severity, range and message.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from floe_core import Analysis, AnalysisContext, Diagnostic, Severity, analyze
from floe_core.job_partitions import assets_of_job, partition_of, pattern_assets
from floe_core.symbols import SymbolKind
from floe_core.value_providers import enum_kind, provider

SHOP = Path(__file__).parent / "fixtures" / "universe" / "shop"
HEAD = """name: shop
orchestration:
  asset_modules: [pipeline.assets.bronze]
  dbt: {project_dir: dbt, manifest_path: target/manifest.json}
"""
PARTITIONS = """  partitions:
    daily: {type: time_window, start: "2024-01-01", cron_schedule: "0 0 * * *"}
    monthly: {type: time_window, start: "2024-01-01", cron_schedule: "0 0 1 * *"}
"""
UNIVERSE_CODES = frozenset(
    {
        "selection-syntax",
        "unknown-group",
        "unknown-asset",
        "unknown-tag",
        "ephemeral-model",
        "selection-matches-nothing",
        "job-selects-nothing",
        "pattern-matches-nothing",
        "pattern-syntax",
        "unknown-watched-asset",
        "job-mixed-partitions",
        "pattern-partitions-conflict",
        "pattern-group-name-conflict",
        "automation-and-schedule",
        "function-not-found",
        "function-module-not-found",
        "module-not-found",
        "module-syntax-error",
        "module-namespace",
        "module-dynamic-assets",
        "manifest-missing",
        "manifest-invalid",
    }
)

Shop = Callable[[str], Analysis]


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    """Analyze ``text`` as the floe.yaml of a fresh copy of the shop project."""
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root)

    def run(text: str) -> Analysis:
        path = root / "floe.yaml"
        path.write_text(text, encoding="utf-8")
        return analyze(text, AnalysisContext(path=path, env={}))

    return run


def _universe_diagnostics(analysis: Analysis) -> list[Diagnostic]:
    return [d for d in analysis.diagnostics if d.code in UNIVERSE_CODES]


def _span(d: Diagnostic) -> tuple[int, int, int]:
    assert d.range.start.line == d.range.end.line
    return (d.range.start.line, d.range.start.character, d.range.end.character)


def test_universe_has_python_and_dbt_assets(shop: Shop) -> None:
    universe = shop(HEAD).universe
    assert universe.known
    assert universe.complete
    assert set(universe.assets) == {
        "raw_orders",
        "raw_customers",
        "raw/payments",
        "orders_summary",
        "multi_one",
        "warehouse/multi_two",
        "external_feed",
        "stg_orders",
        "stg_customers",
        "customer_orders",
        "revenue_v2",
        "scored",
        "reports/legacy",
        "raw/orders",
        "country_codes",
        "orders_snapshot",
    }
    customer_orders = universe.assets["customer_orders"]
    assert customer_orders.deps == ("stg_orders", "stg_customers")
    assert customer_orders.tags == {
        "nightly": "",
        "dagster/kind/dbt": "",
        "dagster/kind/duckdb": "",
    }
    assert universe.assets["raw/orders"].tags == {}
    assert customer_orders.location is not None
    assert customer_orders.location[0].name == "customer_orders.sql"
    raw_orders = universe.assets["raw_orders"]
    assert raw_orders.location is not None
    assert raw_orders.location[0].name == "bronze.py"
    assert raw_orders.location[1] == 11
    assert raw_orders.tags == {"dagster/kind/python": ""}
    assert universe.assets["orders_summary"].deps == ("raw_orders", "raw_customers")


def test_a_valid_config_has_no_universe_diagnostics(shop: Shop) -> None:
    analysis = shop(
        HEAD
        + PARTITIONS
        + """  assets:
    "raw_*": {partitions: daily, group_name: bronze}
    "stg_{orders,customers}": {compute_kind: duckdb}
  jobs:
    bronze: {type: batch, selection: ["group:bronze", "key:raw/payments"]}
    marts: {type: batch, selection: ["+customer_orders and not group:bronze", "tag:nightly"]}
    vacuum: {type: ops, target_function: pipeline.ops.vacuum}
  schedules:
    nightly: {job: marts, cron_schedule: "0 3 * * *"}
  sensors:
    landed: {type: asset_sensor, job: marts, watched_assets: [raw_orders, raw/payments]}
"""
    )
    assert _universe_diagnostics(analysis) == []


JOB = "  jobs:\n    j: {type: batch, selection: [%s]}\n"


@pytest.mark.parametrize(
    ("body", "code", "severity", "span", "message"),
    [
        pytest.param(
            JOB % '"raw_orders and"',
            "selection-syntax",
            Severity.ERROR,
            (5, 45, 48),
            "after 'and', found the end of the selection",
            id="syntax-error-points-inside-the-string",
        ),
        pytest.param(
            JOB % '"group:bronz"',
            "unknown-group",
            Severity.ERROR,
            (5, 40, 45),
            "group 'bronz', which does not exist; did you mean 'bronze'?",
            id="unknown-group",
        ),
        pytest.param(
            JOB % '"+raw_ordrs"',
            "unknown-asset",
            Severity.ERROR,
            (5, 35, 44),
            "asset 'raw_ordrs', which does not exist; did you mean 'raw_orders'?",
            id="unknown-asset",
        ),
        pytest.param(
            JOB % '"key:raw/ordrs"',
            "unknown-asset",
            Severity.ERROR,
            (5, 38, 47),
            "asset key 'raw/ordrs', which does not exist; did you mean 'raw/orders'?",
            id="unknown-key",
        ),
        pytest.param(
            JOB % '"tag:tier=silver"',
            "unknown-tag",
            Severity.ERROR,
            (5, 38, 49),
            "no asset has tag 'tier' with value 'silver'; its values: 'gold' or 'raw'",
            id="unknown-tag-value",
        ),
        pytest.param(
            JOB % '"int_joined", "stg_orders"',
            "ephemeral-model",
            Severity.WARNING,
            (5, 34, 44),
            "an ephemeral dbt model",
            id="ephemeral-model",
        ),
        pytest.param(
            JOB % '"zzz_*", "stg_orders"',
            "selection-matches-nothing",
            Severity.WARNING,
            (5, 34, 39),
            "the pattern 'zzz_*' matches no asset",
            id="glob-matching-nothing",
        ),
        pytest.param(
            JOB % '"group:bronze and group:finance"',
            "job-selects-nothing",
            Severity.ERROR,
            (5, 32, 66),
            "job 'j' selects no asset",
            id="job-selects-nothing",
        ),
        pytest.param(
            '  assets:\n    "zzz_*": {compute_kind: duckdb}\n',
            "pattern-matches-nothing",
            Severity.WARNING,
            (5, 5, 10),
            "asset pattern 'zzz_*' matches none of the 16 known assets",
            id="pattern-matching-nothing",
        ),
        pytest.param(
            '  assets:\n    "raw_[ab": {compute_kind: duckdb}\n',
            "pattern-syntax",
            Severity.WARNING,
            (5, 9, 10),
            "'[' starts a character class but has no closing ']'",
            id="pattern-unbalanced-bracket",
        ),
        pytest.param(
            "  jobs:\n    j: {type: batch, selection: [group:bronze]}\n  sensors:\n"
            "    s: {type: asset_sensor, job: j, watched_assets: [raw_ordrs]}\n",
            "unknown-watched-asset",
            Severity.ERROR,
            (7, 53, 62),
            "sensor 's' watches asset 'raw_ordrs', which does not exist; did you mean",
            id="unknown-watched-asset",
        ),
    ],
)
def test_selection_and_pattern_rules(
    shop: Shop,
    body: str,
    code: str,
    severity: Severity,
    span: tuple[int, int, int],
    message: str,
) -> None:
    found = [d for d in _universe_diagnostics(shop(HEAD + body)) if d.code == code]
    assert len(found) == 1, found
    assert found[0].severity is severity
    assert _span(found[0]) == span
    assert message in found[0].message


def test_unknown_names_are_warnings_when_the_universe_is_incomplete(shop: Shop) -> None:
    head = HEAD.replace(
        "[pipeline.assets.bronze]", "[pipeline.assets.bronze, pipeline.assets.dynamic]"
    )
    analysis = shop(head + JOB % '"sales_us"')
    assert not analysis.universe.complete
    found = [d for d in analysis.diagnostics if d.code == "unknown-asset"]
    assert len(found) == 1
    assert found[0].severity is Severity.WARNING
    assert "the asset list may be incomplete" in found[0].message
    dynamic = [d for d in analysis.diagnostics if d.code == "module-dynamic-assets"]
    assert len(dynamic) == 1
    assert _span(dynamic[0]) == (2, 42, 65)
    assert "dynamic.py:8: assets are defined inside a loop" in dynamic[0].message


def test_unknown_group_fix_replaces_only_the_name(shop: Shop) -> None:
    analysis = shop(HEAD + JOB % '"group:bronz or tag:tier"')
    found = [d for d in analysis.diagnostics if d.code == "unknown-group"]
    edit = found[0].fixes[0].edits[0]
    assert (edit.range.start.character, edit.range.end.character) == (40, 45)
    assert edit.new_text == "bronze"


@pytest.mark.parametrize(
    ("body", "code", "severity", "span", "message"),
    [
        pytest.param(
            PARTITIONS
            + '  assets:\n    "raw_orders": {partitions: daily}\n'
            + '    "raw_customers": {partitions: monthly}\n'
            + JOB % '"group:bronze"',
            "job-mixed-partitions",
            Severity.ERROR,
            (11, 32, 48),
            "'daily' (raw_orders) and 'monthly' (raw_customers); Dagster cannot run one job",
            id="job-mixed-partitions",
        ),
        pytest.param(
            PARTITIONS + '  assets:\n    "raw_*": {partitions: daily}\n'
            '    "raw_orders": {partitions: monthly}\n',
            "pattern-partitions-conflict",
            Severity.ERROR,
            (9, 31, 38),
            "pattern 'raw_orders' sets partitions 'monthly', but pattern 'raw_*' (earlier in "
            "the file) sets 'daily' and both match raw_orders",
            id="pattern-partitions-conflict",
        ),
        pytest.param(
            '  assets:\n    "raw_*": {group_name: bronze}\n    "*_orders": {group_name: sales}\n',
            "pattern-group-name-conflict",
            Severity.WARNING,
            (6, 29, 34),
            "both match raw_orders",
            id="pattern-group-conflict",
        ),
        pytest.param(
            '  assets:\n    "stg_*": {automation_condition: eager}\n'
            + JOB % '"+stg_orders"'
            + '  schedules:\n    hourly: {job: j, cron_schedule: "0 * * * *"}\n',
            "automation-and-schedule",
            Severity.INFORMATION,
            (9, 18, 19),
            "assets stg_orders also have automation_condition 'eager' (pattern 'stg_*'): the "
            "automation condition takes precedence",
            id="automation-and-schedule",
        ),
    ],
)
def test_cross_asset_rules(
    shop: Shop,
    body: str,
    code: str,
    severity: Severity,
    span: tuple[int, int, int],
    message: str,
) -> None:
    found = [d for d in _universe_diagnostics(shop(HEAD + body)) if d.code == code]
    assert len(found) == 1, found
    assert found[0].severity is severity
    assert _span(found[0]) == span
    assert message in found[0].message


OPS = "  jobs:\n    j: {type: ops, target_function: %s}\n"


@pytest.mark.parametrize(
    ("text", "code", "severity", "span", "message"),
    [
        pytest.param(
            HEAD + OPS % "pipeline.ops.vacum",
            "function-not-found",
            Severity.ERROR,
            (5, 49, 54),
            "ops.py defines no function 'vacum'; did you mean 'vacuum'?",
            id="function-not-found",
        ),
        pytest.param(
            HEAD + OPS % "pipeline.opz.vacuum",
            "function-module-not-found",
            Severity.ERROR,
            (5, 36, 48),
            "module 'pipeline.opz' does not exist",
            id="function-module-not-found",
        ),
        pytest.param(
            HEAD.replace("pipeline.assets.bronze", "pipeline.assets.silver"),
            "module-not-found",
            Severity.ERROR,
            (2, 18, 40),
            "asset module 'pipeline.assets.silver' does not exist (looked for",
            id="module-not-found",
        ),
        pytest.param(
            HEAD.replace("pipeline.assets.bronze", "pipeline.nspkg"),
            "module-namespace",
            Severity.WARNING,
            (2, 18, 32),
            "is a folder without __init__.py",
            id="module-namespace",
        ),
        pytest.param(
            HEAD.replace("target/manifest.json", "target/nothing.json"),
            "manifest-missing",
            Severity.WARNING,
            (3, 41, 60),
            "run `dbt parse`",
            id="manifest-missing",
        ),
        pytest.param(
            HEAD.replace("target/manifest.json", "../pipeline/ops.py"),
            "manifest-invalid",
            Severity.ERROR,
            (3, 41, 59),
            "is not valid JSON",
            id="manifest-invalid",
        ),
    ],
)
def test_module_and_manifest_rules(
    shop: Shop,
    text: str,
    code: str,
    severity: Severity,
    span: tuple[int, int, int],
    message: str,
) -> None:
    found = [d for d in _universe_diagnostics(shop(text)) if d.code == code]
    assert len(found) == 1, found
    assert found[0].severity is severity
    assert _span(found[0]) == span
    assert message in found[0].message


def test_module_syntax_error_names_file_and_line(shop: Shop, tmp_path: Path) -> None:
    broken = tmp_path / "shop" / "pipeline" / "assets" / "broken.py"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('"""Broken."""\n\n\ndef broken(:\n    pass\n')
    analysis = shop(HEAD.replace("pipeline.assets.bronze", "pipeline.assets.broken"))
    found = [d for d in analysis.diagnostics if d.code == "module-syntax-error"]
    assert len(found) == 1
    assert _span(found[0]) == (2, 18, 40)
    assert f"{broken}:4:" in found[0].message
    assert not analysis.universe.complete


def test_relative_module_path(shop: Shop) -> None:
    analysis = shop(HEAD.replace("pipeline.assets.bronze", ".pipeline.assets.bronze"))
    assert "raw_orders" in analysis.universe.assets
    assert _universe_diagnostics(analysis) == []


def test_star_import_in_a_package_brings_its_assets(shop: Shop) -> None:
    analysis = shop(HEAD.replace("pipeline.assets.bronze", "pipeline.assets"))
    assert "raw_orders" in analysis.universe.assets
    assert analysis.universe.assets["raw_orders"].module == "pipeline.assets.bronze"


def test_without_asset_sources_names_are_not_checked(shop: Shop) -> None:
    analysis = shop("name: shop\norchestration:\n" + JOB % '"group:anything"')
    assert not analysis.universe.known
    assert _universe_diagnostics(analysis) == []


@pytest.mark.parametrize(
    ("kind", "label", "detail", "strict"),
    [
        pytest.param("job", "bronze", "batch", True, id="job"),
        pytest.param("partition", "daily", "time_window", True, id="partition"),
        pytest.param("asset", "raw/payments", "python asset · group bronze", True, id="asset"),
        pytest.param("asset", "customer_orders", "dbt model · group finance", True, id="dbt-asset"),
        pytest.param("group", "finance", "group of 1 asset", True, id="group"),
        pytest.param("tag", "tier=gold", "tag", True, id="tag"),
        pytest.param("dbt model", "int_joined", "dbt model (ephemeral)", True, id="dbt-model"),
        pytest.param("timezone", "Europe/Berlin", "IANA timezone", True, id="timezone"),
        pytest.param("module", "pipeline.ops", "Python module", False, id="module"),
        pytest.param("function", "pipeline.ops.vacuum", "function", False, id="function"),
        pytest.param(
            enum_kind(("orchestration", "jobs", "*", "type")),
            "ops",
            "allowed value",
            True,
            id="enum-type",
        ),
        pytest.param(
            enum_kind(("orchestration", "sensors", "*", "status")),
            "FAILURE",
            "allowed value",
            True,
            id="enum-of-one-union-member",
        ),
    ],
)
def test_value_providers(shop: Shop, kind: str, label: str, detail: str, strict: bool) -> None:
    analysis = shop(
        HEAD + PARTITIONS + '  jobs:\n    bronze: {type: batch, selection: ["group:bronze"]}\n'
    )
    chosen = provider(kind)
    candidates = {c.label: c for c in chosen.candidates(analysis)}
    assert label in candidates
    assert candidates[label].detail == detail
    assert chosen.strict(analysis) is strict


def test_private_functions_are_not_offered(shop: Shop) -> None:
    labels = {c.label for c in provider("function").candidates(shop(HEAD))}
    assert "pipeline.ops.current_customers" in labels
    assert "pipeline.ops._private" not in labels


def test_asset_provider_is_suggestion_only_while_incomplete(shop: Shop) -> None:
    analysis = shop(HEAD.replace("target/manifest.json", "target/nothing.json"))
    assert provider(SymbolKind.ASSET).strict(analysis) is False
    assert provider("dbt model").candidates(analysis) == []


def test_unknown_provider_kind() -> None:
    with pytest.raises(KeyError, match="no value provider for 'colour'"):
        provider("colour")


def test_job_level_dbt_is_one_asset(shop: Shop) -> None:
    head = HEAD.replace(
        "manifest_path: target/manifest.json}",
        "manifest_path: target/manifest.json, observability_level: job_level}",
    )
    analysis = shop(head + JOB % '"customer_orders"')
    assert "shop_dbt_build" in analysis.universe.assets
    assert "customer_orders" not in analysis.universe.assets
    assert analysis.universe.assets["shop_dbt_build"].deps == ("raw/orders", "raw_customers")
    found = [d for d in analysis.diagnostics if d.code == "dbt-model-not-an-asset"]
    assert len(found) == 1
    assert found[0].severity is Severity.ERROR
    assert _span(found[0]) == (5, 34, 49)
    assert "the whole dbt build is the one asset 'shop_dbt_build'" in found[0].message
    assert found[0].fixes[0].edits[0].new_text == "shop_dbt_build"


def test_manifest_override_that_is_missing_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root)
    path = root / "floe.yaml"
    text = "name: shop\norchestration:\n  jobs: {}\n"
    path.write_text(text)
    context = AnalysisContext(path=path, env={}, manifest_path=tmp_path / "nope.json")
    found = [d for d in analyze(text, context).diagnostics if d.code == "manifest-missing"]
    assert len(found) == 1
    assert _span(found[0]) == (0, 0, 0)
    assert str(tmp_path / "nope.json") in found[0].message


@pytest.mark.parametrize(
    ("head", "code"),
    [
        pytest.param(
            HEAD.replace("pipeline.assets.bronze", "a" * 300 + ".b"),
            "module-not-found",
            id="module-path-too-long-for-the-file-system",
        ),
        pytest.param(
            HEAD.replace("target/manifest.json", '"target/\\0.json"'),
            "manifest-invalid",
            id="manifest-path-with-a-nul-byte",
        ),
        pytest.param(
            HEAD.replace("target/manifest.json", "x" * 5000),
            "manifest-missing",
            id="manifest-path-too-long",
        ),
    ],
)
def test_unusable_paths_are_diagnostics_not_crashes(shop: Shop, head: str, code: str) -> None:
    analysis = shop(head)
    assert code in {d.code for d in analysis.diagnostics}
    assert "internal-error" not in {d.code for d in analysis.diagnostics}


@pytest.mark.parametrize(
    ("source", "modules", "span", "message"),
    [
        pytest.param(
            "from dagster import asset\n\n\n@asset\ndef raw_orders() -> None: ...\n",
            "[pipeline.assets.bronze, pipeline.assets.extra]",
            (2, 42, 63),
            "asset key 'raw_orders' is defined twice",
            id="two-python-modules",
        ),
        pytest.param(
            "from dagster import asset\n\n\n@asset\ndef stg_orders() -> None: ...\n",
            "[pipeline.assets.extra]",
            (3, 41, 61),
            "asset key 'stg_orders' is defined twice",
            id="python-asset-and-dbt-model",
        ),
    ],
)
def test_duplicate_asset_keys(
    shop: Shop, tmp_path: Path, source: str, modules: str, span: tuple[int, int, int], message: str
) -> None:
    (tmp_path / "shop" / "pipeline" / "assets" / "extra.py").write_text(source)
    analysis = shop(HEAD.replace("[pipeline.assets.bronze]", modules))
    found = [d for d in analysis.diagnostics if d.code == "duplicate-asset-key"]
    assert len(found) == 1
    assert found[0].severity is Severity.ERROR
    assert _span(found[0]) == span
    assert message in found[0].message


def test_a_module_listed_with_its_package_is_not_a_duplicate(shop: Shop) -> None:
    analysis = shop(
        HEAD.replace("[pipeline.assets.bronze]", "[pipeline.assets, pipeline.assets.bronze]")
    )
    assert "duplicate-asset-key" not in {d.code for d in analysis.diagnostics}


def test_source_assets_are_not_pipeline_assets(shop: Shop, tmp_path: Path) -> None:
    (tmp_path / "shop" / "pipeline" / "assets" / "extra.py").write_text(
        "import dagster as dg\n\n"
        "legacy = dg.SourceAsset(key='legacy_feed')\n\n\n"
        "@dg.observable_source_asset\ndef watched_feed() -> dg.DataVersion: ...\n\n\n"
        "@dg.asset\ndef real() -> None: ...\n"
    )
    analysis = shop(HEAD.replace("[pipeline.assets.bronze]", "[pipeline.assets.extra]"))
    assert "real" in analysis.universe.assets
    assert "legacy_feed" not in analysis.universe.assets
    assert "watched_feed" not in analysis.universe.assets


def test_a_plain_pattern_configures_every_asset_of_that_name(shop: Shop, tmp_path: Path) -> None:
    """``raw_orders:`` under ``assets`` applies to ``archive/raw_orders`` too, as the runtime
    applies it; a selection item ``raw_orders`` still means the asset with that key."""
    (tmp_path / "shop" / "pipeline" / "assets" / "archive.py").write_text(
        "import dagster as dg\n\n\n"
        "@dg.asset(key_prefix=['archive'], name='raw_orders')\ndef old_orders() -> None: ...\n"
    )
    analysis = shop(
        HEAD.replace(
            "[pipeline.assets.bronze]", "[pipeline.assets.bronze, pipeline.assets.archive]"
        )
        + PARTITIONS
        + '  assets:\n    "raw_orders": {partitions: daily}\n'
        + JOB % '"raw_orders"'
    )
    assert pattern_assets(analysis.universe, "raw_orders") == {"raw_orders", "archive/raw_orders"}
    assert partition_of(analysis, "archive/raw_orders") == "daily"
    assert assets_of_job(analysis, "j").keys == {"raw_orders"}
