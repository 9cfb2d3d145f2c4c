{#- A figure the disclosure policy withholds (int_kpi_disclosure) is published as null:
    the marts wrap each figure of a window, or of a comparison, in this. -#}
{% macro withheld(expression, is_withheld) -%}
    case when {{ is_withheld }} then null else {{ expression }} end
{%- endmacro %}

{#- The comparison columns every scorecard mart publishes after the values: the change,
    its test and the status, each withheld where either window's value is withheld,
    then the withholding itself. -#}
{% macro scorecard_test_columns(relation) -%}
    {%- set either = '(' ~ relation ~ '.is_baseline_withheld or ' ~ relation ~ '.is_current_withheld)' -%}
    {%- for column, data_type in [
        ('change_value', 'double'), ('change_pct', 'double'), ('status', 'varchar'),
        ('measure_type', 'varchar'), ('test_method', 'varchar'), ('z_score', 'double'),
        ('p_value', 'double'), ('is_significant', 'boolean'), ('confidence_level', 'double'),
    ] %}
        cast({{ withheld(relation ~ '.' ~ column, either) if column not in
            ('status', 'measure_type', 'test_method', 'confidence_level') else relation ~ '.' ~ column }}
            as {{ data_type }}) as {{ column }},
    {%- endfor %}
    {%- for window in ['baseline', 'current'] %}
        {%- for end in ['low', 'high'] %}
        cast({{ withheld(relation ~ '.' ~ window ~ '_ci_' ~ end, relation ~ '.is_' ~ window ~ '_withheld') }}
            as double) as {{ window }}_ci_{{ end }},
        {%- endfor %}
    {%- endfor %}
        cast({{ withheld(relation ~ '.change_ci_low', either) }} as double) as change_ci_low,
        cast({{ withheld(relation ~ '.change_ci_high', either) }} as double) as change_ci_high,
        cast({{ either }} as boolean) as is_suppressed,
        cast({{ relation }}.suppression_reason as varchar) as suppression_reason
{%- endmacro %}
