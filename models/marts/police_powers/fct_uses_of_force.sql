with

uses_of_force as (

    select * from {{ ref('stg_use_of_force__uses_of_force') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

final as (

    select
        cast(uses_of_force.use_of_force_id as varchar) as use_of_force_id,
        cast(uses_of_force.incident_date as date) as incident_date,
        cast(uses_of_force.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.lpa_code as varchar) as lpa_code,
        cast(uses_of_force.location_type as varchar) as location_type,
        cast(uses_of_force.subject_perceived_ethnicity as varchar)
            as subject_perceived_ethnicity,
        cast(
            case uses_of_force.subject_perceived_ethnicity
                when 'White' then 'white'
                when 'Black (or Black British)' then 'black'
                when 'Asian (or Asian British)' then 'asian'
                when 'Mixed' then 'mixed'
                when 'Chinese or other ethnic group' then 'other'
            end as varchar
        ) as subject_perceived_ethnic_group,
        cast(uses_of_force.subject_perceived_age_group as varchar)
            as subject_perceived_age_group,
        cast(uses_of_force.subject_perceived_gender as varchar) as subject_perceived_gender,
        cast(uses_of_force.main_tactic as varchar) as main_tactic,
        cast(uses_of_force.primary_reason as varchar) as primary_reason,
        cast(uses_of_force.outcome as varchar) as outcome,
        cast(uses_of_force.is_subject_injured as boolean) as is_subject_injured

    from uses_of_force
    left join neighbourhoods
        on uses_of_force.neighbourhood_code = neighbourhoods.neighbourhood_code

)

select * from final
