with

neighbourhoods as (

    select * from {{ ref('ref_neighbourhoods') }}

),

lpas as (

    select * from {{ ref('ref_local_policing_areas') }}

),

final as (

    select
        cast(neighbourhoods.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.neighbourhood_name as varchar) as neighbourhood_name,
        cast(neighbourhoods.lpa_code as varchar) as lpa_code,
        cast(lpas.lpa_name as varchar) as lpa_name

    from neighbourhoods
    inner join lpas
        on neighbourhoods.lpa_code = lpas.lpa_code

)

select * from final
