-- Each force present against its peer group (ref_police_force_peers), one row per force
-- and count or proportion KPI, over the force's latest 12 months: its rate and interval,
-- its peers' (those whose data covers the same months, kpi_peer_rates), the peers' mean
-- (their events over their residents, or their events over their denominator: the mean
-- of their rates weighted by size, which the test compares with; the plain mean of
-- their rates beside it), the force's rank among them and whether it differs from the
-- peers' mean by more than chance: the test of the KPI's measure type as the
-- scorecard's statuses (macros/kpi/statistics.sql): the square-root z of two Poisson
-- counts with the residents as exposure, or the pooled two-proportion z. A force with
-- no peer in the warehouse still has its row (comparison no_peers).
{%- set alpha = 1.0 - var('confidence_level') %}
with

peer_rates as (

    select * from {{ ref('kpi_peer_rates') }}

),

forces as (

    select * from {{ ref('dim_police_forces') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

settings as (

    select {{ normal_quantile('(0.5 + ' ~ var('confidence_level') ~ ' / 2.0)') }} as z_critical

),

ranked as (

    select
        peer_rates.*,
        rank() over (
            partition by peer_rates.force, peer_rates.kpi_id
            order by peer_rates.member_value desc
        ) as value_rank
    from peer_rates
    where peer_rates.member_value is not null

),

peer_summaries as (

    select
        force,
        kpi_id,
        count(*) as peers_compared,
        {{ dbt.listagg('member_name', "', '", "order by member_name") }} as peers_compared_names,
        sum(events) as peer_events,
        sum(case when unit = 'per_1000_residents' then residents else denominator_events end)
            as peer_exposure,
        avg(member_value) as peer_unweighted_mean_value,
        min(member_value) as peer_min_value,
        max(member_value) as peer_max_value
    from peer_rates
    where member_role = 'peer' and member_value is not null
    group by force, kpi_id

),

peer_withheld as (

    select
        force,
        kpi_id,
        count(*) as peers_withheld
    from peer_rates
    where member_role = 'peer' and is_suppressed and member_status = 'compared'
    group by force, kpi_id

),

ranks as (

    select
        force,
        kpi_id,
        count(*) as group_size,
        max(case when member_role = 'force' then value_rank end) as force_rank
    from ranked
    group by force, kpi_id

),

joined as (

    select
        own.force,
        own.member_name as force_name,
        own.kpi_id,
        own.kpi_name,
        own.unit,
        own.window_start,
        own.window_end,
        own.window_months,
        own.member_status as force_status,
        own.events as force_events,
        own.member_value as force_value,
        own.member_ci_low as force_ci_low,
        own.member_ci_high as force_ci_high,
        forces.peer_group,
        peer_summaries.peers_compared_names,
        peer_summaries.peer_events,
        peer_summaries.peer_exposure,
        peer_summaries.peer_unweighted_mean_value,
        peer_summaries.peer_min_value,
        peer_summaries.peer_max_value,
        ranks.force_rank,
        own.is_suppressed as is_force_withheld,
        own.suppression_reason as force_suppression_reason,
        settings.z_critical,
        case when own.unit = 'per_1000_residents' then own.residents else own.denominator_events end
            as force_exposure,
        coalesce(forces.peers_declared, 0) as peers_declared,
        coalesce(peer_summaries.peers_compared, 0) as peers_compared,
        coalesce(peer_withheld.peers_withheld, 0) as peers_withheld,
        coalesce(ranks.group_size, 0) as group_size,
        1.0 * (own.events + peer_summaries.peer_events) / nullif(
            case
                when own.unit = 'per_1000_residents' then own.residents
                else own.denominator_events
            end
            + peer_summaries.peer_exposure,
            0
        ) as pooled_share
    from peer_rates as own
    inner join catalogue
        on own.kpi_id = catalogue.kpi_id
    cross join settings
    left join forces
        on own.force = forces.force
    left join peer_summaries
        on own.force = peer_summaries.force and own.kpi_id = peer_summaries.kpi_id
    left join peer_withheld
        on own.force = peer_withheld.force and own.kpi_id = peer_withheld.kpi_id
    left join ranks
        on own.force = ranks.force and own.kpi_id = ranks.kpi_id
    where own.member_role = 'force'

),

tested as (

    select
        *,
        case
            when peer_exposure > 0 and unit = 'per_1000_residents'
                then 1000.0 * peer_events / peer_exposure
            when peer_exposure > 0 then 100.0 * peer_events / peer_exposure
        end as peer_mean_value,
        case
            when peer_exposure > 0 and unit = 'per_1000_residents'
                then 1000.0 / peer_exposure * {{ poisson_lower_limit('peer_events', 'z_critical') }}
            when peer_exposure > 0
                then 100.0 * {{ wilson_limit('peer_events', 'peer_exposure', 'z_critical', '-') }}
        end as peer_mean_ci_low,
        case
            when peer_exposure > 0 and unit = 'per_1000_residents'
                then 1000.0 / peer_exposure * {{ poisson_upper_limit('peer_events', 'z_critical') }}
            when peer_exposure > 0
                then 100.0 * {{ wilson_limit('peer_events', 'peer_exposure', 'z_critical', '+') }}
        end as peer_mean_ci_high,
        case
            when force_value is null or not peer_exposure > 0 or not force_exposure > 0 then null
            when unit = 'per_1000_residents' and force_events + peer_events > 0
                then {{ poisson_square_root_z(
                    'peer_events', 'peer_exposure', 'force_events', 'force_exposure'
                ) }}
            when unit = 'percent'
                then {{ two_proportion_z(
                    'peer_events', 'peer_exposure', 'force_events', 'force_exposure'
                ) }}
        end as z_statistic,
        case
            when unit = 'per_1000_residents'
                then
                    least(
                        1.0 * (force_events + peer_events) * peer_exposure
                        / (peer_exposure + force_exposure),
                        1.0 * (force_events + peer_events) * force_exposure
                        / (peer_exposure + force_exposure)
                    ) < 5
            else
                coalesce(
                    least(
                        force_exposure * pooled_share,
                        force_exposure * (1 - pooled_share),
                        peer_exposure * pooled_share,
                        peer_exposure * (1 - pooled_share)
                    ) < 5,
                    true
                )
        end as is_too_few
    from joined

),

final as (

    select
        cast(force as varchar) as force,
        cast(force_name as varchar) as force_name,
        cast(kpi_id as varchar) as kpi_id,
        cast(kpi_name as varchar) as kpi_name,
        cast(unit as varchar) as unit,
        window_start,
        window_end,
        window_months,
        cast(force_status as varchar) as force_status,
        cast(force_events as bigint) as force_events,
        cast(force_value as double) as force_value,
        cast(force_ci_low as double) as force_ci_low,
        cast(force_ci_high as double) as force_ci_high,
        cast(peer_group as varchar) as peer_group,
        cast(peers_declared as integer) as peers_declared,
        cast(peers_compared as integer) as peers_compared,
        cast(peers_compared_names as varchar) as peers_compared_names,
        cast({{ withheld('peer_mean_value', 'peers_withheld > 0') }} as double) as peer_mean_value,
        cast({{ withheld('peer_mean_ci_low', 'peers_withheld > 0') }} as double)
            as peer_mean_ci_low,
        cast({{ withheld('peer_mean_ci_high', 'peers_withheld > 0') }} as double)
            as peer_mean_ci_high,
        cast(peer_unweighted_mean_value as double) as peer_unweighted_mean_value,
        cast(peer_min_value as double) as peer_min_value,
        cast(peer_max_value as double) as peer_max_value,
        cast(force_rank as integer) as force_rank,
        cast(group_size as integer) as group_size,
        cast({{ withheld('force_value - peer_mean_value', 'peers_withheld > 0') }} as double)
            as difference_from_peer_mean,
        cast(
            case
                when z_statistic is null then 'none'
                when unit = 'per_1000_residents' then 'poisson_square_root_z'
                else 'two_proportion_z'
            end as varchar
        ) as test_method,
        cast({{ withheld('z_statistic', 'peers_withheld > 0') }} as double) as z_score,
        cast({{ withheld(two_sided_p_value('z_statistic'), 'peers_withheld > 0') }} as double)
            as p_value,
        cast(
            case
                when z_statistic is not null and peers_withheld = 0
                    then {{ two_sided_p_value('z_statistic') }} < {{ alpha }}
            end as boolean
        ) as is_significant,
        cast(
            case
                when force_value is null then 'no_value'
                when peers_compared = 0 then 'no_peers'
                when peers_withheld > 0 or z_statistic is null then 'not_assessed'
                when is_too_few then 'too_few_to_assess'
                when {{ two_sided_p_value('z_statistic') }} >= {{ alpha }}
                    then 'no_significant_difference'
                when z_statistic > 0 then 'higher_than_peers'
                else 'lower_than_peers'
            end as varchar
        ) as comparison,
        cast({{ var('confidence_level') }} as double) as confidence_level,
        cast(is_force_withheld or peers_withheld > 0 as boolean) as is_suppressed,
        cast(
            case
                when is_force_withheld then force_suppression_reason
                when peers_withheld > 0 then 'a peer''s figure is withheld, so their mean is too'
            end as varchar
        ) as suppression_reason
    from tested

)

select * from final
