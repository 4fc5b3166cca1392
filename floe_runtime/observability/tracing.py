"""Which OpenTelemetry tracer the observer uses.

An endpoint from platform.yaml or OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT gets a tracer provider
of its own exporting OTLP over HTTP. Otherwise, when the process already has an SDK tracer
provider (the application or a test configured OpenTelemetry), spans go there. Otherwise no
tracer: nothing is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.trace import Status, StatusCode

from floe_runtime.observability.settings import ObservabilitySettings

TRACER_NAME = "floe_runtime"


@dataclass
class TracerHandle:
    """A tracer and, when floe created it, the provider to flush and shut down."""

    tracer: trace.Tracer
    owned_provider: TracerProvider | None

    def record(
        self, name: str, start_ns: int, attributes: dict[str, str], error: str | None
    ) -> None:
        """One span from ``start_ns`` to now: status OK, or ERROR with ``error``."""
        span = self.tracer.start_span(name, start_time=start_ns, attributes=attributes)
        span.set_status(Status(StatusCode.OK) if error is None else Status(StatusCode.ERROR, error))
        span.end()

    def flush(self) -> None:
        """Export what is buffered (a step process may exit right after)."""
        if self.owned_provider is not None:
            self.owned_provider.force_flush()

    def shutdown(self) -> None:
        """Flush and stop floe's own provider."""
        if self.owned_provider is not None:
            self.owned_provider.shutdown()


def open_tracer(settings: ObservabilitySettings) -> TracerHandle | None:
    """The tracer to record spans with, or None when tracing is off or unconfigured."""
    if not settings.traces:
        return None
    if settings.otlp_endpoint:
        provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
        provider.add_span_processor(_processor(settings))
        return TracerHandle(provider.get_tracer(TRACER_NAME), provider)
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return TracerHandle(current.get_tracer(TRACER_NAME), None)
    return None


def _processor(settings: ObservabilitySettings) -> SpanProcessor:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
        OTLPSpanExporter,
    )

    exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint, timeout=int(settings.timeout))
    return BatchSpanProcessor(exporter) if settings.batch_export else SimpleSpanProcessor(exporter)
