"""OpenLineage RunEvents over HTTP: START, then COMPLETE or FAIL, with input and output
datasets. Delivery problems are logged, never raised: lineage must not fail a pipeline."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import error_message_run, tags_run
from openlineage.client.transport.http import (
    ApiKeyTokenProvider,
    HttpConfig,
    HttpTransport,
    TokenProvider,
)

from floe_runtime.observability.catalog import AssetLineage
from floe_runtime.observability.settings import ObservabilitySettings

LOG = logging.getLogger(__name__)


class LineageEmitter:
    """Sends the events of one process to the configured OpenLineage endpoint."""

    def __init__(self, settings: ObservabilitySettings, endpoint: str) -> None:
        auth = (
            ApiKeyTokenProvider({"apiKey": settings.lineage_api_key})
            if settings.lineage_api_key
            else TokenProvider({})
        )
        config = HttpConfig(
            url=endpoint,
            endpoint=settings.lineage_api_path,
            timeout=settings.timeout,
            auth=auth,
            retry={"total": 2, "connect": 1, "read": 1, "backoff_factor": 0.1},
        )
        self._client = OpenLineageClient(transport=HttpTransport(config))
        self._settings = settings

    def emit(
        self,
        state: str,
        run_id: str,
        job_name: str,
        lineage: AssetLineage,
        *,
        tags: Mapping[str, str],
        error: str | None = None,
        event_time_ns: int | None = None,
    ) -> None:
        """Send one event (timed now or at ``event_time_ns``); a failure to deliver is logged
        as a warning."""
        facets: dict[str, object] = {}
        if tags:
            facets["tags"] = tags_run.TagsRunFacet(
                tags=[tags_run.TagsRunFacetFields(key=k, value=v) for k, v in tags.items()]
            )
        if error is not None:
            facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
                message=error, programmingLanguage="python"
            )
        event = RunEvent(
            eventType=RunState(state),
            eventTime=_timestamp(event_time_ns),
            run=Run(runId=run_id, facets=facets),  # type: ignore[arg-type]
            job=Job(namespace=self._settings.namespace, name=job_name),
            producer=self._settings.producer,
            inputs=_inputs(lineage),
            outputs=[OutputDataset(lineage.output.namespace, lineage.output.name)],
        )
        try:
            self._client.emit(event)
        except Exception as exc:  # delivery must never fail the asset
            LOG.warning("OpenLineage event for %s was not delivered: %s", job_name, exc)

    def close(self) -> None:
        """Wait for pending events (the HTTP transport is synchronous: nothing to wait for)."""
        self._client.close(timeout=self._settings.timeout)


def _timestamp(event_time_ns: int | None) -> str:
    if event_time_ns is None:
        return datetime.now(UTC).isoformat()
    return datetime.fromtimestamp(event_time_ns / 1_000_000_000, UTC).isoformat()


def _inputs(lineage: AssetLineage) -> list[InputDataset]:
    return [InputDataset(ref.namespace, ref.name) for ref in lineage.inputs]
