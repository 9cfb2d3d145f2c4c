{#- Fails with the rows in which any of the columns is null: one test (one scan) for
    all of a model's required columns, where a not_null test per column costs dbt a node
    each. -#}
{% test not_null_columns(model, columns) %}
    select *
    from {{ model }}
    where
        {%- for column in columns %}
            {{ column }} is null{% if not loop.last %} or{% endif %}
        {%- endfor %}
{% endtest %}
