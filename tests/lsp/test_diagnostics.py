"""Diagnostics over the protocol: push with versions, pull when the client can, only floe.yaml
files, suppression comments, never a stale result, and columns in the negotiated encoding."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.asyncio

VALID = """\
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
"""

BROKEN_JOB = VALID.replace("job: bronze_refresh", "job: bronze_refrsh")

SENSOR_LINE = '    s1: {description: "é😀", type: run_status, job: bronze_refrsh,'


def _with_sensor_line(line: str) -> str:
    """VALID plus a flow-style sensor whose broken job reference follows non-ASCII text."""
    sensor = f"  sensors:\n{line}\n      watched_jobs: [bronze_refresh], status: FAILURE}}\n"
    return VALID.replace("  assets:", sensor + "  assets:")


def _codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def _only(diagnostics: list[types.Diagnostic], code: str) -> types.Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, f"expected one {code}, got {_codes(diagnostics)}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "code", "line", "start", "end", "message"),
    [
        pytest.param(VALID, None, 0, 0, 0, "", id="valid"),
        pytest.param(
            BROKEN_JOB,
            "unknown-job",
            14,
            11,
            24,
            "refers to job 'bronze_refrsh', which does not exist; did you mean 'bronze_refresh'?",
            id="unknown-job",
        ),
        pytest.param(
            VALID.replace("partitions: daily", "partitions: dayly"),
            "unknown-partition",
            18,
            18,
            23,
            "partition 'dayly'",
            id="unknown-partition",
        ),
        pytest.param(
            "name: demo\norchestration:\n  jobs: [\n",
            "yaml-syntax",
            3,
            0,
            0,
            "YAML syntax error",
            id="syntax-error",
        ),
    ],
)
async def test_open_publishes_the_core_diagnostics(
    lsp,
    text: str,
    code: str | None,
    line: int,
    start: int,
    end: int,
    message: str,
) -> None:
    diagnostics = await lsp.open("floe.yaml", text)
    if code is None:
        assert diagnostics == []
        return
    found = _only(diagnostics, code)
    assert found.range == types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=line, character=end),
    )
    assert message in found.message
    assert found.source == "floe"
    assert found.severity == types.DiagnosticSeverity.Error


@pytest.mark.parametrize(
    ("name", "analyzed"),
    [
        pytest.param("floe.yaml", True, id="floe.yaml"),
        pytest.param("floe.yml", True, id="floe.yml"),
        pytest.param("pipelines/sales.floe.yaml", True, id="star.floe.yaml"),
        pytest.param("docker-compose.yaml", False, id="other-yaml"),
        pytest.param("floe.yaml.bak", False, id="backup"),
    ],
)
async def test_only_floe_files_are_analyzed(lsp, name: str, analyzed: bool) -> None:
    other = lsp.open_only(name, BROKEN_JOB)
    marker = await lsp.open("marker/floe.yaml", BROKEN_JOB)
    assert "unknown-job" in _codes(marker)
    if analyzed:
        assert "unknown-job" in _codes(await lsp.diagnostics(other))
    else:
        assert other not in lsp.client.publications
        status = await lsp.request("floe/status", {})
        assert other not in status.openDocuments


async def test_a_change_is_analyzed_from_the_editor_text_not_the_disk(lsp) -> None:
    (lsp.root / "floe.yaml").write_text(BROKEN_JOB, encoding="utf-8")
    assert await lsp.open("floe.yaml", VALID) == []
    uri = lsp.uri("floe.yaml")
    diagnostics = await lsp.change(uri, BROKEN_JOB)
    assert _codes(diagnostics) == ["unknown-job"]
    assert await lsp.change(uri, VALID) == []


async def test_pushes_carry_the_version_and_never_go_back(lsp) -> None:
    uri = lsp.uri("floe.yaml")
    await lsp.open("floe.yaml", VALID)
    texts = [BROKEN_JOB, VALID, BROKEN_JOB.replace("bronze_refrsh", "bronze_x"), VALID, BROKEN_JOB]
    versions = [lsp.send_change(uri, text) for text in texts]
    final = await lsp.diagnostics(uri)
    assert _codes(final) == ["unknown-job"]
    assert "'bronze_refrsh'" in final[0].message
    if not lsp.pull_mode:
        pushed = [p.version for p in lsp.client.publications[uri]]
        assert pushed == sorted(pushed)
        assert pushed[-1] == versions[-1]


async def test_incremental_changes_are_applied(lsp) -> None:
    uri = lsp.uri("floe.yaml")
    await lsp.open("floe.yaml", VALID)
    lsp.versions[uri] += 1
    lsp.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=lsp.versions[uri]),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=14, character=17),
                        end=types.Position(line=14, character=24),
                    ),
                    text="refrsh",
                )
            ],
        )
    )
    diagnostics = await lsp.diagnostics(uri)
    assert _only(diagnostics, "unknown-job").range.start == types.Position(line=14, character=11)


@pytest.mark.parametrize(
    ("comment", "suppressed"),
    [
        pytest.param("  # floe: ignore[unknown-job]", True, id="matching-code"),
        pytest.param("  # floe: ignore", True, id="any-code"),
        pytest.param("  # floe: ignore[unknown-partition]", False, id="other-code"),
    ],
)
async def test_suppression_comments(lsp, comment: str, suppressed: bool) -> None:
    text = BROKEN_JOB.replace("job: bronze_refrsh", "job: bronze_refrsh" + comment)
    diagnostics = await lsp.open("floe.yaml", text)
    assert ("unknown-job" in _codes(diagnostics)) is not suppressed


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param("ü", id="latin"),
        pytest.param("😀", id="emoji"),
        pytest.param("日本😀ü", id="mixed"),
    ],
)
async def test_columns_use_the_negotiated_encoding(lsp, prefix: str) -> None:
    line = SENSOR_LINE.replace("é😀", prefix)
    diagnostics = await lsp.open("floe.yaml", _with_sensor_line(line))
    found = _only(diagnostics, "unknown-job")
    index = line.index("bronze_refrsh")
    assert found.range.start.line == 17
    assert found.range.start.character == lsp.column(line, index)
    assert found.range.end.character == lsp.column(line, index + len("bronze_refrsh"))


@pytest.mark.parametrize(
    ("offered", "negotiated"),
    [
        pytest.param(None, "utf-16", id="default-utf16"),
        pytest.param(["utf-32", "utf-16"], "utf-32", id="utf32"),
        pytest.param(["utf-8"], "utf-8", id="utf8"),
        pytest.param(["latin-1"], "utf-16", id="unknown-falls-back"),
    ],
)
async def test_the_client_preferred_encoding_is_negotiated(start_lsp, offered, negotiated) -> None:
    def offer(caps: types.ClientCapabilities) -> types.ClientCapabilities:
        caps.general = types.GeneralClientCapabilities(position_encodings=offered)
        return caps

    session = await start_lsp(capabilities=offer)
    assert session.encoding == negotiated
    found = _only(await session.open("floe.yaml", _with_sensor_line(SENSOR_LINE)), "unknown-job")
    index = SENSOR_LINE.index("bronze_refrsh")
    assert found.range.start.character == session.column(SENSOR_LINE, index)


async def test_closing_clears_pushed_diagnostics(lsp) -> None:
    uri = lsp.uri("floe.yaml")
    assert _codes(await lsp.open("floe.yaml", BROKEN_JOB)) == ["unknown-job"]
    lsp.client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    params = await lsp.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert params.uri == uri
    assert list(params.diagnostics) == []


async def test_push_is_used_when_the_client_cannot_pull(lsp) -> None:
    assert not lsp.pull_mode
    await lsp.open("floe.yaml", BROKEN_JOB)
    assert lsp.uri("floe.yaml") in lsp.client.publications


async def test_pull_is_used_when_the_client_can_pull_and_refresh(start_lsp, with_pull) -> None:
    session = await start_lsp(capabilities=with_pull)
    assert session.pull_mode
    uri = session.uri("floe.yaml")
    diagnostics = await session.open("floe.yaml", BROKEN_JOB)
    assert _codes(diagnostics) == ["unknown-job"]
    report = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    unchanged = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            previous_result_id=report.result_id,
        )
    )
    assert isinstance(unchanged, types.RelatedUnchangedDocumentDiagnosticReport)
    assert await session.change(uri, VALID) == []
    assert uri not in session.client.publications


async def test_pull_of_an_unknown_document_is_empty(start_lsp, with_pull) -> None:
    session = await start_lsp(capabilities=with_pull)
    report = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=session.uri("nowhere/floe.yaml"))
        )
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert list(report.items) == []


async def test_diagnostics_can_be_turned_off(start_lsp) -> None:
    session = await start_lsp(init_options={"floe": {"features": {"diagnostics": False}}})
    assert await session.open("floe.yaml", BROKEN_JOB) == []
