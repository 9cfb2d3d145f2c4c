-- The public warehouse's areas below the force: the local authorities the street files'
-- LSOAs are in ("Camden 027C" is in Camden), and "No location" for the rows published
-- without one (they count force-wide and in that row, so the areas add up to the force).
-- The force warehouse's Local Policing Areas are models/marts/core/dim_local_policing_areas.sql
-- (this model takes their place when POLICE_WAREHOUSE is police_uk).
with

street as (

    select * from {{ ref('fct_street_crimes') }}

),

lsoas as (

    select * from {{ ref('dim_neighbourhoods') }}

),

areas as (

    select
        local_authority_code as lpa_code,
        min(coalesce(local_authority, 'No location')) as lpa_name
    from street
    group by local_authority_code

),

lsoa_counts as (

    select
        lpa_code,
        count(*) as neighbourhood_count
    from lsoas
    group by lpa_code

),

final as (

    select
        cast(areas.lpa_code as varchar) as lpa_code,
        cast(areas.lpa_name as varchar) as lpa_name,
        cast(null as integer) as population_2021,
        cast(coalesce(lsoa_counts.neighbourhood_count, 0) as integer) as neighbourhood_count

    from areas
    left join lsoa_counts
        on areas.lpa_code = lsoa_counts.lpa_code

)

select * from final
