-- Special cause in the latest months: every KPI with a trend, force-wide and per LPA,
-- whose control chart (int_kpi_control_chart) shows special cause in one of its
-- latest signal_months months (var), one row per such month, with the rule it met and
-- whether it is an improvement or a concern. What the board report's summary and an
-- alert read; a month the disclosure policy withholds is left out.
with

control_chart as (

    select * from {{ ref('int_kpi_control_chart') }}

),

disclosure as (

    select * from {{ ref('int_kpi_disclosure') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

lpas as (

    select * from {{ ref('dim_local_policing_areas') }}

),

latest as (

    select
        kpi_id,
        area_code,
        max(month_end) as latest_month_end
    from control_chart
    group by kpi_id, area_code

),

final as (

    select
        cast(control_chart.kpi_id as varchar) as kpi_id,
        cast(catalogue.kpi_name as varchar) as kpi_name,
        cast(control_chart.area_code as varchar) as area_code,
        cast(coalesce(lpas.lpa_name, 'Force-wide') as varchar) as area_name,
        cast(control_chart.month_end as date) as month_end,
        cast(control_chart.month_value as double) as month_value,
        cast(control_chart.centre_line as double) as centre_line,
        cast(control_chart.lower_process_limit as double) as lower_process_limit,
        cast(control_chart.upper_process_limit as double) as upper_process_limit,
        cast(control_chart.special_cause as varchar) as special_cause,
        cast(control_chart.special_cause_direction as varchar) as special_cause_direction,
        cast(catalogue.unit as varchar) as unit,
        cast(catalogue.polarity as varchar) as polarity

    from control_chart
    inner join latest
        on
            control_chart.kpi_id = latest.kpi_id
            and control_chart.area_code = latest.area_code
    inner join catalogue
        on control_chart.kpi_id = catalogue.kpi_id
    left join lpas
        on control_chart.area_code = lpas.lpa_code
    left join disclosure
        on
            control_chart.kpi_id = disclosure.kpi_id
            and disclosure.window_kind = 'control_month'
            and control_chart.month_end = disclosure.window_end
            and control_chart.area_code = disclosure.area_code
    where
        control_chart.special_cause is not null
        and not coalesce(disclosure.is_withheld, false)
        and control_chart.month_end
        > {{ shift_months('latest.latest_month_end', '-' ~ var('signal_months')) }}

)

select * from final
