-- Every series a KPI catalogue row names is declared under a fact (int_kpi_series, from
-- dbt_project.yml, vars: kpi_series), and every series a rate_ratio KPI compares has a population
-- (kpi_series_populations). A misspelt series fails here, one row per KPI and column,
-- instead of giving the KPI a silent 0.
with

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

series as (

    select * from {{ ref('int_kpi_series') }}

),

populations as (

    select * from {{ ref('kpi_series_populations') }}

),

named as (

    select
        kpi_id,
        calculation,
        'numerator_series' as catalogue_column,
        numerator_series as series_id
    from catalogue
    where numerator_series is not null

    union all

    select
        kpi_id,
        calculation,
        'denominator_series' as catalogue_column,
        denominator_series as series_id
    from catalogue
    where denominator_series is not null

),

undeclared as (

    select
        named.kpi_id,
        named.catalogue_column,
        named.series_id,
        'no fact declares this series (dbt_project.yml, vars: kpi_series)' as problem
    from named
    left join series
        on named.series_id = series.series_id
    where series.series_id is null

),

without_population as (

    select
        named.kpi_id,
        named.catalogue_column,
        named.series_id,
        'a rate_ratio series without a population (kpi_series_populations)' as problem
    from named
    left join populations
        on named.series_id = populations.series_id
    where named.calculation = 'rate_ratio' and populations.series_id is null

)

select * from undeclared
union all
select * from without_population
