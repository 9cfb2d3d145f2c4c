-- data.police.uk outcomes, one row per row of an outcomes file (an outcome recorded in
-- that month, often for a crime of an earlier month), typed and renamed.
with

source as (

    select * from {{ source('police_uk', 'outcomes') }}

),

renamed as (

    select
        {{ dbt.concat(['source_file', "':'", 'source_line']) }} as outcome_row_id,
        source_file,
        cast(source_line as bigint) as source_line,
        file_force as force,
        crime_id,
        cast({{ dbt.concat(['month', "'-01'"]) }} as date) as month,
        reported_by,
        falls_within,
        longitude,
        latitude,
        location,
        lsoa_code,
        lsoa_name,
        {{ local_authority_of_lsoa('lsoa_name') }} as local_authority,
        outcome_type

    from source

)

select * from renamed
