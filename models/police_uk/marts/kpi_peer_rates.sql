-- The rates of a force and of each of its peers (ref_police_force_peers) over the
-- force's latest 12 months (int_police_uk_peer_values), each with its interval, and each
-- member's change against the same months a year earlier with the test of the KPI's
-- measure type (macros/kpi/statistics.sql, as the scorecard's statuses): a count KPI per
-- 1,000 residents (Byar's Poisson interval; the change by the square-root z of the two
-- windows' counts over their days), a proportion in per cent (Wilson's interval; the
-- change in points by the pooled two-proportion z). A member whose data does not cover
-- the window is listed with status no_data, one without an area population no_population.
{%- set alpha = 1.0 - var('confidence_level') %}
with

peer_values as (

    select * from {{ ref('int_police_uk_peer_values') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

settings as (

    select {{ normal_quantile('(0.5 + ' ~ var('confidence_level') ~ ' / 2.0)') }} as z_critical

),

members as (

    select
        peer_values.*,
        catalogue.kpi_name,
        settings.z_critical,
        case when peer_values.measure_type = 'count' then 'per_1000_residents' else 'percent' end
            as unit,
        coalesce(
            peer_values.events between 1 and peer_values.minimum_count - 1
            or peer_values.denominator_events between 1 and peer_values.minimum_count - 1,
            false
        ) as is_withheld,
        coalesce(
            peer_values.year_earlier_events between 1 and peer_values.minimum_count - 1
            or peer_values.year_earlier_denominator_events
            between 1 and peer_values.minimum_count - 1,
            false
        ) as is_year_earlier_withheld,
        1.0 * (peer_values.events + peer_values.year_earlier_events) / nullif(
            peer_values.denominator_events + peer_values.year_earlier_denominator_events, 0
        ) as pooled_share,
        case
            when peer_values.measure_type = 'count' and peer_values.residents is null
                then 'no_population'
            when not peer_values.is_covered then 'no_data'
            else 'compared'
        end as member_status
    from peer_values
    inner join catalogue
        on peer_values.kpi_id = catalogue.kpi_id
    cross join settings

),

valued as (

    select
        *,
        case
            when member_status != 'compared' then null
            when measure_type = 'count' then 1000.0 * events / residents
            else 100.0 * events / nullif(denominator_events, 0)
        end as member_value,
        case
            when member_status != 'compared' or not is_year_earlier_covered then null
            when measure_type = 'count' then 1000.0 * year_earlier_events / residents
            else 100.0 * year_earlier_events / nullif(year_earlier_denominator_events, 0)
        end as year_earlier_value,
        case
            when member_status != 'compared' then null
            when measure_type = 'count'
                then 1000.0 / residents * {{ poisson_lower_limit('events', 'z_critical') }}
            when denominator_events > 0
                then 100.0 * {{ wilson_limit('events', 'denominator_events', 'z_critical', '-') }}
        end as member_ci_low,
        case
            when member_status != 'compared' then null
            when measure_type = 'count'
                then 1000.0 / residents * {{ poisson_upper_limit('events', 'z_critical') }}
            when denominator_events > 0
                then 100.0 * {{ wilson_limit('events', 'denominator_events', 'z_critical', '+') }}
        end as member_ci_high,
        case
            when member_status != 'compared' or not is_year_earlier_covered then null
            when measure_type = 'count' and events + year_earlier_events > 0
                then {{ poisson_square_root_z(
                    'year_earlier_events', 'year_earlier_days', 'events', 'window_days'
                ) }}
            when
                measure_type = 'proportion'
                and denominator_events > 0
                and year_earlier_denominator_events > 0
                then {{ two_proportion_z(
                    'year_earlier_events', 'year_earlier_denominator_events',
                    'events', 'denominator_events'
                ) }}
        end as change_z,
        case
            when member_status != 'compared' or not is_year_earlier_covered then null
            when measure_type = 'count'
                then
                    least(
                        1.0 * (events + year_earlier_events) * year_earlier_days
                        / (year_earlier_days + window_days),
                        1.0 * (events + year_earlier_events) * window_days
                        / (year_earlier_days + window_days)
                    ) < 5
            else
                coalesce(
                    least(
                        year_earlier_denominator_events * pooled_share,
                        year_earlier_denominator_events * (1 - pooled_share),
                        denominator_events * pooled_share,
                        denominator_events * (1 - pooled_share)
                    ) < 5,
                    true
                )
        end as is_change_too_few
    from members

),

tested as (

    select
        *,
        case
            when year_earlier_value is null then null
            when measure_type = 'count'
                then 100.0 * (member_value - year_earlier_value) / nullif(year_earlier_value, 0)
            else member_value - year_earlier_value
        end as change_value,
        {{ two_sided_p_value('change_z') }} as change_p_value
    from valued

),

final as (

    select
        cast(force as varchar) as force,
        cast(kpi_id as varchar) as kpi_id,
        cast(member_force as varchar) as member_force,
        cast(member_role as varchar) as member_role,
        cast(member_name as varchar) as member_name,
        cast(kpi_name as varchar) as kpi_name,
        cast(unit as varchar) as unit,
        window_start,
        window_end,
        window_months,
        cast(member_status as varchar) as member_status,
        cast({{ withheld('events', 'is_withheld') }} as bigint) as events,
        cast({{ withheld('denominator_events', 'is_withheld') }} as bigint) as denominator_events,
        cast(case when measure_type = 'count' then residents end as bigint) as residents,
        cast({{ withheld('member_value', 'is_withheld') }} as double) as member_value,
        cast({{ withheld('member_ci_low', 'is_withheld') }} as double) as member_ci_low,
        cast({{ withheld('member_ci_high', 'is_withheld') }} as double) as member_ci_high,
        year_earlier_start,
        year_earlier_end,
        cast({{ withheld('year_earlier_value', 'is_year_earlier_withheld') }} as double)
            as year_earlier_value,
        cast(
            {{ withheld('change_value', 'is_withheld or is_year_earlier_withheld') }} as double
        ) as change_value,
        cast(
            case
                when year_earlier_value is null then 'not_assessed'
                when measure_type = 'count' then 'poisson_square_root_z'
                else 'two_proportion_z'
            end as varchar
        ) as change_test_method,
        cast({{ withheld('change_z', 'is_withheld or is_year_earlier_withheld') }} as double)
            as change_z,
        cast(
            {{ withheld('change_p_value', 'is_withheld or is_year_earlier_withheld') }} as double
        ) as change_p_value,
        cast(
            case
                when year_earlier_value is null or change_z is null then 'not_assessed'
                when is_withheld or is_year_earlier_withheld then 'not_assessed'
                when is_change_too_few then 'too_few_to_assess'
                when change_p_value >= {{ alpha }} then 'no_significant_change'
                when change_z > 0 then 'rose'
                else 'fell'
            end as varchar
        ) as change_status,
        cast({{ var('confidence_level') }} as double) as confidence_level,
        cast(is_withheld or is_year_earlier_withheld as boolean) as is_suppressed,
        cast(
            case when is_withheld or is_year_earlier_withheld then policy_reason end as varchar
        ) as suppression_reason
    from tested

)

select * from final
