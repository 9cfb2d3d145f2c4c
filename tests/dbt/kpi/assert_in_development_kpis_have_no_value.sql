-- A KPI in development (kpi_catalogue.kpi_status = in_development) is listed but never
-- given a figure: no value in any window, area or trend point.
select kpi_values.*
from {{ ref('int_kpi_values') }} as kpi_values
inner join {{ ref('kpi_catalogue') }} as catalogue
    on kpi_values.kpi_id = catalogue.kpi_id
where
    catalogue.kpi_status = 'in_development'
    and kpi_values.kpi_value is not null
