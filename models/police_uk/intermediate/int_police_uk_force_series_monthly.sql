{{ config(materialized='table', schema='intermediate') }}
-- Each KPI series counted per force and month: the series the public facts declare
-- (dbt_project.yml, vars police_uk_kpi_series; macros/kpi/kpi_series.sql), by the force
-- each row is of (every public fact has a force column: the data.police.uk slug). The
-- KPI engine counts the same series for the whole warehouse and its local authorities
-- (int_kpi_series_daily); rates per resident and peer comparisons need them by force.
with

{% for fact in kpi_series_facts() %}
    {{ fact }} as (

        select * from {{ ref(fact) }}

    ),

{% endfor %}
monthly as (

    {%- for series in kpi_series_list() %}
        select
            {{ kpi_series_id(series) }} as series_id,
            '{{ series.fact }}' as fact_model,
            force,
            cast({{ dbt.date_trunc('month', series.date) }} as date) as month_start,
            count(*) as event_count
        from {{ series.fact }}
        where {{ series.filter }} and force is not null
        group by {{ kpi_series_id(series) }}, force, {{ dbt.date_trunc('month', series.date) }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

final as (

    select
        cast(series_id as varchar) as series_id,
        cast(fact_model as varchar) as fact_model,
        cast(force as varchar) as force,
        month_start,
        cast(event_count as bigint) as event_count
    from monthly

)

select * from final
