{{ config(materialized='table') }}
-- The events of the series a median KPI takes (catalogue calculation median): a median
-- needs every event's value, a count or a sum does not. Read off the events view once,
-- beside the daily counts, so that the KPI values do not recompute the events. About a
-- million rows on the demo extracts (emergency and priority response times).
-- The median series are listed as constants when the catalogue is loaded, so DuckDB
-- reads only the facts they come from (the events view is a union of constant-named
-- series); without it (compiling before the seeds exist) the same rows come by a join.
{%- set median_series = [] -%}
{%- if execute -%}
    {%- set loaded = adapter.get_relation(
        database=ref('kpi_catalogue').database,
        schema=ref('kpi_catalogue').schema,
        identifier=ref('kpi_catalogue').identifier,
    ) -%}
    {%- if loaded is not none -%}
        {%- set found = run_query(
            "select distinct numerator_series from " ~ ref('kpi_catalogue')
            ~ " where calculation = 'median' order by 1"
        ) -%}
        {%- for row in found.rows -%}
            {%- do median_series.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endif %}

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
    {%- if median_series %}
        where events.series_id in ('{{ median_series | join("', '") }}')
    {%- endif %}

)

select * from final
