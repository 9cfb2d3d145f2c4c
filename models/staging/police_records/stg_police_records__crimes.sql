with

source as (

    select * from {{ source('police_records', 'crimes') }}

),

renamed as (

    select
        crime_reference as crime_id,
        cast(recorded_date as date) as recorded_date,
        trim(ho_offence_code) as offence_code,
        trim(neighbourhood_code) as neighbourhood_code,
        lower(trim(record_status)) as record_status,
        {{ flag_to_boolean('domestic_abuse_flag') }} as is_domestic_abuse,
        upper(trim(victim_sex)) as victim_sex,
        trim(victim_age_band) as victim_age_band,
        {{ flag_to_boolean('business_victim_flag') }} as is_business_victim,
        {{ flag_to_boolean('emergency_worker_victim_flag') }} as is_emergency_worker_victim,
        {{ flag_to_boolean('business_worker_victim_flag') }} as is_business_worker_victim,
        {{ flag_to_boolean('knife_sharp_instrument_flag') }} as has_knife_or_sharp_instrument,
        {{ flag_to_boolean('firearm_flag') }} as has_firearm,
        lower(trim(transport_location)) as transport_location

    from source

)

select * from renamed
