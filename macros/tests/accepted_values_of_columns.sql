{#- Fails with one row per column and value that is not accepted (nulls pass, as in
    dbt's accepted_values): one test for all of a model's coded columns, where an
    accepted_values test per column costs dbt a node each.
      values: {column: [accepted, values], ...} -#}
{% test accepted_values_of_columns(model, values) %}
    {%- for column, accepted in values.items() %}
        select
            '{{ column }}' as column_name,
            cast({{ column }} as {{ dbt.type_string() }}) as value_field,
            count(*) as n_records
        from {{ model }}
        where
            {{ column }} is not null
            and cast({{ column }} as {{ dbt.type_string() }}) not in (
                {%- for value in accepted -%}
                    '{{ value | string | replace("'", "''") }}'{% if not loop.last %}, {% endif %}
                {%- endfor -%}
            )
        group by {{ column }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endtest %}
