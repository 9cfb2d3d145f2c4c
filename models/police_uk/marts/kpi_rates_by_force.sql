-- Every count KPI of the public catalogue as a rate per 1,000 residents, per force and
-- window (int_police_uk_force_kpi_values: the latest 12 months the force's data covers,
-- the same months a year earlier, each month), with the count's Poisson interval
-- (Byar's approximation to the exact interval, macros/kpi/statistics.sql) divided by
-- the residents. Residents: the usual residents of the force area in the latest
-- population year the seed holds (int_police_uk_force_populations); a force with no
-- area population (British Transport Police, Northern Ireland) has its count and no
-- rate. The rate is over the window, not a year: a month's rate is per month. A figure
-- resting on 1 to minimum_count - 1 events is withheld where the disclosure policy
-- (kpi_disclosure_policy) protects the force level; it protects none today.
with

kpi_values as (

    select * from {{ ref('int_police_uk_force_kpi_values') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

forces as (

    select * from {{ ref('dim_police_forces') }}

),

policy as (

    select * from {{ ref('kpi_disclosure_policy') }}

),

settings as (

    select {{ normal_quantile('(0.5 + ' ~ var('confidence_level') ~ ' / 2.0)') }} as z_critical

),

counts as (

    select
        kpi_values.*,
        catalogue.kpi_name,
        forces.force_name,
        forces.residents,
        forces.population_year,
        policy.reason as policy_reason,
        settings.z_critical,
        coalesce(kpi_values.numerator_count between 1 and policy.minimum_count - 1, false)
            as is_withheld
    from kpi_values
    inner join catalogue
        on kpi_values.kpi_id = catalogue.kpi_id
    inner join forces
        on kpi_values.force = forces.force
    cross join settings
    left join policy
        on
            policy.area_level = 'force'
            and (
                policy.applies_to = 'all_kpis'
                or (
                    policy.applies_to = 'sensitive_families'
                    and catalogue.sensitive_family is not null
                )
            )
    where catalogue.calculation = 'count' and catalogue.measure_type = 'count'

),

final as (

    select
        cast(force as varchar) as force,
        cast(force_name as varchar) as force_name,
        cast(kpi_id as varchar) as kpi_id,
        cast(kpi_name as varchar) as kpi_name,
        cast(period_kind as varchar) as period_kind,
        window_start,
        window_end,
        window_months,
        cast({{ withheld('numerator_count', 'is_withheld') }} as bigint) as events,
        cast(residents as bigint) as residents,
        cast(population_year as integer) as population_year,
        cast({{ withheld(
            '1000.0 * numerator_count / nullif(residents, 0)', 'is_withheld'
        ) }} as double) as rate_per_1000_residents,
        cast({{ withheld(
            '1000.0 / nullif(residents, 0) * '
            ~ poisson_lower_limit('numerator_count', 'z_critical'),
            'is_withheld'
        ) }} as double) as rate_ci_low,
        cast({{ withheld(
            '1000.0 / nullif(residents, 0) * '
            ~ poisson_upper_limit('numerator_count', 'z_critical'),
            'is_withheld'
        ) }} as double) as rate_ci_high,
        cast({{ var('confidence_level') }} as double) as confidence_level,
        cast(is_withheld as boolean) as is_suppressed,
        cast(case when is_withheld then policy_reason end as varchar) as suppression_reason
    from counts

)

select * from final
