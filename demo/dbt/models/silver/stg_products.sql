select
    product_id,
    trim(name) as product_name,
    category,
    cast(unit_price as decimal(10, 2)) as unit_price
from {{ source('raw', 'bronze_products') }}
