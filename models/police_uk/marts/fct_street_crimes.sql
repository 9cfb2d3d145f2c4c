-- One row per row of the data.police.uk street files: crimes (with their last outcome)
-- and anti-social behaviour incidents (no crime id, no outcome), with the KPI families
-- of the crime type and the Home Office outcome group of the last outcome (seeds).
-- A crime type or outcome wording the seeds do not know keeps its row, with null family
-- flags and outcome group (the gate names it; a warning test lists it).
with

street as (

    select * from {{ ref('stg_police_uk__street_crimes') }}

),

crime_types as (

    select * from {{ ref('ref_police_uk_crime_types') }}

),

outcomes as (

    select * from {{ ref('ref_police_uk_outcomes') }}

),

final as (

    select
        cast(street.street_row_id as varchar) as street_row_id,
        cast(street.crime_id as varchar) as crime_id,
        cast(street.month as date) as month,
        cast(street.force as varchar) as force,
        cast(street.reported_by as varchar) as reported_by,
        cast(street.falls_within as varchar) as falls_within,
        cast(street.lsoa_code as varchar) as lsoa_code,
        cast(street.lsoa_name as varchar) as lsoa_name,
        cast(street.local_authority as varchar) as local_authority,
        cast(coalesce(street.local_authority, '{{ no_location() }}') as varchar)
            as local_authority_code,
        cast(street.crime_type as varchar) as crime_type,
        cast(crime_types.crime_type_id as varchar) as crime_type_id,
        cast(street.last_outcome_category as varchar) as last_outcome_category,
        cast(outcomes.outcome_group as varchar) as last_outcome_group,
        cast(coalesce(outcomes.is_positive, false) as boolean) as is_positive_outcome,
        cast(coalesce(crime_types.is_anti_social_behaviour, false) as boolean)
            as is_anti_social_behaviour,
        cast(coalesce(crime_types.is_neighbourhood_crime, false) as boolean)
            as is_neighbourhood_crime,
        cast(coalesce(crime_types.is_shoplifting, false) as boolean) as is_shoplifting,
        cast(coalesce(crime_types.is_violence_and_sexual_offences, false) as boolean)
            as is_violence_and_sexual_offences,
        cast(street.longitude as double) as longitude,
        cast(street.latitude as double) as latitude,
        cast(street.location as varchar) as location,
        cast(street.context as varchar) as context,
        cast(street.source_file as varchar) as source_file,
        cast(street.source_line as bigint) as source_line

    from street
    left join crime_types
        on street.crime_type = crime_types.crime_type
    left join outcomes
        on street.last_outcome_category = outcomes.outcome

)

select * from final
