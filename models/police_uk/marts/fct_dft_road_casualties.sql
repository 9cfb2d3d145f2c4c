{{ config(alias='fct_road_casualties') }}
-- One row per casualty of the Department for Transport's road safety tables (STATS19),
-- with its collision's date, police force and district: the same road casualty KPIs as
-- the force warehouse (killed; seriously injured as recorded, not adjusted). The force is
-- the data.police.uk slug of the collision's STATS19 police_force, as every public fact
-- has one (rates per resident and peer comparisons are per force).
with

casualties as (

    select * from {{ ref('stg_dft__casualties') }}

),

collisions as (

    select * from {{ ref('stg_dft__collisions') }}

),

forces as (

    select distinct
        force_slug,
        stats19_police_force
    from {{ ref('ref_police_forces') }}
    where stats19_police_force is not null

),

final as (

    select
        cast(
            {{ dbt.concat([
                'casualties.collision_index', "'-'",
                'cast(casualties.vehicle_reference as varchar)', "'-'",
                'cast(casualties.casualty_reference as varchar)',
            ]) }} as varchar
        ) as road_casualty_id,
        cast(casualties.collision_index as varchar) as collision_index,
        cast(collisions.collision_date as date) as collision_date,
        cast(collisions.collision_time as varchar) as collision_time,
        cast(collisions.police_force as integer) as police_force,
        cast(forces.force_slug as varchar) as force,
        cast(collisions.local_authority_ons_district as varchar) as local_authority_ons_district,
        cast(casualties.casualty_class as integer) as casualty_class,
        cast(casualties.sex_of_casualty as integer) as sex_of_casualty,
        cast(casualties.age_of_casualty as integer) as age_of_casualty,
        cast(casualties.casualty_severity as integer) as casualty_severity,
        cast(
            case casualties.casualty_severity
                when 1 then 'fatal' when 2 then 'serious' when 3 then 'slight'
            end as varchar
        ) as casualty_severity_name,
        cast(casualties.casualty_severity = 1 as boolean) as is_killed,
        cast(casualties.casualty_severity = 2 as boolean) as is_seriously_injured,
        cast(casualties.casualty_type as integer) as casualty_type

    from casualties
    inner join collisions
        on casualties.collision_index = collisions.collision_index
    left join forces
        on collisions.police_force = forces.stats19_police_force

)

select * from final
