"""Event and regional assets: hourly clickstream, sales per region, revenue per day and
region, and customer segments with keys added at run time."""

import dagster as dg


@dg.multi_asset(
    group_name="events",
    outs={
        "raw_clickstream": dg.AssetOut(description="Clicks of the partition's hour."),
        "raw_pageviews": dg.AssetOut(description="Page views of the partition's hour."),
    },
)
def raw_events(context: dg.AssetExecutionContext) -> tuple[None, None]:
    """Both event streams of one hour, read in one pass."""
    context.log.info("reading events for %s", context.partition_key)
    return None, None


@dg.asset(group_name="regional")
def regional_sales(context: dg.AssetExecutionContext) -> None:
    """Sales of one region (a static partition key)."""
    context.log.info("sales of %s", context.partition_key)


@dg.asset(group_name="regional")
def daily_regional_revenue(context: dg.AssetExecutionContext) -> None:
    """Revenue of one day in one region (a two-dimensional partition key)."""
    context.log.info("revenue of %s", context.partition_key)


@dg.asset(group_name="segments")
def customer_segments(context: dg.AssetExecutionContext) -> None:
    """Segments of one customer (dynamic partition keys, added by a sensor)."""
    context.log.info("segments of %s", context.partition_key)
