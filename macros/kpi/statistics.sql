{#- The statistics behind a KPI's status (int_kpi_comparisons), as SQL expressions in
    plain ANSI arithmetic (sqrt, exp, ln, power, abs, floor, ceiling), so that DuckDB and
    Spark compute the same. The methods and their references are in docs/kpis.md,
    "Statuses and their tests"; tests/python/test_statistics.py checks each against
    scipy. -#}

{#- The standard normal distribution function, Abramowitz and Stegun 26.2.17 (absolute
    error under 7.5e-8), written for the upper tail of |z| so that small p-values keep
    their precision. -#}
{% macro normal_upper_tail(z) -%}
    (
        exp(-0.5 * ({{ z }}) * ({{ z }})) / 2.5066282746310002
        * {{ _normal_tail_polynomial('1.0 / (1.0 + 0.2316419 * abs(' ~ z ~ '))') }}
    )
{%- endmacro %}

{% macro _normal_tail_polynomial(t) -%}
    ({{ t }}) * (0.319381530 + ({{ t }}) * (-0.356563782 + ({{ t }}) * (1.781477937
    + ({{ t }}) * (-1.821255978 + ({{ t }}) * 1.330274429))))
{%- endmacro %}

{#- Two-sided p-value of a standard normal statistic (null stays null). -#}
{% macro two_sided_p_value(z) -%}
    case when {{ z }} is not null then least(1.0, 2.0 * {{ normal_upper_tail(z) }}) end
{%- endmacro %}

{#- The standard normal quantile of a probability p in (0, 1): Acklam's algorithm
    (relative error under 1.2e-9), for the critical value of a confidence level. -#}
{% macro normal_quantile(p) -%}
    {%- set a = [-39.69683028665376, 220.9460984245205, -275.9285104469687,
                 138.3577518672690, -30.66479806614716, 2.506628277459239] -%}
    {%- set b = [-54.47609879822406, 161.5858368580409, -155.6989798598866,
                 66.80131188771972, -13.28068155288572] -%}
    {%- set c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838,
                 -2.549732539343734, 4.374664141464968, 2.938163982698783] -%}
    {%- set d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996,
                 3.754408661907416] -%}
    {%- set tail_q = 'sqrt(-2.0 * ln(case when ' ~ p ~ ' < 0.5 then ' ~ p ~ ' else 1.0 - '
        ~ p ~ ' end))' -%}
    {%- set tail = '((((((' ~ c[0] ~ ' * q + ' ~ c[1] ~ ') * q + ' ~ c[2] ~ ') * q + '
        ~ c[3] ~ ') * q + ' ~ c[4] ~ ') * q + ' ~ c[5] ~ ') / ((((' ~ d[0] ~ ' * q + '
        ~ d[1] ~ ') * q + ' ~ d[2] ~ ') * q + ' ~ d[3] ~ ') * q + 1.0))' -%}
    {%- set r = '((' ~ p ~ ' - 0.5) * (' ~ p ~ ' - 0.5))' -%}
    case
        when {{ p }} < 0.02425 then {{ tail | replace('q', tail_q) }}
        when {{ p }} > 0.97575 then -{{ tail | replace('q', tail_q) }}
        else ({{ p }} - 0.5) * (((((({{ a[0] }} * {{ r }} + {{ a[1] }}) * {{ r }} + {{ a[2] }})
            * {{ r }} + {{ a[3] }}) * {{ r }} + {{ a[4] }}) * {{ r }} + {{ a[5] }})
            / ((((({{ b[0] }} * {{ r }} + {{ b[1] }}) * {{ r }} + {{ b[2] }}) * {{ r }}
            + {{ b[3] }}) * {{ r }} + {{ b[4] }}) * {{ r }} + 1.0))
    end
{%- endmacro %}

{#- Counts: the square-root (variance-stabilising) z of two Poisson counts over windows
    of t_baseline and t_current days: 2 (sqrt(x1 / t1) - sqrt(x0 / t0)) /
    sqrt(1 / t0 + 1 / t1); with equal windows sqrt(2) (sqrt(x1) - sqrt(x0)). -#}
{% macro poisson_square_root_z(x_baseline, t_baseline, x_current, t_current) -%}
    (
        2.0 * (sqrt(1.0 * {{ x_current }} / {{ t_current }})
            - sqrt(1.0 * {{ x_baseline }} / {{ t_baseline }}))
        / sqrt(1.0 / {{ t_baseline }} + 1.0 / {{ t_current }})
    )
{%- endmacro %}

{#- A Poisson count's confidence limits, Byar's approximation to the exact (Garwood)
    interval: lower x (1 - 1/(9x) - z/(3 sqrt x))^3, upper (x + 1)(1 - 1/(9(x + 1)) +
    z/(3 sqrt(x + 1)))^3; 0 events have lower limit 0. -#}
{% macro poisson_lower_limit(x, z) -%}
    case
        when {{ x }} <= 0 then 0.0
        else {{ x }} * power(1.0 - 1.0 / (9.0 * {{ x }}) - {{ z }} / (3.0 * sqrt(1.0 * {{ x }})), 3)
    end
{%- endmacro %}

{% macro poisson_upper_limit(x, z) -%}
    ({{ x }} + 1.0) * power(
        1.0 - 1.0 / (9.0 * ({{ x }} + 1.0)) + {{ z }} / (3.0 * sqrt({{ x }} + 1.0)), 3
    )
{%- endmacro %}

{#- Proportions: the Wilson score interval of x successes in n, as proportions (0-1). -#}
{% macro wilson_limit(x, n, z, sign) -%}
    (
        (1.0 * {{ x }} + {{ z }} * {{ z }} / 2.0 {{ sign }} {{ z }} * sqrt(
            greatest(0.0, 1.0 * {{ x }} * ({{ n }} - {{ x }}) / {{ n }})
            + {{ z }} * {{ z }} / 4.0
        )) / ({{ n }} + {{ z }} * {{ z }})
    )
{%- endmacro %}

{#- The pooled two-proportion z of x0/n0 (baseline) against x1/n1 (current). -#}
{% macro two_proportion_z(x0, n0, x1, n1) -%}
    (
        (1.0 * {{ x1 }} / {{ n1 }} - 1.0 * {{ x0 }} / {{ n0 }})
        / nullif(sqrt(
            (1.0 * ({{ x0 }} + {{ x1 }}) / ({{ n0 }} + {{ n1 }}))
            * (1.0 - 1.0 * ({{ x0 }} + {{ x1 }}) / ({{ n0 }} + {{ n1 }}))
            * (1.0 / {{ n0 }} + 1.0 / {{ n1 }})
        ), 0)
    )
{%- endmacro %}
