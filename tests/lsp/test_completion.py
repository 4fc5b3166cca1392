"""Completion over the protocol: golden cases (``golden/completion/<case>.yaml`` with a ``|``
cursor, expected items in ``<case>.expected.json``) under both client profiles, plus UTF-16
/ UTF-8 columns on non-ASCII lines and snippet-less clients.

Regenerate the expected files with ``FLOE_UPDATE_GOLDEN=1 pytest tests/lsp/test_completion.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import make_project, split_cursor
from lsprotocol import types

pytestmark = pytest.mark.asyncio

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "completion"
UPDATE = os.environ.get("FLOE_UPDATE_GOLDEN") == "1"
SHOWN_ITEMS = 12
CASES = sorted(path.stem for path in GOLDEN.glob("*.yaml"))


def summary(result: types.CompletionList | list[types.CompletionItem] | None) -> dict[str, Any]:
    """The part of a completion result a golden file pins down."""
    assert isinstance(result, types.CompletionList)
    items = []
    for item in result.items[:SHOWN_ITEMS]:
        edit = item.text_edit
        assert isinstance(edit, types.TextEdit)
        start, end = edit.range.start, edit.range.end
        items.append(
            {
                "label": item.label,
                "kind": types.CompletionItemKind(item.kind).name if item.kind else None,
                "detail": item.detail,
                "newText": edit.new_text,
                "range": [start.line, start.character, end.line, end.character],
            }
        )
    return {"isIncomplete": result.is_incomplete, "count": len(result.items), "items": items}


async def complete_at(session: Any, marked: str, name: str = "floe.yaml") -> Any:
    """Open the text above the cursor line, type the rest in, and complete at the cursor
    (so that names come from the last analysis that parsed, as while typing)."""
    text, line, column = split_cursor(marked)
    await session.open(name, "\n".join(text.split("\n")[:line]) + "\n")
    await session.change(session.uri(name), text)
    character = session.column(text.split("\n")[line], column)
    return await session.client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=session.uri(name)),
            position=types.Position(line=line, character=character),
        )
    )


async def test_golden_completion(start_lsp: Any, tmp_path: Path) -> None:
    """Every golden case, each in its own document of one session (one server per profile)."""
    make_project(tmp_path)
    session = await start_lsp()
    mismatches = []
    for case in CASES:
        marked = (GOLDEN / f"{case}.yaml").read_text()
        found = summary(await complete_at(session, marked, f"{case}.floe.yaml"))
        expected_file = GOLDEN / f"{case}.expected.json"
        if UPDATE and session.profile == "visual_studio_code":
            expected_file.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
        if found != json.loads(expected_file.read_text()):
            mismatches.append(f"{case}: got {json.dumps(found, ensure_ascii=False)}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize(
    ("prefix", "typed"),
    [
        pytest.param("données: ", "bu", id="bmp-accents"),
        pytest.param("𝔡𝔞𝔱𝔞: ", "bu", id="astral-plane"),
    ],
)
async def test_text_edit_columns_in_client_encoding(
    prefix: str, typed: str, start_lsp: Any, tmp_path: Path
) -> None:
    make_project(tmp_path)
    session = await start_lsp()
    line = f'      job: "{typed}|"  # {prefix}'
    marked = "name: x\norchestration:\n  jobs:\n    build_marts:\n      type: batch\n"
    marked += '      selection: ["+customers"]\n      description: "' + prefix + '"\n'
    marked += "  backfills:\n    fill:\n" + line + "\n"
    result = await complete_at(session, marked)
    assert isinstance(result, types.CompletionList)
    (item,) = [i for i in result.items if i.label == "build_marts"]
    edit = item.text_edit
    assert isinstance(edit, types.TextEdit)
    plain_line = line.replace("|", "")
    start = plain_line.index(typed)
    assert (edit.range.start.line, edit.range.start.character) == (
        9,
        session.column(plain_line, start),
    )
    assert edit.range.end.character == session.column(plain_line, start + len(typed))


async def test_text_edit_after_non_ascii_on_the_same_line(start_lsp: Any, tmp_path: Path) -> None:
    make_project(tmp_path)
    session = await start_lsp()
    marked = (
        "name: x\norchestration:\n  jobs:\n    vacuum:\n      type: ops\n"
        "      target_function: a.b.c\n  sensors:\n    s:\n      type: run_status\n"
        "      job: vacuum\n      watched_jobs: ['é', '𝔡', va|]\n      status: FAILURE\n"
    )
    result = await complete_at(session, marked)
    assert isinstance(result, types.CompletionList)
    (item,) = [i for i in result.items if i.label == "vacuum"]
    assert isinstance(item.text_edit, types.TextEdit)
    line = "      watched_jobs: ['é', '𝔡', va]"
    assert item.text_edit.range.start.character == session.column(line, line.index("va]"))
    assert item.text_edit.range.end.character == session.column(line, line.index("]", 30))


def without_snippets(capabilities: types.ClientCapabilities) -> types.ClientCapabilities:
    """The profile's capabilities with snippet support switched off."""
    completion = capabilities.text_document and capabilities.text_document.completion
    if completion is not None and completion.completion_item is not None:
        completion.completion_item.snippet_support = False
    return capabilities


