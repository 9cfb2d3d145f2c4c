-- Periodic returns as BI tools read them: one row per return, period end and measure,
-- with the return's name and cadence from ref_return_measures. KPI series read it by
-- return and measure (int_kpi_series_events).
with

returns as (

    select * from {{ ref('stg_periodic_returns__returns') }}

),

return_measures as (

    select * from {{ ref('ref_return_measures') }}

),

final as (

    select
        cast(returns.return_id as varchar) as return_id,
        cast(returns.period_end as date) as period_end,
        cast(returns.measure as varchar) as measure,
        cast(returns.return_value as double) as return_value,
        cast(return_measures.return_name as varchar) as return_name,
        cast(return_measures.cadence as varchar) as cadence

    from returns
    inner join return_measures
        on
            returns.return_id = return_measures.return_id
            and returns.measure = return_measures.measure

)

select * from final
