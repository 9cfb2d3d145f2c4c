-- Every KPI series the facts declare (their yml, config.meta.kpi_series): the list the
-- KPI catalogue's series are checked against. A fact with one series per value (the
-- periodic returns, <return_id>.<measure>) lists the ids its seed holds.
with

{% for series in kpi_series_list() if not series.series_id %}
{{ series.series_id_seed }} as (

    select * from {{ ref(series.series_id_seed) }}

),

{% endfor %}
declared as (

    {%- for series in kpi_series_list() %}
        select
            {{ kpi_series_id(series) }} as series_id,
            '{{ series.fact }}' as fact_model,
            '{{ series.date }}' as date_column,
            '{{ series.filter | replace("'", "''") }}' as series_filter,
            {{ "'" ~ series.value ~ "'" if series.value else 'cast(null as varchar)' }}
                as value_expression,
            {{ 'true' if series.lpa else 'false' }} as has_lpa,
            {{ 'true' if series.neighbourhood else 'false' }} as has_neighbourhood
        {%- if not series.series_id %}
            from {{ series.series_id_seed }}
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            cast(null as varchar) as series_id,
            cast(null as varchar) as fact_model,
            cast(null as varchar) as date_column,
            cast(null as varchar) as series_filter,
            cast(null as varchar) as value_expression,
            false as has_lpa,
            false as has_neighbourhood
    {%- endfor %}

)

select * from declared
