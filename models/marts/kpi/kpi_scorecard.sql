-- The scorecard, force-wide: one row per KPI and comparison mode (plan_baseline,
-- year_on_year, year_to_date); a query picks its mode, e.g.
-- where comparison_mode = 'plan_baseline' for the board report. Each row carries the
-- test behind its status (int_kpi_comparisons) and, like every KPI mart, withholds
-- what the disclosure policy withholds (none, force-wide, under the default policy).
with

comparisons as (

    select * from {{ ref('int_kpi_comparisons') }}

),

final as (

    select
        cast(comparisons.kpi_id as varchar) as kpi_id,
        cast(comparisons.comparison_mode as varchar) as comparison_mode,
        cast(comparisons.kpi_name as varchar) as kpi_name,
        cast(comparisons.section as varchar) as section,
        cast(comparisons.unit as varchar) as unit,
        cast(comparisons.polarity as varchar) as polarity,
        cast(comparisons.baseline_start as date) as baseline_start,
        cast(comparisons.baseline_end as date) as baseline_end,
        cast(comparisons.current_start as date) as current_start,
        cast(comparisons.current_end as date) as current_end,
        cast(
            {{ withheld('comparisons.baseline_value', 'comparisons.is_baseline_withheld') }}
            as double
        ) as baseline_value,
        cast(
            {{ withheld('comparisons.current_value', 'comparisons.is_current_withheld') }}
            as double
        ) as current_value,
        {{ scorecard_test_columns('comparisons') }}

    from comparisons
    where comparisons.area_code = 'FORCE'

)

select * from final
