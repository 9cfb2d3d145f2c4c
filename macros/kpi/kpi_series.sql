{#- KPI series are declared once, in dbt_project.yml (vars: kpi_series), under the fact
    each filters:

        kpi_series:
          fct_crimes:
            date: recorded_date          # the date an event counts on
            value: harm_weight_days      # summed, averaged or the median of (default none)
            lpa: null                    # no LPA column: force-wide only (default lpa_code)
            neighbourhood: null          # no neighbourhood (default neighbourhood_code)
            series:
              knife_crime: is_knife_crime                       # id: filter
              calls_999_answered: {filter: "...", value: answer_seconds}
          fct_periodic_returns:
            series_id_columns: [return_id, measure]   # one series per value: id a.b,
            series_id_seed: ref_return_measures       # the ids the seed lists

    The KPI catalogue names series by id; int_kpi_series lists them, and a test fails,
    naming the KPI, when a catalogue row names a series no fact declares. A vars entry
    (not a fact's yml meta) so that dbt sees the facts when it parses, and the engine's
    unit tests compile. -#}

{#- The series of the warehouse being built: the force's (vars: kpi_series) or, with
    POLICE_WAREHOUSE=police_uk, the public warehouse's (vars: police_uk_kpi_series). -#}
{% macro kpi_series_declarations() -%}
    {%- if env_var('POLICE_WAREHOUSE', 'force') == 'police_uk' -%}
        {{ return(var('police_uk_kpi_series')) }}
    {%- endif -%}
    {{ return(var('kpi_series')) }}
{%- endmacro %}

{#- The facts that declare series, in declaration order. -#}
{% macro kpi_series_facts() -%}
    {{ return(kpi_series_declarations().keys() | list) }}
{%- endmacro %}

{#- Every declared series of every fact: dicts with the fact, the series id (or, for a
    fact with one series per value, the columns the id is made of and the seed that
    lists the ids), its filter, its value expression and its area columns (none when
    the fact has no such column). -#}
{% macro kpi_series_list() -%}
    {%- set out = [] -%}
    {%- for fact in kpi_series_facts() -%}
        {%- set declared = kpi_series_declarations()[fact] -%}
        {%- set common = {
            'fact': fact,
            'date': declared['date'],
            'lpa': declared['lpa'] if 'lpa' in declared else 'lpa_code',
            'neighbourhood': declared['neighbourhood'] if 'neighbourhood' in declared
                else 'neighbourhood_code',
        } -%}
        {%- if declared.get('series_id_columns') -%}
            {%- do out.append(dict(common, series_id=none,
                series_id_columns=declared['series_id_columns'],
                series_id_prefix=declared.get('series_id_prefix'),
                series_id_seed=declared['series_id_seed'],
                filter=declared['series_id_columns'] | join(' is not null and ') ~ ' is not null',
                value=declared.get('value'))) -%}
        {%- endif -%}
        {%- for series_id, spec in (declared.get('series') or {}).items() -%}
            {%- set spec = spec if spec is mapping else {'filter': spec} -%}
            {%- do out.append(dict(common, series_id=series_id, filter=spec['filter'],
                value=spec.get('value', declared.get('value')))) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}

{#- The SQL of a series' id: its name, or its columns (after its prefix, if any) joined
    with '.'. -#}
{% macro kpi_series_id(series) -%}
    {%- if series.series_id -%}
        '{{ series.series_id }}'
    {%- else -%}
        {%- set parts = ["'" ~ series.series_id_prefix ~ "'", "'.'"] if series.series_id_prefix else [] -%}
        {%- for column in series.series_id_columns -%}
            {%- do parts.append(column) -%}
            {%- if not loop.last %}{% do parts.append("'.'") %}{% endif -%}
        {%- endfor -%}
        {{ dbt.concat(parts) }}
    {%- endif -%}
{%- endmacro %}

{#- Whether each KPI is measured over the months its data covers (int_kpi_windows): the
    public warehouse's default (its archives hold whatever months they hold), not the
    force's (its extracts cover the declared window). A var of the same name overrides. -#}
{% macro windows_from_coverage() -%}
    {{ return(var('windows_from_coverage', env_var('POLICE_WAREHOUSE', 'force') == 'police_uk')) }}
{%- endmacro %}
