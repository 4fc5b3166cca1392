"""What is emitted and where: floe.yaml's ``observability`` (traces, lineage, attributes)
combined with platform.yaml's endpoints or the standard environment variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from floe_core.models import ObservabilityConfig
from floe_runtime.platform import PlatformObservability

TRACES_PATH = "/v1/traces"


@dataclass(frozen=True)
class ObservabilitySettings:
    """Everything the observer needs, resolved once when the definitions are built."""

    pipeline: str
    traces: bool = True
    lineage: bool = True
    service_name: str = "floe"
    otlp_endpoint: str | None = None
    batch_export: bool = True
    lineage_endpoint: str | None = None
    lineage_api_path: str = "api/v1/lineage"
    lineage_api_key: str | None = None
    namespace: str = "floe"
    producer: str = "https://github.com/floe/floe_runtime"
    timeout: float = 5.0
    attributes: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def resolve(
        cls,
        pipeline: str,
        spec: ObservabilityConfig | None,
        platform: PlatformObservability,
        env: Mapping[str, str],
    ) -> ObservabilitySettings:
        """platform.yaml wins over the environment; floe.yaml can switch either off."""
        wanted = spec or ObservabilityConfig()
        tracing, lineage = platform.tracing, platform.lineage
        otel_disabled = env.get("OTEL_SDK_DISABLED", "").lower() == "true"
        lineage_disabled = env.get("OPENLINEAGE_DISABLED", "").lower() == "true"
        api_key_variable = lineage.api_key_env or "OPENLINEAGE_API_KEY"
        return cls(
            pipeline=pipeline,
            traces=wanted.traces and not otel_disabled,
            lineage=wanted.lineage and not lineage_disabled,
            service_name=env.get("OTEL_SERVICE_NAME", tracing.service_name),
            otlp_endpoint=traces_endpoint(tracing.endpoint, env),
            batch_export=tracing.batch_export,
            lineage_endpoint=lineage.endpoint or env.get("OPENLINEAGE_URL") or None,
            lineage_api_path=env.get("OPENLINEAGE_ENDPOINT", "api/v1/lineage"),
            lineage_api_key=env.get(api_key_variable) or None,
            namespace=env.get("OPENLINEAGE_NAMESPACE", lineage.namespace),
            producer=lineage.producer,
            timeout=lineage.timeout,
            attributes={**tracing.attributes, **wanted.attributes},
        )


def traces_endpoint(platform_endpoint: str | None, env: Mapping[str, str]) -> str | None:
    """The OTLP/HTTP traces URL spans go to: platform.yaml's endpoint, else
    ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` as it is, else ``OTEL_EXPORTER_OTLP_ENDPOINT``
    (OpenTelemetry's rules); a base URL gets the ``/v1/traces`` path. Read from ``env``, the
    environment ``load_definitions`` was given, never from the process behind its back."""
    base = platform_endpoint or None
    if base is None:
        traces = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        if traces:
            return traces
        base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None
    if base is None:
        return None
    base = base.rstrip("/")
    return base if base.endswith(TRACES_PATH) else base + TRACES_PATH
