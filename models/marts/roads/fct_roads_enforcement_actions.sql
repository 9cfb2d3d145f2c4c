-- One row per roads enforcement action. Fatal 4 enforcement (report 4.3-4.4) is an
-- officer's traffic offence report (fixed penalty, driver education or report for
-- summons) for speeding, mobile phone use, not wearing a seatbelt, or drink or drug
-- driving. Camera detections are excluded, as the report says; arrests are counted
-- apart, as drink and drug driving arrests (4.4), so no action is counted twice.
with

actions as (

    select * from {{ ref('stg_roads_policing__enforcement_actions') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

classified as (

    select
        *,
        offence_category in (
            'speeding', 'mobile_phone', 'seatbelt', 'drink_driving', 'drug_driving'
        ) as is_fatal_4_offence,
        detection_method = 'officer' as is_officer_enforcement

    from actions

),

final as (

    select
        cast(classified.enforcement_action_id as varchar) as enforcement_action_id,
        cast(classified.action_date as date) as action_date,
        cast(classified.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.lpa_code as varchar) as lpa_code,
        cast(classified.offence_category as varchar) as offence_category,
        cast(classified.action_type as varchar) as action_type,
        cast(classified.detection_method as varchar) as detection_method,
        cast(classified.is_fatal_4_offence as boolean) as is_fatal_4_offence,
        cast(classified.is_officer_enforcement as boolean) as is_officer_enforcement,
        cast(
            classified.is_fatal_4_offence
            and classified.is_officer_enforcement
            and classified.action_type != 'arrest'
            as boolean
        ) as is_fatal_4_enforcement,
        cast(
            classified.action_type = 'arrest'
            and classified.offence_category in ('drink_driving', 'drug_driving')
            as boolean
        ) as is_drink_drug_driving_arrest

    from classified
    left join neighbourhoods
        on classified.neighbourhood_code = neighbourhoods.neighbourhood_code

)

select * from final
