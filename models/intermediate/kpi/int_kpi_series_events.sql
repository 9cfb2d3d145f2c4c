-- Every event of every KPI series: one row per row of a fact in a series, on the date it
-- counts, with its area and value. Each series is declared once, in the yml of the fact
-- it filters (config.meta.kpi_series, see macros/kpi/kpi_series.sql); this model is
-- their union. The KPI catalogue (seeds/kpi/kpi_catalogue.csv) names the series each
-- KPI uses.
-- A view, never written out (25 million rows on the demo extracts): it is counted per
-- day and area once (int_kpi_series_daily), and the median series alone keep their
-- events (int_kpi_series_median_events).
with

{% for fact in kpi_series_facts() %}
{{ fact }} as (

    select * from {{ ref(fact) }}

),

{% endfor %}
events as (

    {%- for series in kpi_series_list() %}
        select
            {{ kpi_series_id(series) }} as series_id,
            {{ series.date }} as event_date,
            {{ series.lpa or 'cast(null as varchar)' }} as lpa_code,
            {{ series.neighbourhood or 'cast(null as varchar)' }} as neighbourhood_code,
            cast({{ series.value or 'null' }} as double) as event_value
        from {{ series.fact }}
        where {{ series.filter }}
        {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            cast(null as varchar) as series_id,
            cast(null as date) as event_date,
            cast(null as varchar) as lpa_code,
            cast(null as varchar) as neighbourhood_code,
            cast(null as double) as event_value
    {%- endfor %}

)

select * from events
