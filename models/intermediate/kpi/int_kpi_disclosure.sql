{{ config(materialized='table') }}
-- Which KPI figures may be published: every value of int_kpi_values (a KPI, a window, an
-- area) against the disclosure policy (seed kpi_disclosure_policy, declared once).
--   primary:   at an area level the policy lists, a figure resting on 1 to
--              minimum_count - 1 events (its numerator's count, or its denominator's) of
--              a KPI the policy applies to (all KPIs, or those of a sensitive family) is
--              withheld; zero is not disclosive and stays.
--   secondary: a withheld count could be worked out by subtraction where it is the only
--              one withheld among parts whose total is published: the LPAs of the force,
--              the neighbourhoods of an LPA, the parts of a KPI (catalogue
--              part_of_kpi_id: anti-social behaviour's three categories). Then the
--              smallest other non-zero part is withheld too, or, when every other part
--              is zero, every zero part (the total stays published; the zeros are
--              withheld only so that the count cannot be placed, and all of them so that
--              the rule does not tell which one it was). Counts and sums only (they add up);
--              the passes repeat (a part withheld for one total may leave another total
--              with a single one), and
--              tests/dbt/kpi/assert_no_withheld_figure_can_be_recovered.sql checks that
--              none is left.
{%- set passes = 3 %}
with

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

policy as (

    select * from {{ ref('kpi_disclosure_policy') }}

),

neighbourhoods as (

    select * from {{ ref('dim_neighbourhoods') }}

),

cells as (

    select
        kpi_values.kpi_id,
        kpi_values.window_kind,
        kpi_values.window_end,
        kpi_values.area_level,
        kpi_values.area_code,
        kpi_values.kpi_value,
        catalogue.part_of_kpi_id,
        policy.reason as policy_reason,
        catalogue.calculation in ('count', 'sum') as is_additive,
        case kpi_values.area_level
            when 'lpa' then 'FORCE'
            when 'neighbourhood' then neighbourhoods.lpa_code
        end as parent_area_code,
        coalesce(
            kpi_values.numerator_count between 1 and policy.minimum_count - 1
            or (
                catalogue.denominator_series is not null
                and kpi_values.denominator_count between 1 and policy.minimum_count - 1
            ),
            false
        ) as is_primary

    from kpi_values
    inner join catalogue
        on kpi_values.kpi_id = catalogue.kpi_id
    left join neighbourhoods
        on
            kpi_values.area_level = 'neighbourhood'
            and kpi_values.area_code = neighbourhoods.neighbourhood_code
    left join policy
        on
            kpi_values.area_level = policy.area_level
            and (
                policy.applies_to = 'all_kpis'
                or (
                    policy.applies_to = 'sensitive_families'
                    and catalogue.sensitive_family is not null
                )
            )

),

pass_0 as (

    select
        *,
        is_primary as is_withheld
    from cells

),

{% for pass in range(1, passes + 1) %}
    {%- set previous = 'pass_' ~ (pass - 1) %}
    -- pass {{ pass }}: first the parts of an area total, then the parts of a KPI
    area_groups_{{ pass }} as (

        select
            kpi_id,
            window_kind,
            window_end,
            parent_area_code,
            sum(case when is_withheld then 1 else 0 end) as withheld_parts,
            sum(case when not is_withheld and kpi_value > 0 then 1 else 0 end)
                as open_non_zero_parts
        from {{ previous }}
        where is_additive and parent_area_code is not null
        group by kpi_id, window_kind, window_end, parent_area_code

    ),

    area_candidates_{{ pass }} as (

        select
            kpi_id,
            window_kind,
            window_end,
            area_code,
            row_number() over (
                partition by kpi_id, window_kind, window_end, parent_area_code
                order by kpi_value, area_code
            ) as candidate_rank
        from {{ previous }}
        where
            is_additive
            and parent_area_code is not null
            and not is_withheld
            and kpi_value > 0

    ),

    area_pass_{{ pass }} as (

        select
            cells.kpi_id,
            cells.window_kind,
            cells.window_end,
            cells.area_level,
            cells.area_code,
            cells.kpi_value,
            cells.part_of_kpi_id,
            cells.is_additive,
            cells.parent_area_code,
            cells.policy_reason,
            cells.is_primary,
            cells.is_withheld
            or coalesce(
                as_part.withheld_parts = 1
                and not totals.is_withheld
                and (
                    (candidates.candidate_rank = 1 and cells.kpi_value > 0)
                    or (as_part.open_non_zero_parts = 0 and cells.kpi_value = 0)
                ),
                false
            ) as is_withheld

        from {{ previous }} as cells
        left join area_groups_{{ pass }} as as_part
            on
                cells.kpi_id = as_part.kpi_id
                and cells.window_kind = as_part.window_kind
                and cells.window_end = as_part.window_end
                and cells.parent_area_code = as_part.parent_area_code
        left join area_candidates_{{ pass }} as candidates
            on
                cells.kpi_id = candidates.kpi_id
                and cells.window_kind = candidates.window_kind
                and cells.window_end = candidates.window_end
                and cells.area_code = candidates.area_code
        left join {{ previous }} as totals
            on
                cells.kpi_id = totals.kpi_id
                and cells.window_kind = totals.window_kind
                and cells.window_end = totals.window_end
                and cells.parent_area_code = totals.area_code

    ),

    kpi_groups_{{ pass }} as (

        select
            part_of_kpi_id,
            window_kind,
            window_end,
            area_code,
            sum(case when is_withheld then 1 else 0 end) as withheld_parts,
            sum(case when not is_withheld and kpi_value > 0 then 1 else 0 end)
                as open_non_zero_parts
        from area_pass_{{ pass }}
        where part_of_kpi_id is not null
        group by part_of_kpi_id, window_kind, window_end, area_code

    ),

    kpi_candidates_{{ pass }} as (

        select
            kpi_id,
            window_kind,
            window_end,
            area_code,
            row_number() over (
                partition by part_of_kpi_id, window_kind, window_end, area_code
                order by kpi_value, kpi_id
            ) as candidate_rank
        from area_pass_{{ pass }}
        where part_of_kpi_id is not null and not is_withheld and kpi_value > 0

    ),

    pass_{{ pass }} as (

        select
            cells.kpi_id,
            cells.window_kind,
            cells.window_end,
            cells.area_level,
            cells.area_code,
            cells.kpi_value,
            cells.part_of_kpi_id,
            cells.is_additive,
            cells.parent_area_code,
            cells.policy_reason,
            cells.is_primary,
            cells.is_withheld
            or coalesce(
                as_part.withheld_parts = 1
                and not totals.is_withheld
                and (
                    (candidates.candidate_rank = 1 and cells.kpi_value > 0)
                    or (as_part.open_non_zero_parts = 0 and cells.kpi_value = 0)
                ),
                false
            ) as is_withheld

        from area_pass_{{ pass }} as cells
        left join kpi_groups_{{ pass }} as as_part
            on
                cells.part_of_kpi_id = as_part.part_of_kpi_id
                and cells.window_kind = as_part.window_kind
                and cells.window_end = as_part.window_end
                and cells.area_code = as_part.area_code
        left join kpi_candidates_{{ pass }} as candidates
            on
                cells.kpi_id = candidates.kpi_id
                and cells.window_kind = candidates.window_kind
                and cells.window_end = candidates.window_end
                and cells.area_code = candidates.area_code
        left join area_pass_{{ pass }} as totals
            on
                cells.part_of_kpi_id = totals.kpi_id
                and cells.window_kind = totals.window_kind
                and cells.window_end = totals.window_end
                and cells.area_code = totals.area_code

    ),

{% endfor %}
final as (

    select
        kpi_id,
        window_kind,
        window_end,
        area_level,
        area_code,
        parent_area_code,
        part_of_kpi_id,
        is_withheld,
        case
            when is_primary then 'primary'
            when is_withheld then 'secondary'
        end as suppression,
        case
            when is_primary then policy_reason
            when
                is_withheld
                then 'withheld so that another withheld figure cannot be worked out from a total'
        end as suppression_reason

    from pass_{{ passes }}

)

select * from final
