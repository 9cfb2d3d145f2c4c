{#- Fails with one row per column and value that is not accepted (nulls pass, as in
    dbt's accepted_values): one test for all of a model's coded columns, where an
    accepted_values test per column costs dbt a node each.
      values: {column: [accepted, values], ...}
      code_lists: {column: code_list, ...} or {column: {code_list: ..., lower: true}}:
        the codes of that list in seeds/reference/ref_code_lists.csv (the list the
        extract's contract names), lower-cased where staging lower-cases them. -#}
{% test accepted_values_of_columns(model, values={}, code_lists={}) %}
    {%- set parts = [] -%}
    {%- for column, accepted in values.items() %}
        {%- set listed = [] -%}
        {%- for value in accepted -%}
            {%- do listed.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
        {%- endfor -%}
        {%- do parts.append((column, listed | join(', '))) -%}
    {%- endfor %}
    {%- for column, spec in code_lists.items() %}
        {%- set code_list = spec if spec is string else spec['code_list'] -%}
        {%- set code = 'lower(code)' if spec is mapping and spec.get('lower') else 'code' -%}
        {%- do parts.append((column, "select " ~ code ~ " from " ~ ref('ref_code_lists')
            ~ " where code_list = '" ~ code_list ~ "'")) -%}
    {%- endfor %}
    {%- for column, accepted in parts %}
        select
            '{{ column }}' as column_name,
            cast({{ column }} as {{ dbt.type_string() }}) as value_field,
            count(*) as n_records
        from {{ model }}
        where
            {{ column }} is not null
            and cast({{ column }} as {{ dbt.type_string() }}) not in ({{ accepted }})
        group by {{ column }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endtest %}
