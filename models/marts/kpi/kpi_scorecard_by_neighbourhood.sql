-- Count KPIs with a neighbourhood breakdown (catalogue has_neighbourhood_breakdown), per
-- comparison mode and neighbourhood, baseline against current, ranked by the current
-- value within the KPI and mode (1 = most).
with

windows as (

    select * from {{ ref('int_kpi_windows') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

series_neighbourhood_days as (

    select * from {{ ref('int_kpi_series_daily_by_neighbourhood') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

kpis as (

    select * from catalogue
    where has_neighbourhood_breakdown and calculation = 'count'

),

kpi_windows as (

    select
        windows.kpi_id,
        windows.comparison_mode,
        windows.window_start,
        windows.window_end,
        kpis.numerator_series,
        windows.window_kind in ('current', 'year_on_year_current', 'year_to_date_current')
            as is_current

    from windows
    inner join kpis
        on windows.kpi_id = kpis.kpi_id
    where windows.comparison_mode is not null

),

counts as (

    select
        kpi_windows.kpi_id,
        kpi_windows.comparison_mode,
        series_neighbourhood_days.neighbourhood_code,
        sum(
            case when kpi_windows.is_current then 0 else series_neighbourhood_days.event_count end
        ) as baseline_count,
        sum(
            case when kpi_windows.is_current then series_neighbourhood_days.event_count else 0 end
        ) as current_count

    from kpi_windows
    inner join series_neighbourhood_days
        on
            kpi_windows.numerator_series = series_neighbourhood_days.series_id
            and series_neighbourhood_days.event_date
            between kpi_windows.window_start and kpi_windows.window_end
    group by
        kpi_windows.kpi_id,
        kpi_windows.comparison_mode,
        series_neighbourhood_days.neighbourhood_code

),

scaffold as (

    select
        kpis.kpi_id,
        current_window.comparison_mode,
        kpis.kpi_name,
        neighbourhoods.neighbourhood_code,
        neighbourhoods.neighbourhood_name,
        neighbourhoods.lpa_name,
        baseline_window.window_start as baseline_start,
        baseline_window.window_end as baseline_end,
        current_window.window_start as current_start,
        current_window.window_end as current_end

    from kpis
    cross join neighbourhoods
    inner join kpi_windows as current_window
        on
            kpis.kpi_id = current_window.kpi_id
            and current_window.is_current
    inner join kpi_windows as baseline_window
        on
            current_window.kpi_id = baseline_window.kpi_id
            and current_window.comparison_mode = baseline_window.comparison_mode
            and not baseline_window.is_current

),

final as (

    select
        cast(scaffold.kpi_id as varchar) as kpi_id,
        cast(scaffold.comparison_mode as varchar) as comparison_mode,
        cast(scaffold.neighbourhood_code as varchar) as neighbourhood_code,
        cast(scaffold.neighbourhood_name as varchar) as neighbourhood_name,
        cast(scaffold.lpa_name as varchar) as lpa_name,
        cast(scaffold.kpi_name as varchar) as kpi_name,
        cast(scaffold.baseline_start as date) as baseline_start,
        cast(scaffold.baseline_end as date) as baseline_end,
        cast(scaffold.current_start as date) as current_start,
        cast(scaffold.current_end as date) as current_end,
        cast(coalesce(counts.baseline_count, 0) as bigint) as baseline_value,
        cast(coalesce(counts.current_count, 0) as bigint) as current_value,
        cast(
            rank() over (
                partition by scaffold.kpi_id, scaffold.comparison_mode
                order by coalesce(counts.current_count, 0) desc
            ) as integer
        ) as current_rank

    from scaffold
    left join counts
        on
            scaffold.kpi_id = counts.kpi_id
            and scaffold.comparison_mode = counts.comparison_mode
            and scaffold.neighbourhood_code = counts.neighbourhood_code

)

select * from final
