-- data.police.uk stop and search, one row per row of a stop-and-search file: the search
-- as an instant (the file's times are UTC), its month in London local time, and the
-- force from the file name (the file has no force column).
with

source as (

    select * from {{ source('police_uk', 'stop_and_search') }}

),

renamed as (

    select
        {{ dbt.concat(['source_file', "':'", 'source_line']) }} as stop_search_id,
        source_file,
        cast(source_line as bigint) as source_line,
        file_force as force,
        type as search_type,
        date as searched_at,
        cast({{ dbt.date_trunc('month', local_date('date')) }} as date) as searched_month,
        case part_of_policing_operation
            when 'True' then true
            when 'False' then false
        end as is_part_of_policing_operation,
        policing_operation,
        latitude,
        longitude,
        gender,
        age_range,
        self_defined_ethnicity,
        officer_defined_ethnicity,
        legislation,
        object_of_search,
        outcome,
        case outcome_linked_to_object_of_search
            when 'True' then true
            when 'False' then false
        end as is_outcome_linked_to_object_of_search,
        case removal_of_more_than_just_outer_clothing
            when 'True' then true
            when 'False' then false
        end as is_more_than_outer_clothing_removed

    from source

)

select * from renamed
