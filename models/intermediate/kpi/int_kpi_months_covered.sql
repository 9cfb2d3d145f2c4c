{{ config(enabled=windows_from_coverage()) }}
-- The months each KPI's data covers (the public warehouse: macro windows_from_coverage):
-- one row per KPI and month in which every fact its series count (numerator and
-- denominator) has at least one event. A public archive holds whatever months it holds,
-- with gaps (a force that did not publish a month); int_kpi_windows measures each KPI
-- over the latest months its data covers, and a window with a month missing has no
-- value.
with

series_daily as (

    select * from {{ ref('int_kpi_series_daily') }}

),

declared_series as (

    select * from {{ ref('int_kpi_series') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

fact_months as (

    select distinct
        declared_series.fact_model,
        cast({{ dbt.date_trunc('month', 'series_daily.event_date') }} as date) as month_start
    from series_daily
    inner join declared_series
        on series_daily.series_id = declared_series.series_id
    where series_daily.area_level = 'force'

),

kpi_facts as (

    select distinct
        catalogue.kpi_id,
        declared_series.fact_model
    from catalogue
    inner join declared_series
        on
            catalogue.numerator_series = declared_series.series_id
            or catalogue.denominator_series = declared_series.series_id

),

kpi_fact_counts as (

    select
        kpi_id,
        count(*) as fact_count
    from kpi_facts
    group by kpi_id

),

final as (

    select
        kpi_facts.kpi_id,
        fact_months.month_start
    from kpi_facts
    inner join fact_months
        on kpi_facts.fact_model = fact_months.fact_model
    inner join kpi_fact_counts
        on kpi_facts.kpi_id = kpi_fact_counts.kpi_id
    group by kpi_facts.kpi_id, fact_months.month_start, kpi_fact_counts.fact_count
    having count(*) = kpi_fact_counts.fact_count

)

select * from final
