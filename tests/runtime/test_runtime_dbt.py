"""The demo's dbt project through the runtime, for real: dbt parse and dbt build on DuckDB,
every model its own asset, tests as checks, sources on the bronze assets, one span and one
OpenLineage START/COMPLETE pair per asset received by a real HTTP endpoint."""

import os
import time
from pathlib import Path

import dagster as dg
import pytest

from floe_core import FloeConfigError
from floe_runtime import load_definitions

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dbt")]

MODELS = {
    "stg_customers": "silver",
    "stg_orders": "silver",
    "stg_products": "silver",
    "stg_order_items": "silver",
    "customer_orders": "gold",
    "revenue_by_product": "gold",
}
BRONZE = ("bronze_customers", "bronze_products", "bronze_orders", "bronze_order_items")


def _graph(defs: dg.Definitions):
    return defs.get_repository_def().asset_graph


def test_every_dbt_model_is_its_own_asset_in_its_folder_group(demo_project):
    graph = _graph(load_definitions(demo_project, platform=None))
    for model, group in MODELS.items():
        node = graph.get(dg.AssetKey(model))
        assert node.group_name == group
        assert node.automation_condition is not None
    for bronze in BRONZE:
        assert graph.get(dg.AssetKey(bronze)).partitions_def is not None


def test_sources_map_onto_the_bronze_assets(demo_project):
    graph = _graph(load_definitions(demo_project, platform=None))
    parents = {
        model: {k.to_user_string() for k in graph.get(dg.AssetKey(model)).parent_keys}
        for model in ("stg_customers", "stg_order_items", "customer_orders")
    }
    assert parents["stg_customers"] == {"bronze_customers"}
    assert parents["stg_order_items"] == {"bronze_order_items"}
    assert parents["customer_orders"] == {"stg_customers", "stg_orders", "stg_order_items"}


def test_dbt_tests_become_asset_checks(demo_project):
    graph = _graph(load_definitions(demo_project, platform=None))
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert ("stg_orders", "unique_stg_orders_order_id") in checks
    assert len(checks) == 13


def test_profiles_are_generated_for_the_embedded_duckdb(demo_project):
    load_definitions(demo_project, platform=None)
    profiles = demo_project.parent / "dbt" / "target" / "floe_profiles" / "profiles.yml"
    text = profiles.read_text()
    assert "type: duckdb" in text
    assert str(demo_project.parent / "demo.duckdb") in text


def test_a_stale_manifest_is_parsed_again(demo_project):
    manifest = demo_project.parent / "dbt" / "target" / "manifest.json"
    model = demo_project.parent / "dbt" / "models" / "gold" / "revenue_by_product.sql"
    before = manifest.stat().st_mtime_ns
    later = time.time() + 5
    os.utime(model, (later, later))
    load_definitions(demo_project, platform=None)
    assert manifest.stat().st_mtime_ns > before


def test_job_level_observability_gives_one_asset_for_the_whole_build(demo_project):
    text = demo_project.read_text().replace(
        "manifest_path: target/manifest.json}",
        "manifest_path: target/manifest.json, observability_level: job_level}",
    )
    text = text.replace('"{stg,customer,revenue}_*"', '"stg_*"')
    text = text.replace('"group:silver"', '"group:dbt"').replace('"group:gold"', '"group:dbt"')
    demo_project.write_text(text)
    graph = _graph(load_definitions(demo_project, platform=None))
    keys = {k.to_user_string() for k in graph.materializable_asset_keys}
    assert keys == {*BRONZE, "demo_dbt_build"}
    parents = {k.to_user_string() for k in graph.get(dg.AssetKey("demo_dbt_build")).parent_keys}
    assert parents == set(BRONZE)


def test_a_broken_dbt_project_points_at_the_dbt_section(demo_project):
    broken = demo_project.parent / "dbt" / "models" / "silver" / "stg_orders.sql"
    broken.write_text("select * from {{ ref('no_such_model') }}\n")
    with pytest.raises(FloeConfigError) as caught:
        load_definitions(demo_project, platform=None)
    assert "dbt parse failed" in str(caught.value)
    assert caught.value.diagnostics[0].code == "dbt-project"


def test_one_span_and_one_lineage_pair_per_asset(demo_project, lineage_server, spans):
    env = {**os.environ, "OPENLINEAGE_URL": f"http://127.0.0.1:{lineage_server.server_port}"}
    defs = load_definitions(demo_project, env=env, platform=None)
    with dg.instance_for_test() as instance:
        result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
            instance=instance, partition_key="2024-01-02"
        )
    assert result.success
    expected = {*MODELS, *BRONZE}
    names = sorted(span.attributes["floe.asset"] for span in spans.get_finished_spans())
    assert names == sorted(expected)
    events = lineage_server.events
    by_asset: dict[str, list[str]] = {}
    for event in events:
        by_asset.setdefault(event["job"]["name"].removeprefix("demo."), []).append(
            event["eventType"]
        )
    assert by_asset == {asset: ["START", "COMPLETE"] for asset in expected}
    completes = {
        e["job"]["name"].removeprefix("demo."): e for e in events if e["eventType"] == "COMPLETE"
    }
    stg = completes["stg_customers"]
    bronze_output = completes["bronze_customers"]["outputs"][0]
    assert stg["inputs"] == [bronze_output] or [
        (i["namespace"], i["name"]) for i in stg["inputs"]
    ] == [(bronze_output["namespace"], bronze_output["name"])]
    assert stg["outputs"][0]["name"].endswith("stg_customers")
    assert {i["name"].rsplit(".", 1)[-1] for i in completes["customer_orders"]["inputs"]} == {
        "stg_customers",
        "stg_orders",
        "stg_order_items",
    }


