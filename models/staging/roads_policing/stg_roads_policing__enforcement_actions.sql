with

source as (

    select * from {{ source('roads_policing', 'roads_enforcement') }}

),

renamed as (

    select
        enforcement_id as enforcement_action_id,
        cast(action_date as date) as action_date,
        trim(neighbourhood_code) as neighbourhood_code,
        lower(trim(offence_category)) as offence_category,
        lower(trim(action_type)) as action_type,
        lower(trim(detection_method)) as detection_method

    from source

)

select * from renamed
