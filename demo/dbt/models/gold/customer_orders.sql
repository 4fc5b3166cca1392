with order_totals as (
    select o.order_id, o.customer_id, sum(i.amount) as order_total
    from {{ ref('stg_orders') }} as o
    join {{ ref('stg_order_items') }} as i on i.order_id = o.order_id
    group by o.order_id, o.customer_id
)

select
    c.customer_id,
    c.customer_name,
    count(t.order_id) as order_count,
    coalesce(sum(t.order_total), 0) as total_spent
from {{ ref('stg_customers') }} as c
left join order_totals as t on t.customer_id = c.customer_id
group by c.customer_id, c.customer_name
