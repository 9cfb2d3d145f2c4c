with

source as (

    select * from {{ source('police_records', 'crime_outcomes') }}

),

renamed as (

    select
        {{ dbt.concat(["crime_reference", "'|'", "outcome_date", "'|'", "outcome_code"]) }}
            as crime_outcome_id,
        crime_reference as crime_id,
        upper(trim(outcome_code)) as outcome_code,
        cast(outcome_date as date) as outcome_date

    from source

)

select * from renamed
