with sold as (
    select i.product_id, i.quantity, i.amount
    from {{ ref('stg_order_items') }} as i
    join {{ ref('stg_orders') }} as o on o.order_id = i.order_id
)

select
    p.product_id,
    p.product_name,
    p.category,
    coalesce(sum(s.quantity), 0) as units_sold,
    coalesce(sum(s.amount), 0) as revenue
from {{ ref('stg_products') }} as p
left join sold as s on s.product_id = p.product_id
group by p.product_id, p.product_name, p.category
