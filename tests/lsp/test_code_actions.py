"""Quick fixes: each of the core's fixes is offered for the diagnostics in the requested
range, and applying it removes the diagnostic."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.asyncio

BASE = """\
name: demo
orchestration:
  partitions:
    daily:
      type: time_window
      start: "2024-01-01"
      cron_schedule: "0 0 * * *"
  jobs:
    bronze_refresh:
      type: batch
      selection:
        - "group:bronze"
  schedules:
    nightly:
      job: bronze_refresh
      cron_schedule: "0 6 * * *"
  assets:
    "bronze_*":
      partitions: daily
      automation_condition: eager
"""
CRON = '      cron_schedule: "0 6 * * *"'


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(True)
    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        start, end = edit.range.start, edit.range.end
        head = lines[start.line][: start.character]
        tail = lines[end.line][end.character :]
        lines[start.line : end.line + 1] = [head + edit.new_text + tail]
    return "".join(lines)


@pytest.mark.parametrize(
    ("broken", "code", "title"),
    [
        pytest.param(
            BASE.replace("job: bronze_refresh", "job: bronze_refrsh"),
            "unknown-job",
            "Change to 'bronze_refresh'",
            id="unknown-reference",
        ),
        pytest.param(
            BASE.replace(CRON, CRON.replace("cron_schedule", "cron_schedul")),
            "unknown-key",
            "Rename 'cron_schedul' to 'cron_schedule'",
            id="unknown-key",
        ),
        pytest.param(
            BASE.replace("type: batch", "type: batchh"),
            "unknown-type",
            "Change to 'batch'",
            id="enum-type",
        ),
        pytest.param(
            BASE.replace("condition: eager", "condition: eagr"),
            "invalid-value",
            "Change to 'eager'",
            id="enum-value",
        ),
        pytest.param(
            BASE.replace(CRON, CRON + "\n      timezone: Europe/Berlni"),
            "timezone-unknown",
            "Change to 'Europe/Berlin'",
            id="timezone",
        ),
        pytest.param(
            BASE.replace('"0 6 * * *"', '"${CRON:-0 6 * * *}"'),
            "env-shell-default",
            "Write ${CRON:0 6 * * *}",
            id="shell-default",
        ),
        pytest.param(
            BASE.replace(CRON + "\n", ""),
            "missing-key",
            "Add the required key 'cron_schedule'",
            id="missing-required-key",
        ),
    ],
)
async def test_quick_fix_removes_the_diagnostic(lsp, broken, code, title) -> None:
    uri = lsp.uri("floe.yaml")
    diagnostics = await lsp.open("floe.yaml", broken)
    target = next(d for d in diagnostics if d.code == code)
    actions = await lsp.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    assert actions is not None
    chosen = next(a for a in actions if isinstance(a, types.CodeAction) and a.title == title)
    assert chosen.kind == types.CodeActionKind.QuickFix
    assert chosen.diagnostics is not None
    assert chosen.diagnostics[0].code == code
    assert chosen.edit is not None
    assert chosen.edit.changes is not None
    fixed = _apply(broken, list(chosen.edit.changes[uri]))
    after = await lsp.change(uri, fixed)
    assert code not in [d.code for d in after]


@pytest.mark.parametrize(
    ("only", "line", "expected"),
    [
        pytest.param(None, 14, 1, id="on-the-diagnostic"),
        pytest.param(None, 2, 0, id="elsewhere"),
        pytest.param([types.CodeActionKind.QuickFix], 14, 1, id="only-quickfix"),
        pytest.param([types.CodeActionKind.Source], 14, 0, id="only-source"),
    ],
)
async def test_actions_are_offered_only_where_asked(lsp, only, line, expected) -> None:
    uri = lsp.uri("floe.yaml")
    await lsp.open("floe.yaml", BASE.replace("job: bronze_refresh", "job: bronze_refrsh"))
    point = types.Position(line=line, character=13)
    actions = await lsp.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=point, end=point),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    assert len(actions or []) == expected


async def test_code_actions_can_be_turned_off(start_lsp) -> None:
    session = await start_lsp(init_options={"features": {"codeActions": False}})
    uri = session.uri("floe.yaml")
    await session.open("floe.yaml", BASE.replace("job: bronze_refresh", "job: bronze_refrsh"))
    point = types.Position(line=14, character=13)
    actions = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=point, end=point),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not actions
