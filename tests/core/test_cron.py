"""Cron parsing (what Dagster accepts, with the offsets of the bad field), descriptions,
fire times and periods."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from floe_core.cron import cron_period, describe_cron, next_fire_times, parse_cron


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param("0 6 * * *", id="daily-at-six"),
        pytest.param("*/15 9-17 * * MON-FRI", id="steps-ranges-names"),
        pytest.param("0 0 L * *", id="last-day-of-month"),
        pytest.param("0 0 * * 1#2", id="second-monday"),
        pytest.param("0 0 ? * ?", id="question-marks"),
        pytest.param("0 22-2 * * *", id="wrapping-range"),
        pytest.param("0 0 29 2 *", id="leap-day"),
        pytest.param("@daily", id="alias"),
        pytest.param("  0 6 * * *  ", id="surrounding-spaces"),
    ],
)
def test_valid_expressions_parse(expr: str) -> None:
    parsed = parse_cron(expr)
    assert parsed.ok, parsed.message
    assert parsed.schedule is not None


@pytest.mark.parametrize(
    ("expr", "code", "bad", "message"),
    [
        pytest.param("61 0 * * *", "cron-invalid", "61", "minute field", id="minute-range"),
        pytest.param("0 24 * * *", "cron-invalid", "24", "allows 0-23", id="hour-range"),
        pytest.param("0 0 * JNA *", "cron-invalid", "JNA", "did you mean 'JUN'", id="month-name"),
        pytest.param("0 0 * * MOM", "cron-invalid", "MOM", "day of week", id="weekday-name"),
        pytest.param("*/0 * * * *", "cron-invalid", "0", "positive whole number", id="zero-step"),
        pytest.param("1,,2 * * * *", "cron-invalid", ",,", "empty item", id="empty-item"),
        pytest.param("0 0 1W * *", "cron-invalid", "1W", "day of month", id="w-not-dagster"),
        pytest.param("0 0 * * 1#6", "cron-invalid", "6", "1 to 5", id="nth-weekday"),
        pytest.param("0 0 * * * 0", "cron-seconds", "0", "sixth (seconds)", id="six-fields"),
        pytest.param("* * * *", "cron-invalid", "* * * *", "this one has 4", id="four-fields"),
        pytest.param("0 0 30 2 *", "cron-never", "30 2", "never fires", id="february-30"),
        pytest.param("0 0 31 4,6 *", "cron-never", "31 4,6", "April, June", id="april-31"),
        pytest.param("@dialy", "cron-invalid", "@dialy", "did you mean '@daily'", id="alias"),
        pytest.param("", "cron-invalid", "", "empty", id="empty"),
    ],
)
def test_invalid_expressions_point_at_the_bad_part(
    expr: str, code: str, bad: str, message: str
) -> None:
    parsed = parse_cron(expr)
    assert not parsed.ok
    assert parsed.code == code
    assert expr[parsed.start : parsed.end] == bad
    assert message in parsed.message


def test_six_fields_offer_the_five_field_form() -> None:
    parsed = parse_cron("30 6 * * * 0")
    assert parsed.field_count == 6
    assert parsed.replacement == "30 6 * * *"


def test_parses_are_memoized() -> None:
    assert parse_cron("0 6 * * *") is parse_cron("0 6 * * *")


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        pytest.param("0 6 * * 1-5", "Monday through Friday", id="weekdays"),
        pytest.param("@hourly", "Every hour", id="alias"),
        pytest.param("61 * * * *", "out of range", id="invalid-explains"),
    ],
)
def test_describe_in_plain_words(expr: str, words: str) -> None:
    assert words in describe_cron(expr)


def test_next_fire_times_are_aware_and_follow_daylight_saving() -> None:
    after = datetime(2024, 3, 30, 12, tzinfo=ZoneInfo("Europe/Berlin"))
    times = next_fire_times("0 6 * * *", "Europe/Berlin", count=2, after=after)
    assert [t.isoformat() for t in times] == [
        "2024-03-31T06:00:00+02:00",
        "2024-04-01T06:00:00+02:00",
    ]


@pytest.mark.parametrize(
    ("expr", "timezone"),
    [
        pytest.param("61 * * * *", "UTC", id="bad-cron"),
        pytest.param("0 6 * * *", "Mars/Base", id="bad-timezone"),
    ],
)
def test_next_fire_times_empty_when_invalid(expr: str, timezone: str) -> None:
    assert next_fire_times(expr, timezone) == []


@pytest.mark.parametrize(
    ("expr", "period"),
    [
        pytest.param("*/15 * * * *", timedelta(minutes=15), id="quarter-hour"),
        pytest.param("0 */6 * * *", timedelta(hours=6), id="six-hours"),
        pytest.param("0 0 * * *", timedelta(days=1), id="daily"),
        pytest.param("0 0 * * 1", timedelta(days=7), id="weekly"),
        pytest.param("0 0 1 * *", timedelta(days=28), id="monthly-shortest"),
        pytest.param("61 * * * *", timedelta(0), id="invalid"),
    ],
)
def test_period_is_the_smallest_gap(expr: str, period: timedelta) -> None:
    assert cron_period(expr) == period


def test_ticks_skip_to_matching_days() -> None:
    schedule = parse_cron("30 8 L 2 *").schedule
    assert schedule is not None
    ticks = schedule.ticks(datetime(2023, 1, 1))
    assert [next(ticks), next(ticks)] == [
        datetime(2023, 2, 28, 8, 30),
        datetime(2024, 2, 29, 8, 30),
    ]


@pytest.mark.parametrize(
    ("expr", "start"),
    [
        pytest.param("0 0 1 1 *", datetime(9999, 6, 1), id="past-the-last-january"),
        pytest.param("0 0 * 12 *", datetime(9999, 12, 31, 1), id="last-day-of-time"),
    ],
)
def test_ticks_end_at_the_calendars_end(expr: str, start: datetime) -> None:
    schedule = parse_cron(expr).schedule
    assert schedule is not None
    assert list(schedule.ticks(start)) == []
