"""Schedule checks: cron, timezone and partition_selector, each with its exact range."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import at, only

from floe_core import Analysis

Analyzer = Callable[..., Analysis]

ASSETS = (
    "from dagster import asset\n\n@asset\ndef bronze_orders(): ...\n\n"
    "@asset\ndef gold_revenue(): ...\n"
)


def document(schedule: str) -> str:
    return f"""name: t
orchestration:
  asset_modules: [assets]
  partitions:
    daily: {{type: time_window, start: "2024-01-01", cron_schedule: "0 0 * * *"}}
  assets:
    "bronze_*": {{partitions: daily}}
  jobs:
    bronze: {{type: batch, selection: [bronze_orders]}}
    gold: {{type: batch, selection: [gold_revenue]}}
    vacuum: {{type: ops, target_function: assets.bronze_orders}}
  schedules:
    nightly:
{schedule}"""


@pytest.mark.parametrize(
    ("body", "code", "needle", "message"),
    [
        pytest.param(
            "      job: bronze\n      cron_schedule: '0 25 * * *'\n",
            "cron-invalid",
            "25",
            "schedule 'nightly': invalid cron '0 25 * * *': 25 is out of range for the hour",
            id="cron-hour-range",
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '0 6 * * * 0'\n",
            "cron-seconds",
            "0'",
            "sixth (seconds) field",
            id="cron-seconds",
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '0 0 30 2 *'\n",
            "cron-never",
            "30 2",
            "never fires",
            id="cron-never",
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '*/90 * * * *'\n",
            "cron-step-too-large",
            "90",
            "'*/90' fires once per hour, not every 90 minutes",
            id="cron-step-too-large",
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '${CRON:0 0 * * * *}'\n",
            "cron-seconds",
            "${CRON",
            "(the value comes from ${CRON})",
            id="cron-from-variable-whole-value",
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '0 6 * * *'\n      timezone: Europe/Berlim\n",
            "timezone-unknown",
            "Europe/Berlim",
            "'Europe/Berlim' is not an IANA timezone; did you mean 'Europe/Berlin'?",
            id="timezone-misspelt",
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '0 6 * * *'\n      timezone: EST\n",
            "timezone-fixed-offset",
            "EST",
            "UTC-5 all year",
            id="timezone-fixed-offset",
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '0 6 * * *'\n"
            "      partition_selector: lastest\n",
            "partition-selector-invalid",
            "lastest",
            "did you mean 'latest'?",
            id="selector-misspelt",
        ),
        pytest.param(
            "      job: vacuum\n      cron_schedule: '0 6 * * *'\n"
            "      partition_selector: latest\n",
            "partition-selector-unpartitioned",
            "latest",
            "job 'vacuum' is an ops job",
            id="selector-on-ops-job",
        ),
        pytest.param(
            "      job: gold\n      cron_schedule: '0 6 * * *'\n      partition_selector: all\n",
            "partition-selector-unpartitioned",
            "all",
            "none of the 1 assets of job 'gold' is partitioned",
            id="selector-on-unpartitioned-job",
        ),
    ],
)
def test_invalid(
    analyze_text: Analyzer, tmp_path: Path, body: str, code: str, needle: str, message: str
) -> None:
    (tmp_path / "assets.py").write_text(ASSETS, encoding="utf-8")
    text = document(body)
    diagnostic = only(analyze_text(text), code)
    start = at(text, needle)
    assert diagnostic.range.start == start
    assert diagnostic.range.end.line == start.line
    assert message in diagnostic.message


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("      job: bronze\n      cron_schedule: '@daily'\n", id="alias"),
        pytest.param("      job: bronze\n      cron_schedule: '*/59 */23 * * *'\n", id="steps"),
        pytest.param(
            "      job: bronze\n      cron_schedule: '${CRON:0 6 * * 1-5}'\n", id="variable"
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '0 6 * * *'\n"
            "      timezone: America/New_York\n"
            "      partition_selector: latest\n",
            id="partitioned-job-latest",
        ),
        pytest.param(
            "      job: bronze\n      cron_schedule: '0 6 * * *'\n"
            "      partition_selector: assets.bronze_orders\n",
            id="selector-function",
        ),
    ],
)
def test_valid(analyze_text: Analyzer, tmp_path: Path, body: str) -> None:
    (tmp_path / "assets.py").write_text(ASSETS, encoding="utf-8")
    analysis = analyze_text(document(body))
    assert analysis.diagnostics == []


@pytest.mark.parametrize(
    ("cron", "fix"),
    [
        pytest.param("0 6 * * * 0", "0 6 * * *", id="drop-seconds"),
        pytest.param("@dialy", "@daily", id="alias"),
    ],
)
def test_cron_fix_replaces_the_whole_value(analyze_text: Analyzer, cron: str, fix: str) -> None:
    text = document(f"      job: bronze\n      cron_schedule: '{cron}'\n")
    diagnostic = next(d for d in analyze_text(text).diagnostics if d.code.startswith("cron-"))
    (edit,) = diagnostic.fixes[0].edits
    assert edit.new_text == fix
    assert edit.range.start == at(text, cron)


def test_timezone_fix(analyze_text: Analyzer) -> None:
    text = document("      job: bronze\n      cron_schedule: '0 6 * * *'\n      timezone: utc\n")
    diagnostic = only(analyze_text(text), "timezone-unknown")
    assert diagnostic.fixes[0].edits[0].new_text == "UTC"


@pytest.mark.parametrize(
    ("enabled", "error"),
    [
        pytest.param("'${ENABLED:maybe}'", True, id="non-bool-default"),
        pytest.param("'${ENABLED:false}'", False, id="bool-default"),
    ],
)
def test_enabled_from_a_variable_is_typed(
    analyze_text: Analyzer, tmp_path: Path, enabled: str, error: bool
) -> None:
    (tmp_path / "assets.py").write_text(ASSETS, encoding="utf-8")
    text = document(
        f"      job: bronze\n      cron_schedule: '0 6 * * *'\n      enabled: {enabled}\n"
    )
    codes = [d.code for d in analyze_text(text).diagnostics if d.is_error]
    assert (codes == ["wrong-type"]) is error
    if error:
        diagnostic = only(analyze_text(text), "wrong-type")
        assert diagnostic.range.start == at(text, "'${ENABLED")
        assert "'maybe'" in diagnostic.message
