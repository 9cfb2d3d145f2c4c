with

incidents as (

    select * from {{ ref('stg_command_and_control__incidents') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

final as (

    select
        cast(incidents.incident_id as varchar) as incident_id,
        cast(incidents.created_date as date) as created_date,
        incidents.created_at,
        cast(incidents.grade as varchar) as grade,
        cast(incidents.opening_category as varchar) as opening_category,
        cast(
            case
                when incidents.opening_category like 'asb\_%' escape '\'
                    then substr(incidents.opening_category, 5)
            end as varchar
        ) as asb_category,
        cast(incidents.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.lpa_code as varchar) as lpa_code,
        incidents.first_arrival_at,
        cast(incidents.first_arrival_at is not null as boolean) as is_attended,
        cast(
            {{ seconds_between('incidents.created_at', 'incidents.first_arrival_at') }} as bigint
        ) as response_seconds

    from incidents
    left join neighbourhoods
        on incidents.neighbourhood_code = neighbourhoods.neighbourhood_code

)

select * from final
