"""Bronze layer: raw extracts of customers, orders, products and order items.

Partitioned daily by floe.yaml's ``bronze_*`` asset pattern, not here.
"""

import dagster as dg


@dg.asset(group_name="bronze", compute_kind="python")
def bronze_customers(context: dg.AssetExecutionContext) -> None:
    """Customers that signed up on the partition's day."""
    context.log.info("extracting customers for %s", context.partition_key)


@dg.asset(group_name="bronze", compute_kind="python")
def bronze_orders(context: dg.AssetExecutionContext) -> None:
    """Orders placed on the partition's day."""
    context.log.info("extracting orders for %s", context.partition_key)


@dg.asset(group_name="bronze", compute_kind="python")
def bronze_products(context: dg.AssetExecutionContext) -> None:
    """Products added on the partition's day."""
    context.log.info("extracting products for %s", context.partition_key)


@dg.asset(group_name="bronze", deps=[bronze_orders, bronze_products])
def bronze_order_items(context: dg.AssetExecutionContext) -> None:
    """Order lines of the partition's orders."""
    context.log.info("extracting order items for %s", context.partition_key)
