-- The Department for Transport's road safety collisions (STATS19 collision table), the
-- columns the casualties need, typed.
with

source as (

    select * from {{ source('dft_road_safety', 'collisions') }}

),

renamed as (

    select
        collision_index,
        cast(collision_year as integer) as collision_year,
        date as collision_date,
        time as collision_time,
        cast(police_force as integer) as police_force,
        local_authority_ons_district,
        cast(collision_severity as integer) as collision_severity,
        source_file,
        cast(source_line as bigint) as source_line

    from source

)

select * from renamed
