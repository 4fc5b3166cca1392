"""Per-asset observability: one OpenTelemetry span and one OpenLineage START and
COMPLETE/FAIL event pair for every dbt model and every Python asset that runs.

``settings`` decides what is emitted and where (floe.yaml says what, platform.yaml or the
standard OTEL_* / OPENLINEAGE_* variables say where); ``catalog`` names the datasets each
asset reads and writes; ``tracing`` and ``lineage`` talk to the two backends; ``observer``
combines them per asset execution; ``hooks`` observe Python asset steps when they
end. With no endpoint configured nothing is sent and nothing fails.
"""

from floe_runtime.observability.catalog import DatasetRef, LineageCatalog
from floe_runtime.observability.hooks import observability_hooks
from floe_runtime.observability.observer import AssetObserver
from floe_runtime.observability.settings import ObservabilitySettings

__all__ = [
    "AssetObserver",
    "DatasetRef",
    "LineageCatalog",
    "ObservabilitySettings",
    "observability_hooks",
]
