"""Name checks: valid Dagster names, and no schedule and sensor sharing a name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import at, only

from floe_core import Analysis, Position

Analyzer = Callable[..., Analysis]


def document(job: str = "refresh", schedule: str = "nightly", sensor: str = "on_file") -> str:
    return f"""name: t
orchestration:
  partitions:
    daily: {{type: time_window, start: "2024-01-01", cron_schedule: "0 0 * * *"}}
  jobs:
    {job}: {{type: ops, target_function: pkg.mod.fn}}
  schedules:
    {schedule}: {{job: {job}, cron_schedule: "0 6 * * *"}}
  sensors:
    {sensor}: {{type: run_status, job: {job}, watched_jobs: [{job}], status: STARTED}}
"""


@pytest.mark.parametrize(
    ("kwargs", "code", "needle", "message"),
    [
        pytest.param(
            {"job": "bronze-refresh"},
            "invalid-name",
            "bronze-refresh:",
            "job name 'bronze-refresh' is not a valid Dagster name: use only letters, digits "
            "and underscores; e.g. 'bronze_refresh'",
            id="job-dash",
        ),
        pytest.param(
            {"schedule": "nightly run"},
            "invalid-name",
            "nightly run:",
            "schedule name 'nightly run'",
            id="schedule-space",
        ),
        pytest.param(
            {"sensor": "nightly"},
            "schedule-sensor-name-clash",
            "nightly:#sensor",
            "sensor 'nightly' has the same name as the schedule on line 8",
            id="schedule-sensor-clash",
        ),
    ],
)
def test_invalid(
    analyze_text: Analyzer, kwargs: dict[str, str], code: str, needle: str, message: str
) -> None:
    text = document(**kwargs)
    diagnostic = only(analyze_text(text), code)
    if needle.endswith("#sensor"):
        needle = needle.removesuffix("#sensor")
        expected = at(text[text.index("  sensors:") :], needle)
        expected = Position(
            expected.line + text[: text.index("  sensors:")].count("\n"), expected.character
        )
    else:
        expected = at(text, needle)
    assert diagnostic.range.start == expected
    assert message in diagnostic.message


def test_valid_names(analyze_text: Analyzer) -> None:
    codes = {d.code for d in analyze_text(document()).diagnostics}
    assert not codes & {"invalid-name", "schedule-sensor-name-clash"}


def test_rename_fix_renames_every_reference(analyze_text: Analyzer) -> None:
    text = document(job="bronze-refresh")
    (fix,) = only(analyze_text(text), "invalid-name").fixes
    assert {edit.new_text for edit in fix.edits} == {"bronze_refresh"}
    assert len(fix.edits) == 4
