"""Go to definition for every kind of reference, and find references for jobs and partitions,
on a fixture project with a real dbt manifest, a Python asset module and an ops module."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.asyncio


async def _open(lsp, project) -> tuple[str, str]:
    text = (project / "floe.yaml").read_text(encoding="utf-8")
    assert await lsp.open("floe.yaml", text) == []
    return lsp.uri("floe.yaml"), text


@pytest.mark.parametrize(
    ("needle", "nth", "target", "line", "character"),
    [
        pytest.param("job: bronze_refresh", 0, "floe.yaml", 16, 4, id="schedule-job"),
        pytest.param("[vacuum]", 0, "floe.yaml", 21, 4, id="watched-job"),
        pytest.param("partitions: daily", 0, "floe.yaml", 8, 4, id="pattern-partition"),
        pytest.param('"customers"', 0, "dbt/models/customers.sql", 0, 0, id="dbt-model"),
        pytest.param('"bronze_orders+"', 0, "assets/bronze.py", 6, 0, id="python-asset"),
        pytest.param("- assets.bronze", 0, "assets/bronze.py", 0, 0, id="asset-module"),
        pytest.param("ops.maintenance.vacuum", 0, "ops/maintenance.py", 7, 0, id="target-function"),
        pytest.param("target/manifest.json", 0, "dbt/target/manifest.json", 0, 0, id="manifest"),
    ],
)
async def test_definition(
    lsp, project, find_position, needle, nth, target, line, character
) -> None:
    uri, text = await _open(lsp, project)
    delta = len(needle) - 2 if needle.startswith(("job:", "partitions:")) else 3
    found = await lsp.client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=find_position(text, needle, nth, delta),
        )
    )
    assert isinstance(found, list)
    assert len(found) == 1
    location = found[0]
    assert location.uri == (project / target).as_uri()
    assert location.range.start == types.Position(line=line, character=character)


@pytest.mark.parametrize(
    "needle",
    [
        pytest.param("name: nav", id="plain-key"),
        pytest.param("status: SUCCESS", id="enum-value"),
    ],
)
async def test_definition_of_nothing_is_empty(lsp, project, find_position, needle) -> None:
    uri, text = await _open(lsp, project)
    found = await lsp.client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=find_position(text, needle, 0, len(needle) - 1),
        )
    )
    assert not found


async def test_definition_in_an_unopened_document_is_empty(lsp, project) -> None:
    found = await lsp.client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=lsp.uri("floe.yaml")),
            position=types.Position(line=0, character=0),
        )
    )
    assert not found


@pytest.mark.parametrize(
    ("needle", "delta", "declaration", "lines"),
    [
        pytest.param("bronze_refresh:", 2, True, [16, 26, 31, 36], id="job-from-definition"),
        pytest.param("job: bronze_refresh", 8, False, [26, 31, 36], id="job-from-reference"),
        pytest.param("[vacuum]", 2, True, [21, 32], id="watched-job"),
        pytest.param("partitions: daily", 14, True, [8, 14], id="partition"),
    ],
)
async def test_references(lsp, project, find_position, needle, delta, declaration, lines) -> None:
    uri, text = await _open(lsp, project)
    found = await lsp.client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=find_position(text, needle, 0, delta),
            context=types.ReferenceContext(include_declaration=declaration),
        )
    )
    assert found is not None
    assert [loc.range.start.line for loc in found] == lines
    assert {loc.uri for loc in found} == {uri}
    first = found[-1].range
    assert text.splitlines()[first.start.line][first.start.character : first.end.character] in {
        "bronze_refresh",
        "vacuum",
        "daily",
    }


async def test_references_of_a_schedule_name_are_empty(lsp, project, find_position) -> None:
    uri, text = await _open(lsp, project)
    found = await lsp.client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=find_position(text, "nightly:", 0, 2),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert not found
