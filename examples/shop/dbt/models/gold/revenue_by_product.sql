select p.product_id, p.name, sum(o.amount) as revenue
from {{ ref('stg_products') }} as p
left join {{ ref('stg_orders') }} as o using (product_id)
group by 1, 2
