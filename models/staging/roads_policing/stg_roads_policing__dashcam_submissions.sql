with

source as (

    select * from {{ source('roads_policing', 'dashcam_submissions') }}

),

renamed as (

    select
        submission_id as dashcam_submission_id,
        cast(submitted_date as date) as submitted_date,
        outcome_date,
        trim(neighbourhood_code) as neighbourhood_code,
        lower(trim(offence_reported)) as offence_reported,
        lower(trim(outcome)) as outcome

    from source

)

select * from renamed
