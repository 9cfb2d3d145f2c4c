{{ config(materialized='table') }}
-- The value of every KPI over every window, force-wide (area_code FORCE) and, where the
-- catalogue says it has an LPA breakdown, per LPA; computed as the catalogue says: count
-- or sum of the numerator series, its mean or median value, numerator / denominator x
-- 100 (percent_of), or per 1,000 residents. Counts, sums and means come from the daily
-- aggregates; medians need the events themselves (int_kpi_series_median_events).
-- Periodic returns (one event per return period, valued at its figure): latest (the
-- figure of the latest return in the window), latest_percent_of (numerator / denominator
-- x 100 at the numerator's latest return), period_sum (the returns in the window added
-- up), ratio_of_sums and percent_of_sums (summed numerator / summed denominator); a
-- window without a return has no value (null), never 0.
-- rate_ratio compares two series each
-- per its own population (kpi_series_populations): (numerator events / numerator
-- population) / (denominator events / denominator population), e.g. searches of Black
-- people per Black resident over searches of White people per White resident.
-- Each window keeps its comparison_mode
-- (int_kpi_windows); window_kind alone already tells the windows of a KPI apart.
with

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
        lpa_code as area_code,
        population_2021
    from lpas

    union all

    select
        'FORCE' as area_code,
        sum(population_2021) as population_2021
    from lpas

),

kpi_windows_by_area as (

    select
        windows.kpi_id,
        windows.comparison_mode,
        windows.window_kind,
        windows.window_start,
        windows.window_end,
        areas.area_code,
        areas.population_2021,
        catalogue.calculation,
        catalogue.numerator_series,
        catalogue.denominator_series

    from windows
    inner join catalogue
        on windows.kpi_id = catalogue.kpi_id
    inner join areas
        on areas.area_code = 'FORCE' or catalogue.has_lpa_breakdown

),

numerators as (

    select
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code,
        sum(series_daily.event_count) as event_count,
        sum(series_daily.value_sum) as value_sum

    from kpi_windows_by_area
    inner join series_daily
        on
            kpi_windows_by_area.numerator_series = series_daily.series_id
            and kpi_windows_by_area.area_code = series_daily.area_code
            and series_daily.event_date
            between kpi_windows_by_area.window_start and kpi_windows_by_area.window_end
    group by
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code

),

