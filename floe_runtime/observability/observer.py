"""One execution of one asset, observed: a span from start to finish and an OpenLineage
START then COMPLETE/FAIL with the asset's inputs and output.

The OpenTelemetry SDK and openlineage are imported when an observer is made (assets run), not
when definitions load."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import dagster as dg

from floe_runtime.observability.catalog import LineageCatalog
from floe_runtime.observability.settings import ObservabilitySettings

if TYPE_CHECKING:
    from floe_runtime.observability.lineage import LineageEmitter
    from floe_runtime.observability.tracing import TracerHandle


@dataclass(frozen=True)
class Observation:
    """An asset execution in flight."""

    key: dg.AssetKey
    kind: str
    lineage_run_id: str
    start_ns: int
    attributes: Mapping[str, str]


class AssetObserver:
    """Emits spans and lineage events for the asset executions of one process."""

    def __init__(self, settings: ObservabilitySettings, catalog: LineageCatalog) -> None:
        from floe_runtime.observability.tracing import open_tracer  # noqa: PLC0415

        self._settings = settings
        self._catalog = catalog
        self._tracer: TracerHandle | None = open_tracer(settings)
        self._lineage = _lineage_emitter(settings)

    @property
    def active(self) -> bool:
        """Whether anything is recorded at all."""
        return self._tracer is not None or self._lineage is not None

    def start(
        self,
        key: dg.AssetKey,
        kind: str,
        run_id: str,
        *,
        partition: str | None = None,
        extra: Mapping[str, str] | None = None,
        start_ns: int | None = None,
    ) -> Observation:
        """An asset began executing (now, or at ``start_ns``): emit START."""
        attributes = {
            **self._settings.attributes,
            "floe.pipeline": self._settings.pipeline,
            "floe.asset": key.to_user_string(),
            "floe.asset_kind": kind,
            "dagster.run_id": run_id,
            **({"dagster.partition": partition} if partition else {}),
            **(extra or {}),
        }
        lineage_run_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{run_id}/{key.to_user_string()}"))
        started = start_ns if start_ns is not None else time.time_ns()
        observation = Observation(key, kind, lineage_run_id, started, attributes)
        if self._lineage is not None:
            self._lineage.emit(
                "START",
                lineage_run_id,
                self._job_name(key),
                self._catalog.lineage(key),
                tags=attributes,
                event_time_ns=started,
            )
        return observation

    def finish(self, observation: Observation, error: str | None = None) -> None:
        """The asset finished (``error`` is None on success): span and COMPLETE or FAIL."""
        if self._tracer is not None:
            self._tracer.record(
                f"{observation.kind} {observation.key.to_user_string()}",
                observation.start_ns,
                dict(observation.attributes),
                error,
            )
        if self._lineage is not None:
            self._lineage.emit(
                "COMPLETE" if error is None else "FAIL",
                observation.lineage_run_id,
                self._job_name(observation.key),
                self._catalog.lineage(observation.key),
                tags=observation.attributes,
                error=error,
            )

    def flush(self) -> None:
        """Export buffered spans (end of a step)."""
        if self._tracer is not None:
            self._tracer.flush()

    def close(self) -> None:
        """Flush and release the exporters (end of a run)."""
        if self._tracer is not None:
            self._tracer.shutdown()
        if self._lineage is not None:
            self._lineage.close()

    def _job_name(self, key: dg.AssetKey) -> str:
        return f"{self._settings.pipeline}.{key.to_user_string().replace('/', '.')}"


def _lineage_emitter(settings: ObservabilitySettings) -> LineageEmitter | None:
    """The emitter when lineage is on and has an endpoint; openlineage (slow to import) is
    imported only then."""
    if not (settings.lineage and settings.lineage_endpoint):
        return None
    from floe_runtime.observability.lineage import LineageEmitter  # noqa: PLC0415

    return LineageEmitter(settings, settings.lineage_endpoint)
