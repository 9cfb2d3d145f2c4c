-- One row per vehicle seized or removed. Seizures for unlawful use (report 4.8) are
-- those for no insurance or no driving licence (Road Traffic Act 1988 s.165A), no
-- vehicle tax, and anti-social use (Police Reform Act 2002 s.59); vehicles held as
-- evidence, recovered stolen, or removed as abandoned or obstructing are not.
with

seizures as (

    select * from {{ ref('stg_roads_policing__vehicle_seizures') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

final as (

    select
        cast(seizures.vehicle_seizure_id as varchar) as vehicle_seizure_id,
        cast(seizures.seized_date as date) as seized_date,
        cast(seizures.neighbourhood_code as varchar) as neighbourhood_code,
        cast(neighbourhoods.lpa_code as varchar) as lpa_code,
        cast(seizures.seizure_reason as varchar) as seizure_reason,
        cast(seizures.vehicle_type as varchar) as vehicle_type,
        cast(
            seizures.seizure_reason in (
                'no_insurance', 'no_driving_licence', 'no_vehicle_tax', 'anti_social_use'
            ) as boolean
        ) as is_unlawful_use

    from seizures
    left join neighbourhoods
        on seizures.neighbourhood_code = neighbourhoods.neighbourhood_code

)

select * from final
