-- Baseline against current for every KPI, comparison mode and area (plan_baseline: the
-- plan baseline; year_on_year and year_to_date: the same window a year earlier, see
-- int_kpi_windows): the change in the KPI's unit
-- (percentage points for a percent), the percent change, and whether that change is an
-- improvement given the KPI's polarity. Changes smaller than the stable_change_pct
-- (or, for percent KPIs, stable_change_points) var are "stable"; demand volumes
-- (polarity neutral) and missing values are "not_assessed"; a KPI in development (no
-- agreed measure, no series) is "in_development" and has no value. Windows of
-- different lengths (a public archive's data ending within a current window) are not
-- compared: no change, "not_assessed".
{%- set baseline_months = dbt.datediff('baseline.window_start', 'baseline.window_end', 'month') %}
{%- set current_months = dbt.datediff(
    'current_period.window_start', 'current_period.window_end', 'month'
) %}
{%- set same_length = 'coalesce(' ~ baseline_months ~ ' = ' ~ current_months ~ ', true)' %}
with

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

baseline as (

    select * from kpi_values
    where window_role = 'baseline'

),

current_period as (

    select * from kpi_values
    where window_role = 'current'

),

compared as (

    select
        catalogue.kpi_id,
        baseline.comparison_mode,
        catalogue.kpi_name,
        catalogue.section,
        catalogue.unit,
        catalogue.polarity,
        catalogue.kpi_status,
        baseline.area_level,
        baseline.area_code,
        baseline.window_start as baseline_start,
        baseline.window_end as baseline_end,
        current_period.window_start as current_start,
        current_period.window_end as current_end,
        baseline.kpi_value as baseline_value,
        current_period.kpi_value as current_value,
        case
            when {{ same_length }}
                then current_period.kpi_value - baseline.kpi_value
        end as change_value,
        case
            when {{ same_length }}
                then
                    100.0 * (current_period.kpi_value - baseline.kpi_value)
                    / nullif(baseline.kpi_value, 0)
        end as change_pct

    from catalogue
    inner join baseline
        on catalogue.kpi_id = baseline.kpi_id
    inner join current_period
        on
            baseline.kpi_id = current_period.kpi_id
            and baseline.comparison_mode = current_period.comparison_mode
            and baseline.area_code = current_period.area_code

),

final as (

    select
        *,
        case
            when kpi_status = 'in_development' then 'in_development'
            when change_value is null or polarity = 'neutral' then 'not_assessed'
            when change_value = 0 then 'stable'
            when
                unit = 'percent'
                and abs(change_value) < {{ var('stable_change_points') }}
                then 'stable'
            when
                unit != 'percent'
                and abs(coalesce(change_pct, 100.0)) < {{ var('stable_change_pct') }}
                then 'stable'
            when (change_value < 0) = (polarity = 'lower_is_better') then 'improving'
            else 'deteriorating'
        end as status

    from compared

)

select * from final
