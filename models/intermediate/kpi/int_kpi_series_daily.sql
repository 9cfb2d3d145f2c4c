{{ config(materialized='table') }}
-- Each series counted and summed per day at every area grain a KPI can ask for: each
-- neighbourhood, each LPA and the force as a whole (area_level neighbourhood, lpa,
-- force; area_code the neighbourhood or LPA code, or FORCE). The one pass over the
-- events (int_kpi_series_events) that every count, sum, mean and return figure starts
-- from. Events without a neighbourhood (road casualties) count by LPA and force-wide;
-- events without an LPA (calls, returns) force-wide only. The sum of the values' squares
-- gives a mean its interval and a sum of weights (the harm score) its variance.
with

events as (

    select * from {{ ref('int_kpi_series_events') }}

),

by_neighbourhood as (

    select
        series_id,
        event_date,
        lpa_code,
        neighbourhood_code,
        count(*) as event_count,
        sum(event_value) as value_sum,
        sum(event_value * event_value) as value_sum_squares

    from events
    group by series_id, event_date, lpa_code, neighbourhood_code

),

by_lpa as (

    select
        series_id,
        event_date,
        lpa_code,
        sum(event_count) as event_count,
        sum(value_sum) as value_sum,
        sum(value_sum_squares) as value_sum_squares

    from by_neighbourhood
    group by series_id, event_date, lpa_code

),

force_wide as (

    select
        series_id,
        event_date,
        sum(event_count) as event_count,
        sum(value_sum) as value_sum,
        sum(value_sum_squares) as value_sum_squares

    from by_lpa
    group by series_id, event_date

),

final as (

    select
        series_id,
        'neighbourhood' as area_level,
        neighbourhood_code as area_code,
        event_date,
        event_count,
        value_sum,
        value_sum_squares
    from by_neighbourhood
    where neighbourhood_code is not null

    union all

    select
        series_id,
        'lpa' as area_level,
        lpa_code as area_code,
        event_date,
        event_count,
        value_sum,
        value_sum_squares
    from by_lpa
    where lpa_code is not null

    union all

    select
        series_id,
        'force' as area_level,
        'FORCE' as area_code,
        event_date,
        event_count,
        value_sum,
        value_sum_squares
    from force_wide

)

select * from final
