with

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

lpas as (

    select * from {{ ref('dim_local_policing_areas') }}

),

final as (

    select
        cast(kpi_values.kpi_id as varchar) as kpi_id,
        cast(kpi_values.area_code as varchar) as area_code,
        cast(coalesce(lpas.lpa_name, 'Force-wide') as varchar) as area_name,
        cast(kpi_values.window_end as date) as month_end,
        cast(kpi_values.window_kind as varchar) as trend_window,
        cast(kpi_values.window_start as date) as window_start,
        cast(catalogue.kpi_name as varchar) as kpi_name,
        cast(catalogue.unit as varchar) as unit,
        cast(kpi_values.kpi_value as double) as kpi_value

    from kpi_values
    inner join catalogue
        on kpi_values.kpi_id = catalogue.kpi_id
    left join lpas
        on kpi_values.area_code = lpas.lpa_code
    where kpi_values.window_kind in ('rolling_12_months', 'calendar_month')

)

select * from final
