-- One row per order or civil intervention (report 10.6). A notice or direction counts
-- when the police issue it, a court order when it is granted; applications refused or
-- withdrawn stay in the register but are not counted.
with

orders as (

    select * from {{ ref('stg_civil_orders__orders_and_civil_interventions') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

final as (

    select
        cast(orders.order_id as varchar) as order_id,
        cast(orders.order_date as date) as order_date,
        cast(orders.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.lpa_code as varchar) as lpa_code,
        cast(orders.order_type as varchar) as order_type,
        cast(orders.order_status as varchar) as order_status,
        cast(orders.order_status in ('issued', 'granted') as boolean) as is_issued_or_granted

    from orders
    left join neighbourhoods
        on orders.neighbourhood_code = neighbourhoods.neighbourhood_code

)

select * from final
