{{ config(materialized='table') }}
-- Each series counted and summed per day and neighbourhood (with its LPA): the one pass
-- over the events (int_kpi_series_events) that every count, sum and mean starts from.
-- Calls have no LPA or neighbourhood, force-wide series of returns neither: their rows
-- have null codes. About 4 million rows on the demo extracts, from 25 million events.
with

events as (

    select * from {{ ref('int_kpi_series_events') }}

),

final as (

    select
        series_id,
        event_date,
        lpa_code,
        neighbourhood_code,
        count(*) as event_count,
        sum(event_value) as value_sum

    from events
    group by series_id, event_date, lpa_code, neighbourhood_code

)

select * from final
