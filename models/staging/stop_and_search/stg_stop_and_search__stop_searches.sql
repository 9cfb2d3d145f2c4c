with

source as (

    select * from {{ source('stop_and_search', 'stop_search') }}

),

renamed as (

    select
        stop_search_id,
        searched_at,
        {{ local_date('searched_at') }} as searched_date,
        search_type,
        case trim(part_of_policing_operation)
            when 'True' then true
            when 'False' then false
        end as is_part_of_policing_operation,
        nullif(trim(policing_operation), '') as policing_operation,
        latitude,
        longitude,
        nullif(trim(gender), '') as gender,
        nullif(trim(age_range), '') as age_range,
        nullif(trim(self_defined_ethnicity), '') as self_defined_ethnicity,
        nullif(trim(officer_defined_ethnicity), '') as officer_defined_ethnicity,
        legislation,
        object_of_search,
        outcome,
        case trim(outcome_linked_to_object_of_search)
            when 'True' then true
            when 'False' then false
        end as is_outcome_linked_to_object_of_search,
        case trim(removal_of_more_than_just_outer_clothing)
            when 'True' then true
            when 'False' then false
        end as is_more_than_outer_clothing_removed,
        trim(neighbourhood_code) as neighbourhood_code,
        lower(trim(item_found)) as item_found

    from source

)

select * from renamed
