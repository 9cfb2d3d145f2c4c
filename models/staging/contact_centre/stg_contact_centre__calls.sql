with

source as (

    select * from {{ source('contact_centre', 'calls') }}

),

renamed as (

    select
        call_id,
        trim(channel) as channel,
        presented_at,
        {{ local_date('presented_at') }} as presented_date,
        answered_at,
        abandoned_at

    from source

)

select * from renamed
