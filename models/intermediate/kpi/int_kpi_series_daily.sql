{{ config(materialized='table') }}
-- Each series counted and summed per day, for every LPA and for the force as a whole
-- (area_code FORCE), from the neighbourhood counts. Calls have no LPA: they count
-- force-wide only. Small: one row per series, area and day with events.
with

neighbourhood_days as (

    select * from {{ ref('int_kpi_series_daily_by_neighbourhood') }}

),

by_lpa as (

    select
        series_id,
        lpa_code as area_code,
        event_date,
        sum(event_count) as event_count,
        sum(value_sum) as value_sum

    from neighbourhood_days
    group by series_id, lpa_code, event_date

),

force_wide as (

    select
        series_id,
        'FORCE' as area_code,
        event_date,
        sum(event_count) as event_count,
        sum(value_sum) as value_sum

    from by_lpa
    group by series_id, event_date

),

final as (

    select * from by_lpa
    where area_code is not null

    union all

    select * from force_wide

)

select * from final
