-- The public warehouse's neighbourhood grain: the LSOAs of the street files, each in its
-- local authority. (The force warehouse's neighbourhoods are
-- models/marts/core/dim_neighbourhoods.sql; this model takes their place when
-- POLICE_WAREHOUSE is police_uk.)
with

street as (

    select * from {{ ref('fct_street_crimes') }}

),

final as (

    select
        cast(lsoa_code as varchar) as neighbourhood_code,
        cast(min(lsoa_name) as varchar) as neighbourhood_name,
        cast(min(local_authority_code) as varchar) as lpa_code,
        cast(min(local_authority) as varchar) as lpa_name

    from street
    where lsoa_code is not null
    group by lsoa_code

)

select * from final
