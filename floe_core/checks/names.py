"""Names of jobs, schedules, sensors, backfills and partitions: each must be a valid Dagster
name (letters, digits and underscores), and no schedule may share its name with a sensor
(Dagster keeps both in one namespace)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Fix, Severity, TextEdit
from floe_core.symbols import SymbolKind

VALID_NAME = re.compile(r"[A-Za-z0-9_]+\Z")
_INVALID_RUN = re.compile(r"[^A-Za-z0-9_]+")
_NAMED = (
    SymbolKind.PARTITION,
    SymbolKind.JOB,
    SymbolKind.SCHEDULE,
    SymbolKind.SENSOR,
    SymbolKind.BACKFILL,
)


def dagster_name(name: str) -> str:
    """``name`` with every run of characters Dagster refuses replaced by one underscore."""
    return _INVALID_RUN.sub("_", name.strip()).strip("_")


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Report invalid names and schedule/sensor name clashes."""
    for kind in _NAMED:
        for name, definition in ctx.symbols.defined(kind).items():
            if VALID_NAME.match(name):
                continue
            fixed = dagster_name(name)
            fixes: tuple[Fix, ...] = ()
            if fixed and fixed not in ctx.symbols.defined(kind):
                edits = [TextEdit(definition.range, fixed)]
                edits.extend(
                    TextEdit(ref.range, fixed) for ref in ctx.symbols.references_to(kind, name)
                )
                fixes = (Fix(f"Rename to '{fixed}' (and every reference)", tuple(edits)),)
            suggestion = f"; e.g. '{fixed}'" if fixed else ""
            yield Diagnostic(
                definition.range,
                Severity.ERROR,
                "invalid-name",
                f"{kind.value} name '{name}' is not a valid Dagster name: use only letters, "
                f"digits and underscores{suggestion}",
                fixes,
            )
    schedules = ctx.symbols.defined(SymbolKind.SCHEDULE)
    for name, sensor in ctx.symbols.defined(SymbolKind.SENSOR).items():
        schedule = schedules.get(name)
        if schedule is None:
            continue
        renamed = f"{name}_sensor"
        yield Diagnostic(
            sensor.range,
            Severity.ERROR,
            "schedule-sensor-name-clash",
            f"sensor '{name}' has the same name as the schedule on line "
            f"{schedule.range.start.line + 1}: Dagster requires names unique across schedules "
            f"and sensors; rename one of them (e.g. '{renamed}')",
            (Fix(f"Rename the sensor to '{renamed}'", (TextEdit(sensor.range, renamed),)),),
        )
