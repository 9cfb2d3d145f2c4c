-- Stop and search by ethnic group, per force, over the latest 12 months the force's
-- stop-and-search files cover and each month they cover (the windows of KPI
-- stop_searches, int_police_uk_force_kpi_values), in two views: officer-defined
-- ethnicity (the officer's record; the main view) and self-defined ethnicity (the
-- person's own, the Home Office's measure since 2017/18). For each group: searches per
-- 1,000 residents of the group (ref_census_ethnic_groups says which census groups a
-- view's group is: Chinese is Asian when self-defined, Other when officer-defined),
-- with Byar's Poisson interval; the disproportionality ratio against White (searches
-- per White resident), with the log rate ratio's interval and its z against parity; and
-- the arrest and find rates (the outcome test: equal find rates suggest equal grounds),
-- with Wilson's intervals and the pooled two-proportion z against White's. Searches
-- with no ethnicity in a view are the group not_stated (no population, no rate).
-- Statistics: macros/kpi/statistics.sql, as the scorecard's statuses.
--
-- Disclosure: a count of 1 to minimum_count - 1 searches, arrests or finds of a group in
-- a force and period is withheld with every figure resting on it (kpi_disclosure_policy:
-- its ethnic_group row, or where it has none the largest minimum_count of its all_kpis
-- rows); and where one group's count is the only one withheld among the groups, which
-- add up to the force's published total, the smallest other non-zero one is withheld too
-- (or, all others being zero, every zero one), so subtraction recovers nothing.
{%- set alpha = 1.0 - var('confidence_level') %}
{%- set measures = ['searches', 'arrests', 'finds'] %}
with

searches as (

    select * from {{ ref('fct_police_uk_stop_searches') }}

),

kpi_values as (

    select * from {{ ref('int_police_uk_force_kpi_values') }}

),

populations as (

    select * from {{ ref('int_police_uk_force_populations') }}

),

census_groups as (

    select * from {{ ref('ref_census_ethnic_groups') }}

),

forces as (

    select * from {{ ref('dim_police_forces') }}

),

policy as (

    select * from {{ ref('kpi_disclosure_policy') }}

),

settings as (

    select
        {{ normal_quantile('(0.5 + ' ~ var('confidence_level') ~ ' / 2.0)') }} as z_critical,
        coalesce(
            max(case when policy.area_level = 'ethnic_group' then policy.minimum_count end),
            max(case when policy.applies_to = 'all_kpis' then policy.minimum_count end)
        ) as minimum_count,
        max(case when policy.area_level = 'ethnic_group' then policy.reason end) as policy_reason
    from policy

),

windows as (

    select
        force,
        period_kind,
        window_start,
        window_end,
        window_months
    from kpi_values
    where kpi_id = 'stop_searches' and period_kind in ('latest_12_months', 'month')

),

views as (

    select distinct ethnicity_view from census_groups

),

-- each view's groups, and not_stated
view_groups as (

    select distinct
        ethnicity_view,
        ethnic_group
    from census_groups

    union all

    select
        ethnicity_view,
        'not_stated' as ethnic_group
    from views

),

group_populations as (

    select
        populations.force,
        census_groups.ethnicity_view,
        census_groups.ethnic_group,
        min(populations.population_year) as population_year,
        sum(populations.population) as residents
    from populations
    inner join census_groups
        on populations.census_ethnic_group = census_groups.census_ethnic_group
    group by populations.force, census_groups.ethnicity_view, census_groups.ethnic_group

),

searches_by_view as (

    select
        searches.force,
        searches.searched_month,
        views.ethnicity_view,
        searches.is_arrest,
        searches.is_find,
        coalesce(
            case views.ethnicity_view
                when 'self_defined' then searches.self_defined_ethnic_group
                else searches.officer_defined_ethnic_group
            end,
            'not_stated'
        ) as recorded_group
    from searches
    cross join views

),

