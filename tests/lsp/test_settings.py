"""Settings: initializationOptions, workspace/configuration, didChangeConfiguration, and bad
values reported by name with the defaults used instead."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.asyncio

BROKEN = """\
name: demo
orchestration:
  schedules:
    s:
      job: nope
      cron_schedule: '0 6 * * *'
"""


@pytest.mark.parametrize(
    ("init_options", "warning"),
    [
        pytest.param(
            {"features": {"hover": "yes"}}, "'floe.features.hover' must be true or false", id="bool"
        ),
        pytest.param({"floe": {"logLevel": "loud"}}, "'floe.logLevel' must be one of", id="enum"),
        pytest.param({"manifestPath": 3}, "'floe.manifestPath' must be a string", id="type"),
        pytest.param({"colour": "red"}, "unknown setting 'floe.colour'", id="unknown"),
        pytest.param(["not", "an", "object"], "must be an object of settings", id="not-object"),
    ],
)
async def test_bad_settings_warn_and_fall_back(start_lsp, init_options, warning) -> None:
    session = await start_lsp(init_options=init_options)
    await session.client.wait_until(lambda: bool(session.client.messages))
    message = session.client.messages[0]
    assert message.type == types.MessageType.Warning
    assert warning in message.message
    assert "default" in message.message or "(ignored)" in message.message
    codes = [d.code for d in await session.open("floe.yaml", BROKEN)]
    assert codes == ["unknown-job"]


async def test_workspace_configuration_is_read(start_lsp) -> None:
    session = await start_lsp(configuration={"floe": {"features": {"diagnostics": False}}})
    caps = session.client.capabilities
    diagnostics = await session.open("floe.yaml", BROKEN)
    if caps.workspace and caps.workspace.configuration:
        uri = session.uri("floe.yaml")
        assert await session.until(uri, lambda diags: diags == []) == []
    else:
        assert [d.code for d in diagnostics] == ["unknown-job"]


async def test_a_configuration_change_applies(lsp) -> None:
    uri = lsp.uri("floe.yaml")
    assert [d.code for d in await lsp.open("floe.yaml", BROKEN)] == ["unknown-job"]
    lsp.client.set_configuration({"floe": {"features": {"diagnostics": False}}})
    lsp.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"floe": {"features": {"diagnostics": False}}})
    )
    assert await lsp.until(uri, lambda diags: diags == []) == []
