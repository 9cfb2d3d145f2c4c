{{ config(materialized='view') }}
-- The standing (latest) outcome of each recorded crime, on its outcome date, with the
-- crime's area and the crime populations outcome KPIs are split by: the rows the
-- outcome series (its yml, meta kpi_series) filter.
with

outcomes as (

    select * from {{ ref('fct_crime_outcomes') }}

),

crimes as (

    select * from {{ ref('int_crimes_classified') }}

),

final as (

    select
        outcomes.crime_outcome_id,
        outcomes.outcome_date,
        outcomes.outcome_code,
        outcomes.is_positive,
        outcomes.is_out_of_court_resolution,
        crimes.lpa_code,
        crimes.neighbourhood_code,
        crimes.is_violence_against_women_and_girls,
        crimes.is_violence_against_the_person,
        crimes.is_shoplifting

    from outcomes
    inner join crimes
        on outcomes.crime_id = crimes.crime_id
    where outcomes.is_current_outcome

)

select * from final
