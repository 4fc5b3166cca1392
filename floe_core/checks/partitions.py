"""Partition definitions beyond the schema.

time_window: cron and timezone; ``start``/``end`` in the key format (or YYYY-MM-DD), end after
start, start not in the future; ``fmt`` a strftime format that reads back and names the year;
a cron finer than the key format (two windows, one key) is an error with a finer ``fmt``.
static: keys non-empty, unique, free of what Dagster refuses ('...', control characters; and
'|', ',', '[', ']' inside a multi partition). multi: exactly two dimensions, at most one of
them a time window (a nested multi is already a schema error).
"""

from __future__ import annotations

import functools
from collections.abc import Generator, Iterator
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from floe_core.checks import CheckContext
from floe_core.cron import parse_cron
from floe_core.cron_diagnostics import cron_diagnostics
from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.models import TimeWindowPartition
from floe_core.partition_keys import (
    DAY_FORMAT,
    MINUTE_FORMAT,
    key_format,
    parse_boundary,
    read_time,
)
from floe_core.symbols import SymbolKind
from floe_core.timezones import is_valid_timezone, timezone_diagnostics
from floe_core.yaml_tree import MapEntry, MapNode, ScalarNode, SeqNode

INVALID_SUBSTRINGS = ("...", "\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0")
MULTI_INVALID_CHARACTERS = ("|", ",", "[", "]")
_SAMPLE = datetime(2024, 3, 5, 14, 37)
_GRANULARITY_TICKS = 400
_GRANULARITY_YEARS = 10


