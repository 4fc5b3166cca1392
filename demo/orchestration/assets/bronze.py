"""Bronze layer: raw customers, products, orders and order items, generated deterministically
per daily partition and written to the embedded DuckDB warehouse (schema ``raw``).

Each partition (a day) adds that day's new customers, new products, orders and order lines;
re-running a partition replaces exactly that day's rows, so runs and backfills are idempotent.
Daily partitions come from floe.yaml (the ``bronze_*`` asset pattern), not from this file.
"""

import random
from collections.abc import Iterator, Sequence
from datetime import date

import dagster as dg

from floe_runtime.resources import WarehouseResource

FIRST_DAY = date(2024, 1, 1)
CUSTOMERS_PER_DAY = 10
PRODUCTS_PER_DAY = 3
ORDERS_PER_DAY = 25
COUNTRIES = ("DE", "FR", "NL", "US", "JP")
CATEGORIES = ("books", "games", "garden", "kitchen")

TABLES = {
    "customers": "customer_id integer, name varchar, email varchar, country varchar, "
    "signup_date date, partition_date date",
    "products": "product_id integer, name varchar, category varchar, "
    "unit_price decimal(10, 2), partition_date date",
    "orders": "order_id integer, customer_id integer, order_date date, status varchar, "
    "partition_date date",
    "order_items": "order_item_id integer, order_id integer, product_id integer, "
    "quantity integer, unit_price decimal(10, 2), partition_date date",
}


def _day_index(day: date) -> int:
    return (day - FIRST_DAY).days


def _unit_price(product_id: int) -> float:
    return round(5 + (product_id * 7919 % 9500) / 100, 2)


def _customers(day: date) -> Iterator[tuple[object, ...]]:
    first = _day_index(day) * CUSTOMERS_PER_DAY + 1
    for customer_id in range(first, first + CUSTOMERS_PER_DAY):
        name = f" Customer {customer_id} "
        email = f"Customer.{customer_id}@Example.com"
        yield customer_id, name, email, COUNTRIES[customer_id % len(COUNTRIES)], day, day


def _products(day: date) -> Iterator[tuple[object, ...]]:
    first = _day_index(day) * PRODUCTS_PER_DAY + 1
    for product_id in range(first, first + PRODUCTS_PER_DAY):
        category = CATEGORIES[product_id % len(CATEGORIES)]
        yield product_id, f"Product {product_id}", category, _unit_price(product_id), day


def _orders_and_items(
    day: date,
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    index = _day_index(day)
    rng = random.Random(day.isoformat())
    orders: list[tuple[object, ...]] = []
    items: list[tuple[object, ...]] = []
    for n in range(ORDERS_PER_DAY):
        order_id = index * ORDERS_PER_DAY + n + 1
        customer_id = rng.randint(1, (index + 1) * CUSTOMERS_PER_DAY)
        status = "cancelled" if n % 10 == 9 else "completed"
        orders.append((order_id, customer_id, day, status, day))
        for line in range(1 + n % 3):
            product_id = rng.randint(1, (index + 1) * PRODUCTS_PER_DAY)
            quantity = rng.randint(1, 5)
            item_id = order_id * 10 + line
            items.append((item_id, order_id, product_id, quantity, _unit_price(product_id), day))
    return orders, items


def _days(context: dg.AssetExecutionContext) -> list[date]:
    return [date.fromisoformat(key) for key in context.partition_keys]


def _replace_days(
    warehouse: WarehouseResource,
    table: str,
    days: Sequence[date],
    rows: Sequence[tuple[object, ...]],
) -> dg.MaterializeResult:
    with warehouse.connect() as connection:
        connection.execute("create schema if not exists raw")
        connection.execute(f"create table if not exists raw.{table} ({TABLES[table]})")
        connection.executemany(
            f"delete from raw.{table} where partition_date = ?", [(day,) for day in days]
        )
        if rows:
            placeholders = ", ".join("?" * len(rows[0]))
            connection.executemany(f"insert into raw.{table} values ({placeholders})", rows)
        total = connection.execute(f"select count(*) from raw.{table}").fetchone()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(rows),
            "table_rows": int(total[0]) if total else 0,
            "dagster/table_name": f"raw.{table}",
        }
    )


@dg.asset(group_name="bronze", kinds={"python", "duckdb"})
def bronze_customers(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """New customers who signed up that day."""
    days = _days(context)
    rows = [row for day in days for row in _customers(day)]
    return _replace_days(warehouse, "customers", days, rows)


@dg.asset(group_name="bronze", kinds={"python", "duckdb"})
def bronze_products(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Products added to the catalogue that day."""
    days = _days(context)
    rows = [row for day in days for row in _products(day)]
    return _replace_days(warehouse, "products", days, rows)


@dg.asset(group_name="bronze", kinds={"python", "duckdb"})
def bronze_orders(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Orders placed that day (every tenth one cancelled)."""
    days = _days(context)
    rows = [row for day in days for row in _orders_and_items(day)[0]]
    return _replace_days(warehouse, "orders", days, rows)


@dg.asset(group_name="bronze", kinds={"python", "duckdb"})
def bronze_order_items(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The lines of that day's orders: product, quantity and unit price."""
    days = _days(context)
    rows = [row for day in days for row in _orders_and_items(day)[1]]
    return _replace_days(warehouse, "order_items", days, rows)
