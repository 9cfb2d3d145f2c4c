-- A KPI declared part of another (catalogue part_of_kpi_id) is one of parts that add up
-- to it, in every window and area: what disclosure control relies on when it withholds
-- a second part. A row here is a window and area where the parts do not add up.
with

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

parts as (

    select
        catalogue.part_of_kpi_id as kpi_id,
        kpi_values.window_kind,
        kpi_values.window_end,
        kpi_values.area_code,
        sum(kpi_values.kpi_value) as parts_value
    from kpi_values
    inner join catalogue
        on kpi_values.kpi_id = catalogue.kpi_id
    where catalogue.part_of_kpi_id is not null
    group by
        catalogue.part_of_kpi_id,
        kpi_values.window_kind,
        kpi_values.window_end,
        kpi_values.area_code

),

final as (

    select
        parts.*,
        totals.kpi_value as total_value
    from parts
    inner join kpi_values as totals
        on
            parts.kpi_id = totals.kpi_id
            and parts.window_kind = totals.window_kind
            and parts.window_end = totals.window_end
            and parts.area_code = totals.area_code
    where parts.parts_value is distinct from totals.kpi_value

)

select * from final
