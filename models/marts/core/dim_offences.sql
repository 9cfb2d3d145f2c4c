with

offences as (

    select * from {{ ref('ref_offences') }}

),

harm_weights as (

    select * from {{ ref('ref_crime_harm_weights') }}

),

final as (

    select
        cast(offences.offence_code as varchar) as offence_code,
        cast(offences.offence_description as varchar) as offence_description,
        cast(offences.offence_group as varchar) as offence_group,
        cast(offences.offence_subgroup as varchar) as offence_subgroup,
        cast(offences.neighbourhood_crime_type as varchar) as neighbourhood_crime_type,
        cast(offences.offence_group = 'Violence against the person' as boolean)
            as is_violence_against_the_person,
        cast(offences.offence_subgroup = 'Violence with injury' as boolean)
            as is_violence_with_injury,
        cast(offences.offence_subgroup = 'Homicide' as boolean) as is_homicide,
        cast(offences.offence_group = 'Sexual offences' as boolean) as is_sexual_offence,
        cast(offences.offence_subgroup = 'Rape' as boolean) as is_rape,
        cast(offences.offence_subgroup = 'Shoplifting' as boolean) as is_shoplifting,
        cast(offences.is_knife_crime_offence as boolean) as is_knife_crime_offence,
        cast(offences.is_gun_crime_offence as boolean) as is_gun_crime_offence,
        cast(offences.is_most_serious_violence as boolean) as is_most_serious_violence,
        cast(harm_weights.harm_weight_days as integer) as harm_weight_days

    from offences
    inner join harm_weights
        on offences.offence_code = harm_weights.offence_code

)

select * from final
