"""Dagster resources floe provides to user code: the embedded DuckDB warehouse.

When the compute profile is DuckDB, ``load_definitions`` registers a ``warehouse`` resource
pointing at the same database file the generated dbt profile uses, so Python assets and dbt
models read and write one warehouse.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:
    import duckdb


class WarehouseResource(dg.ConfigurableResource):
    """The embedded DuckDB warehouse file shared by Python assets and dbt."""

    path: str

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection, closed (and so unlocked for dbt) on exit."""
        import duckdb  # noqa: PLC0415 (imported when a connection is needed, not at load)

        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(self.path)
        try:
            yield connection
        finally:
            connection.close()
