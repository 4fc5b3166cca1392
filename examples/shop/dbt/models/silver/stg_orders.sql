select order_id, customer_id, product_id, amount
from {{ ref('raw_orders') }}
