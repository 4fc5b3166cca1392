"""Partition checks (time windows, static keys, multi dimensions) and the partition-key
helpers they and the backfill checks rest on."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest
from helpers import at, only
from hypothesis import given
from hypothesis import strategies as st

from floe_core import Analysis
from floe_core.models import MultiPartition, StaticPartition, TimeWindowPartition
from floe_core.partition_keys import (
    compare_keys,
    key_format,
    keys_between,
    parse_key,
    validate_key,
)

Analyzer = Callable[..., Analysis]


def document(partition: str) -> str:
    return f"name: t\norchestration:\n  partitions:\n    p:\n{partition}"


TW = "      type: time_window\n"


@pytest.mark.parametrize(
    ("body", "code", "needle", "message"),
    [
        pytest.param(
            TW + "      start: '2024-01-01'\n      cron_schedule: '0 * * * *'\n"
            "      fmt: '%Y-%m-%d'\n",
            "partition-fmt-too-coarse",
            "%Y-%m-%d'",
            "windows starting 2024-01-01 00:00 and 2024-01-01 01:00 would both get the key "
            "'2024-01-01'",
            id="hourly-cron-daily-keys",
        ),
        pytest.param(
            TW
            + "      start: '2024-01-01'\n      cron_schedule: '0 0 * * 1'\n      fmt: '%Y-%m'\n",
            "partition-fmt-too-coarse",
            "%Y-%m'",
            "e.g. '%Y-%m-%d'",
            id="weekly-cron-monthly-keys",
        ),
        pytest.param(
            TW
            + "      start: '2024-01-01'\n      cron_schedule: '0 0 * * *'\n      fmt: '%m-%d'\n",
            "partition-fmt-invalid",
            "%m-%d",
            "has no year",
            id="fmt-without-year",
        ),
        pytest.param(
            TW
            + "      start: '2024-01-01'\n      cron_schedule: '0 0 * * *'\n      fmt: '%Y-%Y'\n",
            "partition-fmt-invalid",
            "%Y-%Y",
            "the directive %Y appears twice",
            id="fmt-repeated-directive",
        ),
        pytest.param(
            TW + "      start: '2024-01-01'\n      cron_schedule: '0 0 * * *'\n      fmt: daily\n",
            "partition-fmt-invalid",
            "daily",
            "no strftime directive",
            id="fmt-without-directive",
        ),
        pytest.param(
            TW + "      start: '2024/01/01'\n      cron_schedule: '0 0 * * *'\n",
            "partition-date-invalid",
            "2024/01/01",
            "start '2024/01/01' is not a date in '%Y-%m-%d'",
            id="start-format",
        ),
        pytest.param(
            TW + "      start: '2024-02-30'\n      cron_schedule: '0 0 * * *'\n",
            "partition-date-invalid",
            "2024-02-30",
            "is not a date",
            id="start-impossible-date",
        ),
        pytest.param(
            TW + "      start: '2024-05-01'\n      end: '2024-01-01'\n"
            "      cron_schedule: '0 0 * * *'\n",
            "partition-end-before-start",
            "2024-01-01",
            "end '2024-01-01' is not after start '2024-05-01'",
            id="end-before-start",
        ),
        pytest.param(
            TW + "      start: '2999-01-01'\n      cron_schedule: '0 0 * * *'\n",
            "partition-start-future",
            "2999-01-01",
            "in the future",
            id="start-in-future",
        ),
        pytest.param(
            TW + "      start: '2024-01-01'\n      cron_schedule: '0 0 32 * *'\n",
            "cron-invalid",
            "32",
            "partition 'p': invalid cron",
            id="cron",
        ),
        pytest.param(
            TW
            + "      start: '2024-01-01'\n      cron_schedule: '0 0 * * *'\n      timezone: PST\n",
            "timezone-unknown",
            "PST",
            "did you mean 'America/Los_Angeles'?",
            id="timezone",
        ),
        pytest.param(
            "      type: static\n      partition_keys: [us, eu, us]\n",
            "partition-key-duplicate",
            "us#1",
            "key 'us' is listed twice (first on line 6)",
            id="static-duplicate",
        ),
        pytest.param(
            "      type: static\n      partition_keys: [us, 'a...b']\n",
            "partition-key-invalid",
            "a...b",
            "which Dagster refuses",
            id="static-ellipsis",
        ),
        pytest.param(
            "      type: static\n      partition_keys: [us, '  ']\n",
            "partition-key-invalid",
            "  '#0",
            "non-empty string",
            id="static-blank",
        ),
        pytest.param(
            "      type: multi\n      partitions:\n"
            "        date: {type: time_window, start: '2024-01-01', cron_schedule: '0 0 * * *'}\n",
            "multi-partition-dimensions",
            "partitions:#1",
            "has 1 dimension; Dagster's MultiPartitionsDefinition takes exactly two",
            id="multi-one-dimension",
        ),
        pytest.param(
            "      type: multi\n      partitions:\n"
            "        date: {type: time_window, start: '2024-01-01', cron_schedule: '0 0 * * *'}\n"
            "        hour: {type: time_window, start: '2024-01-01', cron_schedule: '0 * * * *'}\n",
            "multi-partition-time-windows",
            "hour:",
            "second time-window dimension 'hour' (the first is 'date')",
            id="multi-two-time-windows",
        ),
        pytest.param(
            "      type: multi\n      partitions:\n"
            "        date: {type: time_window, start: '2024-01-01', cron_schedule: '0 0 * * *'}\n"
            "        inner: {type: multi, partitions: {}}\n",
            "unknown-type",
            "multi,",
            "a multi partition cannot contain another multi partition",
            id="multi-nested-is-a-schema-error",
        ),
        pytest.param(
            "      type: multi\n      partitions:\n"
            "        date: {type: time_window, start: '2024-01-01', cron_schedule: '0 0 * * *'}\n"
            "        region: {type: static, partition_keys: ['us|east', eu]}\n",
            "partition-key-invalid",
            "us|east",
            "dimension 'region': key 'us|east' contains '|'",
            id="multi-pipe-in-key",
        ),
    ],
)
def test_invalid(analyze_text: Analyzer, body: str, code: str, needle: str, message: str) -> None:
    text = document(body)
    diagnostic = only(analyze_text(text), code)
    assert diagnostic.range.start == at(text, needle)
    assert message in diagnostic.message


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            TW + "      start: '2024-01-01'\n      cron_schedule: '0 0 * * *'\n", id="daily"
        ),
        pytest.param(
            TW + "      start: '2024-01-01-00:00'\n      cron_schedule: '0 * * * *'\n", id="hourly"
        ),
        pytest.param(
            TW + "      start: '2024-01'\n      end: '2025-01'\n      cron_schedule: '0 0 1 * *'\n"
            "      fmt: '%Y-%m'\n      timezone: Europe/Berlin\n",
            id="monthly-with-fmt",
        ),
        pytest.param(
            "      type: static\n      partition_keys: [us-east, eu-central, 'a|b']\n",
            id="static-pipe-outside-multi",
        ),
        pytest.param(
            "      type: multi\n      partitions:\n"
            "        date: {type: time_window, start: '2024-01-01', cron_schedule: '0 0 * * *'}\n"
            "        region: {type: static, partition_keys: [us, eu]}\n",
            id="multi",
        ),
    ],
)
def test_valid(analyze_text: Analyzer, body: str) -> None:
    assert analyze_text(document(body)).diagnostics == []


def test_too_coarse_fmt_fix_proposes_minutes(analyze_text: Analyzer) -> None:
    text = document(
        TW + "      start: '2024-01-01'\n      cron_schedule: '*/30 * * * *'\n"
        "      fmt: '%Y-%m-%d %H'\n"
    )
    diagnostic = only(analyze_text(text), "partition-fmt-too-coarse")
    assert diagnostic.fixes[0].edits[0].new_text == "%Y-%m-%d-%H:%M"


DAILY = TimeWindowPartition(
    type="time_window", start="2024-01-01", end="2024-02-01", cron_schedule="0 6 * * *"
)
WEEKLY = TimeWindowPartition(type="time_window", start="2024-01-01", cron_schedule="0 0 * * 1")
HOURLY = TimeWindowPartition(type="time_window", start="2024-01-01", cron_schedule="0 * * * *")
REGIONS = StaticPartition(type="static", partition_keys=["us", "eu", "ap"])
MULTI = MultiPartition(type="multi", partitions={"region": REGIONS, "date": DAILY})


def test_key_format_default_follows_the_cron() -> None:
    assert key_format(DAILY) == "%Y-%m-%d"
    assert key_format(HOURLY) == "%Y-%m-%d-%H:%M"


@pytest.mark.parametrize(
    ("partition", "key", "problem"),
    [
        pytest.param(DAILY, "2024-01-05", None, id="daily-ok"),
        pytest.param(DAILY, "2024-1-5", "not a partition key in the format", id="daily-format"),
        pytest.param(DAILY, "2023-12-31", "before the first partition '2024-01-01'", id="early"),
        pytest.param(DAILY, "2024-02-01", "end '2024-02-01' (the end is excluded)", id="at-end"),
        pytest.param(WEEKLY, "2024-01-03", "the next partition key is '2024-01-08'", id="off-tick"),
        pytest.param(HOURLY, "2024-01-01-05:00", None, id="hourly-ok"),
        pytest.param(REGIONS, "eu", None, id="static-ok"),
        pytest.param(REGIONS, "EU", "did you mean 'eu'?", id="static-case"),
        pytest.param(MULTI, "2024-01-05|us", None, id="multi-ok"),
        pytest.param(MULTI, "us|2024-01-05", "dimension 'date'", id="multi-order"),
        pytest.param(MULTI, "us", "'<date>|<region>'", id="multi-shape"),
    ],
)
def test_validate_key(partition: object, key: str, problem: str | None) -> None:
    found = validate_key(partition, key)  # type: ignore[arg-type]
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found


def test_compare_and_enumerate_keys() -> None:
    assert compare_keys(DAILY, "2024-01-02", "2024-01-10") == -1
    assert compare_keys(REGIONS, "ap", "us") == 1
    assert compare_keys(MULTI, "2024-01-02|us", "2024-01-02|eu") == -1
    assert keys_between(DAILY, "2024-01-30", "2024-01-31", 10) == ["2024-01-30", "2024-01-31"]
    assert keys_between(REGIONS, "us", "ap", 2) == ["us", "eu"]
    assert keys_between(MULTI, "2024-01-01|ap", "2024-01-02|eu", 10) == [
        "2024-01-01|ap",
        "2024-01-02|us",
        "2024-01-02|eu",
    ]
    assert keys_between(DAILY, "2024-01-30", "nonsense", 10) == []


_FORMAT_PIECES = ["%Y", "%m", "%d", "%H", "%M", "%S", "-", ":", " ", "T", "/", "%j", "%b", "%%"]


@given(
    st.lists(st.sampled_from(_FORMAT_PIECES), min_size=1, max_size=6).map("".join),
    st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)),
    st.text(alphabet="0123456789-: T/Jan%", max_size=4),
)
def test_keys_read_as_strptime_reads_them(fmt: str, moment: datetime, noise: str) -> None:
    """floe reads the usual key formats itself; a key is accepted exactly when
    ``strptime`` reads it back to a moment that ``strftime`` writes as the same key."""
    for text in (moment.strftime(fmt), moment.strftime(fmt) + noise, noise + moment.strftime(fmt)):
        try:
            read = datetime.strptime(text, fmt)
            expected = read if read.strftime(fmt) == text else None
        except (ValueError, re.error):
            expected = None
        assert parse_key(text, fmt) == expected
