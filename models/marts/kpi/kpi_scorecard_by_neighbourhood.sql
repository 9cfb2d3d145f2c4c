-- The scorecard per neighbourhood: KPIs with a neighbourhood breakdown (catalogue
-- has_neighbourhood_breakdown), one row per KPI, comparison mode and neighbourhood, from
-- the one KPI engine (int_kpi_comparisons at the neighbourhood grain), ranked by the
-- current value within the KPI and mode (1 = most).
with

comparisons as (

    select * from {{ ref('int_kpi_comparisons') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

final as (

    select
        cast(comparisons.kpi_id as varchar) as kpi_id,
        cast(comparisons.comparison_mode as varchar) as comparison_mode,
        cast(neighbourhoods.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.neighbourhood_name as varchar) as neighbourhood_name,
        cast(neighbourhoods.lpa_name as varchar) as lpa_name,
        cast(comparisons.kpi_name as varchar) as kpi_name,
        cast(comparisons.baseline_start as date) as baseline_start,
        cast(comparisons.baseline_end as date) as baseline_end,
        cast(comparisons.current_start as date) as current_start,
        cast(comparisons.current_end as date) as current_end,
        cast(comparisons.baseline_value as bigint) as baseline_value,
        cast(comparisons.current_value as bigint) as current_value,
        cast(
            rank() over (
                partition by comparisons.kpi_id, comparisons.comparison_mode
                order by comparisons.current_value desc
            ) as integer
        ) as current_rank

    from comparisons
    inner join neighbourhoods
        on comparisons.area_code = neighbourhoods.neighbourhood_code
    where comparisons.area_level = 'neighbourhood'

)

select * from final
