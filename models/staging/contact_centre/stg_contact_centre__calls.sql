with

source as (

    select * from {{ source('contact_centre', 'calls') }}

),

renamed as (

    select
        call_id,
        trim(channel) as channel,
        {{ offset_timestamp_to_instant('presented_at') }} as presented_at,
        {{ offset_timestamp_local_date('presented_at') }} as presented_date,
        {{ offset_timestamp_to_instant('answered_at') }} as answered_at,
        {{ offset_timestamp_to_instant('abandoned_at') }} as abandoned_at

    from source

)

select * from renamed
