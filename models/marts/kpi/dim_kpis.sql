with

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

final as (

    select
        cast(kpi_id as varchar) as kpi_id,
        cast(kpi_name as varchar) as kpi_name,
        cast(section as varchar) as section,
        cast(plan_priority as varchar) as plan_priority,
        cast(unit as varchar) as unit,
        cast(polarity as varchar) as polarity,
        cast(calculation as varchar) as calculation,
        cast(measure_type as varchar) as measure_type,
        cast(numerator_series as varchar) as numerator_series,
        cast(denominator_series as varchar) as denominator_series,
        cast(window_lag_months as integer) as window_lag_months,
        cast(baseline_lag_months as integer) as baseline_lag_months,
        cast(trend_window as varchar) as trend_window,
        cast(has_lpa_breakdown as boolean) as has_lpa_breakdown,
        cast(has_neighbourhood_breakdown as boolean) as has_neighbourhood_breakdown,
        cast(sensitive_family as varchar) as sensitive_family,
        cast(part_of_kpi_id as varchar) as part_of_kpi_id,
        cast(kpi_status as varchar) as kpi_status,
        cast(definition as varchar) as definition

    from catalogue

)

select * from final
