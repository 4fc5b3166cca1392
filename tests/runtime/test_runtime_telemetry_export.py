"""Spans leave the process: a real OTLP/HTTP receiver on loopback decodes what the runtime
exports (protobuf ``ExportTraceServiceRequest`` on ``POST /v1/traces``) while assets
materialize in process, with the endpoint from the standard OTEL variables or from
platform.yaml. Each asset's observer shuts its own tracer provider down when the step (or
the dbt build) ends, which flushes the batch processor, so every span has arrived when
``execute_in_process`` returns: no waiting."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from helpers import loopback_server
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Status

from floe_runtime import load_definitions

pytestmark = pytest.mark.slow

OBSERVABILITY_VARIABLES = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_HEADERS",
    "OTEL_EXPORTER_OTLP_COMPRESSION",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_SDK_DISABLED",
    "OPENLINEAGE_URL",
)


@dataclass(frozen=True)
class ReceivedSpan:
    """One span as the collector decoded it, with the request it came in."""

    path: str
    service_name: str
    scope: str
    name: str
    attributes: dict[str, str]
    status_code: int
    status_message: str
    start_ns: int
    end_ns: int


class _OtlpHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        self.server.spans.extend(_decoded(self.path, request))  # type: ignore[attr-defined]
        payload = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _decoded(path: str, request: ExportTraceServiceRequest) -> list[ReceivedSpan]:
    spans = []
    for resource_spans in request.resource_spans:
        resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(
                    ReceivedSpan(
                        path=path,
                        service_name=resource.get("service.name", ""),
                        scope=scope_spans.scope.name,
                        name=span.name,
                        attributes={a.key: a.value.string_value for a in span.attributes},
                        status_code=span.status.code,
                        status_message=span.status.message,
                        start_ns=span.start_time_unix_nano,
                        end_ns=span.end_time_unix_nano,
                    )
                )
    return spans


@pytest.fixture
def collector() -> Iterator[ThreadingHTTPServer]:
    """A real OTLP/HTTP trace receiver on 127.0.0.1; decoded spans in ``.spans``."""
    with loopback_server(_OtlpHandler, "spans") as server:
        yield server


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No observability variable inherited from the shell running the tests."""
    for variable in OBSERVABILITY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_port}"


def _by_asset(server: ThreadingHTTPServer) -> dict[str, ReceivedSpan]:
    spans: list[ReceivedSpan] = server.spans  # type: ignore[attr-defined]
    by_asset = {span.attributes["floe.asset"]: span for span in spans}
    assert len(by_asset) == len(spans), "an asset was exported more than once"
    return by_asset


def test_python_assets_export_one_span_each_to_the_standard_endpoint_variable(
    mini_project, mini_env, collector, clean_environment, instance
):
    clean_environment.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", _url(collector))
    clean_environment.setenv("OTEL_SERVICE_NAME", "mini-pipeline")
    defs = load_definitions(mini_project, env={**os.environ, **mini_env}, platform=None)
    result = defs.resolve_job_def("raw_job").execute_in_process(
        instance=instance, partition_key="2024-01-02"
    )
    assert result.success
    spans = _by_asset(collector)
    assert set(spans) == {"raw_events", "raw_users"}
    for asset, span in spans.items():
        assert span.path == "/v1/traces"
        assert span.service_name == "mini-pipeline"
        assert span.scope == "floe_runtime"
        assert span.name == f"asset {asset}"
        assert span.attributes == {
            "floe.pipeline": "mini",
            "floe.asset": asset,
            "floe.asset_kind": "asset",
            "dagster.run_id": result.run_id,
            "dagster.partition": "2024-01-02",
        }
        assert span.status_code == Status.STATUS_CODE_OK
        assert 0 < span.start_ns <= span.end_ns


def test_platform_yaml_endpoint_sends_attributes_and_the_failure_of_an_asset(
    mini_project, mini_env, collector, clean_environment, instance
):
    mini_project.write_text(
        mini_project.read_text().replace(
            "name: mini\n", "name: mini\nobservability: {attributes: {team: data}}\n"
        )
    )
    (mini_project.parent / "platform.yaml").write_text(
        "observability:\n"
        "  tracing:\n"
        f"    endpoint: {_url(collector)}\n"
        "    service_name: platform-traces\n"
        "    attributes: {env: test, team: platform}\n"
        "    batch_export: false\n"
    )
    defs = load_definitions(mini_project, env={**os.environ, **mini_env})
    assert defs.resolve_job_def("report_job").execute_in_process(instance=instance).success
    failed = defs.resolve_job_def("boom_job").execute_in_process(
        instance=instance, raise_on_error=False
    )
    assert not failed.success
    spans = _by_asset(collector)
    assert set(spans) == {"report", "boom"}
    assert {span.path for span in spans.values()} == {"/v1/traces"}
    assert {span.service_name for span in spans.values()} == {"platform-traces"}
    report, boom = spans["report"], spans["boom"]
    assert report.attributes["env"] == "test"
    assert report.attributes["team"] == "data", "floe.yaml's attributes win over the platform's"
    assert "dagster.partition" not in report.attributes
    assert report.status_code == Status.STATUS_CODE_OK
    assert boom.attributes["dagster.run_id"] == failed.run_id
    assert boom.status_code == Status.STATUS_CODE_ERROR
    assert "boom went the asset" in boom.status_message


def test_otel_sdk_disabled_sends_nothing_and_the_run_still_succeeds(
    mini_project, mini_env, collector, clean_environment, instance
):
    clean_environment.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", _url(collector))
    clean_environment.setenv("OTEL_SDK_DISABLED", "true")
    defs = load_definitions(mini_project, env={**os.environ, **mini_env}, platform=None)
    assert defs.resolve_job_def("report_job").execute_in_process(instance=instance).success
    assert collector.spans == []  # type: ignore[attr-defined]


def test_the_endpoint_variable_is_read_from_the_env_given_to_load_definitions(
    mini_project, mini_env, collector, clean_environment, instance
):
    env = {**mini_env, "OTEL_EXPORTER_OTLP_ENDPOINT": _url(collector)}
    defs = load_definitions(mini_project, env=env, platform=None)
    assert defs.resolve_job_def("report_job").execute_in_process(instance=instance).success
    assert set(_by_asset(collector)) == {"report"}


@pytest.mark.xdist_group("dbt")
def test_dbt_models_and_python_assets_export_one_span_each(
    demo_project: Path, collector, clean_environment, instance
):
    clean_environment.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", _url(collector))
    defs = load_definitions(demo_project, env=dict(os.environ), platform=None)
    selected = ["bronze_customers", "stg_customers"]
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance,
        partition_key="2024-01-02",
        asset_selection=[dg.AssetKey(name) for name in selected],
    )
    assert result.success
    spans = _by_asset(collector)
    assert set(spans) == set(selected)
    bronze, model = spans["bronze_customers"], spans["stg_customers"]
    assert bronze.name == "asset bronze_customers"
    assert bronze.attributes["dagster.partition"] == "2024-01-02"
    assert model.name == "dbt.model stg_customers"
    assert model.attributes["floe.asset_kind"] == "dbt.model"
    assert model.attributes["dbt.unique_id"] == "model.demo.stg_customers"
    for span in (bronze, model):
        assert span.path == "/v1/traces"
        assert span.service_name == "floe"
        assert span.attributes["floe.pipeline"] == "demo"
        assert span.attributes["team"] == "analytics"
        assert span.attributes["dagster.run_id"] == result.run_id
        assert span.status_code == Status.STATUS_CODE_OK
    assert 0 < model.start_ns <= model.end_ns
