-- The date windows every KPI is measured over, from the period vars. A scorecard
-- window belongs to a comparison_mode and is its comparison (window_role baseline) or
-- its current window (window_role current); trend windows have window_role trend:
--   plan_baseline  baseline: the plan baseline (vars baseline_start .. baseline_end),
--                  moved back by the KPI's baseline_lag_months (negative: forward; a
--                  periodic return whose baseline is a later snapshot);
--                  current: the reporting period (vars current_start .. current_end);
--   year_on_year   current: the 12 months to var year_on_year_end;
--   year_to_date   current: vars year_to_date_start .. year_to_date_end;
-- in every mode the current window moves back by the KPI's window_lag_months (knife
-- and gun crime lag three months), and in year_on_year and year_to_date the baseline
-- is that lagged current window moved back 12 months. Windows may end mid-month:
-- shift_months keeps a month end a month end and any other day that day.
--   trend:    for each of the last trend_months month ends up to the (lagged) current
--             end, the 12 months to that month end (trend_window rolling_12_months)
--             or that calendar month alone (trend_window calendar_month); no mode.
{%- set baseline_start = "cast('" ~ var('baseline_start') ~ "' as date)" -%}
{%- set baseline_end = "cast('" ~ var('baseline_end') ~ "' as date)" -%}
{%- set current_start = "cast('" ~ var('current_start') ~ "' as date)" -%}
{%- set current_end = "cast('" ~ var('current_end') ~ "' as date)" -%}
{%- set year_on_year_end = "cast('" ~ var('year_on_year_end') ~ "' as date)" -%}
{%- set year_to_date_start = "cast('" ~ var('year_to_date_start') ~ "' as date)" -%}
{%- set year_to_date_end = "cast('" ~ var('year_to_date_end') ~ "' as date)" %}

with

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

trend_offsets as (

    {{ dbt.generate_series(var('trend_months')) }}

),

current_windows as (

    select
        kpi_id,
        'plan_baseline' as comparison_mode,
        'current' as window_kind,
        'current' as window_role,
        {{ shift_months(current_start, '-window_lag_months') }} as window_start,
        {{ shift_months(current_end, '-window_lag_months') }} as window_end

    from catalogue

    union all

    select
        kpi_id,
        'year_on_year' as comparison_mode,
        'year_on_year_current' as window_kind,
        'current' as window_role,
        cast({{ dbt.dateadd(
            'day', '1', shift_months(year_on_year_end, '-12 - window_lag_months')
        ) }} as date) as window_start,
        {{ shift_months(year_on_year_end, '-window_lag_months') }} as window_end

    from catalogue

    union all

    select
        kpi_id,
        'year_to_date' as comparison_mode,
        'year_to_date_current' as window_kind,
        'current' as window_role,
        {{ shift_months(year_to_date_start, '-window_lag_months') }} as window_start,
        {{ shift_months(year_to_date_end, '-window_lag_months') }} as window_end

    from catalogue

),

scorecard_windows as (

    select
        kpi_id,
        'plan_baseline' as comparison_mode,
        'baseline' as window_kind,
        'baseline' as window_role,
        {{ shift_months(baseline_start, '-baseline_lag_months') }} as window_start,
        {{ shift_months(baseline_end, '-baseline_lag_months') }} as window_end

    from catalogue

    union all

    select * from current_windows

    union all

    select
        kpi_id,
        comparison_mode,
        case comparison_mode
            when 'year_on_year' then 'year_on_year_baseline'
            else 'year_to_date_baseline'
        end as window_kind,
        'baseline' as window_role,
        {{ shift_months('window_start', '-12') }} as window_start,
        {{ shift_months('window_end', '-12') }} as window_end

    from current_windows
    where comparison_mode != 'plan_baseline'

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
        cast(null as varchar) as comparison_mode,
        trend_window as window_kind,
        'trend' as window_role,
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
