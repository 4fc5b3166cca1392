"""Inlay hints over the protocol: the plain-words description after every cron value, only
within the requested range, following the document as it changes, at the client's columns."""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types

pytestmark = pytest.mark.asyncio

DOCUMENT = """name: shop
orchestration:
  partitions:
    daily:
      type: time_window
      start: "2024-01-01"
      cron_schedule: "0 0 * * *"
    grid:
      type: multi
      partitions:
        hour:
          type: time_window
          start: "2024-01-01"
          cron_schedule: "0 * * * *"
        region:
          type: static
          partition_keys: [eu, us]
  jobs:
    vacuum:
      type: ops
      target_function: a.b.c
  schedules:
    nightly:
      job: vacuum
      cron_schedule: "${NIGHTLY_CRON:30 2 * * 1-5}"
    broken:
      job: vacuum
      cron_schedule: "61 * * * *"
"""


async def hints(session: Any, uri: str, first: int = 0, last: int = 100) -> list[types.InlayHint]:
    result = await session.client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=first, character=0),
                end=types.Position(line=last, character=0),
            ),
        )
    )
    return list(result or [])


def summary(found: list[types.InlayHint]) -> list[tuple[int, int, str]]:
    return [(h.position.line, h.position.character, str(h.label)) for h in found]


def after_value(line: int, label: str) -> tuple[int, int, str]:
    """A hint at the end of DOCUMENT's ``line`` (right after the closing quote)."""
    return (line, len(DOCUMENT.split("\n")[line]), label)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        pytest.param(
            0,
            100,
            [
                after_value(6, "⟵ At 00:00"),
                after_value(13, "⟵ Every hour"),
                after_value(24, "⟵ At 02:30, Monday through Friday"),
            ],
            id="whole-document-invalid-cron-skipped",
        ),
        pytest.param(10, 20, [after_value(13, "⟵ Every hour")], id="requested-range-only"),
        pytest.param(25, 100, [], id="range-without-valid-cron"),
    ],
)
async def test_cron_descriptions(
    lsp: Any, first: int, last: int, expected: list[tuple[int, int, str]]
) -> None:
    await lsp.open("floe.yaml", DOCUMENT)
    assert summary(await hints(lsp, lsp.uri("floe.yaml"), first, last)) == expected


async def test_hints_follow_the_edited_text(lsp: Any) -> None:
    await lsp.open("floe.yaml", DOCUMENT)
    uri = lsp.uri("floe.yaml")
    await lsp.change(uri, DOCUMENT.replace('"0 0 * * *"', '"0 6 * * 0"'))
    assert summary(await hints(lsp, uri, 0, 8)) == [after_value(6, "⟵ At 06:00, only on Sunday")]


@pytest.mark.parametrize(
    "name", [pytest.param("données", id="bmp-accents"), pytest.param("𝔡𝔞𝔦𝔩𝔶", id="astral-plane")]
)
async def test_hint_column_in_client_encoding(lsp: Any, name: str) -> None:
    line = f'    {name}: {{type: time_window, start: "2024-01-01", cron_schedule: "0 0 * * *"}}'
    text = f"name: shop\norchestration:\n  partitions:\n{line}\n"
    await lsp.open("floe.yaml", text)
    found = await hints(lsp, lsp.uri("floe.yaml"))
    assert summary(found) == [(3, lsp.column(line, line.index("}")), "⟵ At 00:00")]
