"""Templates for new entities (a job, schedule, sensor, partition, backfill, multi-partition
dimension), in LSP snippet syntax, with a plain-text rendering for clients without snippets.

A template is written for an entity whose name starts at column 0; ``render`` indents every
following line to the column the name is typed at (the item is inserted as-is).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TABSTOP = re.compile(r"\$\{\d+:([^}]*)\}|\$\{\d+\|([^,|}]*)[^}]*\}|\$\d+")
_CHOICE = "{choice}"
_FIRST = re.compile(r"\$\{1:[^}]*\}")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True, slots=True)
class Template:
    """One entity template: its label, a one-line description, and the snippet body."""

    label: str
    detail: str
    body: str

    def render(
        self, column: int, *, snippet: bool, choices: Sequence[str] = (), name: str | None = None
    ) -> str:
        """The text to insert at ``column``: a snippet, or plain text with the defaults.

        ``choices`` are the job names offered for ``job:``; ``name`` (what the user typed)
        replaces the default entity name.
        """
        body = self.body
        if name and _SAFE_NAME.match(name):
            body = _FIRST.sub("${1:" + name + "}", body, count=1)
        if _CHOICE in body:
            body = body.replace(_CHOICE, _choice(choices) if snippet else _first(choices))
        if not snippet:
            body = _TABSTOP.sub(lambda m: m.group(1) or m.group(2) or "", body)
        indent = " " * column
        return "\n".join(
            line if number == 0 or not line else indent + line
            for number, line in enumerate(body.split("\n"))
        )


def _choice(choices: Sequence[str]) -> str:
    """``${2|a,b|}`` when there are choices, else a placeholder to type over."""
    safe = [c for c in choices if c and not set(c) & set(",|$}\\")]
    if safe:
        return "${2|" + ",".join(safe[:20]) + "|}"
    return "${2:job_name}"


def _first(choices: Sequence[str]) -> str:
    return choices[0] if choices else "job_name"


_JOB_LINE = "job: " + _CHOICE

TEMPLATES: dict[str, tuple[Template, ...]] = {
    "jobs": (
        Template(
            "new batch job",
            "a job that materializes selected assets",
            '${1:job_name}:\n  type: batch\n  selection:\n    - "${2:group:bronze}"\n'
            '  description: "${3:What this job refreshes}"$0',
        ),
        Template(
            "new ops job",
            "a job that calls a Python function",
            "${1:job_name}:\n  type: ops\n  target_function: ${2:package.module.function}\n"
            "  args: {}$0",
        ),
    ),
    "schedules": (
        Template(
            "new schedule",
            "run a job on a cron",
            "${1:schedule_name}:\n  " + _JOB_LINE + '\n  cron_schedule: "${3:0 6 * * *}"\n'
            "  timezone: ${4:UTC}$0",
        ),
    ),
    "sensors": (
        Template(
            "new file_watcher sensor",
            "run a job for each new file in a local folder",
            "${1:sensor_name}:\n  type: file_watcher\n  "
            + _JOB_LINE
            + '\n  path: "${3:./incoming/}"\n'
            '  pattern: "${4:*.csv}"$0',
        ),
        Template(
            "new asset_sensor sensor",
            "run a job when watched assets are materialized",
            "${1:sensor_name}:\n  type: asset_sensor\n  " + _JOB_LINE + "\n  watched_assets:\n"
            "    - ${3:asset_name}$0",
        ),
        Template(
            "new run_status sensor",
            "run a job when watched jobs reach a status",
            "${1:sensor_name}:\n  type: run_status\n  " + _JOB_LINE + "\n  watched_jobs:\n"
            "    - ${3:job_name}\n  status: ${4|FAILURE,SUCCESS,STARTED|}$0",
        ),
        Template(
            "new custom sensor",
            "run a job when a Python function says so",
            "${1:sensor_name}:\n  type: custom\n  " + _JOB_LINE + "\n"
            "  target_function: ${3:package.module.function}$0",
        ),
    ),
    "partitions": (
        Template(
            "new time_window partition",
            "one partition per time window",
            '${1:daily}:\n  type: time_window\n  start: "${2:2024-01-01}"\n'
            '  cron_schedule: "${3:0 0 * * *}"\n  timezone: ${4:UTC}$0',
        ),
        Template(
            "new static partition",
            "a fixed list of partition keys",
            "${1:regions}:\n  type: static\n  partition_keys: [${2:us, eu}]$0",
        ),
        Template(
            "new multi partition",
            "two partition dimensions combined",
            "${1:daily_regional}:\n  type: multi\n  partitions:\n    date:\n"
            '      type: time_window\n      start: "${2:2024-01-01}"\n'
            '      cron_schedule: "${3:0 0 * * *}"\n    region:\n      type: static\n'
            "      partition_keys: [${4:us, eu}]$0",
        ),
        Template(
            "new dynamic partition",
            "partition keys added at run time",
            "${1:customers}:\n  type: dynamic$0",
        ),
    ),
    "dimensions": (
        Template(
            "new time_window dimension",
            "a time-window dimension",
            '${1:date}:\n  type: time_window\n  start: "${2:2024-01-01}"\n'
            '  cron_schedule: "${3:0 0 * * *}"$0',
        ),
        Template(
            "new static dimension",
            "a static dimension",
            "${1:region}:\n  type: static\n  partition_keys: [${2:us, eu}]$0",
        ),
        Template(
            "new dynamic dimension",
            "a dynamic dimension",
            "${1:customer}:\n  type: dynamic$0",
        ),
    ),
    "backfills": (
        Template(
            "new backfill",
            "run a job's partition range in batches",
            "${1:backfill_name}:\n  " + _JOB_LINE + "\n  partition_range:\n"
            '    start: "${3:2024-01-01}"\n    end: "${4:2024-01-31}"\n  batch_size: ${5:10}$0',
        ),
    ),
}
"""Templates per entity section (``dimensions``: the two of a multi partition)."""