classified as (

    select
        searches_by_view.force,
        searches_by_view.searched_month,
        searches_by_view.ethnicity_view,
        searches_by_view.is_arrest,
        searches_by_view.is_find,
        coalesce(view_groups.ethnic_group, 'not_stated') as ethnic_group
    from searches_by_view
    left join view_groups
        on
            searches_by_view.ethnicity_view = view_groups.ethnicity_view
            and searches_by_view.recorded_group = view_groups.ethnic_group

),

cells as (

    select
        windows.force,
        windows.period_kind,
        windows.window_start,
        windows.window_end,
        windows.window_months,
        view_groups.ethnicity_view,
        view_groups.ethnic_group
    from windows
    cross join view_groups

),

counted as (

    select
        cells.force,
        cells.period_kind,
        cells.window_start,
        cells.window_end,
        cells.window_months,
        cells.ethnicity_view,
        cells.ethnic_group,
        count(classified.force) as searches,
        count(case when classified.is_arrest then 1 end) as arrests,
        count(case when classified.is_find then 1 end) as finds
    from cells
    left join classified
        on
            cells.force = classified.force
            and cells.ethnicity_view = classified.ethnicity_view
            and cells.ethnic_group = classified.ethnic_group
            and classified.searched_month between cells.window_start and cells.window_end
    group by
        cells.force, cells.period_kind, cells.window_start, cells.window_end, cells.window_months,
        cells.ethnicity_view, cells.ethnic_group

),

-- primary suppression, and what the secondary rule needs: for each measure, how many of
-- the groups of the force, period and view are withheld, and the rank of each open
-- non-zero group from the smallest
primary_cells as (

    select
        counted.*,
        {%- for measure in measures %}
            counted.{{ measure }} between 1 and settings.minimum_count - 1
                as is_{{ measure }}_primary,
        {%- endfor %}
        settings.minimum_count
    from counted
    cross join settings

),

{% for measure in measures %}
    {{ measure }}_groups as (

        select
            force,
            period_kind,
            window_start,
            ethnicity_view,
            sum(case when is_{{ measure }}_primary then 1 else 0 end) as withheld_parts,
            sum(case when not is_{{ measure }}_primary and {{ measure }} > 0 then 1 else 0 end)
                as open_non_zero_parts
        from primary_cells
        group by force, period_kind, window_start, ethnicity_view

    ),

    {{ measure }}_candidates as (

        select
            force,
            period_kind,
            window_start,
            ethnicity_view,
            ethnic_group,
            row_number() over (
                partition by force, period_kind, window_start, ethnicity_view
                order by {{ measure }}, ethnic_group
            ) as candidate_rank
        from primary_cells
        where not is_{{ measure }}_primary and {{ measure }} > 0

    ),

{% endfor %}
disclosed as (

    select
        primary_cells.*,
        {%- for measure in measures %}
            primary_cells.is_{{ measure }}_primary
            or coalesce(
                {{ measure }}_groups.withheld_parts = 1
                and (
                    (
                        {{ measure }}_candidates.candidate_rank = 1
                        and primary_cells.{{ measure }} > 0
                    )
                    or (
                        {{ measure }}_groups.open_non_zero_parts = 0
                        and primary_cells.{{ measure }} = 0
                    )
                ),
                false
            ) as is_{{ measure }}_withheld,
        {%- endfor %}
        settings.policy_reason
    from primary_cells
    cross join settings
    {%- for measure in measures %}
        left join {{ measure }}_groups
            on
                primary_cells.force = {{ measure }}_groups.force
                and primary_cells.period_kind = {{ measure }}_groups.period_kind
                and primary_cells.window_start = {{ measure }}_groups.window_start
                and primary_cells.ethnicity_view = {{ measure }}_groups.ethnicity_view
        left join {{ measure }}_candidates
            on
                primary_cells.force = {{ measure }}_candidates.force
                and primary_cells.period_kind = {{ measure }}_candidates.period_kind
                and primary_cells.window_start = {{ measure }}_candidates.window_start
                and primary_cells.ethnicity_view = {{ measure }}_candidates.ethnicity_view
                and primary_cells.ethnic_group = {{ measure }}_candidates.ethnic_group
    {%- endfor %}

),

