select product_id, name, category
from {{ ref('raw_products') }}
