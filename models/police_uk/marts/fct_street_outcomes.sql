-- One row per row of the data.police.uk outcomes files: an outcome recorded in its month
-- (the month of the file), often for a crime of an earlier month; one crime can have
-- several. With the Home Office outcome group of its wording (seed).
with

outcomes_published as (

    select * from {{ ref('stg_police_uk__outcomes') }}

),

wordings as (

    select * from {{ ref('ref_police_uk_outcomes') }}

),

final as (

    select
        cast(outcomes_published.outcome_row_id as varchar) as outcome_row_id,
        cast(outcomes_published.crime_id as varchar) as crime_id,
        cast(outcomes_published.month as date) as month,
        cast(outcomes_published.force as varchar) as force,
        cast(outcomes_published.reported_by as varchar) as reported_by,
        cast(outcomes_published.falls_within as varchar) as falls_within,
        cast(outcomes_published.lsoa_code as varchar) as lsoa_code,
        cast(outcomes_published.lsoa_name as varchar) as lsoa_name,
        cast(outcomes_published.local_authority as varchar) as local_authority,
        cast(coalesce(outcomes_published.local_authority, '{{ no_location() }}') as varchar)
            as local_authority_code,
        cast(outcomes_published.outcome_type as varchar) as outcome_type,
        cast(wordings.outcome_group as varchar) as outcome_group,
        cast(coalesce(wordings.is_positive, false) as boolean) as is_positive,
        cast(outcomes_published.longitude as double) as longitude,
        cast(outcomes_published.latitude as double) as latitude,
        cast(outcomes_published.source_file as varchar) as source_file,
        cast(outcomes_published.source_line as bigint) as source_line

    from outcomes_published
    left join wordings
        on outcomes_published.outcome_type = wordings.outcome

)

select * from final
