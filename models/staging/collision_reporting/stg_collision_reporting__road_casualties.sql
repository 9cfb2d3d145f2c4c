with

source as (

    select * from {{ source('collision_reporting', 'road_casualties') }}

),

renamed as (

    select
        cast(collision_date as date) as collision_date,
        cast(vehicle_reference as integer) as vehicle_reference,
        cast(casualty_reference as integer) as casualty_reference,
        cast(casualty_class as integer) as casualty_class,
        cast(sex_of_casualty as integer) as sex_of_casualty,
        cast(age_of_casualty as integer) as age_of_casualty,
        cast(age_band_of_casualty as integer) as age_band_of_casualty,
        cast(casualty_severity as integer) as casualty_severity,
        cast(casualty_type as integer) as casualty_type,
        trim(collision_index) as collision_index,
        trim(collision_time) as collision_time,
        trim(local_authority_ons_district) as local_authority_ons_district

    from source

)

select * from renamed
