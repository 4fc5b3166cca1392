"""Schedules whose ``partition_selector`` is a user function (``module.function`` called
with ``partitions_def=`` and ``now=``), evaluated with Dagster's schedule test context on a
real instance: the run requests carry exactly the keys the function returned, an empty
answer skips the tick, and a function that raises or answers with keys that are not
partitions fails the tick with a message naming what went wrong."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from floe_core import FloeConfigError
from floe_runtime import load_definitions

pytestmark = pytest.mark.slow

SELECTORS = '''\
"""Partition selectors of the mini test project."""

from datetime import timedelta


def midweek(partitions_def, now):
    """Two fixed days, out of order."""
    return ["2024-01-05", "2024-01-03"]


def three_and_two_days_ago(partitions_def, now):
    """Keys worked out from the job's partitions and the tick's time."""
    return [
        partitions_def.get_partition_key_for_timestamp((now - timedelta(days=days)).timestamp())
        for days in (3, 2)
    ]


def nothing(partitions_def, now):
    """No partition to run."""
    return []


def broken(partitions_def, now):
    """A bug in the user's function."""
    raise ValueError("the holiday calendar is unreachable")


def outside(partitions_def, now):
    """Keys that are not partitions of the job."""
    return ["2023-12-31", "not-a-day"]


def one_key(partitions_def, now):
    """A single key, not in a list."""
    return "2024-01-03"
'''

SCHEDULES = {
    "fixed": "pipeline.selectors.midweek",
    "relative": "pipeline.selectors.three_and_two_days_ago",
    "empty": "pipeline.selectors.nothing",
    "broken": "pipeline.selectors.broken",
    "outside": "pipeline.selectors.outside",
    "single": "pipeline.selectors.one_key",
}
TICK = datetime(2024, 1, 10, 6, 0, tzinfo=UTC)


def _with_selectors(project: Path, schedules: dict[str, str]) -> None:
    (project.parent / "pipeline" / "selectors.py").write_text(SELECTORS)
    entries = "".join(
        f"    by_{name}: {{job: raw_job, cron_schedule: '0 6 * * *', "
        f"partition_selector: {selector}}}\n"
        for name, selector in schedules.items()
    )
    text = project.read_text()
    project.write_text(text.replace("  schedules:\n", "  schedules:\n" + entries))


@pytest.fixture(scope="module")
def defs(tmp_path_factory, mini_project_writer) -> dg.Definitions:
    """The mini project with one schedule per selector function, loaded once."""
    root = tmp_path_factory.mktemp("selectors")
    config = mini_project_writer(root, "")
    _with_selectors(config, SCHEDULES)
    return load_definitions(config, env={"OUT_DIR": str(root / "out")}, platform=None)


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance


def _tick(defs: dg.Definitions, instance: dg.DagsterInstance, name: str):
    context = dg.build_schedule_context(
        instance=instance, scheduled_execution_time=TICK, repository_def=defs.get_repository_def()
    )
    return defs.get_repository_def().get_schedule_def(f"by_{name}").evaluate_tick(context)


def _messages(error: BaseException) -> str:
    """The error's message and those of the errors it came from."""
    parts = []
    current: BaseException | None = error
    while current is not None:
        parts.append(str(current))
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


def test_the_run_requests_carry_exactly_the_keys_the_function_returned(defs, instance):
    requests = _tick(defs, instance, "fixed").run_requests or []
    assert [r.partition_key for r in requests] == ["2024-01-05", "2024-01-03"]
    assert len({r.run_key for r in requests}) == 2


def test_the_function_gets_the_jobs_partitions_and_the_tick_time(defs, instance):
    requests = _tick(defs, instance, "relative").run_requests or []
    assert [r.partition_key for r in requests] == ["2024-01-07", "2024-01-08"]


def test_a_function_returning_no_key_skips_the_tick(defs, instance):
    result = _tick(defs, instance, "empty")
    assert not result.run_requests
    assert result.skip_message == "no partition of job 'raw_job' is complete yet"


def test_a_function_that_raises_fails_the_tick_with_its_error(defs, instance):
    with pytest.raises(dg.DagsterUserCodeExecutionError) as caught:
        _tick(defs, instance, "broken")
    assert "schedule by_broken" in str(caught.value)
    assert "the holiday calendar is unreachable" in _messages(caught.value)


def test_keys_that_are_not_partitions_are_all_named_with_the_function(defs, instance):
    with pytest.raises(dg.DagsterError) as caught:
        _tick(defs, instance, "outside")
    message = _messages(caught.value)
    assert "by_outside" in message
    assert "pipeline.selectors.outside" in message
    assert "2023-12-31" in message
    assert "not-a-day" in message


def test_a_single_key_returned_as_a_string_is_that_key(defs, instance):
    requests = _tick(defs, instance, "single").run_requests or []
    assert [r.partition_key for r in requests] == ["2024-01-03"]


def test_a_selector_function_that_does_not_exist_points_at_its_config_line(mini_project, mini_env):
    _with_selectors(mini_project, {"missing": "pipeline.selectors.no_such_function"})
    with pytest.raises(FloeConfigError) as caught:
        load_definitions(mini_project, env=mini_env, platform=None)
    line = next(
        number
        for number, text in enumerate(mini_project.read_text().splitlines(), 1)
        if "no_such_function" in text
    )
    assert f"{mini_project}:{line}:" in str(caught.value)
    assert "no_such_function" in str(caught.value)
