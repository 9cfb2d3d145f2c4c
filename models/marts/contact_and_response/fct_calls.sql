with

calls as (

    select * from {{ ref('stg_contact_centre__calls') }}

),

final as (

    select
        cast(call_id as varchar) as call_id,
        cast(channel as varchar) as channel,
        cast(presented_date as date) as presented_date,
        presented_at,
        answered_at,
        abandoned_at,
        cast(answered_at is not null as boolean) as is_answered,
        cast({{ seconds_between('presented_at', 'answered_at') }} as bigint) as answer_seconds,
        cast({{ seconds_between('presented_at', 'abandoned_at') }} as bigint) as abandon_seconds

    from calls

)

select * from final
