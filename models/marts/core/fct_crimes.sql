-- Recorded crimes as BI tools read them: one row per recorded crime with its day,
-- neighbourhood, offence groupings and flags, without the victim's attributes (sex, age
-- band, and the populations only they define: violence against women and girls,
-- serious youth violence). A crime record with its victim's attributes is
-- restricted.fct_crime_victims, published only to the restricted warehouse file
-- (docs/kpis.md, "Disclosure control").
with

crimes as (

    select * from {{ ref('int_crimes_classified') }}

),

final as (

    select
        cast(crime_id as varchar) as crime_id,
        cast(recorded_date as date) as recorded_date,
        cast(offence_code as varchar) as offence_code,
        cast(neighbourhood_code as varchar) as neighbourhood_code,
        cast(lpa_code as varchar) as lpa_code,
        cast(offence_group as varchar) as offence_group,
        cast(offence_subgroup as varchar) as offence_subgroup,
        cast(is_domestic_abuse as boolean) as is_domestic_abuse,
        cast(is_business_victim as boolean) as is_business_victim,
        cast(is_emergency_worker_victim as boolean) as is_emergency_worker_victim,
        cast(is_business_worker_victim as boolean) as is_business_worker_victim,
        cast(has_knife_or_sharp_instrument as boolean) as has_knife_or_sharp_instrument,
        cast(has_firearm as boolean) as has_firearm,
        cast(transport_location as varchar) as transport_location,
        cast(harm_weight_days as integer) as harm_weight_days,
        cast(is_violence_against_the_person as boolean) as is_violence_against_the_person,
        cast(is_violence_with_injury as boolean) as is_violence_with_injury,
        cast(is_homicide as boolean) as is_homicide,
        cast(is_sexual_offence as boolean) as is_sexual_offence,
        cast(is_rape as boolean) as is_rape,
        cast(is_most_serious_violence as boolean) as is_most_serious_violence,
        cast(is_shoplifting as boolean) as is_shoplifting,
        cast(neighbourhood_crime_type as varchar) as neighbourhood_crime_type,
        cast(is_neighbourhood_crime as boolean) as is_neighbourhood_crime,
        cast(is_knife_crime as boolean) as is_knife_crime,
        cast(is_gun_crime as boolean) as is_gun_crime

    from crimes

)

select * from final
