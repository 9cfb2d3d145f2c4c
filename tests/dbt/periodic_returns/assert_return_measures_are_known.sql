-- Every landed return row is a (return, measure) pair the seed ref_return_measures
-- knows: a measure of another return, or a misspelt one, would silently drop out of
-- fct_periodic_returns and its KPIs.
select returns.*
from {{ ref('stg_periodic_returns__returns') }} as returns
left join {{ ref('ref_return_measures') }} as return_measures
    on
        returns.return_id = return_measures.return_id
        and returns.measure = return_measures.measure
where return_measures.measure is null
