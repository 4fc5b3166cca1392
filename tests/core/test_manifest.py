"""The dbt manifest index: real manifests (jaffle shop, tuva), a hand-made one with groups,
versions, sources, ephemeral and Python models, and broken files; caching by file version."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from floe_core.manifest import ManifestError, load_manifest, read_manifest
from floe_core.project_cache import JsonDecoder, ProjectCache

SHOP = Path(__file__).parent / "fixtures" / "universe" / "shop"


@pytest.fixture
def shop_manifest(tmp_path: Path) -> Path:
    """A copy of the hand-made manifest, in its dbt project's target/ folder."""
    target = tmp_path / "dbt" / "target"
    target.mkdir(parents=True)
    return Path(shutil.copy(SHOP / "dbt" / "target" / "manifest.json", target / "manifest.json"))


def test_jaffle_shop_models_and_seeds(jaffle_manifest: Path) -> None:
    index = read_manifest(jaffle_manifest)
    assert index.project_name == "jaffle_shop"
    assert sorted(n.name for n in index.models()) == [
        "customers",
        "orders",
        "stg_customers",
        "stg_orders",
        "stg_payments",
    ]
    assert sorted(n.asset_key() for n in index.assets() if n.resource_type == "seed") == [
        "raw_customers",
        "raw_orders",
        "raw_payments",
    ]
    assert len(list(index.tests())) == 20
    orders = index.named("orders", "model")[0]
    assert orders.materialization == "table"
    assert "basic information about orders" in orders.description
    assert {c.name for c in orders.columns} >= {"order_id", "customer_id", "amount"}
    assert [n.name for n in index.upstream(orders)] == ["stg_orders", "stg_payments"]
    assert orders.path == jaffle_manifest.parent.parent / "models" / "orders.sql"


def test_tuva_excludes_ephemeral_models_from_assets(tuva_manifest: Path) -> None:
    index = read_manifest(tuva_manifest)
    models = list(index.models())
    ephemeral = [n for n in models if n.materialization == "ephemeral"]
    assert len(models) == 708
    assert len(ephemeral) == 48
    asset_models = [n for n in index.assets() if n.resource_type == "model"]
    assert len(asset_models) == 708 - 48
    assert {n.package for n in models} == {"the_tuva_project", "integration_tests"}


@pytest.mark.parametrize(
    ("unique_id", "key", "group", "kind"),
    [
        pytest.param("model.shop.stg_orders", "stg_orders", "staging", "model", id="folder-group"),
        pytest.param(
            "model.shop.stg_customers",
            "stg_customers",
            "staging_custom",
            "model",
            id="meta-dagster-group",
        ),
        pytest.param(
            "model.shop.customer_orders", "customer_orders", "finance", "model", id="dbt-group"
        ),
        pytest.param("model.shop.revenue.v2", "revenue_v2", "marts", "model", id="versioned-alias"),
        pytest.param("model.shop.scored", "scored", "marts", "model", id="python-model"),
        pytest.param(
            "model.shop.legacy_report", "reports/legacy", "marts", "model", id="meta-asset-key"
        ),
        pytest.param("source.shop.raw.orders", "raw/orders", "staging", "source", id="source"),
        pytest.param("seed.shop.country_codes", "country_codes", None, "seed", id="seed"),
        pytest.param(
            "snapshot.shop.orders_snapshot",
            "orders_snapshot",
            "orders_snapshot",
            "snapshot",
            id="snapshot",
        ),
    ],
)
def test_asset_keys_and_groups_follow_the_runtime(
    shop_manifest: Path, unique_id: str, key: str, group: str | None, kind: str
) -> None:
    node = read_manifest(shop_manifest).nodes[unique_id]
    assert node.asset_key() == key
    assert node.asset_group == group
    assert node.resource_type == kind


def test_source_named_like_a_python_asset_takes_its_key(shop_manifest: Path) -> None:
    node = read_manifest(shop_manifest).nodes["source.shop.raw.raw_customers"]
    assert node.asset_key() == "raw/raw_customers"
    assert node.asset_key(frozenset({"raw_customers"})) == "raw_customers"


def test_dependencies_look_through_ephemeral_models(shop_manifest: Path) -> None:
    index = read_manifest(shop_manifest)
    customer_orders = index.nodes["model.shop.customer_orders"]
    assert sorted(p.name for p in index.asset_parents(customer_orders)) == [
        "stg_customers",
        "stg_orders",
    ]
    assert not index.nodes["model.shop.int_joined"].is_asset
    assert "operation.shop.shop-on-run-end-0" not in index.nodes
    assert [n.name for n in index.downstream(index.nodes["model.shop.stg_orders"])] == [
        "int_joined",
        "orders_snapshot",
    ]
    assert index.nodes["model.shop.customer_orders"].asset_tags == {"nightly": ""}


@pytest.mark.parametrize(
    ("content", "kind", "message"),
    [
        pytest.param(b"{not json", "invalid", "is not valid JSON", id="broken-json"),
        pytest.param(b"[1, 2]", "invalid", "not a dbt manifest", id="json-list"),
        pytest.param(b'{"nodes": {}}', "invalid", "not a dbt manifest", id="no-metadata"),
        pytest.param(b"\xff\xfe\x00", "invalid", "is not valid JSON", id="binary"),
    ],
)
@pytest.mark.parametrize("decoder", [None, json.loads], ids=["sections", "whole-document"])
def test_unusable_manifests(
    tmp_path: Path, content: bytes, kind: str, message: str, decoder: JsonDecoder | None
) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(content)
    with pytest.raises(ManifestError) as raised:
        load_manifest(path, ProjectCache(json_decoder=decoder))
    assert raised.value.kind == kind
    assert message in raised.value.message


def test_missing_manifest_says_to_run_dbt_parse(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as raised:
        load_manifest(tmp_path / "target" / "manifest.json", ProjectCache())
    assert raised.value.kind == "missing"
    assert "dbt parse" in raised.value.message
    assert str(tmp_path / "target" / "manifest.json") in raised.value.message


def test_cached_until_the_file_changes(shop_manifest: Path) -> None:
    cache = ProjectCache()
    first = load_manifest(shop_manifest, cache)
    assert load_manifest(shop_manifest, cache) is first
    stat = shop_manifest.stat()
    text = shop_manifest.read_text().replace("Orders, cleaned.", "Orders, cleaned again.")
    shop_manifest.write_text(text)
    os.utime(shop_manifest, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_manifest(shop_manifest, cache)
    assert second is not first
    assert second.nodes["model.shop.stg_orders"].description == "Orders, cleaned again."


def test_a_json_decoder_keeps_the_whole_document_decoded_once(shop_manifest: Path) -> None:
    decoded: list[bytes] = []

    def decode(raw: bytes) -> object:
        decoded.append(raw)
        return json.loads(raw)

    cache = ProjectCache(json_decoder=decode)
    index = load_manifest(shop_manifest, cache)
    assert index.document == json.loads(shop_manifest.read_bytes())
    assert index.nodes["model.shop.stg_orders"].description == "Orders, cleaned."
    assert load_manifest(shop_manifest, cache).document is index.document
    assert len(decoded) == 1
    assert load_manifest(shop_manifest, ProjectCache()).document is None
