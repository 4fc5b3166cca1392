"""The example configs under examples/: valid under every check (no diagnostic at all), and
together they exercise every entity and variant of the language."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_cli.main import main
from floe_core import Analysis, AnalysisContext, analyze
from floe_core.models import BackfillPolicyConfig

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted({*REPO.glob("examples/**/floe.yaml"), *REPO.glob("examples/**/*.floe.yaml")})


def _analysis(path: Path) -> Analysis:
    return analyze(path.read_text(encoding="utf-8"), AnalysisContext(path=path, env={}))


@pytest.mark.parametrize("path", [pytest.param(p, id=str(p.relative_to(REPO))) for p in EXAMPLES])
def test_example_has_no_diagnostics(path):
    analysis = _analysis(path)
    found = [f"{d.range.start.line + 1}: {d.code}: {d.message}" for d in analysis.diagnostics]
    assert found == []
    assert analysis.spec is not None


def test_floe_validate_accepts_every_example(capsys):
    assert main(["validate", *(str(p) for p in EXAMPLES)]) == 0
    assert capsys.readouterr().out.endswith("no problems.\n")


def test_examples_cover_the_whole_language():
    covered: set[str] = set()
    for path in EXAMPLES:
        spec = _analysis(path).spec
        assert spec is not None
        covered.update(name for name in type(spec).model_fields if getattr(spec, name))
        orchestration = spec.orchestration
        if orchestration is None:
            continue
        covered.update(f"partition:{p.type}" for p in orchestration.partitions.values())
        covered.update(f"job:{j.type}" for j in orchestration.jobs.values())
        covered.update(f"sensor:{s.type}" for s in orchestration.sensors.values())
        for config in orchestration.assets.values():
            if config.automation_condition:
                covered.add(f"automation:{config.automation_condition}")
            if isinstance(config.backfill_policy, BackfillPolicyConfig):
                covered.add("backfill_policy:object")
            elif config.backfill_policy:
                covered.add(f"backfill_policy:{config.backfill_policy}")
        covered.update(f"pattern:{c}" for key in orchestration.assets for c in "*?[{" if c in key)
        for schedule in orchestration.schedules.values():
            if schedule.partition_selector:
                covered.add(f"partition_selector:{schedule.partition_selector}")
            if schedule.timezone != "UTC":
                covered.add("schedule:timezone")
        covered.update(
            f"selection:{prefix}"
            for job in orchestration.jobs.values()
            for item in getattr(job, "selection", [])
            for prefix in ("group:", "tag:", "asset:", "key:", " or ", "+", " and not ")
            if prefix in item
        )
        if orchestration.backfills:
            covered.add("backfills")
        if orchestration.dbt is not None:
            covered.add("dbt")
        if orchestration.asset_modules:
            covered.add("asset_modules")
    text = "\n".join(p.read_text(encoding="utf-8") for p in EXAMPLES)
    if 'enabled: "${' in text:
        covered.add("enabled:${VAR:default}")
    expected = {
        *("name", "version", "storage", "catalog", "compute", "transforms", "consumption"),
        *("governance", "observability", "orchestration", "service_account", "principal_role"),
        *(f"partition:{t}" for t in ("time_window", "static", "multi", "dynamic")),
        "job:batch",
        "job:ops",
        *(f"sensor:{t}" for t in ("file_watcher", "asset_sensor", "run_status", "custom")),
        *(f"automation:{a}" for a in ("eager", "on_cron", "on_missing")),
        *("backfill_policy:single_run", "backfill_policy:multi_run", "backfill_policy:object"),
        *("pattern:*", "pattern:[", "pattern:{"),
        *("partition_selector:latest", "partition_selector:all", "schedule:timezone"),
        *(f"selection:{p}" for p in ("group:", "tag:", "asset:", "key:", " or ", "+", " and not ")),
        *("backfills", "dbt", "asset_modules", "enabled:${VAR:default}"),
    }
    assert expected - covered == set()
