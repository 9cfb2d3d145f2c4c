{{ config(materialized='table') }}
-- The value of every KPI over every window and area: force-wide (area FORCE), per LPA
-- where the catalogue says has_lpa_breakdown, per neighbourhood where it says
-- has_neighbourhood_breakdown (scorecard windows only). One path for every calculation
-- and grain: each window's numerator and denominator series are totalled over the
-- window from the daily counts (int_kpi_series_daily), medians from the events
-- (int_kpi_series_median_events), and the catalogue's calculation turns them into the
-- value:
--   count, sum, mean (sum / count), median, percent_of (numerator / denominator x 100),
--   per_1000_population (of the area), rate_ratio ((numerator events / numerator
--   population) / (denominator events / denominator population), each series' group
--   from kpi_series_populations: searches of Black people per Black resident over
--   searches of White people per White resident);
--   periodic returns (one event per return period, valued at its figure): latest (the
--   figure of the latest return in the window), latest_percent_of (numerator /
--   denominator x 100 at the numerator's latest return), period_sum (the returns in the
--   window added up), ratio_of_sums and percent_of_sums (summed numerator / summed
--   denominator); a window without a return has no value (null), never 0.
-- A window its facts do not cover month by month (int_kpi_windows.is_covered: the
-- public warehouse holds whatever months its archives hold) has no value either.
-- Beside the value, what its test needs (int_kpi_comparisons): the window's days, each
-- role's counts, sums and sums of squares, the latest return's figures, the groups'
-- populations, and for a median the distribution-free interval of the order statistics
-- (ranks n/2 -+ z sqrt(n)/2, z of the confidence_level var) in the scorecard windows.
with

settings as (

    select {{ normal_quantile('(0.5 + ' ~ var('confidence_level') ~ ' / 2.0)') }} as z_critical

),

