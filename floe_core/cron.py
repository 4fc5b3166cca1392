"""Cron expressions: parsing with the exact offsets of a bad field, what a cron means in plain
words, when it fires, and how often.

The grammar is what Dagster accepts (``dagster._utils.schedules.is_valid_cron_string``): five
fields (minute hour day-of-month month day-of-week) or one of the aliases ``@yearly``,
``@annually``, ``@monthly``, ``@weekly``, ``@daily``, ``@midnight``, ``@hourly``. Each field is
a comma list of ``*``, a value, a range ``a-b``, each optionally with a step ``/n``; months and
weekdays may be written as names (``JAN``, ``MON``); the day of month may be ``L`` (last day)
and ``?`` (any); the day of week may be ``d#n`` (the n-th weekday of the month) and ``?``.
Six fields (seconds) are refused: Dagster schedules tick at minute resolution and reject them.
A cron that can never fire (``0 0 30 2 *``) is refused too.

Parsing is pure Python and fast (no croniter import on the analysis path); croniter is imported
lazily by :func:`next_fire_times`, and cron-descriptor by :func:`describe_cron`.
"""

from __future__ import annotations

import calendar
import functools
import itertools
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from floe_core.suggestions import closest
from floe_core.timezones import is_valid_timezone

FIELD_NAMES = ("minute", "hour", "day of month", "month", "day of week")
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_ALLOWED = (
    "0-59",
    "0-23",
    "1-31, L (last day) or ?",
    "1-12 or JAN-DEC",
    "0-7 (0 and 7 are Sunday), SUN-SAT, d#n (n-th weekday of the month) or ?",
)
_MONTH_NAMES = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DAY_NAMES = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_DOM, _MONTH, _DOW = 2, 3, 4
_FULL = tuple(frozenset(range(low, high + 1)) for low, high in _BOUNDS)
_FIELD = re.compile(r"\S+")
_WEEK = frozenset(range(7))
_SCAN_DAYS = 366 * 30


