"""IANA timezone names: validity and suggestions."""

from __future__ import annotations

import pytest

from floe_core.timezones import all_timezones, is_valid_timezone, suggest_timezone


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        pytest.param("UTC", True, id="utc"),
        pytest.param("Europe/Berlin", True, id="city"),
        pytest.param("utc", False, id="wrong-case"),
        pytest.param("PST", False, id="abbreviation"),
        pytest.param("localtime", False, id="not-a-zone-name"),
    ],
)
def test_validity(name: str, valid: bool) -> None:
    assert is_valid_timezone(name) is valid


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        pytest.param("Europe/Berlim", "Europe/Berlin", id="misspelt"),
        pytest.param("utc", "UTC", id="case"),
        pytest.param("europe/paris", "Europe/Paris", id="case-city"),
        pytest.param("PST", "America/Los_Angeles", id="abbreviation"),
        pytest.param("EST", "America/New_York", id="fixed-offset-zone"),
        pytest.param("America/New York", "America/New_York", id="space"),
        pytest.param("Berlin", "Europe/Berlin", id="bare-city"),
        pytest.param("UTC+2", "Etc/GMT-2", id="offset-inverted"),
        pytest.param("UTC", None, id="already-right"),
        pytest.param("Mars/Olympus", None, id="nothing-close"),
        pytest.param("", None, id="empty"),
    ],
)
def test_suggestions(name: str, suggestion: str | None) -> None:
    assert suggest_timezone(name) == suggestion


def test_all_timezones_sorted_and_complete() -> None:
    zones = all_timezones()
    assert zones == sorted(zones)
    assert {"UTC", "America/New_York", "Asia/Tokyo"} <= set(zones)
    assert len(zones) > 400
