-- The figures the board paper's Equality Implications (section 11) states that no KPI
-- holds: the force area's population from racially minoritised communities (Census
-- 2021, seed ref_population_by_ethnicity), stop and search per 1,000 people of each
-- ethnic group over the current window of the stop and search disproportionality KPIs
-- (officer-defined ethnicity, as those KPIs count it), and violence against women and
-- girls as a share of all recorded crime. One row per figure; the paper prints each from
-- its row.
with

populations as (

    select * from {{ ref('ref_population_by_ethnicity') }}

),

stop_searches as (

    select * from {{ ref('fct_stop_searches') }}

),

scorecard as (

    select * from {{ ref('kpi_scorecard') }}
    where comparison_mode = 'plan_baseline'

),

search_window as (

    select
        current_start as window_start,
        current_end as window_end
    from scorecard
    where kpi_id = 'stop_search_disproportionality_black'

),

minoritised_population as (

    select
        'population_minoritised_pct' as figure_id,
        'Population from racially minoritised communities' as figure_name,
        100.0 * sum(case when ethnic_group != 'white' then population_2021 else 0 end)
        / sum(population_2021) as figure_value,
        'percent' as unit,
        cast(null as date) as window_start,
        cast(null as date) as window_end,
        'Census 2021 population of the force area outside the White group, as a '
        || 'percentage of the whole (the Mixed and Other groups are approximations).'
            as description
    from populations

),

searches_by_group as (

    select
        stop_searches.officer_defined_ethnic_group as ethnic_group,
        count(*) as searches
    from stop_searches
    cross join search_window
    where
        stop_searches.searched_date
        between search_window.window_start and search_window.window_end
    group by stop_searches.officer_defined_ethnic_group

),

search_rates as (

    select
        'stop_searches_per_1000_' || populations.ethnic_group as figure_id,
        'Stops and searches per 1,000 people: ' || populations.ethnic_group_name as figure_name,
        1000.0 * coalesce(searches_by_group.searches, 0) / populations.population_2021
            as figure_value,
        'per_1000_population' as unit,
        search_window.window_start,
        search_window.window_end,
        'Stops and searches of people the officer recorded as '
        || populations.ethnic_group_name
        || ' in the window, per 1,000 people of that group in the Census 2021 population.'
            as description
    from populations
    cross join search_window
    left join searches_by_group
        on populations.ethnic_group = searches_by_group.ethnic_group
    where populations.ethnic_group in ('white', 'asian', 'black')

),

vawg_share as (

    select
        'vawg_share_of_recorded_crime_pct' as figure_id,
        'Violence against women and girls as a share of recorded crime' as figure_name,
        100.0 * vawg.current_value / nullif(total.current_value, 0) as figure_value,
        'percent' as unit,
        vawg.current_start as window_start,
        vawg.current_end as window_end,
        'VAWG crimes as a percentage of total recorded crime, over the current window.'
            as description
    from scorecard as vawg
    inner join scorecard as total
        on
            total.kpi_id = 'total_recorded_crime'
            and vawg.current_start = total.current_start
            and vawg.current_end = total.current_end
    where vawg.kpi_id = 'vawg_crimes'

),

final as (

    select * from minoritised_population
    union all
    select * from search_rates
    union all
    select * from vawg_share

)

select
    figure_id,
    figure_name,
    figure_value,
    unit,
    window_start,
    window_end,
    description
from final
