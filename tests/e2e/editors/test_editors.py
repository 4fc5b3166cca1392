"""Real editors as floe-lsp clients: Neovim 0.7 (headless) and Emacs 28 + Eglot (batch).

Each editor opens fixtures/floe.yaml (two schedules with a misspelt job, one of them on a
line with non-ASCII text before the mistake, and an empty ``job:``), and must show the
server's diagnostics at the right place in its own column units, a hover on a cron with
its next fire times, a hover on a dbt model, the job names as completion after ``job: ``,
and fresh diagnostics after the mistake is corrected in the buffer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter

from .editor_sessions import EditorRun, find

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("editors")]

JOBS = {"refresh_customers", "refresh_orders"}


def _at(diagnostics: list[dict[str, Any]], line: int) -> list[dict[str, Any]]:
    return [d for d in diagnostics if d["line"] == line]


def _step(run: EditorRun, name: str) -> None:
    """Fail with the driver's own error when the editor could not complete step ``name``."""
    error = (run.result.get("errors") or {}).get(name)
    assert error is None, f"{run.editor.name}: {name} failed: {error}"


def _hover(run: EditorRun, name: str) -> str:
    index = list(run.scenario.hovers).index(name)
    _step(run, f"hover {index + 1}")
    hover = run.result["hovers"][index]
    assert hover, f"{run.editor.name}: no hover at the {name}"
    return str(hover)


@pytest.mark.parametrize(
    ("needle", "message"),
    [
        pytest.param(
            "refresh_custmers",
            "schedule 'nightly' refers to job 'refresh_custmers', which does not exist; "
            "did you mean 'refresh_customers'?",
            id="unknown-job",
        ),
        pytest.param(
            "refresh_ordrs",
            "schedule 'weekly' refers to job 'refresh_ordrs', which does not exist; "
            "did you mean 'refresh_orders'?",
            id="unknown-job-after-non-ascii-text",
        ),
    ],
)
def test_diagnostic_is_shown_on_the_misspelt_job(
    editor_run: EditorRun, needle: str, message: str
) -> None:
    scenario, editor = editor_run.scenario, editor_run.editor
    start = find(scenario.text, needle)
    line = scenario.lines[start.line]
    found = _at(editor_run.result["diagnostics"], start.line)
    assert len(found) == 1, found
    (diagnostic,) = found
    assert diagnostic["code"] == "unknown-job"
    assert message in diagnostic["message"]
    assert (diagnostic["end_line"], diagnostic["col"], diagnostic["end_col"]) == (
        start.line,
        editor.column(line, start.character),
        editor.column(line, start.character + len(needle)),
    )


def test_correcting_the_job_clears_its_diagnostic_only(editor_run: EditorRun) -> None:
    _step(editor_run, "edit")
    scenario = editor_run.scenario
    before = editor_run.result["diagnostics"]
    after = editor_run.result["diagnostics_after_edit"]
    assert _at(before, scenario.edit_at.line), "the misspelt job had no diagnostic to clear"
    assert _at(after, scenario.edit_at.line) == []
    still_wrong = find(scenario.text, "refresh_ordrs").line
    assert [d["code"] for d in _at(after, still_wrong)] == ["unknown-job"]


def _second_tick_at_six_in_berlin() -> str:
    """The 2nd next tick of '0 6 * * *' in Europe/Berlin: listed whether the server looks
    a moment before or after the test does."""
    ticks = croniter("0 6 * * *", datetime.now(ZoneInfo("Europe/Berlin")))
    ticks.get_next(datetime)
    second: datetime = ticks.get_next(datetime)
    return second.strftime("%Y-%m-%d 06:00")


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        pytest.param(
            "cron",
            lambda: ["At 06:00", _second_tick_at_six_in_berlin()],
            id="cron-in-words-and-next-fire-times",
        ),
        pytest.param(
            "dbt-model",
            lambda: ["This table has basic information about a customer", "stg_orders"],
            id="dbt-model-description-and-upstream",
        ),
    ],
)
def test_hover_shows_what_is_under_the_cursor(
    editor_run: EditorRun, place: str, expected: Callable[[], list[str]]
) -> None:
    hover = _hover(editor_run, place)
    for text in expected():
        assert text in hover, f"{editor_run.editor.name}: {text!r} is not in the hover:\n{hover}"


def test_completion_after_job_offers_the_job_names(editor_run: EditorRun) -> None:
    _step(editor_run, "completion")
    assert editor_run.result["completion_position"] == editor_run.scenario.completion.character
    assert set(editor_run.result["completion"]) == JOBS