def test_a_failing_model_emits_fail(demo_project, lineage_server, spans):
    model = demo_project.parent / "dbt" / "models" / "gold" / "revenue_by_product.sql"
    model.write_text("select error('revenue exploded') as product_id\n")
    env = {**os.environ, "OPENLINEAGE_URL": f"http://127.0.0.1:{lineage_server.server_port}"}
    defs = load_definitions(demo_project, env=env, platform=None)
    with dg.instance_for_test() as instance:
        result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
            instance=instance,
            asset_selection=[dg.AssetKey("revenue_by_product")],
            raise_on_error=False,
        )
    assert not result.success
    kinds = [(e["job"]["name"], e["eventType"]) for e in lineage_server.events]
    assert kinds == [("demo.revenue_by_product", "START"), ("demo.revenue_by_product", "FAIL")]
    facets = lineage_server.events[1]["run"]["facets"]
    assert (
        "ERROR creating sql table model main.revenue_by_product"
        in (facets["errorMessage"]["message"])
    )
    (span,) = spans.get_finished_spans()
    assert not span.status.is_ok
    assert span.attributes["floe.asset"] == "revenue_by_product"


def test_nothing_is_sent_and_nothing_fails_without_endpoints(demo_project, monkeypatch):
    for variable in ("OPENLINEAGE_URL", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        monkeypatch.delenv(variable, raising=False)
    defs = load_definitions(demo_project, platform=None)
    with dg.instance_for_test() as instance:
        job = defs.resolve_job_def("bronze_refresh")
        assert job.execute_in_process(instance=instance, partition_key="2024-01-05").success


def test_platform_yaml_endpoints_are_used(demo_project, lineage_server, spans):
    (demo_project.parent / "platform.yaml").write_text(
        "compute:\n  profiles:\n    local: {type: duckdb, path: warehouse/wh.duckdb}\n"
        "observability:\n"
        f"  lineage: {{endpoint: 'http://127.0.0.1:{lineage_server.server_port}', "
        "namespace: analytics}\n"
    )
    defs = load_definitions(demo_project, env=dict(os.environ.items()))
    with dg.instance_for_test() as instance:
        job = defs.resolve_job_def("bronze_refresh")
        assert job.execute_in_process(instance=instance, partition_key="2024-01-05").success
    assert {e["job"]["namespace"] for e in lineage_server.events} == {"analytics"}
    assert (demo_project.parent / "warehouse" / "wh.duckdb").is_file()


def test_definitions_load_from_the_two_line_definitions_module(demo_project, monkeypatch):
    monkeypatch.chdir(Path("/"))
    module = demo_project.parent / "orchestration" / "definitions.py"
    namespace: dict[str, object] = {"__file__": str(module), "__name__": "definitions"}
    exec(compile(module.read_text(), str(module), "exec"), namespace)
    assert isinstance(namespace["defs"], dg.Definitions)


def test_models_with_their_own_partitions_get_their_own_dbt_assets(demo_project):
    text = demo_project.read_text().replace(
        '"{stg,customer,revenue}_*": {automation_condition: eager}',
        '"stg_*": {partitions: daily}',
    )
    demo_project.write_text(text)
    defs = load_definitions(demo_project, platform=None)
    graph = _graph(defs)
    assert graph.get(dg.AssetKey("stg_orders")).partitions_def is not None
    assert graph.get(dg.AssetKey("customer_orders")).partitions_def is None
    with dg.instance_for_test() as instance:
        bronze = defs.resolve_job_def("bronze_refresh")
        assert bronze.execute_in_process(instance=instance, partition_key="2024-01-03").success
        silver = defs.resolve_job_def("silver_refresh")
        result = silver.execute_in_process(instance=instance, partition_key="2024-01-03")
        assert result.success
        materialized = instance.get_materialized_partitions(dg.AssetKey("stg_orders"))
        assert materialized == {"2024-01-03"}


def test_a_job_reaching_an_unmapped_dbt_source_is_partitioned_like_its_models(demo_project):
    dbt = demo_project.parent / "dbt"
    sources = dbt / "models" / "silver" / "_sources.yml"
    sources.write_text(sources.read_text() + "      - name: returns\n")
    (dbt / "models" / "silver" / "stg_returns.sql").write_text(
        "select * from {{ source('raw', 'returns') }}\n"
    )
    # The model and the floe.yaml lines naming it arrive together: the stale manifest is
    # parsed again before the config is judged, so 'stg_returns' is known.
    text = demo_project.read_text().replace(
        '"{stg,customer,revenue}_*": {automation_condition: eager}',
        '"stg_*": {partitions: daily}',
    )
    text = text.replace(
        "  jobs:\n", '  jobs:\n    returns: {type: batch, selection: ["+stg_returns"]}\n'
    )
    demo_project.write_text(text)
    defs = load_definitions(demo_project, platform=None)
    graph = _graph(defs)
    assert dg.AssetKey(["raw", "returns"]) not in graph.materializable_asset_keys
    daily = graph.get(dg.AssetKey("stg_returns")).partitions_def
    assert daily is not None
    assert defs.resolve_job_def("returns").partitions_def == daily
