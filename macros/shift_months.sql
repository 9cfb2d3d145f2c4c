{#- Move a date by a whole number of months (negative: back). A month-end stays a
    month-end, so year ending 30 June shifted back three months ends 31 March. -#}
{% macro shift_months(date_expr, months_expr) -%}
    case
        when {{ date_expr }} = cast({{ dbt.last_day(date_expr, 'month') }} as date)
            then cast({{ dbt.last_day(dbt.dateadd('month', months_expr, date_expr), 'month') }} as date)
        else cast({{ dbt.dateadd('month', months_expr, date_expr) }} as date)
    end
{%- endmacro %}
