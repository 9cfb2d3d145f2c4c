{#- The vars a run sets, checked before any model runs (dbt_project.yml's on-run-start):
    dates are ISO dates, windows ordered, counts integers in range. dbt pastes vars into
    SQL as given, so a crafted current_start must never reach a model. The pipeline and
    the report check the same before dbt starts (scripts/dbt_vars.py); this guards dbt
    run by hand. Returns no SQL. -#}
{% macro validate_vars() %}
    {%- set iso = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' -%}
    {%- set dates = [
        'baseline_start', 'baseline_end', 'current_start', 'current_end', 'year_on_year_end',
        'year_to_date_start', 'year_to_date_end', 'calendar_start', 'calendar_end'
    ] -%}
    {%- for name in dates -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none and not modules.re.match(iso, value | string) -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ "=" ~ (value | string)[:80] ~ " is not an ISO date (YYYY-MM-DD)"
            ) }}
        {%- endif -%}
        {%- if value is not none -%}
            {%- set parsed = modules.datetime.date.fromisoformat(value | string) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for start, end in [
        ('baseline_start', 'baseline_end'), ('current_start', 'current_end'),
        ('year_to_date_start', 'year_to_date_end'), ('calendar_start', 'calendar_end')
    ] -%}
        {%- if var(start, none) is not none and var(end, none) is not none
            and (var(start) | string) > (var(end) | string) -%}
            {{ exceptions.raise_compiler_error(
                "window " ~ start ~ ".." ~ end ~ " is not ordered: " ~ var(start) ~ " is after " ~ var(end)
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set ranges = {
        'trend_months': [1, 120], 'signal_months': [1, 120], 'shift_run_points': [2, 120],
        'trend_run_points': [2, 120], 'exact_test_max_events': [0, 1000000]
    } -%}
    {%- for name, bounds in ranges.items() -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none and (value is not number or value is boolean
            or (value | int) != value or value < bounds[0] or value > bounds[1]) -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ "=" ~ (value | string)[:80] ~ " is not an integer in ["
                ~ bounds[0] ~ ", " ~ bounds[1] ~ "]"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set level = var('confidence_level', none) -%}
    {%- if level is not none and (level is not number or level <= 0 or level >= 1) -%}
        {{ exceptions.raise_compiler_error(
            "var confidence_level=" ~ (level | string)[:80] ~ " is not a number in (0, 1)"
        ) }}
    {%- endif -%}
    {%- set force = var('population_force', none) -%}
    {%- if force is not none and not modules.re.match('^[a-z0-9]+(-[a-z0-9]+)*$', force | string) -%}
        {{ exceptions.raise_compiler_error(
            "var population_force=" ~ (force | string)[:80] ~ " is not a lower-case name"
        ) }}
    {%- endif -%}
{% endmacro %}