windows as (

    select * from {{ ref('int_kpi_windows') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

series_daily as (

    select * from {{ ref('int_kpi_series_daily') }}

),

median_events as (

    select * from {{ ref('int_kpi_series_median_events') }}

),

lpas as (

    select * from {{ ref('dim_local_policing_areas') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

series_population_groups as (

    select * from {{ ref('kpi_series_populations') }}

),

ethnic_group_populations as (

    select * from {{ ref('ref_population_by_ethnicity') }}

),

series_populations as (

    select
        series_population_groups.series_id,
        ethnic_group_populations.population_2021
    from series_population_groups
    inner join ethnic_group_populations
        on series_population_groups.ethnic_group = ethnic_group_populations.ethnic_group

),

rate_ratio_populations as (

    select
        catalogue.kpi_id,
        numerator_populations.population_2021 as numerator_population,
        denominator_populations.population_2021 as denominator_population
    from catalogue
    left join series_populations as numerator_populations
        on catalogue.numerator_series = numerator_populations.series_id
    left join series_populations as denominator_populations
        on catalogue.denominator_series = denominator_populations.series_id
    where catalogue.calculation = 'rate_ratio'

),

areas as (

    select
        'force' as area_level,
        'FORCE' as area_code,
        sum(population_2021) as population_2021
    from lpas

    union all

    select
        'lpa' as area_level,
        lpa_code as area_code,
        population_2021
    from lpas

    union all

    select
        'neighbourhood' as area_level,
        neighbourhood_code as area_code,
        cast(null as integer) as population_2021
    from neighbourhoods

),

kpi_windows_by_area as (

    select
        windows.kpi_id,
        windows.comparison_mode,
        windows.window_kind,
        windows.window_role,
        windows.window_start,
        windows.window_end,
        windows.is_covered,
        areas.area_level,
        areas.area_code,
        areas.population_2021,
        catalogue.calculation,
        catalogue.numerator_series,
        catalogue.denominator_series

    from windows
    inner join catalogue
        on windows.kpi_id = catalogue.kpi_id
    inner join areas
        on
            areas.area_level = 'force'
            or (areas.area_level = 'lpa' and catalogue.has_lpa_breakdown)
            or (
                areas.area_level = 'neighbourhood'
                and catalogue.has_neighbourhood_breakdown
                and windows.window_role in ('baseline', 'current')
            )

),

-- Each window's series in its two roles: the numerator, and the denominator.
window_series as (

    select
        kpi_id,
        window_kind,
        window_start,
        window_end,
        area_code,
        calculation,
        'numerator' as series_role,
        numerator_series as series_id
    from kpi_windows_by_area
    where numerator_series is not null

    union all

    select
        kpi_id,
        window_kind,
        window_start,
        window_end,
        area_code,
        calculation,
        'denominator' as series_role,
        denominator_series as series_id
    from kpi_windows_by_area
    where denominator_series is not null

),

-- Each role's events in the window: counted, summed, and the date of the latest.
series_totals as (

    select
        window_series.kpi_id,
        window_series.window_kind,
        window_series.window_end,
        window_series.area_code,
        window_series.series_role,
        sum(series_daily.event_count) as event_count,
        sum(series_daily.value_sum) as value_sum,
        sum(series_daily.value_sum_squares) as value_sum_squares,
        max(series_daily.event_date) as latest_date

    from window_series
    inner join series_daily
        on
            window_series.series_id = series_daily.series_id
            and window_series.area_code = series_daily.area_code
            and series_daily.event_date
            between window_series.window_start and window_series.window_end
    group by
        window_series.kpi_id,
        window_series.window_kind,
        window_series.window_end,
        window_series.area_code,
        window_series.series_role

),

-- Latest-return KPIs: each role's figure at the numerator's latest return.
latest_figures as (

    select
        window_series.kpi_id,
        window_series.window_kind,
        window_series.window_end,
        window_series.area_code,
        window_series.series_role,
        series_daily.value_sum as latest_value

    from window_series
    inner join series_totals as numerator_totals
        on
            window_series.kpi_id = numerator_totals.kpi_id
            and window_series.window_kind = numerator_totals.window_kind
            and window_series.window_end = numerator_totals.window_end
            and window_series.area_code = numerator_totals.area_code
            and numerator_totals.series_role = 'numerator'
    inner join series_daily
        on
            window_series.series_id = series_daily.series_id
            and window_series.area_code = series_daily.area_code
            and numerator_totals.latest_date = series_daily.event_date
    where window_series.calculation in ('latest', 'latest_percent_of')

),

median_events_by_area as (

    select
        series_id,
        event_date,
        'FORCE' as area_code,
        event_value
    from median_events

    union all

    select
        series_id,
        event_date,
        lpa_code as area_code,
        event_value
    from median_events
    where lpa_code is not null

    union all

    select
        series_id,
        event_date,
        neighbourhood_code as area_code,
        event_value
    from median_events
    where neighbourhood_code is not null

),

medians as (

    select
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code,
        {{ median('median_events_by_area.event_value') }} as median_value

    from kpi_windows_by_area
    inner join median_events_by_area
        on
            kpi_windows_by_area.numerator_series = median_events_by_area.series_id
            and kpi_windows_by_area.area_code = median_events_by_area.area_code
            and median_events_by_area.event_date
            between kpi_windows_by_area.window_start and kpi_windows_by_area.window_end
    where kpi_windows_by_area.calculation = 'median'
    group by
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code

),

-- A median's interval: the values at the ranks n/2 - z sqrt(n)/2 (rounded down) and
-- 1 + n/2 + z sqrt(n)/2 (rounded up) of the window's n events, read off the count of
-- events at each value; none where n is too small for the ranks to exist.
median_value_counts as (

    select
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code,
        median_events_by_area.event_value,
        count(*) as value_count

    from kpi_windows_by_area
    inner join median_events_by_area
        on
            kpi_windows_by_area.numerator_series = median_events_by_area.series_id
            and kpi_windows_by_area.area_code = median_events_by_area.area_code
            and median_events_by_area.event_date
            between kpi_windows_by_area.window_start and kpi_windows_by_area.window_end
    where
        kpi_windows_by_area.calculation = 'median'
        and kpi_windows_by_area.window_role in ('baseline', 'current')
    group by
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code,
        median_events_by_area.event_value

),

median_ranks as (

    select
        *,
        sum(value_count) over (
            partition by kpi_id, window_kind, window_end, area_code
            order by event_value
            rows between unbounded preceding and current row
        ) as cumulative_count,
        sum(value_count) over (
            partition by kpi_id, window_kind, window_end, area_code
        ) as event_count
    from median_value_counts

),

median_rank_limits as (

    select
        median_ranks.*,
        floor(
            median_ranks.event_count / 2.0
            - settings.z_critical * sqrt(1.0 * median_ranks.event_count) / 2.0
        ) as lower_rank,
        ceiling(
            1.0 + median_ranks.event_count / 2.0
            + settings.z_critical * sqrt(1.0 * median_ranks.event_count) / 2.0
        ) as upper_rank
    from median_ranks
    cross join settings

),

median_intervals as (

    select
        kpi_id,
        window_kind,
        window_end,
        area_code,
        min(case when cumulative_count >= lower_rank then event_value end) as median_ci_low,
        min(case when cumulative_count >= upper_rank then event_value end) as median_ci_high
    from median_rank_limits
    where lower_rank >= 1 and upper_rank <= event_count
    group by kpi_id, window_kind, window_end, area_code

),

-- One row per window and area, each role's figures side by side.
figures as (

    select
        series_totals.kpi_id,
        series_totals.window_kind,
        series_totals.window_end,
        series_totals.area_code,
        {%- for role in ['numerator', 'denominator'] %}
            max(
                case
                    when series_totals.series_role = '{{ role }}' then series_totals.event_count
                end
            ) as {{ role }}_count,
            max(
                case when series_totals.series_role = '{{ role }}' then series_totals.value_sum end
            ) as {{ role }}_sum,
            max(
                case
                    when series_totals.series_role = '{{ role }}'
                        then series_totals.value_sum_squares
                end
            ) as {{ role }}_sum_squares,
            max(
                case
                    when latest_figures.series_role = '{{ role }}' then latest_figures.latest_value
                end
            ) as latest_{{ role }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from series_totals
    left join latest_figures
        on
            series_totals.kpi_id = latest_figures.kpi_id
            and series_totals.window_kind = latest_figures.window_kind
            and series_totals.window_end = latest_figures.window_end
            and series_totals.area_code = latest_figures.area_code
            and series_totals.series_role = latest_figures.series_role
    group by
        series_totals.kpi_id,
        series_totals.window_kind,
        series_totals.window_end,
        series_totals.area_code

),

joined as (

    select
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.comparison_mode,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_role,
        kpi_windows_by_area.window_start,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_level,
        kpi_windows_by_area.area_code,
        kpi_windows_by_area.calculation,
        kpi_windows_by_area.population_2021,
        medians.median_value,
        median_intervals.median_ci_low,
        median_intervals.median_ci_high,
        figures.numerator_sum_squares,
        figures.latest_numerator,
        figures.latest_denominator,
        figures.denominator_sum,
        rate_ratio_populations.numerator_population,
        rate_ratio_populations.denominator_population,
        kpi_windows_by_area.is_covered,
        coalesce(figures.numerator_count, 0) as numerator_count,
        coalesce(figures.numerator_sum, 0) as numerator_sum,
        coalesce(figures.denominator_count, 0) as denominator_count

    from kpi_windows_by_area
    left join figures
        on
            kpi_windows_by_area.kpi_id = figures.kpi_id
            and kpi_windows_by_area.window_kind = figures.window_kind
            and kpi_windows_by_area.window_end = figures.window_end
            and kpi_windows_by_area.area_code = figures.area_code
    left join medians
        on
            kpi_windows_by_area.kpi_id = medians.kpi_id
            and kpi_windows_by_area.window_kind = medians.window_kind
            and kpi_windows_by_area.window_end = medians.window_end
            and kpi_windows_by_area.area_code = medians.area_code
    left join median_intervals
        on
            kpi_windows_by_area.kpi_id = median_intervals.kpi_id
            and kpi_windows_by_area.window_kind = median_intervals.window_kind
            and kpi_windows_by_area.window_end = median_intervals.window_end
            and kpi_windows_by_area.area_code = median_intervals.area_code
    left join rate_ratio_populations
        on kpi_windows_by_area.kpi_id = rate_ratio_populations.kpi_id

),

final as (

    select
        kpi_id,
        comparison_mode,
        window_kind,
        window_role,
        window_start,
        window_end,
        area_level,
        area_code,
        numerator_count,
        denominator_count,
        {{ dbt.datediff('window_start', 'window_end', 'day') }} + 1 as window_days,  -- noqa: LT05
        numerator_sum,
        numerator_sum_squares,
        denominator_sum,
        latest_numerator,
        latest_denominator,
        numerator_population,
        denominator_population,
        population_2021,
        median_ci_low,
        median_ci_high,
        case
            when not is_covered then null
            when calculation = 'count' then cast(numerator_count as double)
            when calculation = 'sum' then cast(numerator_sum as double)
            when calculation = 'mean' then numerator_sum / nullif(numerator_count, 0)
            when calculation = 'median' then median_value
            when calculation = 'percent_of'
                then 100.0 * numerator_count / nullif(denominator_count, 0)
            when calculation = 'per_1000_population'
                then 1000.0 * numerator_count / nullif(population_2021, 0)
            when calculation = 'latest' then latest_numerator
            when calculation = 'latest_percent_of'
                then 100.0 * latest_numerator / nullif(latest_denominator, 0)
            when calculation = 'period_sum'
                then case when numerator_count > 0 then cast(numerator_sum as double) end
            when calculation = 'ratio_of_sums'
                then case
                    when numerator_count > 0 then numerator_sum / nullif(denominator_sum, 0)
                end
            when calculation = 'percent_of_sums'
                then case
                    when numerator_count > 0
                        then 100.0 * numerator_sum / nullif(denominator_sum, 0)
                end
            when calculation = 'rate_ratio'
                then
                    1.0 * numerator_count * denominator_population
                    / nullif(1.0 * numerator_population * denominator_count, 0)
        end as kpi_value

    from joined

)

select * from final
