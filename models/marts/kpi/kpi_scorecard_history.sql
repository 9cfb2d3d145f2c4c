{{ config(
    materialized='incremental', full_refresh=false, on_schema_change='append_new_columns'
) }}
-- Every scorecard the warehouse has published: the force-wide kpi_scorecard rows of each
-- publish, with the delivery they were built from and when. Append-only: each build adds
-- its scorecard (dbt's --full-refresh leaves it: full_refresh false), and the pipeline
-- carries the table from the published warehouse into every build, so it spans every
-- publish. The figures as published on a date: the rows of the latest publish up to it
-- (docs/kpis.md, "Figures as at a date"); what moved between publishes: kpi_revisions.
{%- set published_at = env_var('POLICE_PUBLISHED_AT', '') %}
{%- set published = "'" ~ published_at ~ "'" if published_at else dbt.current_timestamp() %}
{%- set gated_at = env_var('POLICE_GATED_AT', '') %}
{%- set gated = "'" ~ gated_at ~ "'" if gated_at else 'null' %}
with

scorecard as (

    select * from {{ ref('kpi_scorecard') }}

),

final as (

    select
        cast({{ published }} as {{ dbt.type_timestamp() }}) as published_at,
        cast('{{ env_var("POLICE_DELIVERY_ID", "unpublished") }}' as varchar) as delivery_id,
        cast({{ gated }} as {{ dbt.type_timestamp() }}) as gated_at,
        scorecard.kpi_id,
        scorecard.comparison_mode,
        scorecard.kpi_name,
        scorecard.section,
        scorecard.unit,
        scorecard.polarity,
        scorecard.baseline_start,
        scorecard.baseline_end,
        scorecard.current_start,
        scorecard.current_end,
        scorecard.baseline_value,
        scorecard.current_value,
        scorecard.change_value,
        scorecard.change_pct,
        scorecard.status

    from scorecard

)

select * from final
