"""Partition keys: the key format of a time window, whether a key exists in a partition
definition, how two keys compare, and the keys of a range.

Keys follow Dagster: a time-window key is the start of its window formatted with ``fmt``
(default '%Y-%m-%d' when the cron fires at most once a day, else '%Y-%m-%d-%H:%M'); the
first window starts at the first cron tick at or after ``start``; ``end`` is exclusive. A
multi-partition key joins the dimensions' keys with '|' in the order of the dimension names.
Dynamic partition keys are only known at run time: nothing about them is checked.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from datetime import datetime

from floe_core.cron import CronSchedule, parse_cron
from floe_core.models import DynamicPartition, MultiPartition, StaticPartition, TimeWindowPartition
from floe_core.suggestions import did_you_mean

DAY_FORMAT = "%Y-%m-%d"
MINUTE_FORMAT = "%Y-%m-%d-%H:%M"
MULTI_DELIMITER = "|"
MAX_ENUMERATED = 100_000

AnyPartition = TimeWindowPartition | StaticPartition | MultiPartition | DynamicPartition


def key_format(p: TimeWindowPartition) -> str:
    """The strftime format of the partition's keys: ``fmt``, or Dagster's default for the cron."""
    if p.fmt:
        return p.fmt
    schedule = parse_cron(p.cron_schedule).schedule
    if schedule is not None and schedule.ticks_per_day > 1:
        return MINUTE_FORMAT
    return DAY_FORMAT


@functools.lru_cache(maxsize=4096)
def parse_key(text: str, fmt: str) -> datetime | None:
    """The datetime a key written in ``fmt`` denotes, if it is exactly in that format
    (memoized: the same keys are checked on every analysis)."""
    try:
        parsed = read_time(text, fmt)
    except (ValueError, TypeError):
        return None
    return parsed if parsed.strftime(fmt) == text else None


_WIDTHS = {"%Y": 4, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2}


def read_time(text: str, fmt: str) -> datetime:
    """``datetime.strptime(text, fmt)``, reading the usual key formats itself.

    A format made only of ``%Y %m %d %H %M %S`` and literal text is read field by field,
    each field as many digits as ``strftime`` writes. Anything else goes to ``strptime``,
    whose first use costs about as much as validating a small file (it imports
    ``_strptime`` and builds its locale tables). Raises ValueError as ``strptime`` does,
    also for a directive that appears twice.
    """
    tokens = _numeric_tokens(fmt)
    if tokens is None:
        try:
            return datetime.strptime(text, fmt)
        except re.error as exc:
            raise ValueError(str(exc)) from None
    values = {"%Y": 1900, "%m": 1, "%d": 1, "%H": 0, "%M": 0, "%S": 0}
    at = 0
    for token in tokens:
        width = _WIDTHS.get(token)
        if width is None:
            if not text.startswith(token, at):
                raise ValueError(f"time data {text!r} does not match format {fmt!r}")
            at += len(token)
            continue
        digits = text[at : at + width]
        if len(digits) != width or not (digits.isascii() and digits.isdigit()):
            raise ValueError(f"time data {text!r} does not match format {fmt!r}")
        values[token] = int(digits)
        at += width
    if at != len(text):
        raise ValueError(f"unconverted data remains: {text[at:]}")
    return datetime(
        values["%Y"], values["%m"], values["%d"], values["%H"], values["%M"], values["%S"]
    )


@functools.lru_cache(maxsize=256)
def _numeric_tokens(fmt: str) -> tuple[str, ...] | None:
    """``fmt`` split into numeric directives and literal text, or None when it holds any
    other directive (or ``%%``). Raises ValueError for a directive that appears twice."""
    tokens: list[str] = []
    for index, piece in enumerate(fmt.split("%")):
        if index == 0:
            literal = piece
        else:
            directive = "%" + piece[:1]
            if directive not in _WIDTHS:
                return None
            if directive in tokens:
                raise ValueError(f"the directive {directive} appears twice")
            tokens.append(directive)
            literal = piece[1:]
        if literal:
            tokens.append(literal)
    return tuple(tokens)


def parse_boundary(p: TimeWindowPartition, text: str) -> datetime | None:
    """A ``start``/``end`` value: in the key format, or as YYYY-MM-DD."""
    return parse_key(text, key_format(p)) or parse_key(text, DAY_FORMAT)


def first_key(p: TimeWindowPartition) -> str | None:
    """The key of the first partition (the first cron tick at or after ``start``)."""
    return _first_key(p.cron_schedule, key_format(p), p.start)


@functools.lru_cache(maxsize=1024)
def _first_key(cron: str, fmt: str, start: str) -> str | None:
    moment = parse_key(start, fmt) or parse_key(start, DAY_FORMAT)
    schedule = parse_cron(cron).schedule
    if moment is None or schedule is None:
        return None
    tick = next(schedule.ticks(moment), None)
    return tick.strftime(fmt) if tick is not None else None


def validate_key(p: AnyPartition, key: str) -> str | None:
    """Why ``key`` is not a partition key of ``p``, or None when it is (or is unknowable)."""
    if isinstance(p, StaticPartition):
        if key in p.partition_keys:
            return None
        return (
            f"'{key}' is not one of the static partition keys{did_you_mean(key, p.partition_keys)}"
        )
    if isinstance(p, TimeWindowPartition):
        return _validate_time_key(p, key)
    if isinstance(p, MultiPartition):
        return _validate_multi_key(p, key)
    return None


def _validate_time_key(p: TimeWindowPartition, key: str) -> str | None:
    return _time_key_problem(p.cron_schedule, key_format(p), p.start, p.end, key)


@functools.lru_cache(maxsize=4096)
def _time_key_problem(cron: str, fmt: str, start: str, end: str | None, key: str) -> str | None:
    """Why ``key`` is not a key of the time window (cron, fmt, start, end), memoized: the
    same keys of the same partitions are checked on every analysis."""
    schedule = parse_cron(cron).schedule
    example = datetime(2024, 1, 31, 6, 30).strftime(fmt)
    moment = parse_key(key, fmt)
    if moment is None:
        return f"'{key}' is not a partition key in the format '{fmt}' (e.g. '{example}')"
    if schedule is None:
        return None
    tick = next(schedule.ticks(moment), None)
    if tick is None or tick.strftime(fmt) != key:
        following = f"; the next partition key is '{tick.strftime(fmt)}'" if tick else ""
        return f"'{key}' is not the start of a partition cut by cron '{cron}'{following}"
    first = _first_key(cron, fmt, start)
    first_moment = parse_key(first, fmt) if first else None
    if first_moment is not None and moment < first_moment:
        return f"'{key}' is before the first partition '{first}' (start: '{start}')"
    boundary = (parse_key(end, fmt) or parse_key(end, DAY_FORMAT)) if end else None
    if boundary is not None and moment >= boundary:
        return f"'{key}' is not before the partition's end '{end}' (the end is excluded)"
    return None


def _validate_multi_key(p: MultiPartition, key: str) -> str | None:
    names = sorted(p.partitions)
    parts = key.split(MULTI_DELIMITER)
    if len(parts) != len(names):
        shape = MULTI_DELIMITER.join(f"<{name}>" for name in names)
        return (
            f"'{key}' is not a multi-partition key: write one key per dimension, joined by "
            f"'|' in the order of the dimension names: '{shape}'"
        )
    for name, part in zip(names, parts, strict=True):
        problem = validate_key(p.partitions[name], part)
        if problem is not None:
            return f"dimension '{name}': {problem}"
    return None


def compare_keys(p: AnyPartition, a: str, b: str) -> int:
    """-1, 0 or 1 as key ``a`` comes before, with or after ``b`` in the partition's order.

    Keys that are not valid keys of ``p`` (and dynamic keys) compare as text.
    """
    if isinstance(p, StaticPartition) and a in p.partition_keys and b in p.partition_keys:
        return _sign(p.partition_keys.index(a) - p.partition_keys.index(b))
    if isinstance(p, TimeWindowPartition):
        fmt = key_format(p)
        first, second = parse_key(a, fmt), parse_key(b, fmt)
        if first is not None and second is not None:
            return (first > second) - (first < second)
    if isinstance(p, MultiPartition):
        names = sorted(p.partitions)
        parts_a, parts_b = a.split(MULTI_DELIMITER), b.split(MULTI_DELIMITER)
        if len(parts_a) == len(parts_b) == len(names):
            for name, left, right in zip(names, parts_a, parts_b, strict=True):
                order = compare_keys(p.partitions[name], left, right)
                if order:
                    return order
            return 0
    return (a > b) - (a < b)


def _sign(number: int) -> int:
    return (number > 0) - (number < 0)


def keys_between(p: AnyPartition, start: str, end: str, limit: int) -> list[str]:
    """The keys from ``start`` to ``end`` (both included, in order), at most ``limit`` of them.

    Empty when either key is invalid or the keys cannot be known (dynamic partitions).
    """
    if limit <= 0 or validate_key(p, start) is not None or validate_key(p, end) is not None:
        return []
    if isinstance(p, StaticPartition):
        first, last = p.partition_keys.index(start), p.partition_keys.index(end)
        return list(p.partition_keys[first : last + 1][:limit])
    if isinstance(p, TimeWindowPartition):
        schedule = parse_cron(p.cron_schedule).schedule
        fmt = key_format(p)
        begin, stop = parse_key(start, fmt), parse_key(end, fmt)
        if schedule is None or begin is None or stop is None:
            return []
        keys: list[str] = []
        for tick in schedule.ticks(begin):
            key = tick.strftime(fmt)
            moment = parse_key(key, fmt)
            if moment is None or moment > stop or len(keys) >= limit:
                break
            keys.append(key)
        return keys
    if isinstance(p, MultiPartition):
        return _multi_between(p, start, end, limit)
    return []


def _multi_between(p: MultiPartition, start: str, end: str, limit: int) -> list[str]:
    names = sorted(p.partitions)
    dimension_keys = [_all_keys(p.partitions[name]) for name in names]
    if any(keys is None for keys in dimension_keys):
        return []
    found: list[str] = []
    inside = False
    for combination in itertools.product(*(keys or [] for keys in dimension_keys)):
        key = MULTI_DELIMITER.join(combination)
        inside = inside or key == start
        if inside:
            found.append(key)
            if key == end or len(found) >= limit:
                break
    return found


def _all_keys(p: AnyPartition) -> list[str] | None:
    if isinstance(p, StaticPartition):
        return list(p.partition_keys)
    if isinstance(p, TimeWindowPartition):
        return list(itertools.islice(_time_keys(p), MAX_ENUMERATED))
    return None


def _time_keys(p: TimeWindowPartition) -> Iterator[str]:
    schedule: CronSchedule | None = parse_cron(p.cron_schedule).schedule
    start = parse_boundary(p, p.start)
    if schedule is None or start is None:
        return
    fmt = key_format(p)
    end = parse_boundary(p, p.end) if p.end else None
    now = datetime.now()
    for tick in schedule.ticks(start):
        if (end is not None and tick >= end) or tick > now:
            return
        yield tick.strftime(fmt)
