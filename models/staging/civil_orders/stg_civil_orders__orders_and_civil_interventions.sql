with

source as (

    select * from {{ source('civil_orders', 'orders_and_civil_interventions') }}

),

renamed as (

    select
        order_id,
        cast(order_date as date) as order_date,
        trim(neighbourhood_code) as neighbourhood_code,
        lower(trim(order_type)) as order_type,
        lower(trim(order_status)) as order_status

    from source

)

select * from renamed
