{{ config(materialized='table') }}
-- Baseline against current for every KPI, comparison mode and area (plan_baseline: the
-- plan baseline; year_on_year and year_to_date: the same window a year earlier, see
-- int_kpi_windows): the change in the KPI's unit (percentage points for a percent),
-- the percent change, the test of that change and the status it supports.
--
-- The test follows the KPI's measure type (catalogue measure_type; docs/kpis.md,
-- "Statuses and their tests"), at the confidence_level var:
--   count            the two windows' counts as Poisson rates with the windows' days as
--                    exposure: the exact conditional binomial test up to
--                    exact_test_max_events events, else the square-root z; Byar's
--                    interval for each count; the difference +- z sqrt(x0 + x1);
--   weighted_count   a sum of event weights (the harm score): z of the rates with the
--                    compound Poisson variance (the sum of the squared weights);
--   proportion       the pooled two-proportion z; Wilson intervals; Newcombe's interval
--                    for the difference in points;
--   rate_ratio       z of the log rate ratios (variance 1/a + 1/b per window);
--   mean_duration    z of the means (the windows' sample variances); intervals
--                    mean +- z s / sqrt(n);
--   median_duration  the order-statistic interval of each median (int_kpi_values); a z
--                    from the intervals' half-widths (Price and Bonett 2002);
--   return           a figure a return states (people or things at a date): no
--                    sampling test, status not_a_sample.
-- Durations are significant only when the two windows' intervals do not overlap;
-- the other tests when p_value < 1 - confidence_level. Status:
--   in_development (no measure), not_assessed (no comparable pair of values, or a
--   neutral polarity: demand), not_a_sample (a return), too_few_to_assess (an
--   expected count under 5, fewer than 5 events in a rate ratio's group, fewer than 30
--   durations, or a median without its interval), no_significant_change, and
--   improving or deteriorating by the direction of the change and the KPI's polarity.
-- Windows of different lengths in months (a public archive's data ending within a
-- current window) are not compared. Each window's value carries its disclosure
-- (int_kpi_disclosure): the marts withhold what it withholds.
{%- set baseline_months = dbt.datediff('baseline.window_start', 'baseline.window_end', 'month') %}
{%- set current_months = dbt.datediff(
    'current_period.window_start', 'current_period.window_end', 'month'
) %}
{%- set same_length = 'coalesce(' ~ baseline_months ~ ' = ' ~ current_months ~ ', true)' %}
{%- set alpha = 1.0 - var('confidence_level') %}
with

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

catalogue as (

    select * from {{ ref('kpi_catalogue') }}

),

disclosure as (

    select * from {{ ref('int_kpi_disclosure') }}

),

settings as (

    select {{ normal_quantile('(0.5 + ' ~ var('confidence_level') ~ ' / 2.0)') }} as z_critical

),

-- Each window's value with what its test takes: x events (or successes) of n, their
-- sum of squares, and what one event is worth in the KPI's unit.
window_values as (

    select
        kpi_values.*,
        disclosure.is_withheld,
        disclosure.suppression_reason,
        case catalogue.calculation
            when 'period_sum' then kpi_values.numerator_sum
            when 'percent_of_sums' then kpi_values.numerator_sum
            when 'latest_percent_of' then kpi_values.latest_numerator
            when 'sum' then kpi_values.numerator_sum
            when 'mean' then kpi_values.numerator_sum
            else kpi_values.numerator_count
        end as test_x,
        case catalogue.calculation
            when 'percent_of_sums' then kpi_values.denominator_sum
            when 'latest_percent_of' then kpi_values.latest_denominator
            else kpi_values.denominator_count
        end as test_n,
        case catalogue.calculation
            when 'per_1000_population' then 1000.0 / nullif(kpi_values.population_2021, 0)
            else 1.0
        end as value_per_event

    from kpi_values
    inner join catalogue
        on kpi_values.kpi_id = catalogue.kpi_id
    left join disclosure
        on
            kpi_values.kpi_id = disclosure.kpi_id
            and kpi_values.window_kind = disclosure.window_kind
            and kpi_values.window_end = disclosure.window_end
            and kpi_values.area_code = disclosure.area_code

),

baseline as (

    select * from window_values
    where window_role = 'baseline'

),

current_period as (

    select * from window_values
    where window_role = 'current'

),

compared as (

    select
        catalogue.kpi_id,
        baseline.comparison_mode,
        catalogue.kpi_name,
        catalogue.section,
        catalogue.unit,
        catalogue.polarity,
        catalogue.kpi_status,
        catalogue.measure_type,
        baseline.area_level,
        baseline.area_code,
        baseline.window_start as baseline_start,
        baseline.window_end as baseline_end,
        current_period.window_start as current_start,
        current_period.window_end as current_end,
        baseline.kpi_value as baseline_value,
        current_period.kpi_value as current_value,
        case
            when {{ same_length }}
                then current_period.kpi_value - baseline.kpi_value
        end as change_value,
        case
            when {{ same_length }}
                then
                    100.0 * (current_period.kpi_value - baseline.kpi_value)
                    / nullif(baseline.kpi_value, 0)
        end as change_pct,
        baseline.window_days as t0,
        current_period.window_days as t1,
        baseline.test_x as x0,
        current_period.test_x as x1,
        baseline.test_n as n0,
        current_period.test_n as n1,
        baseline.numerator_count as events0,
        current_period.numerator_count as events1,
        baseline.numerator_sum_squares as q0,
        current_period.numerator_sum_squares as q1,
        baseline.value_per_event,
        baseline.median_ci_low as median_low0,
        baseline.median_ci_high as median_high0,
        current_period.median_ci_low as median_low1,
        current_period.median_ci_high as median_high1,
        coalesce(baseline.is_withheld, false) as is_baseline_withheld,
        coalesce(current_period.is_withheld, false) as is_current_withheld,
        baseline.suppression_reason as baseline_suppression_reason,
        current_period.suppression_reason as current_suppression_reason,
        settings.z_critical

    from catalogue
    inner join baseline
        on catalogue.kpi_id = baseline.kpi_id
    inner join current_period
        on
            baseline.kpi_id = current_period.kpi_id
            and baseline.comparison_mode = current_period.comparison_mode
            and baseline.area_code = current_period.area_code
    cross join settings

),

-- The exact conditional test of two Poisson counts: given x0 + x1 = n events, x1 is
-- binomial(n, t1 / (t0 + t1)) when the rate did not change; the two-sided p-value sums
-- the probabilities of every split no more likely than the one observed (as
-- scipy.stats.binomtest). Log factorials up to the largest n tested exactly.
numbers as (

    {{ dbt.generate_series(var('exact_test_max_events') + 1) }}

),

log_factorials as (

    select
        generated_number - 1 as k,
        sum(ln(case when generated_number > 1 then generated_number - 1 else 1 end)) over (
            order by generated_number rows between unbounded preceding and current row
        ) as log_factorial
    from numbers

),

exact_rows as (

    select
        kpi_id,
        comparison_mode,
        area_code,
        x1,
        x0 + x1 as n,
        1.0 * t1 / (t0 + t1) as p1
    from compared
    where
        measure_type = 'count'
        and change_value is not null
        and x0 + x1 between 1 and {{ var('exact_test_max_events') }}

),

exact_terms as (

    select
        exact_rows.kpi_id,
        exact_rows.comparison_mode,
        exact_rows.area_code,
        exact_rows.x1,
        exact_rows.n,
        splits.k,
        exp(
            all_events.log_factorial - splits.log_factorial - other_events.log_factorial
            + splits.k * ln(exact_rows.p1) + (exact_rows.n - splits.k) * ln(1.0 - exact_rows.p1)
        ) as probability
    from exact_rows
    inner join log_factorials as splits
        on exact_rows.n >= splits.k
    inner join log_factorials as all_events
        on exact_rows.n = all_events.k
    inner join log_factorials as other_events
        on other_events.k = exact_rows.n - splits.k

),

-- The p-value summed in the order of the splits (a running sum), so that every build
-- adds the same terms in the same order and gets the same p-value to the last digit.
exact_running_sums as (

    select
        kpi_id,
        comparison_mode,
        area_code,
        k,
        n,
        sum(
            case
                when probability <= observed_probability * (1 + 1e-7) then probability
                else 0
            end
        ) over (
            partition by kpi_id, comparison_mode, area_code
            order by k
            rows between unbounded preceding and current row
        ) as running_p_value
    from (
        select
            *,
            max(case when k = x1 then probability end) over (
                partition by kpi_id, comparison_mode, area_code
            ) as observed_probability
        from exact_terms
    ) as with_observed

),

exact_tests as (

    select
        kpi_id,
        comparison_mode,
        area_code,
        least(1.0, running_p_value) as p_value
    from exact_running_sums
    where k = n

),

-- Each measure type's ingredients: the standard errors, and each window's interval
-- before it is put in the KPI's unit.
ingredients as (

    select
        *,
        -- proportions: rates 0-1, pooled rate
        1.0 * x0 / nullif(n0, 0) as rate0,
        1.0 * x1 / nullif(n1, 0) as rate1,
        1.0 * (x0 + x1) / nullif(n0 + n1, 0) as pooled_rate,
        -- weighted counts (sums of weights) and means
        1.0 * x0 / nullif(events0, 0) as mean0,
        1.0 * x1 / nullif(events1, 0) as mean1,
        (q0 - 1.0 * x0 * x0 / nullif(events0, 0)) / nullif(events0 - 1, 0) as variance0,
        (q1 - 1.0 * x1 * x1 / nullif(events1, 0)) / nullif(events1 - 1, 0) as variance1,
        -- medians: half-width of the interval as a standard error
        (median_high0 - median_low0) / (2.0 * z_critical) as median_se0,
        (median_high1 - median_low1) / (2.0 * z_critical) as median_se1,
        -- rate ratios: a = x (group events), b = n (reference events)
        1.0 / nullif(x0, 0) + 1.0 / nullif(n0, 0) as log_ratio_variance0,
        1.0 / nullif(x1, 0) + 1.0 / nullif(n1, 0) as log_ratio_variance1

    from compared

),

tested as (

    select
        *,
        case measure_type
            when 'count'
                then
                    case
                        when x0 + x1 between 1 and {{ var('exact_test_max_events') }}
                            then 'poisson_exact_conditional'
                        else 'poisson_square_root_z'
                    end
            when 'weighted_count' then 'compound_poisson_z'
            when 'proportion' then 'two_proportion_z'
            when 'rate_ratio' then 'log_rate_ratio_z'
            when 'mean_duration' then 'mean_difference_z'
            when 'median_duration' then 'median_order_statistics'
            else 'none'
        end as test_method,
        case measure_type
            when 'count' then {{ poisson_square_root_z('x0', 't0', 'x1', 't1') }}
            when 'weighted_count'
                then
                    (1.0 * x1 / t1 - 1.0 * x0 / t0)
                    / nullif(sqrt(q0 / (1.0 * t0 * t0) + q1 / (1.0 * t1 * t1)), 0)
            when 'proportion'
                then
                    case
                        when
                            x0 <= n0 and x1 <= n1
                            then {{ two_proportion_z('x0', 'n0', 'x1', 'n1') }}
                    end
            when 'rate_ratio'
                then
                    (ln(nullif(current_value, 0)) - ln(nullif(baseline_value, 0)))
                    / sqrt(log_ratio_variance0 + log_ratio_variance1)
            when 'mean_duration'
                then
                    (mean1 - mean0)
                    / nullif(sqrt(variance0 / events0 + variance1 / events1), 0)
            when 'median_duration' then
                (current_value - baseline_value)
                / nullif(sqrt(median_se0 * median_se0 + median_se1 * median_se1), 0)
        end as z_statistic,
        -- each window's interval, in the KPI's unit
        case measure_type
            when 'count' then value_per_event * {{ poisson_lower_limit('x0', 'z_critical') }}
            when 'weighted_count' then x0 - z_critical * sqrt(q0)
            when 'proportion'
                then
                    case
                        when x0 <= n0 then 100.0 * {{ wilson_limit('x0', 'n0', 'z_critical', '-') }}
                    end
            when 'rate_ratio' then baseline_value * exp(-z_critical * sqrt(log_ratio_variance0))
            when 'mean_duration' then mean0 - z_critical * sqrt(variance0 / events0)
            when 'median_duration' then median_low0
        end as baseline_ci_low,
        case measure_type
            when 'count' then value_per_event * {{ poisson_upper_limit('x0', 'z_critical') }}
            when 'weighted_count' then x0 + z_critical * sqrt(q0)
            when 'proportion'
                then
                    case
                        when x0 <= n0 then 100.0 * {{ wilson_limit('x0', 'n0', 'z_critical', '+') }}
                    end
            when 'rate_ratio' then baseline_value * exp(z_critical * sqrt(log_ratio_variance0))
            when 'mean_duration' then mean0 + z_critical * sqrt(variance0 / events0)
            when 'median_duration' then median_high0
        end as baseline_ci_high,
        case measure_type
            when 'count' then value_per_event * {{ poisson_lower_limit('x1', 'z_critical') }}
            when 'weighted_count' then x1 - z_critical * sqrt(q1)
            when 'proportion'
                then
                    case
                        when x1 <= n1 then 100.0 * {{ wilson_limit('x1', 'n1', 'z_critical', '-') }}
                    end
            when 'rate_ratio' then current_value * exp(-z_critical * sqrt(log_ratio_variance1))
            when 'mean_duration' then mean1 - z_critical * sqrt(variance1 / events1)
            when 'median_duration' then median_low1
        end as current_ci_low,
        case measure_type
            when 'count' then value_per_event * {{ poisson_upper_limit('x1', 'z_critical') }}
            when 'weighted_count' then x1 + z_critical * sqrt(q1)
            when 'proportion'
                then
                    case
                        when x1 <= n1 then 100.0 * {{ wilson_limit('x1', 'n1', 'z_critical', '+') }}
                    end
            when 'rate_ratio' then current_value * exp(z_critical * sqrt(log_ratio_variance1))
            when 'mean_duration' then mean1 + z_critical * sqrt(variance1 / events1)
            when 'median_duration' then median_high1
        end as current_ci_high,
        -- the change's standard error, in the KPI's unit (points for a percent)
        case measure_type
            when 'count' then value_per_event * sqrt(1.0 * x0 + x1)
            when 'weighted_count' then sqrt(q0 + q1)
            when 'rate_ratio'
                then
                    sqrt(
                        baseline_value * baseline_value * log_ratio_variance0
                        + current_value * current_value * log_ratio_variance1
                    )
            when 'mean_duration' then sqrt(variance0 / events0 + variance1 / events1)
            when 'median_duration' then sqrt(median_se0 * median_se0 + median_se1 * median_se1)
        end as change_standard_error,
        -- too few events to judge
        case measure_type
            when 'count'
                then
                    least(1.0 * (x0 + x1) * t0 / (t0 + t1), 1.0 * (x0 + x1) * t1 / (t0 + t1)) < 5
            when 'weighted_count'
                then
                    least(
                        1.0 * (events0 + events1) * t0 / (t0 + t1),
                        1.0 * (events0 + events1) * t1 / (t0 + t1)
                    ) < 5
            when 'proportion'
                then
                    coalesce(
                        least(
                            n0 * pooled_rate, n0 * (1 - pooled_rate),
                            n1 * pooled_rate, n1 * (1 - pooled_rate)
                        ) < 5,
                        true
                    )
            when 'rate_ratio' then coalesce(least(x0, n0, x1, n1) < 5, true)
            when 'mean_duration' then coalesce(least(events0, events1) < 30, true)
            when 'median_duration'
                then
                    median_low0 is null or median_low1 is null or median_high0 is null
                    or median_high1 is null
            else false
        end as is_too_few

    from ingredients

),

with_p as (

    select
        tested.*,
        case
            when tested.test_method = 'poisson_exact_conditional' then exact_tests.p_value
            else {{ two_sided_p_value('tested.z_statistic') }}
        end as p_statistic,
        -- Newcombe's hybrid score interval for a difference of proportions
        case
            when
                tested.measure_type = 'proportion'
                and tested.x0 <= tested.n0
                and tested.x1 <= tested.n1
                then 100.0 * (
                    (tested.rate1 - tested.rate0)
                    - sqrt(
                        power(tested.rate1 - tested.current_ci_low / 100.0, 2)
                        + power(tested.baseline_ci_high / 100.0 - tested.rate0, 2)
                    )
                )
            else tested.change_value - tested.z_critical * tested.change_standard_error
        end as change_low,
        case
            when
                tested.measure_type = 'proportion'
                and tested.x0 <= tested.n0
                and tested.x1 <= tested.n1
                then 100.0 * (
                    (tested.rate1 - tested.rate0)
                    + sqrt(
                        power(tested.current_ci_high / 100.0 - tested.rate1, 2)
                        + power(tested.rate0 - tested.baseline_ci_low / 100.0, 2)
                    )
                )
            else tested.change_value + tested.z_critical * tested.change_standard_error
        end as change_high

    from tested
    left join exact_tests
        on
            tested.kpi_id = exact_tests.kpi_id
            and tested.comparison_mode = exact_tests.comparison_mode
            and tested.area_code = exact_tests.area_code

),

judged as (

    select
        with_p.*,
        case
            when
                with_p.change_value is null
                or with_p.test_method = 'none'
                or with_p.z_statistic is null
                then cast(null as boolean)
            when with_p.measure_type in ('mean_duration', 'median_duration')
                then
                    with_p.current_ci_low > with_p.baseline_ci_high
                    or with_p.current_ci_high < with_p.baseline_ci_low
            else with_p.p_statistic < {{ alpha }}
        end as is_significant_change

    from with_p

),

final as (

    select
        kpi_id,
        comparison_mode,
        kpi_name,
        section,
        unit,
        polarity,
        kpi_status,
        measure_type,
        area_level,
        area_code,
        baseline_start,
        baseline_end,
        current_start,
        current_end,
        baseline_value,
        current_value,
        change_value,
        change_pct,
        test_method,
        case when change_value is not null then z_statistic end as z_score,
        case when change_value is not null then p_statistic end as p_value,
        is_significant_change as is_significant,
        baseline_ci_low,
        baseline_ci_high,
        current_ci_low,
        current_ci_high,
        case when z_statistic is not null and change_value is not null then change_low end
            as change_ci_low,
        case when z_statistic is not null and change_value is not null then change_high end
            as change_ci_high,
        {{ var('confidence_level') }} as confidence_level,
        case
            when kpi_status = 'in_development' then 'in_development'
            when change_value is null then 'not_assessed'
            when measure_type = 'return' then 'not_a_sample'
            when polarity = 'neutral' then 'not_assessed'
            when is_too_few then 'too_few_to_assess'
            when is_significant_change is null then 'not_assessed'
            when not is_significant_change then 'no_significant_change'
            when (z_statistic < 0) = (polarity = 'lower_is_better') then 'improving'
            else 'deteriorating'
        end as status,
        is_baseline_withheld,
        is_current_withheld,
        case
            when is_baseline_withheld and is_current_withheld
                then 'baseline and current: ' || baseline_suppression_reason
            when is_baseline_withheld then 'baseline: ' || baseline_suppression_reason
            when is_current_withheld then 'current: ' || current_suppression_reason
        end as suppression_reason

    from judged

)

select * from final
