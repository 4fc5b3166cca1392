"""Rename of jobs and partitions: prepareRename, one edit per occurrence, and clear refusals."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

pytestmark = pytest.mark.asyncio


def _apply(text: str, edit: types.WorkspaceEdit) -> str:
    if edit.document_changes:
        change = edit.document_changes[0]
        assert isinstance(change, types.TextDocumentEdit)
        edits = list(change.edits)
    else:
        assert edit.changes is not None
        (edits,) = edit.changes.values()
    lines = text.splitlines(True)
    for item in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        assert isinstance(item, types.TextEdit)
        start, end = item.range.start, item.range.end
        assert start.line == end.line
        line = lines[start.line]
        lines[start.line] = line[: start.character] + item.new_text + line[end.character :]
    return "".join(lines)


async def _open(lsp, project) -> tuple[str, str]:
    text = (project / "floe.yaml").read_text(encoding="utf-8")
    assert await lsp.open("floe.yaml", text) == []
    return lsp.uri("floe.yaml"), text


@pytest.mark.parametrize(
    ("needle", "delta", "old", "new", "count"),
    [
        pytest.param("bronze_refresh:", 3, "bronze_refresh", "silver_refresh", 4, id="job-key"),
        pytest.param("job: bronze_refresh", 9, "bronze_refresh", "refresh_all", 4, id="job-ref"),
        pytest.param("[vacuum]", 3, "vacuum", "vacuum_tables", 2, id="watched-job"),
        pytest.param("partitions: daily", 14, "daily", "days", 2, id="partition"),
    ],
)
async def test_rename_edits_every_occurrence(
    lsp, project, find_position, needle, delta, old, new, count
) -> None:
    uri, text = await _open(lsp, project)
    where = find_position(text, needle, 0, delta)
    prepared = await lsp.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=where
        )
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder)
    assert prepared.placeholder == old
    line = text.splitlines()[prepared.range.start.line]
    assert line[prepared.range.start.character : prepared.range.end.character] == old
    edit = await lsp.client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=where, new_name=new
        )
    )
    assert edit is not None
    renamed = _apply(text, edit)
    assert renamed.count(new) - text.count(new) == count
    assert await lsp.change(uri, renamed) == []


@pytest.mark.parametrize(
    ("needle", "delta", "new", "message"),
    [
        pytest.param("bronze_refresh:", 3, "bronze refresh", "not a valid job name", id="space"),
        pytest.param("bronze_refresh:", 3, "", "not a valid job name", id="empty"),
        pytest.param("partitions: daily", 14, "dai-ly", "not a valid partition name", id="dash"),
        pytest.param(
            "bronze_refresh:", 3, "vacuum", "a job named 'vacuum' already exists", id="taken"
        ),
        pytest.param(
            "nightly:", 2, "x", "only job and partition names can be renamed", id="schedule"
        ),
    ],
)
async def test_rename_is_refused_with_a_reason(
    lsp, project, find_position, needle, delta, new, message
) -> None:
    uri, text = await _open(lsp, project)
    with pytest.raises(JsonRpcException, match=message):
        await lsp.client.text_document_rename_async(
            types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=find_position(text, needle, 0, delta),
                new_name=new,
            )
        )


async def test_prepare_rename_refuses_other_names(lsp, project, find_position) -> None:
    uri, text = await _open(lsp, project)
    with pytest.raises(JsonRpcException, match="only job and partition names"):
        await lsp.client.text_document_prepare_rename_async(
            types.PrepareRenameParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=find_position(text, "cron_schedule", 0, 2),
            )
        )
