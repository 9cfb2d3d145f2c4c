{#- Recorded crime: a crime record whose status is recorded (cancelled and transferred
    records are not recorded crime). The one definition, used by the crimes and by the
    outcomes that count. -#}
{% macro is_recorded_crime(record_status) -%}
    {{ record_status }} = 'recorded'
{%- endmacro %}
