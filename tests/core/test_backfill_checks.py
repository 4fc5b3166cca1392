"""Backfill checks: the job's partition definition, the range's keys, order and batch size."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import at, only

from floe_core import Analysis, Severity

Analyzer = Callable[..., Analysis]

ASSETS = (
    "from dagster import asset\n\n@asset\ndef bronze_orders(): ...\n\n"
    "@asset\ndef gold_revenue(): ...\n"
)


def document(backfill: str, modules: str = "[assets]") -> str:
    return f"""name: t
orchestration:
  asset_modules: {modules}
  partitions:
    daily: {{type: time_window, start: "2024-01-01", end: "2024-06-01", cron_schedule: "0 0 * * *"}}
    regions: {{type: static, partition_keys: [us, eu, ap]}}
  assets:
    "bronze_*": {{partitions: daily}}
    "gold_*": {{partitions: regions}}
  jobs:
    bronze: {{type: batch, selection: [bronze_orders]}}
    gold: {{type: batch, selection: [gold_revenue]}}
    vacuum: {{type: ops, target_function: assets.bronze_orders}}
  backfills:
    history:
{backfill}"""


def rng(start: str, end: str, extra: str = "") -> str:
    return f"      partition_range: {{start: '{start}', end: '{end}'}}\n{extra}"


@pytest.mark.parametrize(
    ("body", "code", "needle", "message"),
    [
        pytest.param(
            "      job: bronze\n" + rng("2024/01/01", "2024-01-05"),
            "backfill-key-invalid",
            "2024/01/01",
            "partition_range start: '2024/01/01' is not a partition key in the format '%Y-%m-%d'",
            id="time-key-format",
        ),
        pytest.param(
            "      job: bronze\n" + rng("2024-01-01", "2024-07-01"),
            "backfill-key-invalid",
            "2024-07-01",
            "is not before the partition's end '2024-06-01'",
            id="time-key-after-end",
        ),
        pytest.param(
            "      job: gold\n" + rng("us", "EU"),
            "backfill-key-invalid",
            "EU",
            "not one of the static partition keys; did you mean 'eu'?",
            id="static-key-unknown",
        ),
        pytest.param(
            "      job: bronze\n" + rng("2024-03-01", "2024-01-01"),
            "backfill-range-reversed",
            "2024-01-01'}",
            "end '2024-01-01' comes before start '2024-03-01'",
            id="time-reversed",
        ),
        pytest.param(
            "      job: gold\n" + rng("ap", "us"),
            "backfill-range-reversed",
            "us'}",
            "end 'us' comes before start 'ap'",
            id="static-reversed-in-list-order",
        ),
        pytest.param(
            "      job: vacuum\n" + rng("2024-01-01", "2024-01-02"),
            "backfill-job-unpartitioned",
            "vacuum\n      partition",
            "job 'vacuum' is an ops job",
            id="ops-job",
        ),
        pytest.param(
            "      job: bronze\n" + rng("2024-01-01", "2024-01-03", "      batch_size: 10\n"),
            "backfill-batch-larger-than-range",
            "10",
            "batch_size 10 is larger than the range, which has 3 partitions",
            id="batch-larger-than-range",
        ),
    ],
)
def test_invalid(
    analyze_text: Analyzer, tmp_path: Path, body: str, code: str, needle: str, message: str
) -> None:
    (tmp_path / "assets.py").write_text(ASSETS, encoding="utf-8")
    text = document(body)
    diagnostic = only(analyze_text(text), code)
    assert diagnostic.range.start == at(text, needle)
    assert message in diagnostic.message


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("      job: bronze\n" + rng("2024-01-01", "2024-05-31"), id="time"),
        pytest.param("      job: gold\n" + rng("us", "ap", "      batch_size: 2\n"), id="static"),
    ],
)
def test_valid(analyze_text: Analyzer, tmp_path: Path, body: str) -> None:
    (tmp_path / "assets.py").write_text(ASSETS, encoding="utf-8")
    assert analyze_text(document(body)).diagnostics == []


def test_reversed_range_fix_swaps_both_keys(analyze_text: Analyzer, tmp_path: Path) -> None:
    (tmp_path / "assets.py").write_text(ASSETS, encoding="utf-8")
    text = document("      job: gold\n" + rng("ap", "us"))
    (fix,) = only(analyze_text(text), "backfill-range-reversed").fixes
    assert [edit.new_text for edit in fix.edits] == ["us", "ap"]


def test_future_key_warns(analyze_text: Analyzer, tmp_path: Path) -> None:
    (tmp_path / "assets.py").write_text(ASSETS, encoding="utf-8")
    text = (
        document("      job: bronze\n" + rng("2024-01-01", "2024-05-31"))
        .replace('end: "2024-06-01", ', "")
        .replace("2024-05-31", "2999-01-01")
    )
    diagnostic = only(analyze_text(text), "backfill-range-future")
    assert diagnostic.severity is Severity.WARNING
    assert diagnostic.range.start == at(text, "2999-01-01")


def test_unknown_assets_fall_back_to_the_only_pattern_partition(analyze_text: Analyzer) -> None:
    text = document("      job: bronze\n" + rng("2024-01-01", "oops"), modules="[]").replace(
        '    "gold_*": {partitions: regions}\n', ""
    )
    diagnostic = only(analyze_text(text), "backfill-key-invalid")
    assert diagnostic.range.start == at(text, "oops")
    assert "partition 'daily'" in diagnostic.message
