-- The scorecard per LPA: one row per KPI with an LPA breakdown, comparison mode and LPA.
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
        cast(comparisons.baseline_value as double) as baseline_value,
        cast(comparisons.current_value as double) as current_value,
        cast(comparisons.change_value as double) as change_value,
        cast(comparisons.change_pct as double) as change_pct,
        cast(comparisons.status as varchar) as status

    from comparisons
    inner join lpas
        on comparisons.area_code = lpas.lpa_code

)

select * from final
