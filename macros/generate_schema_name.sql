{#- Schemas are the layer names (staging, intermediate, marts, reference), not
    <target schema>_<layer>, so BI tools find marts.kpi_scorecard on every target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
