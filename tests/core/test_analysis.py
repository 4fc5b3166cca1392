"""The analyze() entry point: references, environment, suppression, odd documents, loading."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from floe_core import FloeConfigError, Severity, load_config

VALID = dedent(
    """\
    name: demo
    orchestration:
      partitions:
        daily:
          type: time_window
          start: "2024-01-01"
          cron_schedule: "0 0 * * *"
      assets:
        "bronze_*":
          partitions: daily
      jobs:
        bronze_refresh:
          type: batch
          selection: ["group:bronze"]
      schedules:
        nightly:
          job: bronze_refresh
          cron_schedule: "${BRONZE_CRON:0 6 * * *}"
    """
)


@pytest.mark.parametrize(
    ("old", "new", "code", "line", "char", "fragment"),
    [
        pytest.param(
            "job: bronze_refresh",
            "job: bronze_refrsh",
            "unknown-job",
            16,
            11,
            "schedule 'nightly' refers to job 'bronze_refrsh', which does not exist; "
            "did you mean 'bronze_refresh'?",
            id="job",
        ),
        pytest.param(
            "partitions: daily",
            "partitions: dayly",
            "unknown-partition",
            9,
            18,
            "asset pattern 'bronze_*' refers to partition 'dayly'",
            id="partition",
        ),
    ],
)
def test_unknown_references(analyze_text, old, new, code, line, char, fragment) -> None:
    assert not analyze_text(VALID).has_errors
    analysis = analyze_text(VALID.replace(old, new))
    [diagnostic] = [d for d in analysis.diagnostics if d.code == code]
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (line, char)
    assert fragment in diagnostic.message
    assert diagnostic.fixes[0].edits[0].range == diagnostic.range


def test_reference_with_nothing_defined_says_so(analyze_text) -> None:
    text = "name: d\norchestration:\n  schedules:\n    s: {job: x, cron_schedule: '0 * * * *'}\n"
    [diagnostic] = [d for d in analyze_text(text).diagnostics if d.code == "unknown-job"]
    assert "no jobs are defined" in diagnostic.message


def test_symbols_cover_definitions_and_references(analyze_text) -> None:
    analysis = analyze_text(VALID)
    from floe_core.symbols import SymbolKind

    assert set(analysis.symbols.defined(SymbolKind.JOB)) == {"bronze_refresh"}
    [ref] = analysis.symbols.references_to(SymbolKind.JOB, "bronze_refresh")
    assert ref.range.start.line == 16
    assert analysis.symbols.at(ref.range.start) == ref


def test_unset_variable_warns_in_editor_and_fails_strictly(analyze_text) -> None:
    text = VALID.replace("${BRONZE_CRON:0 6 * * *}", "${BRONZE_CRON}")
    lenient = analyze_text(text)
    [diagnostic] = [d for d in lenient.diagnostics if d.code == "env-unset"]
    assert diagnostic.severity is Severity.WARNING
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (17, 22)
    strict = analyze_text(text, strict_env=True)
    assert strict.has_errors
    assert not analyze_text(text, env={"BRONZE_CRON": "0 7 * * *"}).diagnostics


def test_shell_default_form_gets_a_fix(analyze_text) -> None:
    analysis = analyze_text(VALID.replace("${BRONZE_CRON:0", "${BRONZE_CRON:-0"))
    [diagnostic] = [d for d in analysis.diagnostics if d.code == "env-shell-default"]
    assert diagnostic.severity is Severity.HINT
    assert diagnostic.fixes[0].edits[0].new_text == "${BRONZE_CRON:0 6 * * *}"


@pytest.mark.parametrize(
    ("comment", "kept"),
    [
        pytest.param("  # floe: ignore[unknown-job]", False, id="by-code"),
        pytest.param("  # floe: ignore", False, id="all"),
        pytest.param("  # floe: ignore[other-code]", True, id="other-code"),
    ],
)
def test_suppression_comment(analyze_text, comment: str, kept: bool) -> None:
    text = VALID.replace("job: bronze_refresh", "job: nope" + comment)
    codes = [d.code for d in analyze_text(text).diagnostics]
    assert ("unknown-job" in codes) is kept


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("", "empty-document", id="empty"),
        pytest.param("# only a comment\n", "empty-document", id="comment-only"),
        pytest.param("- a\n- b\n", "not-a-mapping", id="list"),
        pytest.param("just text\n", "not-a-mapping", id="scalar"),
    ],
)
def test_odd_documents(analyze_text, text: str, code: str) -> None:
    assert [d.code for d in analyze_text(text).diagnostics] == [code]


def test_load_config_returns_typed_spec(tmp_path: Path) -> None:
    path = tmp_path / "floe.yaml"
    path.write_text(VALID)
    loaded = load_config(path, env={})
    assert loaded.spec.name == "demo"
    assert loaded.spec.orchestration is not None
    assert loaded.spec.orchestration.schedules["nightly"].cron_schedule == "0 6 * * *"


def test_load_config_error_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "floe.yaml"
    path.write_text(VALID.replace("job: bronze_refresh", "job: x").replace("daily\n", "dayly\n"))
    with pytest.raises(FloeConfigError) as raised:
        load_config(path, env={})
    message = str(raised.value)
    assert f"{path}:17:12: schedule 'nightly' refers to job 'x'" in message
    assert f"{path}:10:19:" in message
    assert len(raised.value.diagnostics) == 2


def test_load_config_unreadable(tmp_path: Path) -> None:
    with pytest.raises(FloeConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")


def test_an_analysis_leaves_no_cyclic_garbage(analyze_text) -> None:
    """The editor re-analyzes on every keystroke: a discarded analysis must be freed by
    reference counting, not left for full garbage collections (it once left ~670k objects
    per analysis of a large file)."""
    import gc

    analyze_text(VALID)
    gc.collect()
    analysis = analyze_text(VALID)
    assert analysis.symbols.references
    del analysis
    assert gc.collect() == 0


def test_suppression_counts_lines_as_editors_do(analyze_text) -> None:
    text = VALID.replace("name: demo", 'name: "de\u2028mo"').replace(
        "job: bronze_refresh", "job: nope  # floe: ignore[unknown-job]"
    )
    assert "unknown-job" not in [d.code for d in analyze_text(text).diagnostics]