class CronSchedule(NamedTuple):
    """The expanded meaning of a valid cron: the values each field allows.

    Weekdays count from Sunday = 0. When both the day of month and the day of week are
    restricted, a day fires if either matches (Vixie cron, croniter and Dagster agree).
    """

    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    nth_weekdays: frozenset[tuple[int, int]] = frozenset()
    last_day: bool = False
    dom_restricted: bool = False
    dow_restricted: bool = False

    @property
    def ticks_per_day(self) -> int:
        """How many times the cron fires on a day that fires at all."""
        return len(self.minutes) * len(self.hours)

    def fires_on(self, day: date) -> bool:
        """Whether the cron fires at some time of ``day``."""
        if day.month not in self.months:
            return False
        dom = day.day in self.days or (
            self.last_day and day.day == calendar.monthrange(day.year, day.month)[1]
        )
        weekday = (day.weekday() + 1) % 7
        dow = weekday in self.weekdays or (weekday, (day.day - 1) // 7 + 1) in self.nth_weekdays
        if self.dom_restricted and self.dow_restricted:
            return dom or dow
        if self.dom_restricted:
            return dom
        if self.dow_restricted:
            return dow
        return True

    def ticks(self, start: datetime) -> Iterator[datetime]:
        """Every firing time at or after ``start`` (naive wall-clock times), in order.

        Stops after scanning thirty years without a firing day, so it never loops forever.
        """
        day = start.date()
        idle = 0
        while idle < _SCAN_DAYS:
            if day.month not in self.months:
                following = _first_of_next_month(day)
                if following == day:
                    return
                idle += (following - day).days
                day = following
                continue
            if self.fires_on(day):
                idle = 0
                base = datetime(day.year, day.month, day.day)
                for hour in self.hours:
                    for minute in self.minutes:
                        tick = base.replace(hour=hour, minute=minute)
                        if tick >= start:
                            yield tick
            else:
                idle += 1
            if day == date.max:
                return
            day += timedelta(days=1)


class CronParse(NamedTuple):
    """The outcome of parsing one expression.

    ``start``/``end`` are the offsets (into ``expr``) of the offending part when ``ok`` is
    false; ``field_count`` is the number of whitespace-separated fields found (1 for an
    ``@alias``, which stands for five); ``code`` is the
    diagnostic code of the problem; ``replacement`` is a corrected expression when one is
    obvious (e.g. the 5-field form of a 6-field cron).
    """

    expr: str
    ok: bool
    message: str = ""
    start: int = 0
    end: int = 0
    field_count: int = 0
    code: str = ""
    replacement: str | None = None
    schedule: CronSchedule | None = None


class _FieldError(Exception):
    """A problem inside one field, with offsets relative to the field's text."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


@functools.lru_cache(maxsize=4096)
def parse_cron(expr: str) -> CronParse:
    """Parse ``expr``; never raises. See the module docstring for the accepted grammar.

    A pure function of the text, memoized: a file's crons are parsed again on every
    keystroke, and the same expressions recur across schedules and partitions.
    """
    stripped = expr.strip()
    lead = len(expr) - len(expr.lstrip())
    if not stripped:
        return _fail(
            expr,
            "the cron expression is empty; write five fields, e.g. '0 6 * * *'",
            0,
            len(expr),
            0,
            "cron-invalid",
        )
    if stripped.startswith("@"):
        return _parse_alias(expr, stripped, lead)
    spans = _field_spans(expr)
    count = len(spans)
    if count == 6:
        seconds_start, seconds_end = spans[5]
        five = " ".join(expr[a:b] for a, b in spans[:5])
        return _fail(
            expr,
            f"'{expr[seconds_start:seconds_end]}' is a sixth (seconds) field: Dagster schedules "
            "tick at minute resolution and only accept five fields (minute hour day-of-month "
            f"month day-of-week); write '{five}'",
            seconds_start,
            seconds_end,
            count,
            "cron-seconds",
            five,
        )
    if count != 5:
        return _fail(
            expr,
            f"a cron expression has five fields (minute hour day-of-month month day-of-week), "
            f"this one has {count}; e.g. '0 6 * * *' is 06:00 every day",
            lead,
            lead + len(stripped),
            count,
            "cron-invalid",
        )
    sets: list[tuple[frozenset[int], bool]] = []
    nth: frozenset[tuple[int, int]] = frozenset()
    last_day = False
    for index, (start, end) in enumerate(spans):
        try:
            values, restricted, extra = _parse_field(index, expr[start:end])
        except _FieldError as problem:
            return _fail(
                expr,
                problem.message,
                start + problem.start,
                start + problem.end,
                count,
                "cron-invalid",
            )
        sets.append((values, restricted))
        if index == _DOM:
            last_day = bool(extra)
        elif index == _DOW:
            nth = frozenset((d % 7, n) for d, n in extra)
    dow_values, dow_restricted = sets[_DOW]
    weekdays = frozenset(d % 7 for d in dow_values) if dow_restricted else _WEEK
    schedule = CronSchedule(
        minutes=tuple(sorted(sets[0][0])),
        hours=tuple(sorted(sets[1][0])),
        days=sets[_DOM][0],
        months=sets[_MONTH][0],
        weekdays=weekdays,
        nth_weekdays=nth,
        last_day=last_day,
        dom_restricted=sets[_DOM][1],
        dow_restricted=sets[_DOW][1],
    )
    never = _never_fires(schedule)
    if never is not None:
        start, end = spans[_DOM][0], spans[_MONTH][1]
        return _fail(expr, never, start, end, count, "cron-never")
    return CronParse(expr, True, field_count=count, schedule=schedule)


def _fail(  # noqa: PLR0917 (a private constructor shorthand)
    expr: str,
    message: str,
    start: int,
    end: int,
    count: int,
    code: str,
    replacement: str | None = None,
) -> CronParse:
    return CronParse(expr, False, message, start, end, count, code, replacement)


def _parse_alias(expr: str, stripped: str, lead: int) -> CronParse:
    alias = stripped.lower()
    expansion = ALIASES.get(alias)
    end = lead + len(stripped)
    if expansion is None:
        best = closest(alias, ALIASES)
        hint = f"; did you mean '{best}'?" if best else ""
        return _fail(
            expr,
            f"'{stripped}' is not a cron alias: use {', '.join(ALIASES)} or five fields{hint}",
            lead,
            end,
            1,
            "cron-invalid",
            best,
        )
    parsed = parse_cron(expansion)
    return CronParse(expr, True, field_count=1, schedule=parsed.schedule)


def _field_spans(expr: str) -> list[tuple[int, int]]:
    return [match.span() for match in _FIELD.finditer(expr)]


def _parse_field(index: int, text: str) -> tuple[frozenset[int], bool, list[tuple[int, int]]]:
    """Values of one field, whether it restricts anything, and extras (L / d#n items)."""
    if text == "*":
        return _FULL[index], False, []
    low, high = _BOUNDS[index]
    if text.isdigit() and text.isascii() and low <= int(text) <= high:
        return frozenset((int(text),)), True, []
    values: set[int] = set()
    extras: list[tuple[int, int]] = []
    restricted = True
    offset = 0
    for item in text.split(","):
        item_start, item_end = offset, offset + len(item)
        offset = item_end + 1
        if not item:
            raise _FieldError(
                f"the {FIELD_NAMES[index]} field has an empty item between commas; allowed: "
                f"{_ALLOWED[index]}",
                max(item_start - 1, 0),
                min(item_start + 1, len(text)),
            )
        lowered = item.lower()
        if lowered in ("*", "?"):
            if lowered == "?" and index not in (_DOM, _DOW):
                raise _FieldError(
                    f"'?' is only allowed in the day-of-month and day-of-week fields; the "
                    f"{FIELD_NAMES[index]} field allows {_ALLOWED[index]}",
                    item_start,
                    item_end,
                )
            restricted = False
            values.update(range(low, high + 1))
            continue
        if index == _DOM and lowered == "l":
            extras.append((0, 0))
            continue
        if index == _DOW and "#" in item:
            extras.append(_nth_weekday(item, item_start))
            continue
        values.update(_item_values(index, item, item_start))
    if index == _DOW and 7 in values:
        values.add(0)
    return frozenset(values), restricted, extras


def _nth_weekday(item: str, item_start: int) -> tuple[int, int]:
    day_text, _, nth_text = item.partition("#")
    day = _value(_DOW, day_text, item_start)
    nth_start = item_start + len(day_text) + 1
    if not nth_text.isdigit() or not 1 <= int(nth_text) <= 5:
        raise _FieldError(
            f"'{item}': after '#' comes which weekday of the month, 1 to 5 (e.g. 'MON#1' is the "
            "first Monday)",
            nth_start,
            nth_start + len(nth_text),
        )
    return day, int(nth_text)


def _item_values(index: int, item: str, item_start: int) -> range | list[int]:
    base, slash, step_text = item.partition("/")
    low, high = _BOUNDS[index]
    step = 1
    if slash:
        step_start = item_start + len(base) + 1
        if not step_text.isdigit() or int(step_text) == 0:
            raise _FieldError(
                f"'{item}': the step after '/' must be a positive whole number (e.g. '*/15')",
                step_start,
                step_start + len(step_text),
            )
        step = int(step_text)
    if base == "*":
        return range(low, high + 1, step)
    first_text, dash, last_text = base.partition("-")
    first = _value(index, first_text, item_start)
    if not dash:
        return range(first, high + 1, step) if slash else [first]
    last = _value(index, last_text, item_start + len(first_text) + 1)
    if last < first:
        top = 6 if index == _DOW else high
        return [*range(first, top + 1), *range(low, last + 1)][::step]
    return range(first, last + 1, step)


def _value(index: int, text: str, start: int) -> int:
    low, high = _BOUNDS[index]
    end = start + len(text)
    if text.isdigit() and text.isascii():
        number = int(text)
        if not low <= number <= high:
            raise _FieldError(
                f"{number} is out of range for the {FIELD_NAMES[index]} field, which allows "
                f"{_ALLOWED[index]}",
                start,
                end,
            )
        return number
    names = _MONTH_NAMES if index == _MONTH else _DAY_NAMES if index == _DOW else None
    if names is not None and text.lower() in names:
        return names[text.lower()]
    if not text:
        raise _FieldError(
            f"a value is missing in the {FIELD_NAMES[index]} field, which allows {_ALLOWED[index]}",
            max(start - 1, 0),
            start + 1,
        )
    hint = ""
    if names is not None:
        best = closest(text.lower(), names)
        hint = f"; did you mean '{best.upper()}'?" if best else ""
    raise _FieldError(
        f"'{text}' is not valid in the {FIELD_NAMES[index]} field, which allows "
        f"{_ALLOWED[index]}{hint}",
        start,
        end,
    )


def _never_fires(schedule: CronSchedule) -> str | None:
    if not schedule.dom_restricted or schedule.dow_restricted or schedule.last_day:
        return None
    longest = max(_longest_month(m) for m in schedule.months)
    if min(schedule.days) <= longest:
        return None
    days = ", ".join(str(d) for d in sorted(schedule.days))
    months = ", ".join(calendar.month_name[m] for m in sorted(schedule.months))
    return (
        f"this cron never fires: day {days} does not exist in {months}; a schedule on it "
        "would never run (use 'L' for the last day of the month)"
    )


def _longest_month(month: int) -> int:
    return 29 if month == 2 else calendar.monthrange(2023, month)[1]


def _first_of_next_month(day: date) -> date:
    if day.month == 12:
        return date(day.year + 1, 1, 1) if day.year < date.max.year else date.max
    return date(day.year, day.month + 1, 1)


def fires_only_in_leap_years(parse: CronParse) -> bool:
    """Whether a valid cron fires on February 29th only (once every four years)."""
    schedule = parse.schedule
    return (
        schedule is not None
        and schedule.dom_restricted
        and not schedule.dow_restricted
        and not schedule.last_day
        and schedule.months == frozenset({2})
        and min(schedule.days) == 29
    )


def has_problems(parsed: CronParse) -> bool:
    """Whether :func:`cron_diagnostics` would report anything about this expression."""
    return (
        not parsed.ok
        or fires_only_in_leap_years(parsed)
        or ("/" in parsed.expr and bool(oversized_steps(parsed.expr)))
    )


def oversized_steps(expr: str) -> list[tuple[int, int, str]]:
    """Steps larger than their field's range (``*/90`` minutes): valid, but they fire once
    per cycle of the field, not every N units (Dagster warns about them too). Returns
    ``(start, end, message)`` for each, offsets into ``expr``."""
    found: list[tuple[int, int, str]] = []
    spans = _field_spans(expr)
    if len(spans) != len(_BOUNDS):
        return found
    for index, (start, end) in enumerate(spans):
        low, high = _BOUNDS[index]
        offset = start
        for item in expr[start:end].split(","):
            _, slash, step = item.partition("/")
            if slash and step.isdigit() and int(step) > high - low:
                at = offset + len(item) - len(step)
                found.append(
                    (
                        at,
                        at + len(step),
                        f"the step /{step} is larger than the {FIELD_NAMES[index]} field's "
                        f"range ({low}-{high}), so '{item}' fires once per "
                        f"{_CYCLE[index]}, not every {step} {_UNIT[index]}",
                    )
                )
            offset += len(item) + 1
    return found


_CYCLE = ("hour", "day", "month", "year", "week")
_UNIT = ("minutes", "hours", "days", "months", "days of the week")


def describe_cron(expr: str) -> str:
    """What the cron means in plain words (via cron-descriptor), or why it is invalid."""
    parsed = parse_cron(expr)
    if not parsed.ok:
        return parsed.message
    from cron_descriptor import Options, get_description  # noqa: PLC0415 (26 ms import)

    stripped = expr.strip()
    five = ALIASES.get(stripped.lower(), stripped)
    options = Options()
    options.use_24hour_time_format = True
    try:
        return str(get_description(five, options))
    except Exception as exc:  # cron-descriptor rejects a few forms it cannot put into words
        return f"cron '{expr}' ({type(exc).__name__})"


def next_fire_times(
    expr: str, timezone: str, count: int = 5, after: datetime | None = None
) -> list[datetime]:
    """The next ``count`` firing times after ``after`` (default: now), aware, in ``timezone``.

    Empty when the expression or the timezone is invalid.
    """
    parsed = parse_cron(expr)
    if not parsed.ok or not is_valid_timezone(timezone):
        return []
    from croniter import croniter  # noqa: PLC0415 (30 ms import, not on the analysis path)

    zone = ZoneInfo(timezone)
    start = (after or datetime.now(zone)).astimezone(zone)
    five = ALIASES.get(expr.strip().lower(), expr.strip())
    iterator = croniter(five, start)
    return [iterator.get_next(datetime).astimezone(zone) for _ in range(max(count, 0))]


def cron_period(expr: str) -> timedelta:
    """The smallest gap between two consecutive ticks (wall clock); zero when invalid."""
    parsed = parse_cron(expr)
    if parsed.schedule is None:
        return timedelta(0)
    return schedule_period(parsed.schedule)


def schedule_period(schedule: CronSchedule) -> timedelta:
    """The smallest gap between two consecutive ticks of an expanded cron."""
    if len(schedule.minutes) > 1:
        minutes = schedule.minutes
        return timedelta(minutes=min(b - a for a, b in itertools.pairwise(minutes)))
    if len(schedule.hours) > 1:
        hours = schedule.hours
        return timedelta(hours=min(b - a for a, b in itertools.pairwise(hours)))
    smallest: timedelta | None = None
    previous: datetime | None = None
    for index, tick in enumerate(schedule.ticks(datetime(2024, 1, 1))):
        if previous is not None:
            gap = tick - previous
            smallest = gap if smallest is None else min(smallest, gap)
        if index > 400 or tick.year > 2034 or smallest == timedelta(days=1):
            break
        previous = tick
    return smallest or timedelta(0)