with_white as (

    select
        disclosed.*,
        group_populations.residents,
        group_populations.population_year,
        white.searches as white_searches,
        white.arrests as white_arrests,
        white.finds as white_finds,
        white.is_searches_withheld as is_white_searches_withheld,
        white.is_arrests_withheld as is_white_arrests_withheld,
        white.is_finds_withheld as is_white_finds_withheld,
        white_populations.residents as white_residents,
        forces.force_name,
        settings.z_critical
    from disclosed
    cross join settings
    left join forces
        on disclosed.force = forces.force
    left join group_populations
        on
            disclosed.force = group_populations.force
            and disclosed.ethnicity_view = group_populations.ethnicity_view
            and disclosed.ethnic_group = group_populations.ethnic_group
    left join disclosed as white
        on
            disclosed.force = white.force
            and disclosed.period_kind = white.period_kind
            and disclosed.window_start = white.window_start
            and disclosed.ethnicity_view = white.ethnicity_view
            and white.ethnic_group = 'white'
    left join group_populations as white_populations
        on
            disclosed.force = white_populations.force
            and disclosed.ethnicity_view = white_populations.ethnicity_view
            and white_populations.ethnic_group = 'white'

),

computed as (

    select
        *,
        -- any withheld count a figure rests on withholds it
        is_searches_withheld as is_rate_withheld,
        is_searches_withheld or is_white_searches_withheld as is_ratio_withheld,
        is_searches_withheld or is_arrests_withheld as is_arrest_rate_withheld,
        is_searches_withheld or is_finds_withheld as is_find_rate_withheld,
        is_searches_withheld or is_arrests_withheld or is_white_searches_withheld
        or is_white_arrests_withheld as is_arrest_test_withheld,
        is_searches_withheld or is_finds_withheld or is_white_searches_withheld
        or is_white_finds_withheld as is_find_test_withheld,
        1000.0 * searches / nullif(residents, 0) as rate,
        1000.0 / nullif(residents, 0) * {{ poisson_lower_limit('searches', 'z_critical') }}
            as rate_low,
        1000.0 / nullif(residents, 0) * {{ poisson_upper_limit('searches', 'z_critical') }}
            as rate_high,
        case
            when ethnic_group not in ('white', 'not_stated') and searches > 0 and white_searches > 0
                then (1.0 * searches / residents) / (1.0 * white_searches / white_residents)
        end as ratio,
        case
            when ethnic_group not in ('white', 'not_stated') and searches > 0 and white_searches > 0
                then sqrt(1.0 / searches + 1.0 / white_searches)
        end as log_ratio_se,
        100.0 * arrests / nullif(searches, 0) as arrest_rate,
        100.0 * finds / nullif(searches, 0) as find_rate,
        case
            when ethnic_group not in ('white', 'not_stated') and searches > 0 and white_searches > 0
                then {{ two_proportion_z(
                    'white_arrests', 'white_searches', 'arrests', 'searches'
                ) }}
        end as arrest_z,
        case
            when ethnic_group not in ('white', 'not_stated') and searches > 0 and white_searches > 0
                then {{ two_proportion_z('white_finds', 'white_searches', 'finds', 'searches') }}
        end as find_z
    from with_white

),

