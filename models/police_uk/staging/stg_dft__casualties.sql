-- The Department for Transport's road safety casualties (STATS19 casualty table), typed.
with

source as (

    select * from {{ source('dft_road_safety', 'casualties') }}

),

renamed as (

    select
        collision_index,
        cast(vehicle_reference as integer) as vehicle_reference,
        cast(casualty_reference as integer) as casualty_reference,
        cast(casualty_class as integer) as casualty_class,
        cast(sex_of_casualty as integer) as sex_of_casualty,
        cast(age_of_casualty as integer) as age_of_casualty,
        cast(age_band_of_casualty as integer) as age_band_of_casualty,
        cast(casualty_severity as integer) as casualty_severity,
        cast(casualty_type as integer) as casualty_type,
        source_file,
        cast(source_line as bigint) as source_line

    from source

)

select * from renamed
