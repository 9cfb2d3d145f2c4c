{{ config(materialized='table') }}
-- The events of the series a median KPI takes (catalogue calculation median): a median
-- needs every event's value, a count or a sum does not. Read off the events view once,
-- beside the neighbourhood counts, so that the KPI values do not recompute the events.
-- About a million rows on the demo extracts (emergency and priority response times).
with

events as (

    select * from {{ ref('int_kpi_series_events') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

median_series as (

    select distinct numerator_series as series_id
    from catalogue
    where calculation = 'median'

),

final as (

    select
        events.series_id,
        events.event_date,
        events.lpa_code,
        events.neighbourhood_code,
        events.event_value

    from events
    inner join median_series
        on events.series_id = median_series.series_id

)

select * from final
