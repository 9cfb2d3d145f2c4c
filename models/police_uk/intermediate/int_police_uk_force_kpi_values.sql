{{ config(materialized='table', schema='intermediate') }}
-- Every KPI of the public catalogue, per force, over the windows that force's own data
-- covers (data.police.uk files come force by force and month by month, with gaps):
--   latest_12_months  the latest 12 months its data covers: the months to the last
--                     month every fact the KPI counts has a row of the force, no earlier
--                     than the run of consecutive such months that month ends (a shorter
--                     window when the data starts later), as int_kpi_windows does for
--                     the warehouse as a whole;
--   year_earlier      the same months a year earlier, where the force's data covers
--                     every one of them;
--   month             each month its data covers.
-- A window is never wider than the months the files hold. Beside each window, its
-- numerator's and denominator's events (the catalogue's series).
with

series_monthly as (

    select * from {{ ref('int_police_uk_force_series_monthly') }}

),

declared_series as (

    select * from {{ ref('int_kpi_series') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

kpi_facts as (

    select distinct
        catalogue.kpi_id,
        declared_series.fact_model
    from catalogue
    inner join declared_series
        on
            catalogue.numerator_series = declared_series.series_id
            or catalogue.denominator_series = declared_series.series_id

),

kpi_fact_counts as (

    select
        kpi_id,
        count(*) as fact_count
    from kpi_facts
    group by kpi_id

),

fact_months as (

    select distinct
        fact_model,
        force,
        month_start
    from series_monthly
    where event_count > 0

),

-- the months of each force that every fact of a KPI covers
kpi_months as (

    select
        kpi_facts.kpi_id,
        fact_months.force,
        fact_months.month_start
    from kpi_facts
    inner join fact_months
        on kpi_facts.fact_model = fact_months.fact_model
    inner join kpi_fact_counts
        on kpi_facts.kpi_id = kpi_fact_counts.kpi_id
    group by
        kpi_facts.kpi_id, fact_months.force, fact_months.month_start, kpi_fact_counts.fact_count
    having count(*) = kpi_fact_counts.fact_count

),

month_runs as (

    select
        kpi_id,
        force,
        month_start,
        {{ dbt.datediff("cast('1900-01-01' as date)", 'month_start', 'month') }}
        - row_number() over (partition by kpi_id, force order by month_start) as run_key
    from kpi_months

),

runs as (

    select
        kpi_id,
        force,
        min(month_start) as run_start,
        max(month_start) as run_last,
        row_number() over (
            partition by kpi_id, force order by max(month_start) desc
        ) as run_rank
    from month_runs
    group by kpi_id, force, run_key

),

latest_windows as (

    select
        kpi_id,
        force,
        case
            when run_start > cast({{ dbt.dateadd('month', '-11', 'run_last') }} as date)
                then run_start
            else cast({{ dbt.dateadd('month', '-11', 'run_last') }} as date)
        end as window_start,
        run_last as last_month_start
    from runs
    where run_rank = 1

),

windows as (

    select
        kpi_id,
        force,
        'latest_12_months' as period_kind,
        window_start,
        cast({{ dbt.last_day('last_month_start', 'month') }} as date) as window_end
    from latest_windows

    union all

    select
        kpi_id,
        force,
        'year_earlier' as period_kind,
        cast({{ dbt.dateadd('month', '-12', 'window_start') }} as date) as window_start,
        cast({{ dbt.last_day(dbt.dateadd('month', '-12', 'last_month_start'), 'month') }} as date)
            as window_end
    from latest_windows

    union all

    select
        kpi_id,
        force,
        'month' as period_kind,
        month_start as window_start,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as window_end
    from kpi_months

),

window_months as (

    select
        windows.kpi_id,
        windows.force,
        windows.period_kind,
        windows.window_start,
        windows.window_end,
        {{ dbt.datediff(
            'windows.window_start', 'windows.window_end', 'month'
        ) }} + 1 as window_months,
        count(kpi_months.month_start) as months_covered
    from windows
    left join kpi_months
        on
            windows.kpi_id = kpi_months.kpi_id
            and windows.force = kpi_months.force
            and kpi_months.month_start between windows.window_start and windows.window_end
    group by
        windows.kpi_id, windows.force, windows.period_kind, windows.window_start,
        windows.window_end

),

covered_windows as (

    select * from window_months
    where months_covered = window_months

),

window_series as (

    select
        covered_windows.kpi_id,
        covered_windows.force,
        covered_windows.period_kind,
        covered_windows.window_start,
        sum(
            case
                when series_monthly.series_id = catalogue.numerator_series
                    then series_monthly.event_count
            end
        ) as numerator_count,
        sum(
            case
                when series_monthly.series_id = catalogue.denominator_series
                    then series_monthly.event_count
            end
        ) as denominator_count
    from covered_windows
    inner join catalogue
        on covered_windows.kpi_id = catalogue.kpi_id
    left join series_monthly
        on
            covered_windows.force = series_monthly.force
            and series_monthly.series_id in (
                catalogue.numerator_series, catalogue.denominator_series
            )
            and series_monthly.month_start
            between covered_windows.window_start and covered_windows.window_end
    group by
        covered_windows.kpi_id, covered_windows.force, covered_windows.period_kind,
        covered_windows.window_start

),

final as (

    select
        cast(covered_windows.kpi_id as varchar) as kpi_id,
        cast(covered_windows.force as varchar) as force,
        cast(covered_windows.period_kind as varchar) as period_kind,
        cast(covered_windows.window_start as date) as window_start,
        cast(covered_windows.window_end as date) as window_end,
        cast(covered_windows.window_months as integer) as window_months,
        cast(
            {{ dbt.datediff(
                'covered_windows.window_start', 'covered_windows.window_end', 'day'
            ) }} + 1
            as integer
        ) as window_days,
        cast(coalesce(window_series.numerator_count, 0) as bigint) as numerator_count,
        cast(
            case
                when catalogue.denominator_series is not null
                    then coalesce(window_series.denominator_count, 0)
            end as bigint
        ) as denominator_count
    from covered_windows
    inner join catalogue
        on covered_windows.kpi_id = catalogue.kpi_id
    left join window_series
        on
            covered_windows.kpi_id = window_series.kpi_id
            and covered_windows.force = window_series.force
            and covered_windows.period_kind = window_series.period_kind
            and covered_windows.window_start = window_series.window_start

)

select * from final
