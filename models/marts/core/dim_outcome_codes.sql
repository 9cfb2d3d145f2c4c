with

outcome_codes as (

    select * from {{ ref('ref_outcome_codes') }}

),

final as (

    select
        cast(outcome_code as varchar) as outcome_code,
        cast(outcome_description as varchar) as outcome_description,
        cast(outcome_group as varchar) as outcome_group,
        cast(is_positive as boolean) as is_positive,
        cast(is_out_of_court_resolution as boolean) as is_out_of_court_resolution,
        cast(in_force_glossary as boolean) as in_force_glossary

    from outcome_codes

)

select * from final
