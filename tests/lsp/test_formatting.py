"""Formatting over the protocol: one whole-document edit with floe_core's formatting,
nothing for formatted or unparsable documents, and off when the setting says so."""

from __future__ import annotations

import pytest
from lsprotocol import types

from floe_core.formatting import format_document

pytestmark = pytest.mark.asyncio

MESSY = """\
# the pipeline
name:   demo
orchestration:
    jobs:
        bronze_refresh:   # refreshed nightly
            type: 'batch'
            selection: ["group:bronze"]

    schedules:
        nightly:
            job: bronze_refresh
            cron_schedule: "0 6 * * *"
"""


async def _format(session, uri):
    return await session.client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )


async def test_formatting_rewrites_the_document_once(lsp) -> None:
    uri = lsp.uri("floe.yaml")
    await lsp.open("floe.yaml", MESSY)
    edits = await _format(lsp, uri)
    expected = format_document(MESSY).text
    assert expected is not None
    assert expected != MESSY
    assert edits is not None
    assert len(edits) == 1
    assert edits[0].range.start == types.Position(line=0, character=0)
    assert edits[0].range.end == types.Position(line=len(MESSY.splitlines()), character=0)
    assert edits[0].new_text == expected
    assert "# refreshed nightly" in expected
    await lsp.change(uri, expected)
    again = await _format(lsp, uri)
    assert again is not None
    assert len(again) == 0


@pytest.mark.parametrize(
    ("text", "logged"),
    [
        pytest.param("name: demo\norchestration: [\n", True, id="syntax-error"),
        pytest.param("name: demo\n", False, id="already-formatted"),
    ],
)
async def test_nothing_to_format(lsp, text, logged) -> None:
    uri = lsp.uri("floe.yaml")
    await lsp.open("floe.yaml", text)
    assert not await _format(lsp, uri)
    warned = [m.message for m in lsp.client.log_messages if "was not formatted" in m.message]
    assert bool(warned) is logged


async def test_formatting_can_be_turned_off(start_lsp) -> None:
    session = await start_lsp(init_options={"floe": {"features": {"formatting": False}}})
    uri = session.uri("floe.yaml")
    await session.open("floe.yaml", MESSY)
    assert await _format(session, uri) is None
