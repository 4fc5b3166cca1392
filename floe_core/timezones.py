"""IANA timezone names: which are valid, what a misspelt or abbreviated one probably meant,
and the diagnostics for a timezone written in floe.yaml.

The catalogue is the tzdata package's list of zones (what ``zoneinfo`` and Dagster resolve),
read once per process. Abbreviations such as 'PST' are not zones; a few, like 'EST', are
zones that Dagster accepts but that mean a fixed offset without daylight saving time, which
is rarely what a schedule at "9 AM New York time" wants: those get a warning.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import re
from pathlib import Path
from zoneinfo import available_timezones

from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.yaml_tree import ScalarNode

ABBREVIATIONS = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "MT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "MET": "Europe/Paris",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "MSK": "Europe/Moscow",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    "BRT": "America/Sao_Paulo",
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
}
"""Abbreviations (and POSIX-style legacy zones) -> the city zone people usually mean."""

FIXED_OFFSET_ZONES = {"EST": "UTC-5", "MST": "UTC-7"}
"""Valid zones that look like a region's time but never switch to daylight saving time."""

_OFFSET = re.compile(r"(?i)^(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?00)?$")


class TimezoneCatalog:
    """The valid zone names, with lookup structures for suggestions."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names

    @functools.cached_property
    def valid(self) -> frozenset[str]:
        """The names as a set."""
        return frozenset(self.names)

    @functools.cached_property
    def by_lower(self) -> dict[str, str]:
        """Lower-cased name -> name."""
        return {name.lower(): name for name in self.names}

    @functools.cached_property
    def by_city(self) -> dict[str, str]:
        """Lower-cased last component ('berlin') -> the first zone ending in it."""
        cities: dict[str, str] = {}
        for name in self.names:
            if "/" in name:
                cities.setdefault(name.rsplit("/", 1)[1].lower(), name)
        return cities


@functools.cache
def catalog() -> TimezoneCatalog:
    """The process-wide catalogue (read once)."""
    return TimezoneCatalog(tuple(_read_zone_names()))


def _read_zone_names() -> list[str]:
    """The names in tzdata's ``zones`` file, read beside the package (importlib.resources'
    readers would cost more to import than the file costs to read); the system's zone files
    when tzdata is not installed."""
    spec = importlib.util.find_spec("tzdata")
    if spec is not None and spec.origin is not None:
        try:
            text = Path(spec.origin).with_name("zones").read_text(encoding="utf-8")
        except OSError:
            pass
        else:
            return sorted(name for name in text.split() if name)
    return sorted(name for name in available_timezones() if name != "localtime")


def all_timezones() -> list[str]:
    """Every valid IANA zone name, sorted."""
    return list(catalog().names)


def is_valid_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA zone name (exact spelling, as zoneinfo needs it)."""
    return name in catalog().valid


def suggest_timezone(name: str) -> str | None:
    """The zone ``name`` probably meant, or None: case slips ('utc'), abbreviations ('PST'),
    fixed-offset legacy zones ('EST'), spaces for underscores, a bare city ('Berlin'), offsets
    ('UTC+2') and misspellings ('Europe/Berlim')."""
    cat = catalog()
    text = name.strip()
    if not text:
        return None
    for candidate in (text, text.replace(" ", "_")):
        found = cat.by_lower.get(candidate.lower())
        if found is not None and found not in FIXED_OFFSET_ZONES:
            return found if found != name else None
    abbreviation = ABBREVIATIONS.get(text.upper())
    if abbreviation is not None:
        return abbreviation
    offset = _OFFSET.match(text)
    if offset is not None:
        return _etc_zone(offset.group(1), int(offset.group(2)))
    underscored = text.replace(" ", "_").lower()
    city = cat.by_city.get(underscored)
    if city is not None:
        return city
    matches = difflib.get_close_matches(underscored, list(cat.by_lower), n=1, cutoff=0.75)
    if matches:
        return cat.by_lower[matches[0]]
    city_matches = difflib.get_close_matches(underscored, list(cat.by_city), n=1, cutoff=0.8)
    return cat.by_city[city_matches[0]] if city_matches else None


def _etc_zone(sign: str, hours: int) -> str | None:
    if hours == 0:
        return "UTC"
    if hours > 14:
        return None
    inverted = "-" if sign == "+" else "+"
    return f"Etc/GMT{inverted}{hours}"


def timezone_diagnostics(node: ScalarNode, owner: str) -> list[Diagnostic]:
    """Problems of the timezone written in ``node`` (a string scalar), for ``owner``."""
    value = node.value
    if not isinstance(value, str) or node.unresolved:
        return []
    where = node.content_range
    editable = node.interpolation is None
    if is_valid_timezone(value):
        offset = FIXED_OFFSET_ZONES.get(value)
        if offset is None:
            return []
        better = ABBREVIATIONS[value]
        return [
            Diagnostic(
                where,
                Severity.WARNING,
                "timezone-fixed-offset",
                f"{owner}: timezone '{value}' is {offset} all year, without daylight saving "
                f"time; for the local time of the region write '{better}'",
                replace_fix(f"Change to '{better}'", where, better) if editable else (),
            )
        ]
    suggestion = suggest_timezone(value)
    if suggestion is None:
        hint = "; use an IANA name such as 'UTC', 'Europe/Berlin' or 'America/New_York'"
    elif suggestion.startswith("Etc/GMT"):
        hint = (
            f"; did you mean '{suggestion}'? (IANA 'Etc/GMT' zones invert the sign: "
            f"'{suggestion}' is {value.upper().replace(' ', '')}), or a city zone that follows "
            "daylight saving time"
        )
    else:
        hint = f"; did you mean '{suggestion}'?"
    return [
        Diagnostic(
            where,
            Severity.ERROR,
            "timezone-unknown",
            f"{owner}: '{value}' is not an IANA timezone{hint}",
            replace_fix(f"Change to '{suggestion}'", where, suggestion)
            if suggestion and editable
            else (),
        )
    ]
