{{ config(alias='fct_stop_searches') }}
-- One row per data.police.uk stop and search: when (an instant, and its month in London
-- local time, which is the file's month), the force (from the file name), the person or
-- vehicle searched (the person's self-defined ethnicity with its 2021 Census group), and
-- the outcome with its group, across the years' wordings (seeds).
with

searches as (

    select * from {{ ref('stg_police_uk__stop_searches') }}

),

wordings as (

    select * from {{ ref('ref_police_uk_search_outcomes') }}

),

ethnicities as (

    select * from {{ ref('ref_police_uk_self_defined_ethnicities') }}

),

final as (

    select
        cast(searches.stop_search_id as varchar) as stop_search_id,
        searches.searched_at,
        cast(searches.searched_month as date) as searched_month,
        cast(searches.force as varchar) as force,
        cast(searches.search_type as varchar) as search_type,
        cast(searches.is_part_of_policing_operation as boolean) as is_part_of_policing_operation,
        cast(searches.policing_operation as varchar) as policing_operation,
        cast(searches.latitude as double) as latitude,
        cast(searches.longitude as double) as longitude,
        cast(searches.gender as varchar) as gender,
        cast(searches.age_range as varchar) as age_range,
        cast(searches.self_defined_ethnicity as varchar) as self_defined_ethnicity,
        cast(ethnicities.ethnic_group as varchar) as self_defined_ethnic_group,
        cast(searches.officer_defined_ethnicity as varchar) as officer_defined_ethnicity,
        cast(lower(searches.officer_defined_ethnicity) as varchar) as officer_defined_ethnic_group,
        -- the searches of the force whose area ref_population_by_ethnicity describes
        cast(searches.force = '{{ var("population_force") }}' as boolean)
            as is_in_population_area,
        cast(searches.legislation as varchar) as legislation,
        cast(searches.object_of_search as varchar) as object_of_search,
        cast(searches.outcome as varchar) as outcome,
        cast(wordings.outcome_group as varchar) as outcome_group,
        cast(coalesce(wordings.is_arrest, false) as boolean) as is_arrest,
        cast(coalesce(searches.is_outcome_linked_to_object_of_search, false) as boolean)
            as is_find,
        cast(searches.is_outcome_linked_to_object_of_search as boolean)
            as is_outcome_linked_to_object_of_search,
        cast(searches.is_more_than_outer_clothing_removed as boolean)
            as is_more_than_outer_clothing_removed,
        cast(searches.source_file as varchar) as source_file,
        cast(searches.source_line as bigint) as source_line

    from searches
    left join wordings
        on searches.outcome = wordings.outcome
    left join ethnicities
        on searches.self_defined_ethnicity = ethnicities.self_defined_ethnicity

)

select * from final
