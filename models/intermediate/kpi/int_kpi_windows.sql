-- The date windows every KPI is measured over, from the period vars:
--   baseline: the plan baseline (vars baseline_start .. baseline_end), moved back by
--             the KPI's baseline_lag_months (negative: forward; a periodic return
--             whose baseline is a later snapshot, e.g. headcount at April 2024);
--   current:  the reporting period (vars current_start .. current_end), moved back by
--             the KPI's window_lag_months (knife and gun crime lag three months);
--   trend:    for each of the last trend_months month ends up to the (lagged) current
--             end, the 12 months to that month end (trend_window rolling_12_months)
--             or that calendar month alone (trend_window calendar_month).
{%- set baseline_start = "cast('" ~ var('baseline_start') ~ "' as date)" -%}
{%- set baseline_end = "cast('" ~ var('baseline_end') ~ "' as date)" -%}
{%- set current_start = "cast('" ~ var('current_start') ~ "' as date)" -%}
{%- set current_end = "cast('" ~ var('current_end') ~ "' as date)" %}

with

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

trend_offsets as (

    {{ dbt.generate_series(var('trend_months')) }}

),

scorecard_windows as (

    select
        kpi_id,
        'baseline' as window_kind,
        {{ shift_months(baseline_start, '-baseline_lag_months') }} as window_start,
        {{ shift_months(baseline_end, '-baseline_lag_months') }} as window_end

    from catalogue

    union all

    select
        kpi_id,
        'current' as window_kind,
        {{ shift_months(current_start, '-window_lag_months') }} as window_start,
        {{ shift_months(current_end, '-window_lag_months') }} as window_end

    from catalogue

),

trend_month_ends as (

    select
        catalogue.kpi_id,
        catalogue.trend_window,
        cast({{ dbt.last_day(
            dbt.dateadd(
                'month',
                '1 - trend_offsets.generated_number - catalogue.window_lag_months',
                current_end
            ),
            'month'
        ) }} as date) as window_end

    from catalogue
    cross join trend_offsets
    where catalogue.trend_window is not null

),

trend_windows as (

    select
        kpi_id,
        trend_window as window_kind,
        case trend_window
            when 'rolling_12_months'
                then cast({{ dbt.dateadd(
                    'month', '-11', dbt.date_trunc('month', 'window_end')
                ) }} as date)
            else cast({{ dbt.date_trunc('month', 'window_end') }} as date)
        end as window_start,
        window_end

    from trend_month_ends

),

final as (

    select * from scorecard_windows
    union all
    select * from trend_windows

)

select * from final
