-- A count is never above the count it is part of in the same return and period
-- (ref_return_measures.not_above_measure): completed <= headcount, compliant <=
-- audited, files meeting the standard <= files assessed, fraud reports <= reports.
select
    part.return_id,
    part.period_end,
    part.measure,
    part.return_value,
    whole.measure as not_above_measure,
    whole.return_value as not_above_value
from {{ ref('stg_periodic_returns__returns') }} as part
inner join {{ ref('ref_return_measures') }} as return_measures
    on
        part.return_id = return_measures.return_id
        and part.measure = return_measures.measure
inner join {{ ref('stg_periodic_returns__returns') }} as whole
    on
        part.return_id = whole.return_id
        and part.period_end = whole.period_end
        and return_measures.not_above_measure = whole.measure
where part.return_value > whole.return_value