class _Where(NamedTuple):
    """The partition (or multi dimension) being checked and how to name it in messages."""

    owner: str
    in_multi: bool


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Diagnose every partition definition (and every dimension of multi partitions)."""
    for name, definition in ctx.symbols.defined(SymbolKind.PARTITION).items():
        body = definition.entry.value
        if not isinstance(body, MapNode):
            continue
        entity = ctx.entities.partitions.get(name)
        model = entity.model if entity is not None else None
        where = _Where(f"partition '{name}'", in_multi=False)
        kind = _string(body, "type")
        if kind is not None and kind.value == "multi":
            yield from _multi(name, body, model)
        else:
            yield from _single(where, body, model)


def _string(body: MapNode, key: str) -> ScalarNode | None:
    node = body.get(key)
    if isinstance(node, ScalarNode) and isinstance(node.value, str) and not node.unresolved:
        return node
    return None


def _single(where: _Where, body: MapNode, model: Any) -> Iterator[Diagnostic]:
    kind = _string(body, "type")
    if kind is None:
        return
    if kind.value == "time_window":
        yield from _time_window(where, body, model)
    elif kind.value == "static":
        yield from _static_keys(where, body)


def _multi(name: str, body: MapNode, model: Any) -> Iterator[Diagnostic]:
    entry = body.entry("partitions")
    if entry is None or not isinstance(entry.value, MapNode):
        return
    dimensions = list(entry.value.items())
    if len(dimensions) != 2:
        yield Diagnostic(
            entry.key.range,
            Severity.ERROR,
            "multi-partition-dimensions",
            f"multi partition '{name}' has {len(dimensions)} dimension"
            f"{'' if len(dimensions) == 1 else 's'}; Dagster's MultiPartitionsDefinition takes "
            "exactly two (e.g. a date and a region); use a single partition for one dimension",
        )
    time_windows: list[MapEntry] = []
    for dimension, dim_entry in dimensions:
        dim_body = dim_entry.value
        if not isinstance(dim_body, MapNode):
            continue
        dim_kind = _string(dim_body, "type")
        if dim_kind is not None and dim_kind.value == "time_window":
            time_windows.append(dim_entry)
        sub_model = getattr(model, "partitions", {}).get(dimension) if model else None
        where = _Where(f"partition '{name}', dimension '{dimension}'", in_multi=True)
        yield from _single(where, dim_body, sub_model)
    for extra in time_windows[1:]:
        yield Diagnostic(
            extra.key.range,
            Severity.ERROR,
            "multi-partition-time-windows",
            f"multi partition '{name}' has a second time-window dimension "
            f"'{extra.key.value}' (the first is '{time_windows[0].key.value}'): Dagster "
            "supports at most one, its time dimension drives backfills, automation and the "
            "UI's time axis; make the other dimension static or dynamic",
        )


def _time_window(where: _Where, body: MapNode, model: Any) -> Iterator[Diagnostic]:
    owner = where.owner
    cron = _string(body, "cron_schedule")
    cron_ok = False
    if cron is not None:
        problems = cron_diagnostics(cron, owner)
        cron_ok = not any(d.severity is Severity.ERROR for d in problems)
        yield from problems
    timezone = _string(body, "timezone")
    if timezone is not None:
        yield from timezone_diagnostics(timezone, owner)
    if not isinstance(model, TimeWindowPartition):
        return
    fmt_node = _string(body, "fmt")
    fmt_ok = True
    if fmt_node is not None:
        problem = _fmt_problem(fmt_node.value, where.in_multi)
        if problem is not None:
            fmt_ok = False
            yield Diagnostic(
                fmt_node.content_range,
                Severity.ERROR,
                "partition-fmt-invalid",
                f"{owner}: fmt '{fmt_node.value}' {problem}",
            )
    if not fmt_ok:
        return
    start = yield from _dates(owner, body, model)
    if fmt_node is not None and cron_ok and cron is not None:
        yield from _granularity(owner, model, fmt_node, start)


def _fmt_problem(fmt: str, in_multi: bool) -> str | None:
    if "%" not in fmt:
        return "has no strftime directive: every partition would get the same key; e.g. '%Y-%m-%d'"
    try:
        written = _SAMPLE.strftime(fmt)
        read = read_time(written, fmt)
    except ValueError as exc:
        return f"is not a strftime format that can be read back ({exc}); e.g. '{DAY_FORMAT}'"
    if read.year != _SAMPLE.year:
        return "has no year (%Y): keys would repeat every year; e.g. '%Y-%m-%d'"
    if any(bad in written for bad in INVALID_SUBSTRINGS):
        return "produces keys with '...' or control characters, which Dagster refuses"
    if in_multi and any(bad in written for bad in MULTI_INVALID_CHARACTERS):
        return "produces keys with '|', ',', '[' or ']', which a multi partition cannot hold"
    return None


def _dates(
    owner: str, body: MapNode, model: TimeWindowPartition
) -> Generator[Diagnostic, None, datetime | None]:
    fmt = key_format(model)
    start_node, end_node = _string(body, "start"), _string(body, "end")
    start = parse_boundary(model, model.start)
    if start_node is not None and start is None:
        yield _bad_date(owner, "start", start_node, fmt)
    elif start_node is not None and start is not None:
        now = _now(model.timezone)
        if start > now:
            yield Diagnostic(
                start_node.content_range,
                Severity.WARNING,
                "partition-start-future",
                f"{owner}: start '{model.start}' is in the future; there are no partitions "
                "to run (or backfill) until then",
            )
    if end_node is not None and model.end is not None:
        end = parse_boundary(model, model.end)
        if end is None:
            yield _bad_date(owner, "end", end_node, fmt)
        elif start is not None and end <= start:
            yield Diagnostic(
                end_node.content_range,
                Severity.ERROR,
                "partition-end-before-start",
                f"{owner}: end '{model.end}' is not after start '{model.start}', so there is "
                "no partition at all (the end is excluded)",
            )
    return start


def _now(timezone: str) -> datetime:
    zone = ZoneInfo(timezone) if is_valid_timezone(timezone) else ZoneInfo("UTC")
    return datetime.now(zone).replace(tzinfo=None)


def _bad_date(owner: str, field: str, node: ScalarNode, fmt: str) -> Diagnostic:
    example = _SAMPLE.replace(month=1, day=1, hour=0, minute=0).strftime(fmt)
    formats = f"'{fmt}'" if fmt == DAY_FORMAT else f"the key format '{fmt}' or YYYY-MM-DD"
    return Diagnostic(
        node.content_range,
        Severity.ERROR,
        "partition-date-invalid",
        f"{owner}: {field} '{node.value}' is not a date in {formats} (e.g. '{example}')",
    )


def _granularity(
    owner: str,
    model: TimeWindowPartition,
    fmt_node: ScalarNode,
    start: datetime | None,
) -> Iterator[Diagnostic]:
    if parse_cron(model.cron_schedule).schedule is None:
        return
    fmt: str = fmt_node.value
    clash = first_key_clash(model.cron_schedule, fmt, start or datetime(2024, 1, 1))
    if clash is None:
        return
    first, second, key, many_per_day = clash
    better = MINUTE_FORMAT if many_per_day else DAY_FORMAT
    yield Diagnostic(
        fmt_node.content_range,
        Severity.ERROR,
        "partition-fmt-too-coarse",
        f"{owner}: cron '{model.cron_schedule}' is finer than fmt '{fmt}': the windows "
        f"starting {first:%Y-%m-%d %H:%M} and {second:%Y-%m-%d %H:%M} would both "
        f"get the key '{key}' (Dagster silently keeps duplicate keys); use a fmt that "
        f"tells them apart, e.g. '{better}'",
        replace_fix(f"Change to '{better}'", fmt_node.content_range, better)
        if fmt_node.interpolation is None
        else (),
    )


@functools.lru_cache(maxsize=1024)
def first_key_clash(
    cron: str, fmt: str, origin: datetime
) -> tuple[datetime, datetime, str, bool] | None:
    """The first two consecutive windows of ``cron`` that ``fmt`` gives the same key, as
    (first start, second start, key, whether the cron fires several times a day); None when
    the first ticks all get distinct keys. Memoized: a pure function of its arguments that
    enumerates hundreds of ticks."""
    schedule = parse_cron(cron).schedule
    if schedule is None:
        return None
    previous: tuple[datetime, str] | None = None
    for count, tick in enumerate(schedule.ticks(origin)):
        if count >= _GRANULARITY_TICKS or tick.year - origin.year > _GRANULARITY_YEARS:
            return None
        key = tick.strftime(fmt)
        if previous is not None and previous[1] == key:
            return previous[0], tick, key, schedule.ticks_per_day > 1
        previous = (tick, key)
    return None


def _static_keys(where: _Where, body: MapNode) -> Iterator[Diagnostic]:
    keys = body.get("partition_keys")
    if not isinstance(keys, SeqNode):
        return
    seen: dict[str, ScalarNode] = {}
    for item in keys.items:
        if not isinstance(item, ScalarNode) or item.unresolved:
            continue
        value = item.value
        if isinstance(value, bool | dict | list):
            continue
        text = "" if value is None else str(value)
        problem = _key_problem(text, where.in_multi)
        if problem is not None:
            yield Diagnostic(
                item.content_range if text else item.range,
                Severity.ERROR,
                "partition-key-invalid",
                f"{where.owner}: {problem}",
            )
            continue
        first = seen.get(text)
        if first is not None:
            yield Diagnostic(
                item.content_range,
                Severity.ERROR,
                "partition-key-duplicate",
                f"{where.owner}: key '{text}' is listed twice (first on line "
                f"{first.start_line + 1}); Dagster requires unique partition keys: remove one",
            )
        else:
            seen[text] = item


def _key_problem(text: str, in_multi: bool) -> str | None:
    if not text.strip():
        return "a partition key must be a non-empty string"
    if text != text.strip():
        return f"key '{text}' has leading or trailing spaces, which make it hard to select"
    bad = [repr(part)[1:-1] for part in INVALID_SUBSTRINGS if part in text]
    if bad:
        return f"key {text!r} contains {', '.join(bad)}, which Dagster refuses in partition keys"
    if in_multi:
        chars = [c for c in MULTI_INVALID_CHARACTERS if c in text]
        if chars:
            return (
                f"key '{text}' contains {', '.join(repr(c) for c in chars)}: a multi partition "
                "joins its dimensions' keys with '|', so Dagster refuses '|', ',', '[' and ']' "
                "in them"
            )
    return None
