-- Every recorded crime with its victim's attributes: the record fct_crimes publishes,
-- with the victim's sex and age band and the populations they define (violence against
-- women and girls, serious youth violence). Record-level and identifying when a
-- sensitive offence's day and neighbourhood sit beside its victim: schema restricted,
-- published only to the restricted warehouse file (owner-only), never to the file BI
-- tools read (docs/kpis.md, "Disclosure control").
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
        cast(is_domestic_abuse as boolean) as is_domestic_abuse,
        cast(is_sexual_offence as boolean) as is_sexual_offence,
        cast(is_homicide as boolean) as is_homicide,
        cast(victim_sex as varchar) as victim_sex,
        cast(victim_age_band as varchar) as victim_age_band,
        cast(is_violence_against_women_and_girls as boolean)
            as is_violence_against_women_and_girls,
        cast(is_serious_youth_violence as boolean) as is_serious_youth_violence

    from crimes

)

select * from final
