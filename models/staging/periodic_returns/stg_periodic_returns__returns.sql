with

source as (

    select * from {{ source('periodic_returns', 'periodic_returns') }}

),

renamed as (

    select
        trim(return_id) as return_id,
        cast(period_end as date) as period_end,
        trim(measure) as measure,
        cast(value as double) as return_value

    from source

)

select * from renamed
