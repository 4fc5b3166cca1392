"""A Python-only floe project through the runtime: jobs and selections, ops jobs, schedules,
sensors (evaluated with Dagster's test contexts on real instances) and backfills (real
in-process runs)."""

import json
import math
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from floe_core import FloeConfigError
from floe_runtime import load_definitions
from floe_runtime.backfill import BackfillError, run_backfill

pytestmark = pytest.mark.slow


@pytest.fixture
def defs(mini_project: Path, mini_env: dict[str, str]) -> dg.Definitions:
    return load_definitions(mini_project, env=mini_env, platform=None)


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


def _keys(defs: dg.Definitions, job_name: str) -> set[str]:
    job = defs.resolve_job_def(job_name)
    return {k.to_user_string() for k in job.asset_layer.selected_asset_keys}


def test_assets_carry_the_pattern_settings(defs):
    graph = defs.get_repository_def().asset_graph
    raw = graph.get(dg.AssetKey("raw_events"))
    assert isinstance(raw.partitions_def, dg.TimeWindowPartitionsDefinition)
    assert raw.partitions_def.cron_schedule == "0 0 * * *"
    assert raw.backfill_policy == dg.BackfillPolicy.single_run()
    assert graph.get(dg.AssetKey("report")).automation_condition is not None
    assert graph.get(dg.AssetKey("boom")).partitions_def is None


def test_batch_jobs_select_and_carry_partitions(defs):
    assert _keys(defs, "raw_job") == {"raw_events", "raw_users"}
    assert _keys(defs, "report_job") == {"report"}
    assert defs.resolve_job_def("raw_job").partitions_def is not None
    assert defs.resolve_job_def("report_job").partitions_def is None


SELECTIONS = {
    "group": ("group:raw", {"raw_events", "raw_users"}),
    "glob": ("raw_*", {"raw_events", "raw_users"}),
    "braces": ("{report,boom}", {"report", "boom"}),
    "upstream": ("+report", {"report", "raw_events", "raw_users"}),
    "downstream": ("raw_events+", {"raw_events", "report"}),
    "upstream_depth": ("1+report", {"report", "raw_events", "raw_users"}),
    "tag_key": ("tag:layer", {"raw_events", "report"}),
    "tag_value": ("tag:layer=mart", {"report"}),
    "and_not": ("group:mart and not boom", {"report"}),
    "parens": ("(group:raw or boom) and not raw_users", {"raw_events", "boom"}),
    "key": ("key:raw_users", {"raw_users"}),
}


@pytest.fixture(scope="module")
def selection_defs(tmp_path_factory, mini_project_writer) -> dg.Definitions:
    """The mini project with one job per selection case, loaded once."""
    jobs = "".join(
        f"    sel_{case}: {{type: batch, selection: [{json.dumps(text)}]}}\n"
        for case, (text, _) in SELECTIONS.items()
    )
    root = tmp_path_factory.mktemp("selections")
    config = mini_project_writer(root, jobs)
    return load_definitions(config, env={"OUT_DIR": str(root / "out")}, platform=None)


@pytest.mark.parametrize("case", list(SELECTIONS))
def test_selections_translate_to_asset_selections(selection_defs, case):
    assert _keys(selection_defs, f"sel_{case}") == SELECTIONS[case][1]


def test_ops_job_calls_the_function_with_typed_args(defs, mini_env, instance):
    result = defs.resolve_job_def("alert").execute_in_process(instance=instance)
    assert result.success
    record = json.loads((Path(mini_env["OUT_DIR"]) / "alert.json").read_text())
    assert record["level"] == 3
    assert record["level_type"] == "int"


def test_schedule_latest_targets_the_last_complete_partition(defs, instance):
    schedule = defs.get_schedule_def("nightly")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    context = dg.build_schedule_context(
        instance=instance,
        scheduled_execution_time=datetime(2024, 1, 10, 6, 0),
        repository_def=defs.get_repository_def(),
    )
    requests = list(schedule.evaluate_tick(context).run_requests or [])
    assert [r.partition_key for r in requests] == ["2024-01-09"]


def test_schedule_all_and_enabled_from_the_environment(mini_project, mini_env, instance):
    stopped = load_definitions(mini_project, env=mini_env, platform=None)
    assert (
        stopped.get_schedule_def("nightly_all").default_status == dg.DefaultScheduleStatus.STOPPED
    )
    running = load_definitions(mini_project, env={**mini_env, "ENABLE_ALL": "true"}, platform=None)
    schedule = running.get_schedule_def("nightly_all")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    context = dg.build_schedule_context(
        instance=instance,
        scheduled_execution_time=datetime(2024, 1, 5, 7, 0),
        repository_def=running.get_repository_def(),
    )
    keys = [r.partition_key for r in schedule.evaluate_tick(context).run_requests or []]
    assert keys == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]


def test_schedule_timezone(defs):
    schedule = defs.get_schedule_def("hourly_report")
    assert schedule.execution_timezone == "Europe/Berlin"
    assert schedule.cron_schedule == "0 * * * *"