median_events_by_area as (

    select
        series_id,
        event_date,
        lpa_code as area_code,
        event_value
    from median_events

    union all

    select
        series_id,
        event_date,
        'FORCE' as area_code,
        event_value
    from median_events

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

denominators as (

    select
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code,
        sum(series_daily.event_count) as event_count,
        -- the returns' ratio_of_sums and percent_of_sums divide by the summed figures
        sum(series_daily.value_sum) as value_sum

    from kpi_windows_by_area
    inner join series_daily
        on
            kpi_windows_by_area.denominator_series = series_daily.series_id
            and kpi_windows_by_area.area_code = series_daily.area_code
            and series_daily.event_date
            between kpi_windows_by_area.window_start and kpi_windows_by_area.window_end
    group by
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code

),

latest_return_dates as (

    select
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code,
        kpi_windows_by_area.numerator_series,
        kpi_windows_by_area.denominator_series,
        max(series_daily.event_date) as latest_date

    from kpi_windows_by_area
    inner join series_daily
        on
            kpi_windows_by_area.numerator_series = series_daily.series_id
            and kpi_windows_by_area.area_code = series_daily.area_code
            and series_daily.event_date
            between kpi_windows_by_area.window_start and kpi_windows_by_area.window_end
    where kpi_windows_by_area.calculation in ('latest', 'latest_percent_of')
    group by
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code,
        kpi_windows_by_area.numerator_series,
        kpi_windows_by_area.denominator_series

),

latest_returns as (

    select
        latest_return_dates.kpi_id,
        latest_return_dates.window_kind,
        latest_return_dates.window_end,
        latest_return_dates.area_code,
        numerator_returns.value_sum as latest_numerator,
        denominator_returns.value_sum as latest_denominator

    from latest_return_dates
    inner join series_daily as numerator_returns
        on
            latest_return_dates.numerator_series = numerator_returns.series_id
            and latest_return_dates.area_code = numerator_returns.area_code
            and latest_return_dates.latest_date = numerator_returns.event_date
    left join series_daily as denominator_returns
        on
            latest_return_dates.denominator_series = denominator_returns.series_id
            and latest_return_dates.area_code = denominator_returns.area_code
            and latest_return_dates.latest_date = denominator_returns.event_date

),

joined as (

    select
        kpi_windows_by_area.kpi_id,
        kpi_windows_by_area.comparison_mode,
        kpi_windows_by_area.window_kind,
        kpi_windows_by_area.window_start,
        kpi_windows_by_area.window_end,
        kpi_windows_by_area.area_code,
        kpi_windows_by_area.calculation,
        kpi_windows_by_area.population_2021,
        medians.median_value,
        latest_returns.latest_numerator,
        latest_returns.latest_denominator,
        denominators.value_sum as denominator_sum,
        rate_ratio_populations.numerator_population,
        rate_ratio_populations.denominator_population,
        coalesce(numerators.event_count, 0) as numerator_count,
        coalesce(numerators.value_sum, 0) as numerator_sum,
        coalesce(denominators.event_count, 0) as denominator_count

    from kpi_windows_by_area
    left join numerators
        on
            kpi_windows_by_area.kpi_id = numerators.kpi_id
            and kpi_windows_by_area.window_kind = numerators.window_kind
            and kpi_windows_by_area.window_end = numerators.window_end
            and kpi_windows_by_area.area_code = numerators.area_code
    left join denominators
        on
            kpi_windows_by_area.kpi_id = denominators.kpi_id
            and kpi_windows_by_area.window_kind = denominators.window_kind
            and kpi_windows_by_area.window_end = denominators.window_end
            and kpi_windows_by_area.area_code = denominators.area_code
    left join medians
        on
            kpi_windows_by_area.kpi_id = medians.kpi_id
            and kpi_windows_by_area.window_kind = medians.window_kind
            and kpi_windows_by_area.window_end = medians.window_end
            and kpi_windows_by_area.area_code = medians.area_code
    left join latest_returns
        on
            kpi_windows_by_area.kpi_id = latest_returns.kpi_id
            and kpi_windows_by_area.window_kind = latest_returns.window_kind
            and kpi_windows_by_area.window_end = latest_returns.window_end
            and kpi_windows_by_area.area_code = latest_returns.area_code
    left join rate_ratio_populations
        on kpi_windows_by_area.kpi_id = rate_ratio_populations.kpi_id

),

final as (

    select
        kpi_id,
        comparison_mode,
        window_kind,
        window_start,
        window_end,
        area_code,
        numerator_count,
        denominator_count,
        case calculation
            when 'count' then cast(numerator_count as double)
            when 'sum' then cast(numerator_sum as double)
            when 'mean' then numerator_sum / nullif(numerator_count, 0)
            when 'median' then median_value
            when 'percent_of'
                then 100.0 * numerator_count / nullif(denominator_count, 0)
            when 'per_1000_population'
                then 1000.0 * numerator_count / nullif(population_2021, 0)
            when 'latest' then latest_numerator
            when 'latest_percent_of'
                then 100.0 * latest_numerator / nullif(latest_denominator, 0)
            when 'period_sum'
                then case when numerator_count > 0 then cast(numerator_sum as double) end
            when 'ratio_of_sums'
                then case
                    when numerator_count > 0 then numerator_sum / nullif(denominator_sum, 0)
                end
            when 'percent_of_sums'
                then case
                    when numerator_count > 0
                        then 100.0 * numerator_sum / nullif(denominator_sum, 0)
                end
            when 'rate_ratio'
                then
                    1.0 * numerator_count * denominator_population
                    / nullif(1.0 * numerator_population * denominator_count, 0)
        end as kpi_value

    from joined

)

select * from final
