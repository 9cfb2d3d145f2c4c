-- The scorecard, force-wide: one row per KPI and comparison mode (plan_baseline,
-- year_on_year, year_to_date); a query picks its mode, e.g.
-- where comparison_mode = 'plan_baseline' for the board report.
with

comparisons as (

    select * from {{ ref('int_kpi_comparisons') }}

),

final as (

    select
        cast(kpi_id as varchar) as kpi_id,
        cast(comparison_mode as varchar) as comparison_mode,
        cast(kpi_name as varchar) as kpi_name,
        cast(section as varchar) as section,
        cast(unit as varchar) as unit,
        cast(polarity as varchar) as polarity,
        cast(baseline_start as date) as baseline_start,
        cast(baseline_end as date) as baseline_end,
        cast(current_start as date) as current_start,
        cast(current_end as date) as current_end,
        cast(baseline_value as double) as baseline_value,
        cast(current_value as double) as current_value,
        cast(change_value as double) as change_value,
        cast(change_pct as double) as change_pct,
        cast(status as varchar) as status

    from comparisons
    where area_code = 'FORCE'

)

select * from final