def test_file_sensor_triggers_once_per_file(defs, mini_project, instance):
    sensor = defs.get_sensor_def("landing")
    repository = defs.get_repository_def()
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    landing = mini_project.parent / "landing"
    first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
    assert not first.run_requests
    (landing / "a.csv").write_text("x")
    (landing / "ignored.txt").write_text("x")
    second = sensor.evaluate_tick(
        dg.build_sensor_context(instance=instance, repository_def=repository)
    )
    assert [r.tags["floe/file"] for r in second.run_requests] == [str(landing / "a.csv")]
    assert second.run_requests[0].partition_key == "2024-01-31"
    third = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=second.cursor))
    assert not third.run_requests
    (landing / "b.json").write_text("x")
    fourth = sensor.evaluate_tick(
        dg.build_sensor_context(
            instance=instance, cursor=third.cursor or second.cursor, repository_def=repository
        )
    )
    assert [Path(r.tags["floe/file"]).name for r in fourth.run_requests] == ["b.json"]


def test_asset_sensor_triggers_on_a_new_materialization(defs, instance):
    sensor = defs.get_sensor_def("raw_done")
    before = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
    assert not before.run_requests
    raw_job = defs.resolve_job_def("raw_job")
    assert raw_job.execute_in_process(instance=instance, partition_key="2024-01-02").success
    after = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
    assert len(after.run_requests) == 1
    again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=after.cursor))
    assert not again.run_requests


def test_a_failing_run_triggers_the_run_status_sensor(defs, instance):
    result = defs.resolve_job_def("boom_job").execute_in_process(
        instance=instance, raise_on_error=False
    )
    assert not result.success
    failure = instance.get_records_for_run(
        result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE
    ).records[0]
    context = dg.build_run_status_sensor_context(
        sensor_name="on_boom",
        dagster_event=failure.event_log_entry.dagster_event,
        dagster_instance=instance,
        dagster_run=instance.get_run_by_id(result.run_id),
    )
    request = defs.get_sensor_def("on_boom")(context)
    assert request.tags["floe/trigger_run_id"] == result.run_id
    assert request.tags["floe/trigger_job"] == "boom_job"


def test_custom_sensor_runs_when_its_function_says_so(defs, mini_env, instance):
    sensor = defs.get_sensor_def("flag")
    assert sensor.minimum_interval_seconds == 5
    skipped = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
    assert not skipped.run_requests
    assert "returned False" in (skipped.skip_message or "")
    (Path(mini_env["OUT_DIR"]) / "flag").write_text("go")
    fired = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
    assert len(fired.run_requests) == 1


def test_automation_sensor_runs_by_default(defs):
    sensor = defs.get_sensor_def("floe_automation")
    assert isinstance(sensor, dg.AutomationConditionSensorDefinition)
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


@pytest.mark.parametrize("batch_size", [3, 4, 10])
def test_backfill_runs_ceil_n_over_batch_size_ranged_runs(
    mini_project, mini_env, instance, batch_size
):
    mini_project.write_text(
        mini_project.read_text().replace("batch_size: 4", f"batch_size: {batch_size}")
    )
    progress = run_backfill(
        "january",
        config=mini_project,
        env=mini_env,
        platform=None,
        in_process=True,
        instance=instance,
    )
    assert progress.succeeded
    assert len(progress.run_ids) == math.ceil(10 / batch_size)
    runs = instance.get_runs(dg.RunsFilter(tags={"floe/backfill": "january"}))
    assert len(runs) == math.ceil(10 / batch_size)
    starts = sorted(r.tags["dagster/asset_partition_range_start"] for r in runs)
    assert starts[0] == "2024-01-01"
    assert len(instance.get_materialized_partitions(dg.AssetKey("raw_events"))) == 10


def test_backfill_unknown_name_suggests_the_right_one(mini_project, mini_env):
    with pytest.raises(BackfillError, match=r"januray.*january"):
        run_backfill("januray", config=mini_project, env=mini_env, platform=None, in_process=True)


def test_an_invalid_config_raises_one_error_listing_every_problem(mini_project, mini_env):
    text = mini_project.read_text()
    text = text.replace("job: report_job, cron_schedule", "job: report_jobb, cron_schedule")
    text = text.replace("watched_jobs: [boom_job]", "watched_jobs: [bom_job]")
    mini_project.write_text(text)
    with pytest.raises(FloeConfigError) as caught:
        load_definitions(mini_project, env=mini_env, platform=None)
    assert len(caught.value.diagnostics) >= 2
    assert f"{mini_project}:" in str(caught.value)


def test_a_module_that_fails_to_import_points_at_its_config_line(mini_project, mini_env):
    assets = mini_project.parent / "pipeline" / "assets.py"
    assets.write_text(assets.read_text() + "\n\nraise ValueError('broken module')\n")
    with pytest.raises(FloeConfigError) as caught:
        load_definitions(mini_project, env=mini_env, platform=None)
    message = str(caught.value)
    line = next(
        i
        for i, text in enumerate(mini_project.read_text().splitlines(), 1)
        if "asset_modules" in text
    )
    assert f"{mini_project}:{line}:" in message
    assert "broken module" in message
    assert f"{assets}:" in message
