-- The scorecard per LPA: one row per KPI with an LPA breakdown, comparison mode and LPA,
-- with the test behind each status; a figure the disclosure policy withholds (a count
-- of 1 to 4 of a sensitive offence, or one that would reveal such a count) is null,
-- is_suppressed says so and suppression_reason says why.
with

comparisons as (

    select * from {{ ref('int_kpi_comparisons') }}

),

lpas as (

    select * from {{ ref('dim_local_policing_areas') }}

),

final as (

    select
        cast(comparisons.kpi_id as varchar) as kpi_id,
        cast(comparisons.comparison_mode as varchar) as comparison_mode,
        cast(lpas.lpa_code as varchar) as lpa_code,
        cast(lpas.lpa_name as varchar) as lpa_name,
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
    inner join lpas
        on comparisons.area_code = lpas.lpa_code

)

select * from final
