with

outcomes as (

    select * from {{ ref('int_crime_outcomes_sequenced') }}

),

final as (

    select
        cast(crime_outcome_id as varchar) as crime_outcome_id,
        cast(crime_id as varchar) as crime_id,
        cast(outcome_code as varchar) as outcome_code,
        cast(outcome_date as date) as outcome_date,
        cast(outcome_sequence as integer) as outcome_sequence,
        cast(is_current_outcome as boolean) as is_current_outcome,
        cast(is_positive as boolean) as is_positive,
        cast(is_out_of_court_resolution as boolean) as is_out_of_court_resolution

    from outcomes

)

select * from final
