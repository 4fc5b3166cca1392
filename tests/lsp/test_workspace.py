"""The workspace around a document: watched-file registration, a dbt manifest reloaded when
it changes (a broken one keeps the last good index), asset modules re-read, the env file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lsprotocol import types

pytestmark = pytest.mark.asyncio

SENSOR = """\
    on_assets:
      type: asset_sensor
      job: vacuum
      watched_assets: [{names}]
"""


def _with_sensor(project: Path, names: str) -> str:
    text = (project / "floe.yaml").read_text(encoding="utf-8")
    return text.replace("  backfills:", SENSOR.format(names=names) + "  backfills:")


def _unknown_assets(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [d.message for d in diagnostics if d.code == "unknown-watched-asset"]


def _add_model(manifest: Path, name: str) -> None:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    node = dict(data["nodes"]["model.jaffle_shop.customers"])
    node.update(
        name=name,
        unique_id=f"model.jaffle_shop.{name}",
        original_file_path=f"models/{name}.sql",
        alias=name,
        fqn=["jaffle_shop", name],
    )
    data["nodes"][node["unique_id"]] = node
    manifest.write_text(json.dumps(data), encoding="utf-8")


async def test_watchers_are_registered_when_the_client_allows(lsp, client_profile) -> None:
    caps = lsp.client.capabilities
    dynamic = caps.workspace.did_change_watched_files.dynamic_registration
    await lsp.open("floe.yaml", "name: x\n")
    if not dynamic:
        assert client_profile == "neovim"
        return
    await lsp.client.wait_until(
        lambda: any(
            r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in lsp.client.registrations
        )
    )
    (registration,) = [
        r for r in lsp.client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    ]
    globs = [w["globPattern"] for w in registration.register_options["watchers"]]
    assert {"**/manifest.json", "**/*.py", "**/floe.yaml"} <= set(globs)


async def test_a_changed_manifest_is_reloaded(lsp, project) -> None:
    uri = lsp.uri("floe.yaml")
    before = await lsp.open("floe.yaml", _with_sensor(project, "customers, new_model"))
    assert len(_unknown_assets(before)) == 1
    assert "'new_model'" in _unknown_assets(before)[0]
    _add_model(project / "dbt" / "target" / "manifest.json", "new_model")
    lsp.files_changed("dbt/target/manifest.json")
    after = await lsp.until(uri, lambda diags: not _unknown_assets(diags))
    assert after == []


async def test_a_broken_manifest_keeps_the_last_good_index(lsp, project) -> None:
    uri = lsp.uri("floe.yaml")
    assert await lsp.open("floe.yaml", _with_sensor(project, "customers")) == []
    manifest = project / "dbt" / "target" / "manifest.json"
    manifest.write_text('{"metadata": {}, "nodes": {', encoding="utf-8")
    lsp.files_changed("dbt/target/manifest.json")
    message = await lsp.client.wait_for_log("keeping its last good version")
    assert "manifest.json did not load" in message.message
    assert await lsp.change(uri, _with_sensor(project, "customers, orders")) == []


async def test_a_changed_module_is_read_again(lsp, project) -> None:
    uri = lsp.uri("floe.yaml")
    before = await lsp.open("floe.yaml", _with_sensor(project, "bronze_customers"))
    assert "'bronze_customers'" in _unknown_assets(before)[0]
    module = project / "assets" / "bronze.py"
    module.write_text(
        module.read_text(encoding="utf-8")
        + '\n\n@asset(group_name="bronze")\ndef bronze_customers() -> None:\n    """New."""\n',
        encoding="utf-8",
    )
    lsp.files_changed("assets/bronze.py")
    assert await lsp.until(uri, lambda diags: not _unknown_assets(diags)) == []


async def test_unrelated_file_changes_are_ignored(lsp, project) -> None:
    uri = lsp.uri("floe.yaml")
    await lsp.open("floe.yaml", _with_sensor(project, "customers"))
    before = (await lsp.request("floe/status", {})).generation
    lsp.files_changed("README.md", "image.png")
    lsp.files_changed("assets/bronze.py")
    await lsp.until(uri, lambda diags: True)
    after = (await lsp.request("floe/status", {})).generation
    assert after == before + 1


@pytest.mark.parametrize(
    ("env_text", "expected"),
    [
        pytest.param("NIGHTLY_JOB=vacuum\n", [], id="resolved-from-env-file"),
        pytest.param("OTHER=1\n", ["env-unset"], id="not-in-env-file"),
    ],
)
async def test_the_env_file_setting_feeds_interpolation(
    start_lsp, project, env_text, expected
) -> None:
    (project / "dev.env").write_text(env_text, encoding="utf-8")
    session = await start_lsp(root=project, init_options={"envFile": "dev.env"})
    text = (project / "floe.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "      job: bronze_refresh\n      cron", "      job: ${NIGHTLY_JOB}\n      cron"
    )
    diagnostics = await session.open("floe.yaml", text)
    assert [d.code for d in diagnostics] == expected
