{{ config(enabled=env_var("POLICE_WAREHOUSE", "force") == "force") }}
-- kpi_outcome_code_volumes (Figure 7) and the outcome-share KPIs (catalogue
-- denominator_series outcome) count the same outcomes: in each mode and window the
-- volumes add up to the KPI's denominator, and one code has the KPI's numerator and
-- share. A row here is a window where they disagree.
with

share_kpis as (

    select kpi_values.*
    from {{ ref('int_kpi_values') }} as kpi_values
    inner join {{ ref('kpi_catalogue') }} as catalogue
        on kpi_values.kpi_id = catalogue.kpi_id
    where
        catalogue.denominator_series = 'outcome'
        and kpi_values.area_level = 'force'
        and kpi_values.window_role in ('baseline', 'current')

),

volumes as (

    select * from {{ ref('kpi_outcome_code_volumes') }}

),

window_totals as (

    select
        comparison_mode,
        window_role,
        sum(outcomes) as outcomes
    from volumes
    group by comparison_mode, window_role

)

select share_kpis.*
from share_kpis
left join window_totals
    on
        share_kpis.comparison_mode = window_totals.comparison_mode
        and share_kpis.window_role = window_totals.window_role
where
    coalesce(window_totals.outcomes, -1) <> share_kpis.denominator_count
    or not exists (
        select 1
        from volumes
        where
            volumes.comparison_mode = share_kpis.comparison_mode
            and volumes.window_role = share_kpis.window_role
            and volumes.outcomes = share_kpis.numerator_count
            and abs(volumes.share_pct - share_kpis.kpi_value) < 1e-9
    )
