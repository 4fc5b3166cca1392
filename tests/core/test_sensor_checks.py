"""Sensor checks: local file_watcher paths, glob patterns, self-triggering run_status sensors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import at, only

from floe_core import Analysis
from floe_core.checks.sensors import regex_to_glob

Analyzer = Callable[..., Analysis]


def document(sensor: str) -> str:
    return f"""name: t
orchestration:
  jobs:
    load: {{type: ops, target_function: pkg.mod.fn}}
    alert: {{type: ops, target_function: pkg.mod.fn}}
  sensors:
    watch:
{sensor}"""


def watcher(path: str = "./incoming/", pattern: str = "customers_*.csv") -> str:
    return (
        f"      type: file_watcher\n      job: load\n      path: '{path}'\n"
        f"      pattern: '{pattern}'\n"
    )


@pytest.mark.parametrize(
    ("body", "code", "needle", "message"),
    [
        pytest.param(
            watcher(path="s3://landing/incoming/"),
            "sensor-path-remote",
            "s3://",
            "path 's3://landing/incoming/' is remote storage ('s3://'); a file_watcher watches a "
            "LOCAL folder only",
            id="s3",
        ),
        pytest.param(
            watcher(path="https://example.com/drop"),
            "sensor-path-remote",
            "https://",
            "belong in platform.yaml",
            id="https",
        ),
        pytest.param(
            watcher(path="./missing/"),
            "sensor-path-missing",
            "./missing/",
            "path './missing/' does not exist",
            id="missing-folder",
        ),
        pytest.param(
            watcher(pattern=r"^customers_.*\.csv$"),
            "sensor-pattern-regex",
            "^customers",
            "the glob for it is 'customers_*.csv'",
            id="regex-pattern",
        ),
        pytest.param(
            "      type: run_status\n      job: load\n      watched_jobs: [alert, load]\n"
            "      status: FAILURE\n",
            "sensor-self-trigger",
            "load]",
            "sensor 'watch' starts job 'load' when a run of 'load' reaches FAILURE",
            id="self-trigger",
        ),
    ],
)
def test_invalid(
    analyze_text: Analyzer, tmp_path: Path, body: str, code: str, needle: str, message: str
) -> None:
    (tmp_path / "incoming").mkdir()
    text = document(body)
    diagnostic = only(analyze_text(text), code)
    assert diagnostic.range.start == at(text, needle)
    assert message in diagnostic.message


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(watcher(), id="local-glob"),
        pytest.param(watcher(pattern="{orders,customers}_[0-9]*.csv"), id="braces-and-class"),
        pytest.param(watcher(pattern="data.*"), id="ambiguous-dot-star-is-a-glob"),
        pytest.param(
            "      type: run_status\n      job: alert\n      watched_jobs: [load]\n"
            "      status: FAILURE\n",
            id="alert-on-other-job",
        ),
    ],
)
def test_valid(analyze_text: Analyzer, tmp_path: Path, body: str) -> None:
    (tmp_path / "incoming").mkdir()
    diagnostics = analyze_text(document(body)).diagnostics
    assert [d for d in diagnostics if d.code.startswith("sensor-")] == []


def test_regex_pattern_fix(analyze_text: Analyzer, tmp_path: Path) -> None:
    (tmp_path / "incoming").mkdir()
    text = document(watcher(pattern=r"(orders|customers)_\d+\.json"))
    diagnostic = only(analyze_text(text), "sensor-pattern-regex")
    assert diagnostic.fixes == ()
    text = document(watcher(pattern=r"(orders|customers)_.*\.json"))
    (fix,) = only(analyze_text(text), "sensor-pattern-regex").fixes
    assert fix.edits[0].new_text == "{orders,customers}_*.json"


@pytest.mark.parametrize(
    ("regex", "glob"),
    [
        pytest.param(r"^data_\d\d\.csv$", "data_[0-9][0-9].csv", id="digits"),
        pytest.param(r".*\.parquet", "*.parquet", id="leading-dot-star"),
        pytest.param(r"[^_]x.+", "[!_]x?*", id="negated-class-dot-plus"),
        pytest.param(r"a+b", None, id="quantifier"),
        pytest.param(r"\s", None, id="whitespace-class"),
    ],
)
def test_regex_to_glob(regex: str, glob: str | None) -> None:
    assert regex_to_glob(regex) == glob
