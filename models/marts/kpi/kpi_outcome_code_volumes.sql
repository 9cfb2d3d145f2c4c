{{ config(enabled=env_var("POLICE_WAREHOUSE", "force") == "force") }}
-- Standing outcomes by outcome code over the scorecard windows of the KPIs that are
-- shares of all outcomes (catalogue denominator_series outcome: codes 15 and 16), per
-- comparison mode and window role: the board report's Figure 7 (the ten codes with
-- most outcomes in the current window) and its outcome-code paragraphs. Each code's
-- share is of every standing outcome assigned in the window, as those KPIs divide.
with

catalogue as (

    select * from {{ ref('dim_kpis') }}

),

windows as (

    select * from {{ ref('int_kpi_windows') }}

),

outcomes as (

    select * from {{ ref('int_crime_outcomes_standing') }}

),

outcome_codes as (

    select * from {{ ref('dim_outcome_codes') }}

),

share_windows as (

    select distinct
        windows.comparison_mode,
        windows.window_role,
        windows.window_start,
        windows.window_end
    from windows
    inner join catalogue
        on windows.kpi_id = catalogue.kpi_id
    where
        catalogue.denominator_series = 'outcome'
        and windows.window_role in ('baseline', 'current')

),

volumes as (

    select
        share_windows.comparison_mode,
        share_windows.window_role,
        share_windows.window_start,
        share_windows.window_end,
        outcomes.outcome_code,
        count(*) as outcomes
    from share_windows
    inner join outcomes
        on outcomes.outcome_date between share_windows.window_start and share_windows.window_end
    group by
        share_windows.comparison_mode,
        share_windows.window_role,
        share_windows.window_start,
        share_windows.window_end,
        outcomes.outcome_code

),

final as (

    select
        cast(volumes.comparison_mode as varchar) as comparison_mode,
        cast(volumes.window_role as varchar) as window_role,
        cast(volumes.window_start as date) as window_start,
        cast(volumes.window_end as date) as window_end,
        cast(volumes.outcome_code as varchar) as outcome_code,
        cast(outcome_codes.outcome_description as varchar) as outcome_description,
        cast(outcome_codes.is_positive as boolean) as is_positive,
        cast(volumes.outcomes as bigint) as outcomes,
        cast(
            100.0 * volumes.outcomes
            / sum(volumes.outcomes) over (
                partition by volumes.comparison_mode, volumes.window_role
            ) as double
        ) as share_pct,
        cast(
            rank() over (
                partition by volumes.comparison_mode, volumes.window_role
                order by volumes.outcomes desc, volumes.outcome_code asc
            ) as integer
        ) as volume_rank

    from volumes
    left join outcome_codes
        on volumes.outcome_code = outcome_codes.outcome_code

)

select * from final
