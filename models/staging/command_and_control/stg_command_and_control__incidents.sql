with

source as (

    select * from {{ source('command_and_control', 'incidents') }}

),

renamed as (

    select
        incident_id,
        created_at,
        {{ local_date('created_at') }} as created_date,
        lower(trim(grade)) as grade,
        lower(trim(opening_category)) as opening_category,
        trim(neighbourhood_code) as neighbourhood_code,
        first_arrival_at

    from source

)

select * from renamed
