-- The monthly series of the trend KPIs (catalogue trend_window) for the last
-- trend_months month ends, force-wide and per LPA (rolling 12 months or each calendar
-- month, kpi_value), each month with its own calendar month's value (month_value) on
-- the KPI's XmR control chart (int_kpi_control_chart): centre line and process limits
-- from the plan baseline's months, and the special-cause rule the month meets. A
-- figure the disclosure policy withholds is null (is_suppressed, suppression_reason).
with

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

disclosure as (

    select * from {{ ref('int_kpi_disclosure') }}

),

control_chart as (

    select * from {{ ref('int_kpi_control_chart') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

lpas as (

    select * from {{ ref('dim_local_policing_areas') }}

),

trend_points as (

    select
        kpi_values.kpi_id,
        kpi_values.area_code,
        kpi_values.window_end,
        kpi_values.window_kind,
        kpi_values.window_start,
        kpi_values.kpi_value,
        coalesce(point_disclosure.is_withheld, false) as is_point_withheld,
        coalesce(month_disclosure.is_withheld, false) as is_month_withheld,
        coalesce(
            case when point_disclosure.is_withheld then point_disclosure.suppression_reason end,
            case when month_disclosure.is_withheld then month_disclosure.suppression_reason end
        ) as suppression_reason

    from kpi_values
    left join disclosure as point_disclosure
        on
            kpi_values.kpi_id = point_disclosure.kpi_id
            and kpi_values.window_kind = point_disclosure.window_kind
            and kpi_values.window_end = point_disclosure.window_end
            and kpi_values.area_code = point_disclosure.area_code
    left join disclosure as month_disclosure
        on
            kpi_values.kpi_id = month_disclosure.kpi_id
            and month_disclosure.window_kind = 'control_month'
            and kpi_values.window_end = month_disclosure.window_end
            and kpi_values.area_code = month_disclosure.area_code
    where kpi_values.window_kind in ('rolling_12_months', 'calendar_month')

),

final as (

    select
        cast(trend_points.kpi_id as varchar) as kpi_id,
        cast(trend_points.area_code as varchar) as area_code,
        cast(coalesce(lpas.lpa_name, 'Force-wide') as varchar) as area_name,
        cast(trend_points.window_end as date) as month_end,
        cast(trend_points.window_kind as varchar) as trend_window,
        cast(trend_points.window_start as date) as window_start,
        cast(catalogue.kpi_name as varchar) as kpi_name,
        cast(catalogue.unit as varchar) as unit,
        cast(
            {{ withheld('trend_points.kpi_value', 'trend_points.is_point_withheld') }} as double
        ) as kpi_value,
        cast(
            {{ withheld('control_chart.month_value', 'trend_points.is_month_withheld') }} as double
        ) as month_value,
        cast(control_chart.centre_line as double) as centre_line,
        cast(control_chart.lower_process_limit as double) as lower_process_limit,
        cast(control_chart.upper_process_limit as double) as upper_process_limit,
        cast(
            {{ withheld('control_chart.special_cause', 'trend_points.is_month_withheld') }}
            as varchar
        ) as special_cause,
        cast(
            {{ withheld(
                'control_chart.special_cause_direction', 'trend_points.is_month_withheld'
            ) }}
            as varchar
        ) as special_cause_direction,
        cast(
            trend_points.is_point_withheld or trend_points.is_month_withheld as boolean
        ) as is_suppressed,
        cast(trend_points.suppression_reason as varchar) as suppression_reason

    from trend_points
    inner join catalogue
        on trend_points.kpi_id = catalogue.kpi_id
    left join lpas
        on trend_points.area_code = lpas.lpa_code
    left join control_chart
        on
            trend_points.kpi_id = control_chart.kpi_id
            and trend_points.area_code = control_chart.area_code
            and trend_points.window_end = control_chart.month_end

)

select * from final
