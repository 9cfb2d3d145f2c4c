{{ config(materialized='table') }}
-- Recorded crime only (cancelled and transferred records are not recorded crime),
-- with the offence groupings, the LPA, the harm weight and the KPI populations a
-- crime belongs to. Each population is defined here, once. A table: the crime series of
-- the KPI engine (dbt_project.yml, vars kpi_series) and the standing outcomes read it,
-- with the victim's attributes that fct_crimes, which BI tools read, leaves out; the
-- whole record, victim included, is restricted.fct_crime_victims.
with

crimes as (

    select * from {{ ref('stg_police_records__crimes') }}

),

offences as (

    select * from {{ ref('dim_offences') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

recorded_crimes as (

    select * from crimes
    where {{ is_recorded_crime('record_status') }}

),

classified as (

    select
        recorded_crimes.crime_id,
        recorded_crimes.recorded_date,
        recorded_crimes.offence_code,
        recorded_crimes.neighbourhood_code,
        neighbourhoods.lpa_code,
        offences.offence_group,
        offences.offence_subgroup,
        recorded_crimes.is_domestic_abuse,
        recorded_crimes.victim_sex,
        recorded_crimes.victim_age_band,
        recorded_crimes.is_business_victim,
        recorded_crimes.is_emergency_worker_victim,
        recorded_crimes.is_business_worker_victim,
        recorded_crimes.has_knife_or_sharp_instrument,
        recorded_crimes.has_firearm,
        recorded_crimes.transport_location,
        offences.harm_weight_days,
        offences.is_violence_against_the_person,
        offences.is_violence_with_injury,
        offences.is_homicide,
        offences.is_sexual_offence,
        offences.is_rape,
        offences.is_most_serious_violence,
        offences.is_shoplifting,
        offences.neighbourhood_crime_type,
        offences.neighbourhood_crime_type is not null as is_neighbourhood_crime,
        coalesce(
            recorded_crimes.victim_sex = 'F'
            and (offences.is_violence_against_the_person or offences.is_sexual_offence),
            false
        ) as is_violence_against_women_and_girls,
        coalesce(
            offences.is_violence_with_injury
            and not recorded_crimes.is_domestic_abuse
            and recorded_crimes.victim_age_band in ('0-17', '18-24'),
            false
        ) as is_serious_youth_violence,
        offences.is_knife_crime_offence
        and recorded_crimes.has_knife_or_sharp_instrument as is_knife_crime,
        offences.is_gun_crime_offence and recorded_crimes.has_firearm as is_gun_crime

    from recorded_crimes
    left join offences
        on recorded_crimes.offence_code = offences.offence_code
    left join neighbourhoods
        on recorded_crimes.neighbourhood_code = neighbourhoods.neighbourhood_code

)

select * from classified
