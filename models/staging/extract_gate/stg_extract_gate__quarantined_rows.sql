with

source as (

    select * from {{ source('extract_gate', 'quarantine') }}

),

renamed as (

    select
        extract,
        cast(line as bigint) as source_line,
        rule,
        "column" as column_name,
        record_key,
        "row" as delivered_row,
        all_rules

    from source

)

select * from renamed
