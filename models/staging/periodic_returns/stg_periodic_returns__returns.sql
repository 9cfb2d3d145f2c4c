with

source as (

    select * from {{ source('periodic_returns', 'periodic_returns') }}

),

renamed as (

    select
        cast(period_end as date) as period_end,
        cast(value as double) as return_value,
        trim(return_id) as return_id,
        trim(measure) as measure

    from source

)

select * from renamed
