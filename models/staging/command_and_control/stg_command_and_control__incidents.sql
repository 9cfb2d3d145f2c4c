with

source as (

    select * from {{ source('command_and_control', 'incidents') }}

),

renamed as (

    select
        incident_id,
        {{ offset_timestamp_to_instant('created_at') }} as created_at,
        {{ offset_timestamp_local_date('created_at') }} as created_date,
        lower(trim(grade)) as grade,
        lower(trim(opening_category)) as opening_category,
        trim(neighbourhood_code) as neighbourhood_code,
        {{ offset_timestamp_to_instant('first_arrival_at') }} as first_arrival_at

    from source

)

select * from renamed
