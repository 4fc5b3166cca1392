"""Schema errors land on the offending key or value, with messages that say what is right."""

from __future__ import annotations

import pytest

from floe_core.diagnostics import Diagnostic


def _only(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, [(d.code, d.message) for d in diagnostics]
    return found[0]


HEADER = "name: demo\norchestration:\n"


@pytest.mark.parametrize(
    ("body", "code", "line", "char", "fragment", "fix"),
    [
        pytest.param(
            "  jobs:\n    j:\n      type: batch\n      selction: [a]\n",
            "unknown-key",
            6,
            6,
            "unknown key 'selction' in job 'j'; did you mean 'selection'?",
            "selection",
            id="misspelt-key",
        ),
        pytest.param(
            "  jobs:\n    j:\n      type: batch\n      description: x\n",
            "missing-key",
            4,
            4,
            "job 'j' is missing the required key 'selection'",
            "selection: \n      ",
            id="missing-required-key-on-entity-name",
        ),
        pytest.param(
            "  jobs:\n    j:\n      type: batc\n      selection: [a]\n",
            "unknown-type",
            5,
            12,
            "'batc' is not a job type: expected 'batch' or 'ops'",
            "batch",
            id="unknown-discriminator",
        ),
        pytest.param(
            "  sensors:\n    s:\n      type: run_status\n      job: j\n"
            "      watched_jobs: [j]\n      status: failure\n",
            "invalid-value",
            8,
            14,
            "'failure' is not a valid status",
            "FAILURE",
            id="enum-case",
        ),
        pytest.param(
            "  assets:\n    'x_*':\n      automation_condition: eagr\n",
            "invalid-value",
            5,
            28,
            "expected 'eager', 'on_cron' or 'on_missing'",
            "eager",
            id="automation-condition",
        ),
        pytest.param(
            "  backfills:\n    b:\n      job: j\n      partition_range: {start: a, end: b}\n"
            "      batch_size: 0\n",
            "invalid-value",
            7,
            18,
            "'batch_size' must be greater than 0",
            None,
            id="non-positive",
        ),
        pytest.param(
            "  schedules:\n    s:\n      job: j\n      cron_schedule: '0 6 * * *'\n"
            "      enabled: maybe\n",
            "wrong-type",
            7,
            15,
            "'enabled' must be true or false, got 'maybe'",
            None,
            id="bool",
        ),
        pytest.param(
            "  partitions:\n    p:\n      type: static\n      partition_keys: [us, no]\n",
            "wrong-type",
            6,
            27,
            "YAML reads unquoted no as the boolean false",
            '"no"',
            id="norway-problem",
        ),
        pytest.param(
            "  jobs:\n    j:\n      type: batch\n      selection: group:bronze\n",
            "wrong-type",
            6,
            17,
            "'selection' must be a list",
            "[group:bronze]",
            id="list-expected",
        ),
        pytest.param(
            "  jobs:\n    j:\n      type: ops\n      target_function: vacuum\n",
            "invalid-value",
            6,
            23,
            "not a function reference",
            None,
            id="function-ref",
        ),
        pytest.param(
            "  jobs:\n    - j\n",
            "wrong-type",
            4,
            4,
            "'jobs' must be a mapping",
            None,
            id="list-instead-of-mapping",
        ),
    ],
)
def test_schema_error_location_and_message(
    analyze_text, body: str, code: str, line: int, char: int, fragment: str, fix: str | None
) -> None:
    analysis = analyze_text(HEADER + body)
    diagnostic = _only(analysis.diagnostics, code)
    assert (diagnostic.range.start.line + 1, diagnostic.range.start.character) == (line, char)
    assert fragment in diagnostic.message
    if fix is None:
        assert diagnostic.fixes == ()
    else:
        assert diagnostic.fixes[0].edits[0].new_text == fix


def test_unknown_top_level_key(analyze_text) -> None:
    analysis = analyze_text("name: demo\norchestraton: {}\n")
    diagnostic = _only(analysis.diagnostics, "unknown-key")
    assert "did you mean 'orchestration'?" in diagnostic.message
    assert diagnostic.range.start.line == 1


def test_missing_name_points_at_the_document(analyze_text) -> None:
    analysis = analyze_text("version: '1'\n")
    diagnostic = _only(analysis.diagnostics, "missing-key")
    assert "'name'" in diagnostic.message


def test_value_from_interpolation_is_typed(analyze_text) -> None:
    text = HEADER + (
        "  schedules:\n    s:\n      job: j\n      cron_schedule: '0 6 * * *'\n"
        '      enabled: "${SCHEDULE_ENABLED:maybe}"\n'
    )
    diagnostic = _only(analyze_text(text).diagnostics, "wrong-type")
    assert "got 'maybe' (from '${SCHEDULE_ENABLED:maybe}')" in diagnostic.message
    ok = analyze_text(text, env={"SCHEDULE_ENABLED": "false"})
    assert not [d for d in ok.diagnostics if d.code == "wrong-type"]


def test_empty_sections_are_allowed(analyze_text) -> None:
    analysis = analyze_text("name: demo\norchestration:\n  jobs:\n  schedules:\n")
    assert analysis.spec is not None
    assert analysis.diagnostics == []


def test_one_broken_entity_keeps_the_others_typed(analyze_text) -> None:
    text = HEADER + "  jobs:\n    good: {type: batch, selection: [a]}\n    bad: {type: batch}\n"
    analysis = analyze_text(text)
    assert analysis.spec is None
    assert set(analysis.entities.jobs) == {"good"}


def test_nested_multi_partition_says_so(analyze_text) -> None:
    text = HEADER + (
        "  partitions:\n    p:\n      type: multi\n      partitions:\n"
        "        a: {type: multi, partitions: {}}\n"
        "        b: {type: static, partition_keys: [x]}\n"
    )
    diagnostic = _only(analyze_text(text).diagnostics, "unknown-type")
    assert "cannot contain another multi partition" in diagnostic.message
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (6, 18)
