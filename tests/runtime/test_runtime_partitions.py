"""floe partition definitions -> Dagster partitions definitions, and the sensor that feeds a
dynamic partition from its function."""

from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest
from pydantic import TypeAdapter

from floe_core.models import PartitionDefinition
from floe_runtime.partitions import build_partitions, dynamic_partition_sensors

ADAPTER: TypeAdapter[PartitionDefinition] = TypeAdapter(PartitionDefinition)


def _build(**configs: dict) -> dict[str, dg.PartitionsDefinition]:
    return build_partitions({name: ADAPTER.validate_python(c) for name, c in configs.items()})


@pytest.mark.parametrize(
    ("config", "first_keys"),
    [
        pytest.param(
            {"type": "time_window", "start": "2024-01-01", "cron_schedule": "0 0 * * *"},
            ["2024-01-01", "2024-01-02"],
            id="daily",
        ),
        pytest.param(
            {"type": "time_window", "start": "2024-01-01", "cron_schedule": "0 * * * *"},
            ["2024-01-01-00:00", "2024-01-01-01:00"],
            id="hourly-default-format",
        ),
        pytest.param(
            {
                "type": "time_window",
                "start": "2024-01",
                "cron_schedule": "0 0 1 * *",
                "fmt": "%Y-%m",
                "end": "2024-04",
            },
            ["2024-01", "2024-02"],
            id="monthly-custom-format",
        ),
        pytest.param({"type": "static", "partition_keys": ["us", "eu"]}, ["us", "eu"], id="static"),
    ],
)
def test_partition_keys(config, first_keys):
    definition = _build(p=config)["p"]
    with dg.partition_loading_context(effective_dt=datetime(2024, 6, 1)):
        assert list(definition.get_partition_keys()[:2]) == first_keys


def test_time_window_timezone_and_end():
    definition = _build(
        p={
            "type": "time_window",
            "start": "2024-01-01",
            "end": "2024-01-05",
            "cron_schedule": "0 0 * * *",
            "timezone": "America/New_York",
        }
    )["p"]
    assert isinstance(definition, dg.TimeWindowPartitionsDefinition)
    assert definition.timezone == "America/New_York"
    assert definition.get_partition_keys() == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
    ]


def test_multi_partition_has_two_dimensions():
    definition = _build(
        p={
            "type": "multi",
            "partitions": {
                "date": {
                    "type": "time_window",
                    "start": "2024-01-01",
                    "cron_schedule": "0 0 * * *",
                },
                "region": {"type": "static", "partition_keys": ["eu", "us"]},
            },
        }
    )["p"]
    assert isinstance(definition, dg.MultiPartitionsDefinition)
    assert sorted(d.name for d in definition.partitions_defs) == ["date", "region"]


def test_dynamic_partition_with_fn_gets_a_sensor_adding_its_keys(tmp_path: Path):
    package = tmp_path / "dynpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "keys.py").write_text("def customers():\n    return ['acme', 'globex']\n")
    config = {
        "customers": ADAPTER.validate_python({"type": "dynamic", "fn": "dynpkg.keys.customers"})
    }
    assert build_partitions(config)["customers"] == dg.DynamicPartitionsDefinition(name="customers")
    (sensor,) = dynamic_partition_sensors(config, tmp_path)
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    with dg.instance_for_test() as instance:
        result = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        (request,) = result.dynamic_partitions_requests
        assert list(request.partition_keys) == ["acme", "globex"]
        instance.add_dynamic_partitions("customers", ["acme", "globex"])
        again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert not again.dynamic_partitions_requests
