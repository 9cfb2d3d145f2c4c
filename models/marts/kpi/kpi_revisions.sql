-- The figures that moved between one publish and the one before it: for each publish
-- in kpi_scorecard_history, each KPI, comparison mode and figure (baseline or current
-- value) whose value differs from the previous publish's for the same window, with
-- both values and the difference. A revised delivery (crimes reclassified, outcomes
-- arrived later) shows here as exactly the figures it changed.
with

history as (

    select * from {{ ref('kpi_scorecard_history') }}

),

publishes as (

    select
        published_at,
        lag(published_at) over (order by published_at) as previous_published_at
    from (select distinct published_at from history) as distinct_publishes

),

figures as (

    select
        published_at,
        delivery_id,
        kpi_id,
        comparison_mode,
        kpi_name,
        'baseline_value' as figure,
        baseline_start as window_start,
        baseline_end as window_end,
        baseline_value as figure_value
    from history

    union all

    select
        published_at,
        delivery_id,
        kpi_id,
        comparison_mode,
        kpi_name,
        'current_value' as figure,
        current_start as window_start,
        current_end as window_end,
        current_value as figure_value
    from history

),

final as (

    select
        publishes.published_at,
        publishes.previous_published_at,
        later.delivery_id,
        earlier.delivery_id as previous_delivery_id,
        later.kpi_id,
        later.kpi_name,
        later.comparison_mode,
        later.figure,
        later.window_start,
        later.window_end,
        earlier.figure_value as previous_value,
        later.figure_value,
        later.figure_value - earlier.figure_value as difference

    from publishes
    inner join figures as later
        on publishes.published_at = later.published_at
    inner join figures as earlier
        on
            publishes.previous_published_at = earlier.published_at
            and later.kpi_id = earlier.kpi_id
            and later.comparison_mode = earlier.comparison_mode
            and later.figure = earlier.figure
            and later.window_start = earlier.window_start
            and later.window_end = earlier.window_end
    where later.figure_value is distinct from earlier.figure_value

)

select * from final
