-- The scorecard per neighbourhood: KPIs with a neighbourhood breakdown (catalogue
-- has_neighbourhood_breakdown), one row per KPI, comparison mode and neighbourhood, from
-- the one KPI engine (int_kpi_comparisons at the neighbourhood grain), ranked by the
-- current value within the KPI and mode (1 = most), with the test behind each status.
-- A count of 1 to 4, or one that would reveal such a count from the LPA's total, is
-- withheld (null, is_suppressed, suppression_reason); so is its rank, which is taken
-- over the counts as counted.
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
        cast(
            {{ withheld('comparisons.baseline_value', 'comparisons.is_baseline_withheld') }}
            as bigint
        ) as baseline_value,
        cast(
            {{ withheld('comparisons.current_value', 'comparisons.is_current_withheld') }}
            as bigint
        ) as current_value,
        cast({{ withheld(
            'rank() over (partition by comparisons.kpi_id, comparisons.comparison_mode'
            ~ ' order by comparisons.current_value desc)',
            'comparisons.is_current_withheld'
        ) }} as integer) as current_rank,
        {{ scorecard_test_columns('comparisons') }}

    from comparisons
    inner join neighbourhoods
        on comparisons.area_code = neighbourhoods.neighbourhood_code
    where comparisons.area_level = 'neighbourhood'

)

select * from final
