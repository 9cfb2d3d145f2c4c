{{ config(materialized='table') }}
-- An XmR (individuals and moving range) control chart of every KPI with a trend, force-
-- wide and per LPA, over its calendar months (int_kpi_windows, window_kind
-- control_month: from the first month of the plan baseline window to the current end),
-- as NHS England's "Making Data Count" judges a monthly series:
--   centre_line          the mean of the plan baseline window's months;
--   process limits       centre_line +- 2.66 x the mean moving range of those months
--                        (the moving range: a month's absolute change from the month
--                        before, both in the baseline), kept within what the measure
--                        can take (not below 0, not above 100 for a percent);
--   special_cause        the first rule a month meets, in this order: beyond_limit (the
--                        month is outside a process limit), shift (one of a run of
--                        shift_run_points or more months on the same side of the centre
--                        line; a month on the line breaks a run), trend (one of a run of
--                        trend_run_points or more months each higher, or each lower,
--                        than the month before; an unchanged month breaks a run);
--   special_cause_direction  improvement or concern by the KPI's polarity (neutral for
--                        demand), from the side of the centre line or the way the trend
--                        runs.
-- A KPI with fewer than two baseline months has no limits. Months without a value
-- (no return, or not covered) are left out of the runs.
{%- set shift_run = var('shift_run_points') %}
{%- set trend_steps = var('trend_run_points') - 1 %}
with

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

windows as (

    select * from {{ ref('int_kpi_windows') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

baseline_windows as (

    select
        kpi_id,
        window_start,
        window_end
    from windows
    where comparison_mode = 'plan_baseline' and window_role = 'baseline'

),

months as (

    select
        kpi_values.kpi_id,
        kpi_values.area_level,
        kpi_values.area_code,
        kpi_values.window_start as month_start,
        kpi_values.window_end as month_end,
        kpi_values.kpi_value as month_value,
        kpi_values.window_end between baseline_windows.window_start
        and baseline_windows.window_end as is_baseline_month,
        row_number() over (
            partition by kpi_values.kpi_id, kpi_values.area_code
            order by kpi_values.window_end
        ) as month_index

    from kpi_values
    inner join baseline_windows
        on kpi_values.kpi_id = baseline_windows.kpi_id
    where
        kpi_values.window_kind = 'control_month'
        and kpi_values.kpi_value is not null

),

moving_ranges as (

    select
        months.*,
        case
            when
                months.is_baseline_month
                and lag(months.is_baseline_month) over (
                    partition by months.kpi_id, months.area_code order by months.month_end
                )
                then abs(
                    months.month_value - lag(months.month_value) over (
                        partition by months.kpi_id, months.area_code order by months.month_end
                    )
                )
        end as baseline_moving_range,
        months.month_value - lag(months.month_value) over (
            partition by months.kpi_id, months.area_code order by months.month_end
        ) as change_from_previous

    from months

),

limits as (

    select
        kpi_id,
        area_code,
        avg(case when is_baseline_month then month_value end) as centre_line,
        avg(baseline_moving_range) as mean_moving_range,
        sum(case when is_baseline_month then 1 else 0 end) as baseline_months
    from moving_ranges
    group by kpi_id, area_code

),

charted as (

    select
        moving_ranges.*,
        limits.baseline_months,
        catalogue.polarity,
        case when limits.baseline_months >= 2 then limits.centre_line end as centre_line,
        case
            when limits.baseline_months >= 2
                then greatest(0.0, limits.centre_line - 2.66 * limits.mean_moving_range)
        end as lower_process_limit,
        case
            when limits.baseline_months >= 2 and catalogue.unit = 'percent'
                then least(100.0, limits.centre_line + 2.66 * limits.mean_moving_range)
            when limits.baseline_months >= 2
                then limits.centre_line + 2.66 * limits.mean_moving_range
        end as upper_process_limit

    from moving_ranges
    inner join limits
        on
            moving_ranges.kpi_id = limits.kpi_id
            and moving_ranges.area_code = limits.area_code
    inner join catalogue
        on moving_ranges.kpi_id = catalogue.kpi_id

),

sided as (

    select
        *,
        case
            when month_value > centre_line then 1
            when month_value < centre_line then -1
            else 0
        end as side,
        case
            when change_from_previous > 0 then 1
            when change_from_previous < 0 then -1
            else 0
        end as step

    from charted

),

-- Runs as islands: consecutive months with the same side (or the same step) share a key.
islands as (

    select
        *,
        month_index - row_number() over (
            partition by kpi_id, area_code, side order by month_end
        ) as side_run_key,
        month_index - row_number() over (
            partition by kpi_id, area_code, step order by month_end
        ) as step_run_key

    from sided

),

runs as (

    select
        *,
        count(*) over (partition by kpi_id, area_code, side, side_run_key) as side_run_points,
        count(*) over (partition by kpi_id, area_code, step, step_run_key) as step_run_steps

    from islands

),

with_next as (

    select
        *,
        lead(step) over (partition by kpi_id, area_code order by month_end) as next_step,
        lead(step_run_steps) over (
            partition by kpi_id, area_code order by month_end
        ) as next_step_run_steps

    from runs

),

flagged as (

    select
        *,
        centre_line is not null
        and (month_value > upper_process_limit or month_value < lower_process_limit)
            as is_beyond_limit,
        centre_line is not null and side != 0 and side_run_points >= {{ shift_run }} as is_shift,
        -- a trend's months: those whose step is in a run of enough steps, and the month
        -- the run starts from
        centre_line is not null
        and (
            (step != 0 and month_index > 1 and step_run_steps >= {{ trend_steps }})
            or coalesce(
                next_step != 0
                and next_step_run_steps >= {{ trend_steps }}
                and (month_index = 1 or step != next_step),
                false
            )
        ) as is_trend

    from with_next

),

final as (

    select
        kpi_id,
        area_level,
        area_code,
        month_start,
        month_end,
        month_value,
        is_baseline_month,
        centre_line,
        lower_process_limit,
        upper_process_limit,
        case
            when is_beyond_limit then 'beyond_limit'
            when is_shift then 'shift'
            when is_trend then 'trend'
        end as special_cause,
        case
            when not (is_beyond_limit or is_shift or is_trend) then cast(null as varchar)
            when polarity = 'neutral' then 'neutral'
            when
                (
                    case
                        when is_beyond_limit or is_shift then side
                        when step != 0 and month_index > 1 and step_run_steps >= {{ trend_steps }}
                            then step
                        else next_step
                    end > 0
                ) = (polarity = 'higher_is_better')
                then 'improvement'
            else 'concern'
        end as special_cause_direction

    from flagged

)

select * from final
