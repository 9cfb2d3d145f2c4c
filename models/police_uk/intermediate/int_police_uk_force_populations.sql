{{ config(materialized='view', schema='intermediate') }}
-- The usual residents of each force's area by census ethnic group, from the latest
-- population year the seed holds for that area (ref_force_area_populations: a later
-- census or mid-year estimate is rows of a later year, not new code), joined to the
-- data.police.uk force slug (ref_force_areas). Forces with no force area in the seed
-- (British Transport Police, the Police Service of Northern Ireland) have no row.
with

populations as (

    select * from {{ ref('ref_force_area_populations') }}

),

force_areas as (

    select * from {{ ref('ref_force_areas') }}

),

latest_years as (

    select
        force_area,
        max(population_year) as population_year
    from populations
    group by force_area

),

final as (

    select
        cast(force_areas.force_slug as varchar) as force,
        cast(populations.force_area as varchar) as force_area,
        cast(populations.population_year as integer) as population_year,
        cast(populations.population_source as varchar) as population_source,
        cast(populations.census_ethnic_group as varchar) as census_ethnic_group,
        cast(populations.population as bigint) as population
    from populations
    inner join latest_years
        on
            populations.force_area = latest_years.force_area
            and populations.population_year = latest_years.population_year
    inner join force_areas
        on populations.force_area = force_areas.force_area

)

select * from final
