select
    customer_id,
    trim(name) as customer_name,
    lower(email) as email,
    country,
    cast(signup_date as date) as signup_date
from {{ source('raw', 'bronze_customers') }}
