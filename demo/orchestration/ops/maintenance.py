"""Maintenance operations run by floe ops jobs: trimming old bronze rows and compacting the
warehouse, and recording an alert when a pipeline run fails.

floe calls these functions with the job's ``args`` as keyword arguments; a parameter named
``context`` receives the Dagster op context and one named ``warehouse`` the warehouse resource.
"""

from datetime import date, timedelta

import dagster as dg

from floe_runtime.resources import WarehouseResource

BRONZE_TABLES = ("customers", "products", "orders", "order_items")


def vacuum_warehouse(
    context: dg.OpExecutionContext,
    warehouse: WarehouseResource,
    retention_days: int,
    dry_run: bool = False,
) -> int:
    """Delete bronze rows older than ``retention_days`` before the newest partition, then
    compact the database file. Returns the number of rows deleted (or that would be)."""
    deleted = 0
    with warehouse.connect() as connection:
        for table in BRONZE_TABLES:
            if not connection.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'raw' and table_name = ?",
                [table],
            ).fetchone()[0]:
                continue
            newest = connection.execute(f"select max(partition_date) from raw.{table}").fetchone()
            if newest is None or newest[0] is None:
                continue
            cutoff: date = newest[0] - timedelta(days=retention_days)
            old = connection.execute(
                f"select count(*) from raw.{table} where partition_date < ?", [cutoff]
            ).fetchone()[0]
            deleted += int(old)
            if not dry_run:
                connection.execute(f"delete from raw.{table} where partition_date < ?", [cutoff])
        if not dry_run:
            connection.execute("checkpoint")
    context.log.info(f"{'would delete' if dry_run else 'deleted'} {deleted} bronze rows")
    return deleted


def record_failure(context: dg.OpExecutionContext, warehouse: WarehouseResource) -> None:
    """Append the failed run (from the tags the failure sensor sets) to ``ops.alerts``."""
    failed_run = context.run.tags.get("floe/trigger_run_id", "unknown")
    failed_job = context.run.tags.get("floe/trigger_job", "unknown")
    with warehouse.connect() as connection:
        connection.execute("create schema if not exists ops")
        connection.execute(
            "create table if not exists ops.alerts "
            "(run_id varchar, job_name varchar, noticed_at timestamp)"
        )
        connection.execute(
            "insert into ops.alerts values (?, ?, current_timestamp)", [failed_run, failed_job]
        )
    context.log.warning(f"run {failed_run} of job {failed_job} failed; alert recorded")
