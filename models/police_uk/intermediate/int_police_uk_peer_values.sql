{{ config(materialized='table', schema='intermediate') }}
-- Each force's peer group over the force's own latest window: for every force with a
-- latest_12_months window of a count or proportion KPI (int_police_uk_force_kpi_values),
-- the force itself and each peer the seed declares for it (ref_police_force_peers), with
-- the member's events over that window and over the same months a year earlier, added
-- up from its months. A member whose data does not cover every month of the window has
-- no counts for it (never a partial window), and a member without an area population
-- no rate.
with

kpi_values as (

    select * from {{ ref('int_police_uk_force_kpi_values') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

peers as (

    select * from {{ ref('ref_police_force_peers') }}

),

forces as (

    select * from {{ ref('dim_police_forces') }}

),

policy as (

    select * from {{ ref('kpi_disclosure_policy') }}

),

force_windows as (

    select
        kpi_values.kpi_id,
        kpi_values.force,
        kpi_values.window_start,
        kpi_values.window_end,
        kpi_values.window_months,
        cast({{ dbt.dateadd('month', '-12', 'kpi_values.window_start') }} as date)
            as year_earlier_start,
        cast({{ dbt.last_day(
            dbt.dateadd('month', '-12', 'kpi_values.window_end'), 'month'
        ) }} as date) as year_earlier_end
    from kpi_values
    inner join catalogue
        on kpi_values.kpi_id = catalogue.kpi_id
    where
        kpi_values.period_kind = 'latest_12_months'
        and (
            (catalogue.calculation = 'count' and catalogue.measure_type = 'count')
            or (catalogue.calculation = 'percent_of' and catalogue.measure_type = 'proportion')
        )

),

members as (

    select
        kpi_id,
        force,
        force as member_force,
        'force' as member_role,
        window_start,
        window_end,
        window_months,
        year_earlier_start,
        year_earlier_end
    from force_windows

    union all

    select
        force_windows.kpi_id,
        force_windows.force,
        peers.peer_force_slug as member_force,
        'peer' as member_role,
        force_windows.window_start,
        force_windows.window_end,
        force_windows.window_months,
        force_windows.year_earlier_start,
        force_windows.year_earlier_end
    from force_windows
    inner join peers
        on force_windows.force = peers.force_slug

),

months as (

    select * from kpi_values
    where period_kind = 'month'

),

-- the member's months in each of the two windows
member_months as (

    select
        members.kpi_id,
        members.force,
        members.member_force,
        months.numerator_count,
        months.denominator_count,
        months.window_start between members.window_start and members.window_end as is_current,
        months.window_start
        between members.year_earlier_start and members.year_earlier_end as is_year_earlier
    from members
    inner join months
        on
            members.kpi_id = months.kpi_id
            and members.member_force = months.force
            and months.window_start between members.year_earlier_start and members.window_end

),

member_sums as (

    select
        kpi_id,
        force,
        member_force,
        count(case when is_current then 1 end) as current_months,
        sum(case when is_current then numerator_count end) as current_events,
        sum(case when is_current then denominator_count end) as current_denominator,
        count(case when is_year_earlier then 1 end) as year_earlier_months,
        sum(case when is_year_earlier then numerator_count end) as year_earlier_events,
        sum(case when is_year_earlier then denominator_count end) as year_earlier_denominator
    from member_months
    group by kpi_id, force, member_force

),

final as (

    select
        cast(members.kpi_id as varchar) as kpi_id,
        cast(members.force as varchar) as force,
        cast(members.member_force as varchar) as member_force,
        cast(members.member_role as varchar) as member_role,
        cast(forces.force_name as varchar) as member_name,
        cast(catalogue.measure_type as varchar) as measure_type,
        members.window_start,
        members.window_end,
        cast(members.window_months as integer) as window_months,
        members.year_earlier_start,
        members.year_earlier_end,
        cast(
            {{ dbt.datediff(
                'members.window_start', 'members.window_end', 'day'
            ) }} + 1 as integer
        ) as window_days,
        cast(
            {{ dbt.datediff(
                'members.year_earlier_start', 'members.year_earlier_end', 'day'
            ) }} + 1 as integer
        ) as year_earlier_days,
        cast(forces.residents as bigint) as residents,
        cast(coalesce(member_sums.current_months, 0) = members.window_months as boolean)
            as is_covered,
        cast(coalesce(member_sums.year_earlier_months, 0) = members.window_months as boolean)
            as is_year_earlier_covered,
        cast(
            case
                when member_sums.current_months = members.window_months
                    then member_sums.current_events
            end as bigint
        ) as events,
        cast(
            case
                when member_sums.current_months = members.window_months
                    then member_sums.current_denominator
            end as bigint
        ) as denominator_events,
        cast(
            case
                when member_sums.year_earlier_months = members.window_months
                    then member_sums.year_earlier_events
            end as bigint
        ) as year_earlier_events,
        cast(
            case
                when member_sums.year_earlier_months = members.window_months
                    then member_sums.year_earlier_denominator
            end as bigint
        ) as year_earlier_denominator_events,
        cast(policy.minimum_count as integer) as minimum_count,
        cast(policy.reason as varchar) as policy_reason
    from members
    inner join catalogue
        on members.kpi_id = catalogue.kpi_id
    left join forces
        on members.member_force = forces.force
    left join member_sums
        on
            members.kpi_id = member_sums.kpi_id
            and members.force = member_sums.force
            and members.member_force = member_sums.member_force
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

)

select * from final
