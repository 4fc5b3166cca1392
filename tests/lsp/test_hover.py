"""Hover over the protocol: golden cases (``golden/hover/<case>.yaml`` with a ``|`` cursor,
the expected range and Markdown in ``<case>.expected.md``) under both client profiles, with
"now" fixed through ``FLOE_LSP_NOW`` so fire times are stable; plain text for clients that
do not read Markdown; ranges in the client's encoding on non-ASCII lines.

Regenerate the expected files with ``FLOE_UPDATE_GOLDEN=1 pytest tests/lsp/test_hover.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from helpers import make_project, split_cursor
from lsprotocol import types

pytestmark = pytest.mark.asyncio

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "hover"
UPDATE = os.environ.get("FLOE_UPDATE_GOLDEN") == "1"
NOW = "2024-03-30T04:00:00+00:00"
CASES = sorted(path.stem for path in GOLDEN.glob("*.yaml"))


async def hover_at(session: Any, marked: str, name: str = "floe.yaml") -> types.Hover | None:
    text, line, column = split_cursor(marked)
    await session.open(name, text)
    character = session.column(text.split("\n")[line], column)
    return await session.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=session.uri(name)),
            position=types.Position(line=line, character=character),
        )
    )


def rendered(hover: types.Hover | None) -> str:
    """A hover as the golden files hold it: its range, a rule, then its content."""
    if hover is None:
        return "(no hover)\n"
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.range is not None
    start, end = hover.range.start, hover.range.end
    where = f"range: {start.line}:{start.character}-{end.line}:{end.character}"
    return f"{where}\nkind: {hover.contents.kind.value}\n---\n{hover.contents.value}\n"


@pytest_asyncio.fixture
async def session(start_lsp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A server started with FLOE_LSP_NOW fixed, rooted in a copy of the test project."""
    make_project(tmp_path)
    monkeypatch.setenv("FLOE_LSP_NOW", NOW)
    monkeypatch.delenv("SCHEDULE_ENABLED", raising=False)
    monkeypatch.delenv("RUN_AS", raising=False)
    return await start_lsp()


async def test_golden_hover(session: Any) -> None:
    """Every golden case, each in its own document of one session (one server per profile)."""
    mismatches = []
    for case in CASES:
        marked = (GOLDEN / f"{case}.yaml").read_text()
        found = rendered(await hover_at(session, marked, f"{case}.floe.yaml"))
        expected_file = GOLDEN / f"{case}.expected.md"
        if UPDATE and session.profile == "visual_studio_code":
            expected_file.write_text(found)
        if found != expected_file.read_text():
            mismatches.append(f"--- {case}:\n{found}")
    assert not mismatches, "\n".join(mismatches)


async def test_cron_fire_times_follow_the_fixed_now(session: Any) -> None:
    marked = (GOLDEN / "cron-with-timezone-across-dst.yaml").read_text()
    hover = await hover_at(session, marked)
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    # Berlin switches to summer time on 2024-03-31: 06:00 is 05:00 UTC, then 04:00 UTC.
    assert "Sat 2024-03-30 06:00 CET | Sat 2024-03-30 05:00 UTC" in hover.contents.value
    assert "Sun 2024-03-31 06:00 CEST | Sun 2024-03-31 04:00 UTC" in hover.contents.value


def plaintext_only(capabilities: types.ClientCapabilities) -> types.ClientCapabilities:
    """The profile's capabilities with hover content restricted to plain text."""
    text = capabilities.text_document or types.TextDocumentClientCapabilities()
    text.hover = types.HoverClientCapabilities(content_format=[types.MarkupKind.PlainText])
    capabilities.text_document = text
    return capabilities


async def test_plain_text_for_clients_without_markdown(
    start_lsp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path)
    monkeypatch.setenv("FLOE_LSP_NOW", NOW)
    session = await start_lsp(capabilities=plaintext_only)
    hover = await hover_at(session, (GOLDEN / "job-reference.yaml").read_text())
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.PlainText
    assert hover.contents.value.startswith("batch job bronze_refresh\n\nLoad the raw files")
    assert "**" not in hover.contents.value


@pytest.mark.parametrize(
    "description",
    [pytest.param("Données brutes", id="bmp-accents"), pytest.param("𝔡𝔞𝔱𝔞", id="astral-plane")],
)
async def test_hover_range_in_client_encoding(session: Any, description: str) -> None:
    reference = f'      job: "{description}x"'
    marked = (
        "name: x\norchestration:\n  jobs:\n    vacuum:\n      type: ops\n"
        "      target_function: a.b.c\n  schedules:\n    s:\n"
        f'      cron_schedule: "0 6 * * *"\n      description: "{description}"\n'
        + reference[:-2]
        + "|"
        + reference[-2:]
        + "\n"
    )
    hover = await hover_at(session, marked)
    assert hover is not None
    assert hover.range is not None
    start = reference.index(description)
    assert hover.range.start.character == session.column(reference, start)
    assert hover.range.end.character == session.column(reference, start + len(description) + 1)
    assert isinstance(hover.contents, types.MarkupContent)
    assert f"No job named '{description}x' is defined" in hover.contents.value


async def test_no_hover_in_a_comment(session: Any) -> None:
    assert await hover_at(session, "name: x\n# job: va|cuum\n") is None
