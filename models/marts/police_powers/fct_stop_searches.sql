with

stop_searches as (

    select * from {{ ref('stg_stop_and_search__stop_searches') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

final as (

    select
        cast(stop_searches.stop_search_id as varchar) as stop_search_id,
        cast(stop_searches.searched_date as date) as searched_date,
        -- published to the hour and to about a kilometre, as data.police.uk generalises
        -- its own: never the minute and the doorstep of a search of a named person's
        -- gender, age and ethnicity (docs/kpis.md, "Disclosure control")
        {{ dbt.date_trunc('hour', 'stop_searches.searched_at') }} as searched_at,
        cast(stop_searches.search_type as varchar) as search_type,
        cast(stop_searches.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.lpa_code as varchar) as lpa_code,
        cast(round(stop_searches.latitude, 2) as double) as latitude,
        cast(round(stop_searches.longitude, 2) as double) as longitude,
        cast(stop_searches.is_part_of_policing_operation as boolean)
            as is_part_of_policing_operation,
        cast(stop_searches.policing_operation as varchar) as policing_operation,
        cast(stop_searches.gender as varchar) as gender,
        cast(stop_searches.age_range as varchar) as age_range,
        cast(stop_searches.self_defined_ethnicity as varchar) as self_defined_ethnicity,
        cast(
            case
                when stop_searches.self_defined_ethnicity like 'White - %' then 'white'
                when stop_searches.self_defined_ethnicity like 'Black/%' then 'black'
                when stop_searches.self_defined_ethnicity like 'Asian/%' then 'asian'
                when stop_searches.self_defined_ethnicity like 'Mixed/%' then 'mixed'
                when stop_searches.self_defined_ethnicity = 'Other ethnic group - Not stated'
                    then null
                when stop_searches.self_defined_ethnicity like 'Other ethnic group - %'
                    then 'other'
            end as varchar
        ) as self_defined_ethnic_group,
        cast(stop_searches.officer_defined_ethnicity as varchar) as officer_defined_ethnicity,
        cast(lower(stop_searches.officer_defined_ethnicity) as varchar)
            as officer_defined_ethnic_group,
        cast(stop_searches.legislation as varchar) as legislation,
        cast(stop_searches.object_of_search as varchar) as object_of_search,
        cast(stop_searches.outcome as varchar) as outcome,
        cast(stop_searches.is_outcome_linked_to_object_of_search as boolean)
            as is_outcome_linked_to_object_of_search,
        cast(stop_searches.is_more_than_outer_clothing_removed as boolean)
            as is_more_than_outer_clothing_removed,
        cast(stop_searches.item_found as varchar) as item_found,
        cast(stop_searches.item_found = 'knife_or_bladed_article' as boolean) as is_knife_found,
        cast(stop_searches.item_found = 'firearm' as boolean) as is_firearm_found

    from stop_searches
    left join neighbourhoods
        on stop_searches.neighbourhood_code = neighbourhoods.neighbourhood_code

)

select * from final
