with

source as (

    select * from {{ source('roads_policing', 'vehicle_seizures') }}

),

renamed as (

    select
        seizure_id as vehicle_seizure_id,
        cast(seized_date as date) as seized_date,
        trim(neighbourhood_code) as neighbourhood_code,
        lower(trim(seizure_reason)) as seizure_reason,
        lower(trim(vehicle_type)) as vehicle_type

    from source

)

select * from renamed