final as (

    select
        cast(force as varchar) as force,
        cast(force_name as varchar) as force_name,
        cast(ethnicity_view as varchar) as ethnicity_view,
        cast(ethnic_group as varchar) as ethnic_group,
        cast(period_kind as varchar) as period_kind,
        window_start,
        window_end,
        cast(window_months as integer) as window_months,
        cast({{ withheld('searches', 'is_searches_withheld') }} as bigint) as searches,
        cast(residents as bigint) as residents,
        cast(population_year as integer) as population_year,
        cast({{ withheld('rate', 'is_rate_withheld') }} as double)
            as searches_per_1000_residents,
        cast({{ withheld('rate_low', 'is_rate_withheld or residents is null') }} as double)
            as searches_per_1000_ci_low,
        cast({{ withheld('rate_high', 'is_rate_withheld or residents is null') }} as double)
            as searches_per_1000_ci_high,
        cast({{ withheld('ratio', 'is_ratio_withheld') }} as double) as ratio_to_white,
        cast({{ withheld(
            'ratio * exp(-z_critical * log_ratio_se)', 'is_ratio_withheld'
        ) }} as double) as ratio_ci_low,
        cast({{ withheld(
            'ratio * exp(z_critical * log_ratio_se)', 'is_ratio_withheld'
        ) }} as double) as ratio_ci_high,
        cast({{ withheld('ln(ratio) / log_ratio_se', 'is_ratio_withheld') }} as double)
            as ratio_z_score,
        cast({{ withheld(
            two_sided_p_value('ln(ratio) / log_ratio_se'), 'is_ratio_withheld'
        ) }} as double) as ratio_p_value,
        cast(
            case
                when not is_ratio_withheld and ratio is not null
                    then {{ two_sided_p_value('ln(ratio) / log_ratio_se') }} < {{ alpha }}
            end as boolean
        ) as is_ratio_significant,
        cast({{ withheld('arrests', 'is_arrests_withheld or is_searches_withheld') }} as bigint)
            as arrests,
        cast({{ withheld('arrest_rate', 'is_arrest_rate_withheld') }} as double) as arrest_rate,
        cast({{ withheld(
            'case when searches > 0 then 100.0 * '
            ~ wilson_limit('arrests', 'searches', 'z_critical', '-') ~ ' end',
            'is_arrest_rate_withheld'
        ) }} as double) as arrest_rate_ci_low,
        cast({{ withheld(
            'case when searches > 0 then 100.0 * '
            ~ wilson_limit('arrests', 'searches', 'z_critical', '+') ~ ' end',
            'is_arrest_rate_withheld'
        ) }} as double) as arrest_rate_ci_high,
        cast({{ withheld('arrest_z', 'is_arrest_test_withheld') }} as double)
            as arrest_rate_z_score,
        cast({{ withheld(two_sided_p_value('arrest_z'), 'is_arrest_test_withheld') }} as double)
            as arrest_rate_p_value,
        cast({{ withheld('finds', 'is_finds_withheld or is_searches_withheld') }} as bigint)
            as finds,
        cast({{ withheld('find_rate', 'is_find_rate_withheld') }} as double) as find_rate,
        cast({{ withheld(
            'case when searches > 0 then 100.0 * '
            ~ wilson_limit('finds', 'searches', 'z_critical', '-') ~ ' end',
            'is_find_rate_withheld'
        ) }} as double) as find_rate_ci_low,
        cast({{ withheld(
            'case when searches > 0 then 100.0 * '
            ~ wilson_limit('finds', 'searches', 'z_critical', '+') ~ ' end',
            'is_find_rate_withheld'
        ) }} as double) as find_rate_ci_high,
        cast({{ withheld('find_z', 'is_find_test_withheld') }} as double) as find_rate_z_score,
        cast({{ withheld(two_sided_p_value('find_z'), 'is_find_test_withheld') }} as double)
            as find_rate_p_value,
        cast(
            case
                when not is_find_test_withheld and find_z is not null
                    then {{ two_sided_p_value('find_z') }} < {{ alpha }}
            end as boolean
        ) as is_find_rate_significantly_different,
        cast({{ var('confidence_level') }} as double) as confidence_level,
        cast(minimum_count as integer) as minimum_count,
        cast(
            is_searches_withheld or is_arrests_withheld or is_finds_withheld
            or is_white_searches_withheld
            as boolean
        ) as is_suppressed,
        cast(
            case
                when is_searches_withheld
                    then
                        coalesce(
                            policy_reason,
                            'fewer than ' || cast(minimum_count as varchar)
                            || ' searches of the group in the force and period, or withheld'
                            || ' so that one cannot be worked out'
                        )
                when is_white_searches_withheld
                    then 'the White group''s searches are withheld, so is the ratio to them'
                when is_arrests_withheld or is_finds_withheld
                    then
                        'fewer than ' || cast(minimum_count as varchar)
                        || ' arrests or finds of the group, or withheld so that one cannot be'
                        || ' worked out'
            end as varchar
        ) as suppression_reason
    from computed

)

select * from final
