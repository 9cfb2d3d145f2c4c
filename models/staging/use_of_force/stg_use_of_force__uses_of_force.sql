with

source as (

    select * from {{ source('use_of_force', 'use_of_force') }}

),

renamed as (

    select
        use_of_force_id,
        location_type,
        subject_perceived_ethnicity,
        subject_perceived_age_group,
        subject_perceived_gender,
        main_tactic,
        primary_reason,
        outcome,
        cast(incident_date as date) as incident_date,
        trim(neighbourhood_code) as neighbourhood_code,
        case trim(subject_injured)
            when 'Yes' then true
            when 'No' then false
        end as is_subject_injured

    from source

)

select * from renamed
