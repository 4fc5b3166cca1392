select
    order_item_id,
    order_id,
    product_id,
    quantity,
    cast(quantity * unit_price as decimal(12, 2)) as amount
from {{ source('raw', 'order_items') }}
