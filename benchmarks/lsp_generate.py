"""Generates the language-server benchmark's floe.yaml: 500 batch jobs and 500 schedules
(5,500 lines), every job selecting a dbt model of the given manifest, every schedule
running a job on a cron, so that every reference, cron and selection is checked. The file
is valid: the benchmark's edits introduce the mistakes.

Run directly to write it: ``python benchmarks/lsp_generate.py OUT.yaml [--manifest PATH]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

CRONS = ("0 6 * * *", "30 2 * * 1", "0 * * * *", "15 4 1 * *", "*/15 * * * *")
TIMEZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo")


def job_name(index: int) -> str:
    """The name of the generated job number ``index``."""
    return f"job_{index:04d}"


def schedule_name(index: int) -> str:
    """The name of the generated schedule number ``index``."""
    return f"schedule_{index:04d}"


def model_names(manifest: Path) -> list[str]:
    """The names of the dbt models in ``manifest`` that become assets (not ephemeral), sorted."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return sorted(
        node["name"]
        for node in data["nodes"].values()
        if node["resource_type"] == "model"
        and node.get("config", {}).get("materialized") != "ephemeral"
    )


def generate(
    models: Sequence[str], manifest_path: str | None, jobs: int = 500, schedules: int = 500
) -> str:
    """The floe.yaml text: 6 lines per job and 5 per schedule after a short header."""
    names = list(models) or [f"model_{i:04d}" for i in range(jobs)]
    lines = ["name: lsp_benchmark", "orchestration:"]
    if manifest_path is not None:
        lines += ["  dbt:", f"    manifest_path: {manifest_path}"]
    lines.append("  jobs:")
    for index in range(jobs):
        model = names[index % len(names)]
        lines += [
            f"    {job_name(index)}:",
            "      type: batch",
            "      selection:",
            f'        - "+{model}"',
            f'      description: "Refreshes {model} and everything upstream of it."',
            "      tags: {team: analytics, tier: gold}",
        ]
    lines.append("  schedules:")
    for index in range(schedules):
        lines += [
            f"    {schedule_name(index)}:",
            f"      job: {job_name(index % jobs)}",
            f'      cron_schedule: "{CRONS[index % len(CRONS)]}"',
            f"      timezone: {TIMEZONES[index % len(TIMEZONES)]}",
            "      enabled: true",
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the generated floe.yaml to the path given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--manifest", type=Path, help="a dbt manifest.json to take models from")
    args = parser.parse_args(argv)
    models = model_names(args.manifest) if args.manifest else []
    manifest = str(args.manifest.resolve()) if args.manifest else None
    args.output.write_text(generate(models, manifest), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
