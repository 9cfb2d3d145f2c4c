{{ config(materialized='view') }}
-- Each crime record of the delivery as the force's system had it: offence code, record
-- status and standing outcome. The snapshot snapshots/crime_history.yml keeps every
-- version of them, one per delivery that changed them.
with

crimes as (

    select * from {{ ref('stg_police_records__crimes') }}

),

outcomes as (

    select * from {{ ref('fct_crime_outcomes') }}

),

final as (

    select
        crimes.crime_id,
        crimes.recorded_date,
        crimes.offence_code,
        crimes.record_status,
        outcomes.outcome_code,
        outcomes.outcome_date

    from crimes
    left join outcomes
        on
            crimes.crime_id = outcomes.crime_id
            and outcomes.is_current_outcome

)

select * from final
