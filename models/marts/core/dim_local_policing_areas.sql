with

lpas as (

    select * from {{ ref('ref_local_policing_areas') }}

),

neighbourhoods as (

    select * from {{ ref('ref_neighbourhoods') }}

),

neighbourhood_counts as (

    select
        lpa_code,
        count(*) as neighbourhood_count

    from neighbourhoods
    group by lpa_code

),

final as (

    select
        cast(lpas.lpa_code as varchar) as lpa_code,
        cast(lpas.lpa_name as varchar) as lpa_name,
        cast(lpas.population_2021 as integer) as population_2021,
        cast(coalesce(neighbourhood_counts.neighbourhood_count, 0) as integer)
            as neighbourhood_count

    from lpas
    left join neighbourhood_counts
        on lpas.lpa_code = neighbourhood_counts.lpa_code

)

select * from final
