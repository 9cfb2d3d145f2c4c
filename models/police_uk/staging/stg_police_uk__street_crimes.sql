-- data.police.uk street-level crimes and anti-social behaviour, one row per row of a
-- street file, typed and renamed; the local authority is read off the LSOA name
-- ("Birmingham 001A" is Birmingham).
with

source as (

    select * from {{ source('police_uk', 'street') }}

),

renamed as (

    select
        {{ dbt.concat(['source_file', "':'", 'source_line']) }} as street_row_id,
        source_file,
        cast(source_line as bigint) as source_line,
        file_force as force,
        nullif(trim(crime_id), '') as crime_id,
        cast({{ dbt.concat(['month', "'-01'"]) }} as date) as month,
        reported_by,
        falls_within,
        longitude,
        latitude,
        location,
        lsoa_code,
        lsoa_name,
        {{ local_authority_of_lsoa('lsoa_name') }} as local_authority,
        crime_type,
        last_outcome_category,
        context

    from source

)

select * from renamed
