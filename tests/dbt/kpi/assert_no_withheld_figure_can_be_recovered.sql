-- Disclosure control leaves no withheld figure that subtraction recovers: among the
-- parts of a published total (the LPAs of the force, the neighbourhoods of an LPA, the
-- parts of a KPI, catalogue part_of_kpi_id), never exactly one withheld. A row here is
-- a total whose one withheld part could be worked out from it and the other parts.
with

disclosure as (

    select * from {{ ref('int_kpi_disclosure') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

area_groups as (

    select
        parts.kpi_id,
        parts.window_kind,
        parts.window_end,
        parts.parent_area_code as total_area_code,
        parts.kpi_id as total_kpi_id,
        count(*) as parts,
        sum(case when parts.is_withheld then 1 else 0 end) as withheld_parts
    from disclosure as parts
    inner join catalogue
        on parts.kpi_id = catalogue.kpi_id
    where
        parts.parent_area_code is not null
        and catalogue.calculation in ('count', 'sum')
    group by parts.kpi_id, parts.window_kind, parts.window_end, parts.parent_area_code

),

kpi_groups as (

    select
        part_of_kpi_id as kpi_id,
        window_kind,
        window_end,
        area_code as total_area_code,
        part_of_kpi_id as total_kpi_id,
        count(*) as parts,
        sum(case when is_withheld then 1 else 0 end) as withheld_parts
    from disclosure
    where part_of_kpi_id is not null
    group by part_of_kpi_id, window_kind, window_end, area_code

),

groups as (

    select * from area_groups
    union all
    select * from kpi_groups

),

final as (

    select groups.*
    from groups
    inner join disclosure as totals
        on
            groups.total_kpi_id = totals.kpi_id
            and groups.window_kind = totals.window_kind
            and groups.window_end = totals.window_end
            and groups.total_area_code = totals.area_code
    where
        not totals.is_withheld
        and groups.parts > 1
        and groups.withheld_parts = 1

)

select * from final
