-- Outcomes of recorded crimes in the order they were assigned. Only the latest
-- outcome of a crime stands (is_current_outcome); earlier ones were superseded when
-- the crime was re-opened and given a new outcome. Outcomes of crimes that are not
-- recorded crime are dropped (read from the crimes extract, so that this runs beside
-- fct_crimes rather than after it); an unknown outcome code is kept, unclassified,
-- for fct_crime_outcomes' relationships test to name.
with

outcomes as (

    select * from {{ ref('stg_police_records__crime_outcomes') }}

),

crimes as (

    select * from {{ ref('stg_police_records__crimes') }}

),

recorded_crimes as (

    select crime_id from crimes
    where {{ is_recorded_crime('record_status') }}

),

outcome_codes as (

    select * from {{ ref('dim_outcome_codes') }}

),

outcomes_of_recorded_crimes as (

    select outcomes.*
    from outcomes
    inner join recorded_crimes
        on outcomes.crime_id = recorded_crimes.crime_id

),

sequenced as (

    select
        outcomes_of_recorded_crimes.crime_outcome_id,
        outcomes_of_recorded_crimes.crime_id,
        outcomes_of_recorded_crimes.outcome_code,
        outcomes_of_recorded_crimes.outcome_date,
        outcome_codes.is_positive,
        outcome_codes.is_out_of_court_resolution,
        row_number() over (
            partition by outcomes_of_recorded_crimes.crime_id
            order by
                outcomes_of_recorded_crimes.outcome_date asc,
                outcomes_of_recorded_crimes.outcome_code asc
        ) as outcome_sequence,
        row_number() over (
            partition by outcomes_of_recorded_crimes.crime_id
            order by
                outcomes_of_recorded_crimes.outcome_date desc,
                outcomes_of_recorded_crimes.outcome_code desc
        ) = 1 as is_current_outcome

    from outcomes_of_recorded_crimes
    left join outcome_codes
        on outcomes_of_recorded_crimes.outcome_code = outcome_codes.outcome_code

)

select * from sequenced
