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
--   control:  each calendar month from the first month of the KPI's plan baseline
--             window to its (lagged) current end, for every KPI with a trend: the
--             monthly series its control limits and special-cause rules read
--             (int_kpi_control_chart); window_kind control_month, no mode.
{%- set baseline_start = "cast('" ~ var('baseline_start') ~ "' as date)" -%}
{%- set baseline_end = "cast('" ~ var('baseline_end') ~ "' as date)" -%}
{%- set current_start = "cast('" ~ var('current_start') ~ "' as date)" -%}
{%- set current_end = "cast('" ~ var('current_end') ~ "' as date)" -%}
{%- set year_on_year_end = "cast('" ~ var('year_on_year_end') ~ "' as date)" -%}
{%- set year_to_date_start = "cast('" ~ var('year_to_date_start') ~ "' as date)" -%}
{%- set year_to_date_end = "cast('" ~ var('year_to_date_end') ~ "' as date)" -%}
{#- months from the plan baseline's first month to the current end, and a year more for
    the lags a catalogue row may declare -#}
{%- set from_month = var('baseline_start')[:4] | int * 12 + var('baseline_start')[5:7] | int -%}
{%- set to_month = var('current_end')[:4] | int * 12 + var('current_end')[5:7] | int -%}
{%- set control_offsets = [to_month - from_month + 13, 1] | max %}

with

catalogue_declared as (

    select * from {{ ref('kpi_catalogue') }}

),

{% if windows_from_coverage() %}
    months_covered as (

        select * from {{ ref('int_kpi_months_covered') }}

    ),

    -- Runs of consecutive covered months: a run's months share a run_key.
    month_runs as (

        select
            kpi_id,
            month_start,
            {{ dbt.datediff("cast('1900-01-01' as date)", 'month_start', 'month') }}
            - row_number() over (partition by kpi_id order by month_start) as run_key
        from months_covered

    ),

    runs as (

        select
            kpi_id,
            min(month_start) as run_start,
            max(month_start) as run_last,
            row_number() over (partition by kpi_id order by max(month_start) desc) as run_rank
        from month_runs
        group by kpi_id, run_key

    ),

{% endif %}
-- In the public warehouse each KPI's windows end at the last month its data covers (the
-- latest 12 months in the archive of that data, however far they lag the archive's
-- last month, var current_end), and its current window starts no earlier than the run
-- of consecutive months that last month ends.
catalogue as (

    select
        catalogue_declared.kpi_id,
        {% if windows_from_coverage() -%}
            catalogue_declared.window_lag_months + coalesce({{ dbt.datediff(
                'runs.run_last', dbt.date_trunc('month', current_end), 'month'
            ) }}, 0) as window_lag_months,
            runs.run_start,
        {%- else -%}
            catalogue_declared.window_lag_months,
            cast(null as date) as run_start,
        {%- endif %}
        catalogue_declared.baseline_lag_months,
        catalogue_declared.trend_window

    from catalogue_declared
    {% if windows_from_coverage() -%}
        left join runs
            on
                catalogue_declared.kpi_id = runs.kpi_id
                and runs.run_rank = 1
    {%- endif %}

),

trend_offsets as (

    {{ dbt.generate_series(var('trend_months')) }}

),

control_offsets as (

    {{ dbt.generate_series(control_offsets) }}

),

lagged_current_windows as (

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

current_windows as (

    select
        lagged_current_windows.kpi_id,
        lagged_current_windows.comparison_mode,
        lagged_current_windows.window_kind,
        lagged_current_windows.window_role,
        case
            when catalogue.run_start > lagged_current_windows.window_start
                then catalogue.run_start
            else lagged_current_windows.window_start
        end as window_start,
        lagged_current_windows.window_end

    from lagged_current_windows
    inner join catalogue
        on lagged_current_windows.kpi_id = catalogue.kpi_id

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

control_month_ends as (

    select
        catalogue.kpi_id,
        cast({{ dbt.last_day(
            dbt.dateadd(
                'month',
                '1 - control_offsets.generated_number - catalogue.window_lag_months',
                current_end
            ),
            'month'
        ) }} as date) as window_end,
        {{ shift_months(baseline_start, '-catalogue.baseline_lag_months') }} as baseline_start

    from catalogue
    cross join control_offsets
    where catalogue.trend_window is not null

),

control_windows as (

    select
        kpi_id,
        cast(null as varchar) as comparison_mode,
        'control_month' as window_kind,
        'control' as window_role,
        cast({{ dbt.date_trunc('month', 'window_end') }} as date) as window_start,
        window_end

    from control_month_ends
    where window_end >= baseline_start

),

all_windows as (

    select * from scorecard_windows
    union all
    select * from trend_windows
    union all
    select * from control_windows

),

{% if windows_from_coverage() %}
    window_months as (

        select
            all_windows.kpi_id,
            all_windows.window_kind,
            all_windows.window_end,
            count(months_covered.month_start) as months_covered

        from all_windows
        left join months_covered
            on
                all_windows.kpi_id = months_covered.kpi_id
                and months_covered.month_start
                between cast({{ dbt.date_trunc('month', 'all_windows.window_start') }} as date)
                and all_windows.window_end
        group by all_windows.kpi_id, all_windows.window_kind, all_windows.window_end

    ),
{% endif %}

final as (

    select
        all_windows.*,
        {% if windows_from_coverage() %}
            coalesce(window_months.months_covered, 0) = {{ dbt.datediff(
                'all_windows.window_start', 'all_windows.window_end', 'month'
            ) }} + 1 as is_covered
        {% else %}
            true as is_covered
        {% endif %}

    from all_windows
    {% if windows_from_coverage() %}
        left join window_months
            on
                all_windows.kpi_id = window_months.kpi_id
                and all_windows.window_kind = window_months.window_kind
                and all_windows.window_end = window_months.window_end
    {% endif %}

)

select * from final
