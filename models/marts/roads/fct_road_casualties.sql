-- One row per road casualty (STATS19 casualty record) with the LPA of the collision's
-- local authority district. Severity is the casualty's recorded STATS19 severity:
-- 1 fatal (died within 30 days of the collision), 2 serious, 3 slight. Seriously
-- injured means severity 2 only: the killed are counted apart (KSI is both).
with

casualties as (

    select * from {{ ref('stg_collision_reporting__road_casualties') }}

),

districts as (

    select * from {{ ref('ref_local_authority_districts') }}

),

final as (

    select
        cast(
            casualties.collision_index
            || '-' || cast(casualties.vehicle_reference as varchar)
            || '-' || cast(casualties.casualty_reference as varchar)
            as varchar
        ) as road_casualty_id,
        cast(casualties.collision_index as varchar) as collision_index,
        cast(casualties.collision_date as date) as collision_date,
        cast(casualties.collision_time as varchar) as collision_time,
        cast(casualties.local_authority_ons_district as varchar) as local_authority_ons_district,
        cast(districts.lpa_code as varchar) as lpa_code,
        cast(casualties.vehicle_reference as integer) as vehicle_reference,
        cast(casualties.casualty_reference as integer) as casualty_reference,
        cast(casualties.casualty_class as integer) as casualty_class,
        cast(
            case casualties.casualty_class
                when 1 then 'driver_or_rider'
                when 2 then 'passenger'
                when 3 then 'pedestrian'
            end as varchar
        ) as casualty_class_name,
        cast(casualties.sex_of_casualty as integer) as sex_of_casualty,
        cast(casualties.age_of_casualty as integer) as age_of_casualty,
        cast(casualties.age_band_of_casualty as integer) as age_band_of_casualty,
        cast(casualties.casualty_type as integer) as casualty_type,
        cast(casualties.casualty_severity as integer) as casualty_severity,
        cast(
            case casualties.casualty_severity
                when 1 then 'fatal'
                when 2 then 'serious'
                when 3 then 'slight'
            end as varchar
        ) as casualty_severity_name,
        cast(coalesce(casualties.casualty_severity = 1, false) as boolean) as is_killed,
        cast(coalesce(casualties.casualty_severity = 2, false) as boolean)
            as is_seriously_injured,
        cast(coalesce(casualties.casualty_severity in (1, 2), false) as boolean)
            as is_killed_or_seriously_injured

    from casualties
    left join districts
        on casualties.local_authority_ons_district = districts.local_authority_ons_district

)

select * from final
