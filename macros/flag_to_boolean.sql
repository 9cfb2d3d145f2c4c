{#- Recording-system Y/N flags to booleans. Anything else (blank, unknown) is null,
    so a not_null test on the staged column catches a malformed extract. -#}
{% macro flag_to_boolean(column_name) -%}
    case upper(trim({{ column_name }}))
        when 'Y' then true
        when 'N' then false
    end
{%- endmacro %}