async def test_snippets_become_plain_text_without_snippet_support(
    start_lsp: Any, tmp_path: Path
) -> None:
    make_project(tmp_path)
    session = await start_lsp(capabilities=without_snippets)
    marked = (GOLDEN / "new-schedule-snippet.yaml").read_text()
    result = await complete_at(session, marked)
    assert isinstance(result, types.CompletionList)
    (item,) = result.items
    assert item.insert_text_format == types.InsertTextFormat.PlainText
    assert isinstance(item.text_edit, types.TextEdit)
    assert item.text_edit.new_text.startswith("schedule_name:\n      job: bronze_refresh\n")
    assert "$" not in item.text_edit.new_text


async def test_no_completion_inside_a_comment(lsp: Any) -> None:
    result = await complete_at(lsp, "name: x\n# job: |\n")
    assert isinstance(result, types.CompletionList)
    assert list(result.items) == []


ENV_CASE = (
    "name: x\norchestration:\n  jobs:\n    nightly:\n      type: batch\n"
    '      selection: ["+customers"]\n      description: "{typed}"\n'
)


async def env_items(session: Any, typed: str) -> list[types.CompletionItem]:
    result = await complete_at(session, ENV_CASE.replace("{typed}", typed))
    assert isinstance(result, types.CompletionList)
    return [item for item in result.items if item.label.startswith("FLOE_T_")]


async def test_environment_variable_names_inside_an_interpolation(
    start_lsp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside ``${``: the env file's variables (first) and the server's environment, each
    with its current value, except for names that look like secrets."""
    make_project(tmp_path)
    (tmp_path / "dev.env").write_text(
        "FLOE_T_WAREHOUSE=duckdb_dev\nFLOE_T_API_TOKEN=s3cr3t\n", encoding="utf-8"
    )
    monkeypatch.setenv("FLOE_T_WORKERS", "4")
    session = await start_lsp(init_options={"envFile": "dev.env"})

    items = await env_items(session, "on ${FLOE_T_|")
    assert [(i.label, i.detail) for i in items] == [
        ("FLOE_T_API_TOKEN", "(value hidden)"),
        ("FLOE_T_WAREHOUSE", "duckdb_dev"),
        ("FLOE_T_WORKERS", "4"),
    ]
    edit = items[1].text_edit
    assert isinstance(edit, types.TextEdit)
    line = '      description: "on ${FLOE_T_"'
    assert edit.new_text == "FLOE_T_WAREHOUSE}"
    assert (edit.range.start.line, edit.range.start.character) == (6, line.index("FLOE_T_"))
    assert edit.range.end.character == line.index('"', 20)

    closed = await env_items(session, "${FLOE_T_W|ARE:x} on")
    assert [i.label for i in closed] == ["FLOE_T_WAREHOUSE", "FLOE_T_WORKERS"]
    assert isinstance(closed[0].text_edit, types.TextEdit)
    assert closed[0].text_edit.new_text == "FLOE_T_WAREHOUSE"

    assert await env_items(session, "$${FLOE_T_|") == []
    assert await env_items(session, "${FLOE_T_WORKERS} FLOE_T_|") == []


async def test_a_completion_sent_right_behind_an_edit_sees_the_edit(lsp: Any) -> None:
    """The request waits for the analysis of the edit under way (its job names come from
    the text the request was sent against, not the version before it)."""
    before = (
        "name: x\norchestration:\n  jobs:\n    vacuum:\n      type: ops\n"
        "      target_function: a.b.c\n  schedules:\n    nightly:\n"
        "      cron_schedule: '0 6 * * *'\n      job: \n"
    )
    await lsp.open("floe.yaml", before)
    after = before.replace(
        "  jobs:\n", "  jobs:\n    compact:\n      type: ops\n      target_function: a.b.d\n"
    )
    uri = lsp.uri("floe.yaml")
    lsp.send_change(uri, after)
    result = await lsp.client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=after.count("\n") - 1, character=11),
        )
    )
    assert isinstance(result, types.CompletionList)
    assert {item.label for item in result.items} == {"compact", "vacuum"}
    await lsp.diagnostics(uri)
