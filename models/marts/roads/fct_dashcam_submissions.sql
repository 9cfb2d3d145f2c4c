-- One row per third-party video submission (report 4.6-4.7). A submission is decided
-- once it has an outcome other than pending. A positive outcome is enforcement action
-- against the driver: driver education, a fixed penalty or a prosecution; a warning
-- letter or no further action is decided but not positive.
with

submissions as (

    select * from {{ ref('stg_roads_policing__dashcam_submissions') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

final as (

    select
        cast(submissions.dashcam_submission_id as varchar) as dashcam_submission_id,
        cast(submissions.submitted_date as date) as submitted_date,
        cast(submissions.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.lpa_code as varchar) as lpa_code,
        cast(submissions.offence_reported as varchar) as offence_reported,
        cast(submissions.outcome as varchar) as outcome,
        cast(submissions.outcome_date as date) as outcome_date,
        cast(submissions.outcome != 'pending' as boolean) as is_decided,
        cast(
            submissions.outcome in ('driver_education', 'fixed_penalty', 'prosecution')
            as boolean
        ) as is_positive_outcome

    from submissions
    left join neighbourhoods
        on submissions.neighbourhood_code = neighbourhoods.neighbourhood_code

)

select * from final
