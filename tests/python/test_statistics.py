"""The test behind every status, recomputed outside the models.

For three KPIs (or comparisons) of each measure type, the statistic, the p-value, the
intervals and the status of marts.kpi_scorecard are computed again here from the rows:
the windows' counts and sums of int_kpi_values (counts, proportions, rate ratios), or the
facts' raw rows (every call's answer time for a mean, every incident's response time for
a median, every crime's harm weight for the harm score), with scipy doing the statistics
(binomtest, the chi-square of a 2x2 table, chi2 quantiles for exact Poisson limits,
Welch's t-test, the normal distribution). Nothing here calls the macros under test.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from scipy import stats

Query = Callable[[str], list[tuple]]
ALPHA = 0.05
Z = stats.norm.ppf(0.975)


def scorecard(query: Query, kpi_id: str, mode: str, area: str = "FORCE") -> dict[str, object]:
    table = "marts.kpi_scorecard" if area == "FORCE" else "intermediate.int_kpi_comparisons"
    where = f"kpi_id = '{kpi_id}' and comparison_mode = '{mode}'"
    if area != "FORCE":
        where += f" and area_code = '{area}'"
    columns = [
        "baseline_value", "current_value", "change_value", "test_method", "z_score",
        "p_value", "is_significant", "baseline_ci_low", "baseline_ci_high",
        "current_ci_low", "current_ci_high", "change_ci_low", "change_ci_high", "status",
        "polarity", "baseline_start", "baseline_end", "current_start", "current_end",
    ]  # fmt: skip
    (row,) = query(f"select {', '.join(columns)} from {table} where {where}")
    return dict(zip(columns, row, strict=True))


def window_figures(query: Query, kpi_id: str, mode: str, area: str = "FORCE") -> dict[str, dict]:
    """The windows' counts and sums (int_kpi_values), by window role."""
    rows = query(
        "select window_role, window_days, numerator_count, denominator_count, numerator_sum, "
        "denominator_sum, latest_numerator, latest_denominator from intermediate.int_kpi_values "
        f"where kpi_id = '{kpi_id}' and comparison_mode = '{mode}' and area_code = '{area}'"
    )
    keys = ["days", "x", "n", "sum", "denominator_sum", "latest_x", "latest_n"]
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}


def expected_status(polarity: str, significant: bool, direction: float) -> str:
    if not significant:
        return "no_significant_change"
    return "improving" if (direction < 0) == (polarity == "lower_is_better") else "deteriorating"


def garwood(x: float) -> tuple[float, float]:
    """The exact Poisson interval of a count (chi-square quantiles)."""
    low = 0.0 if x == 0 else stats.chi2.ppf(ALPHA / 2, 2 * x) / 2
    return low, stats.chi2.ppf(1 - ALPHA / 2, 2 * x + 2) / 2


COUNTS = [
    ("homicides", "plan_baseline", "FORCE"),  # 43 -> 34, exact
    ("domestic_homicides", "plan_baseline", "FORCE"),  # 7 -> 4, exact
    ("total_recorded_crime", "plan_baseline", "FORCE"),  # large: square-root z
    ("metro_crime", "year_on_year", "FORCE"),
    ("asb_environmental_incidents", "plan_baseline", "BH"),  # an LPA
]


@pytest.mark.parametrize(("kpi_id", "mode", "area"), COUNTS)
def test_counts_are_compared_as_poisson_rates(
    query: Query, kpi_id: str, mode: str, area: str
) -> None:
    row = scorecard(query, kpi_id, mode, area)
    w = window_figures(query, kpi_id, mode, area)
    x0, t0 = w["baseline"]["x"], w["baseline"]["days"]
    x1, t1 = w["current"]["x"], w["current"]["days"]
    n = x0 + x1
    z = 2 * (np.sqrt(x1 / t1) - np.sqrt(x0 / t0)) / np.sqrt(1 / t0 + 1 / t1)
    assert row["z_score"] == pytest.approx(z, rel=1e-9, abs=1e-12)
    if n <= 1000:
        assert row["test_method"] == "poisson_exact_conditional"
        p = stats.binomtest(int(x1), int(n), t1 / (t0 + t1)).pvalue
        assert row["p_value"] == pytest.approx(p, rel=1e-6, abs=1e-12)
    else:
        assert row["test_method"] == "poisson_square_root_z"
        assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), abs=2e-7)
    # Byar's limits are within half a per cent of the exact (Garwood) interval
    low, high = garwood(x1)
    assert row["current_ci_low"] == pytest.approx(low, rel=5e-3, abs=0.05)
    assert row["current_ci_high"] == pytest.approx(high, rel=5e-3)
    assert row["change_ci_low"] == pytest.approx(x1 - x0 - Z * np.sqrt(x0 + x1), rel=1e-6)
    expected_few = min(n * t0 / (t0 + t1), n * t1 / (t0 + t1)) < 5
    if row["polarity"] != "neutral" and not expected_few:
        assert row["status"] == expected_status(str(row["polarity"]), row["p_value"] < ALPHA, z)


def test_noise_is_no_longer_reported_as_performance(query: Query) -> None:
    """The issue's own examples: homicides 43 -> 34 (exact p about 0.36), domestic
    homicides 7 -> 4 (about 0.55), and the special constables' shares (returns)."""
    homicides = scorecard(query, "homicides", "plan_baseline")
    assert (homicides["baseline_value"], homicides["current_value"]) == (43, 34)
    assert homicides["p_value"] == pytest.approx(0.362, abs=0.001)
    assert homicides["status"] == "no_significant_change"
    domestic = scorecard(query, "domestic_homicides", "plan_baseline")
    assert (domestic["baseline_value"], domestic["current_value"]) == (7, 4)
    assert domestic["p_value"] == pytest.approx(0.549, abs=0.001)
    assert domestic["status"] == "no_significant_change"
    for kpi_id in ("workforce_specials_minoritised_pct", "workforce_pcsos_women_pct"):
        share = scorecard(query, kpi_id, "plan_baseline")
        assert share["status"] == "not_a_sample", kpi_id
        assert share["test_method"] == "none" and share["p_value"] is None, kpi_id
        assert share["change_value"] is not None, kpi_id


PROPORTIONS = [
    ("emergency_attended_within_15min_pct", "plan_baseline", "x", "n"),
    ("positive_outcome_rate", "year_on_year", "x", "n"),
    ("cdi_sexual_offences_pct", "plan_baseline", "sum", "denominator_sum"),
    ("cps_case_quality_pct", "plan_baseline", "latest_x", "latest_n"),
]


@pytest.mark.parametrize(("kpi_id", "mode", "x_key", "n_key"), PROPORTIONS)
def test_proportions_are_compared_as_two_proportions(
    query: Query, kpi_id: str, mode: str, x_key: str, n_key: str
) -> None:
    row = scorecard(query, kpi_id, mode)
    w = window_figures(query, kpi_id, mode)
    x0, n0 = round(w["baseline"][x_key]), round(w["baseline"][n_key])
    x1, n1 = round(w["current"][x_key]), round(w["current"][n_key])
    table = [[x0, n0 - x0], [x1, n1 - x1]]
    chi2, p, _dof, _expected = stats.chi2_contingency(table, correction=False)
    z = np.sign(x1 / n1 - x0 / n0) * np.sqrt(chi2)
    assert row["test_method"] == "two_proportion_z"
    assert row["z_score"] == pytest.approx(z, rel=1e-6)
    assert row["p_value"] == pytest.approx(p, rel=1e-4, abs=2e-7)
    wilson = stats.binomtest(x1, n1).proportion_ci(confidence_level=0.95, method="wilson")
    assert row["current_ci_low"] == pytest.approx(100 * wilson.low, rel=1e-7)
    assert row["current_ci_high"] == pytest.approx(100 * wilson.high, rel=1e-7)
    baseline = stats.binomtest(x0, n0).proportion_ci(confidence_level=0.95, method="wilson")
    assert row["baseline_ci_low"] == pytest.approx(100 * baseline.low, rel=1e-7)
    # Newcombe's hybrid score interval of the difference, from the two Wilson intervals
    p0, p1 = x0 / n0, x1 / n1
    low = p1 - p0 - np.sqrt((p1 - wilson.low) ** 2 + (baseline.high - p0) ** 2)
    assert row["change_ci_low"] == pytest.approx(100 * low, rel=1e-6)
    assert row["status"] == expected_status(str(row["polarity"]), p < ALPHA, z)


RATE_RATIOS = [
    ("stop_search_disproportionality_black", "plan_baseline"),
    ("stop_search_disproportionality_asian", "year_on_year"),
    ("use_of_force_disproportionality_black", "plan_baseline"),
]


@pytest.mark.parametrize(("kpi_id", "mode"), RATE_RATIOS)
def test_rate_ratios_are_compared_on_the_log_scale(query: Query, kpi_id: str, mode: str) -> None:
    row = scorecard(query, kpi_id, mode)
    w = window_figures(query, kpi_id, mode)
    a0, b0, a1, b1 = w["baseline"]["x"], w["baseline"]["n"], w["current"]["x"], w["current"]["n"]
    log_ratio = np.log(row["current_value"]) - np.log(row["baseline_value"])
    z = log_ratio / np.sqrt(1 / a0 + 1 / b0 + 1 / a1 + 1 / b1)
    assert row["test_method"] == "log_rate_ratio_z"
    assert row["z_score"] == pytest.approx(z, rel=1e-9)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), abs=2e-7)
    low = row["current_value"] * np.exp(-Z * np.sqrt(1 / a1 + 1 / b1))
    assert row["current_ci_low"] == pytest.approx(low, rel=1e-6)
    assert row["status"] == expected_status(str(row["polarity"]), row["p_value"] < ALPHA, z)


def window_rows(query: Query, sql: str, start: object, end: object) -> np.ndarray:
    return np.array([r[0] for r in query(sql.format(start=start, end=end))], dtype=float)


MEANS = [
    ("calls_999_mean_answer_seconds", "plan_baseline", "999"),
    ("calls_101_mean_answer_seconds", "plan_baseline", "101"),
    ("calls_999_mean_answer_seconds", "year_to_date", "999"),
]


@pytest.mark.parametrize(("kpi_id", "mode", "channel"), MEANS)
def test_mean_durations_from_every_call(query: Query, kpi_id: str, mode: str, channel: str) -> None:
    row = scorecard(query, kpi_id, mode)
    sql = (
        "select answer_seconds from marts.fct_calls where channel = '" + channel + "' and "
        "is_answered and presented_date between '{start}' and '{end}'"
    )
    before = window_rows(query, sql, row["baseline_start"], row["baseline_end"])
    after = window_rows(query, sql, row["current_start"], row["current_end"])
    welch = stats.ttest_ind(after, before, equal_var=False)
    assert row["test_method"] == "mean_difference_z"
    assert row["z_score"] == pytest.approx(welch.statistic, rel=1e-6)
    assert row["p_value"] == pytest.approx(welch.pvalue, abs=1e-6)
    half = Z * after.std(ddof=1) / np.sqrt(len(after))
    assert row["current_ci_low"] == pytest.approx(after.mean() - half, rel=1e-9)
    assert row["current_ci_high"] == pytest.approx(after.mean() + half, rel=1e-9)
    separate = row["current_ci_high"] < row["baseline_ci_low"] or (
        row["current_ci_low"] > row["baseline_ci_high"]
    )
    assert row["is_significant"] == separate
    assert row["status"] == expected_status(str(row["polarity"]), separate, welch.statistic)


def order_statistic_interval(values: np.ndarray) -> tuple[float, float]:
    """Conover's distribution-free interval of a median: the order statistics at ranks
    n/2 - z sqrt(n)/2 (down) and 1 + n/2 + z sqrt(n)/2 (up), counted from 1."""
    ordered = np.sort(values)
    n = len(ordered)
    lower = int(np.floor(n / 2 - Z * np.sqrt(n) / 2))
    upper = int(np.ceil(1 + n / 2 + Z * np.sqrt(n) / 2))
    return ordered[lower - 1], ordered[upper - 1]


MEDIANS = [
    ("emergency_median_response_seconds", "plan_baseline", "emergency"),
    ("priority_median_response_seconds", "plan_baseline", "priority"),
    ("emergency_median_response_seconds", "year_on_year", "emergency"),
]


@pytest.mark.parametrize(("kpi_id", "mode", "grade"), MEDIANS)
def test_median_durations_from_every_incident(
    query: Query, kpi_id: str, mode: str, grade: str
) -> None:
    row = scorecard(query, kpi_id, mode)
    sql = (
        "select response_seconds from marts.fct_incidents where grade = '" + grade + "' and "
        "is_attended and created_date between '{start}' and '{end}'"
    )
    before = window_rows(query, sql, row["baseline_start"], row["baseline_end"])
    after = window_rows(query, sql, row["current_start"], row["current_end"])
    assert row["current_value"] == np.median(after)
    b_low, b_high = order_statistic_interval(before)
    c_low, c_high = order_statistic_interval(after)
    assert (row["baseline_ci_low"], row["baseline_ci_high"]) == (b_low, b_high)
    assert (row["current_ci_low"], row["current_ci_high"]) == (c_low, c_high)
    se = np.hypot((b_high - b_low) / (2 * Z), (c_high - c_low) / (2 * Z))
    z = (np.median(after) - np.median(before)) / se
    assert row["test_method"] == "median_order_statistics"
    assert row["z_score"] == pytest.approx(z, rel=1e-6)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), abs=2e-7)
    separate = c_high < b_low or c_low > b_high
    assert row["is_significant"] == separate
    assert row["status"] == expected_status(str(row["polarity"]), separate, z)


@pytest.mark.parametrize("mode", ["plan_baseline", "year_on_year", "year_to_date"])
def test_the_harm_score_as_a_compound_poisson_sum(query: Query, mode: str) -> None:
    row = scorecard(query, "harm_score", mode)
    sql = (
        "select harm_weight_days from marts.fct_crimes "
        "where recorded_date between '{start}' and '{end}'"
    )
    before = window_rows(query, sql, row["baseline_start"], row["baseline_end"])
    after = window_rows(query, sql, row["current_start"], row["current_end"])
    t0 = (row["baseline_end"] - row["baseline_start"]).days + 1
    t1 = (row["current_end"] - row["current_start"]).days + 1
    z = (after.sum() / t1 - before.sum() / t0) / np.sqrt(
        (before**2).sum() / t0**2 + (after**2).sum() / t1**2
    )
    assert row["test_method"] == "compound_poisson_z"
    assert row["current_value"] == after.sum()
    assert row["z_score"] == pytest.approx(z, rel=1e-9)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), abs=2e-7)
    assert row["current_ci_low"] == pytest.approx(after.sum() - Z * np.sqrt((after**2).sum()))
    assert row["status"] == expected_status(str(row["polarity"]), row["p_value"] < ALPHA, z)


@pytest.mark.parametrize(
    "kpi_id", ["officer_headcount", "workforce_officers_women_pct", "action_fraud_losses"]
)
def test_returns_are_not_a_sample(query: Query, kpi_id: str) -> None:
    for mode in ("plan_baseline", "year_on_year", "year_to_date"):
        row = scorecard(query, kpi_id, mode)
        if row["change_value"] is None:
            assert row["status"] == "not_assessed", (kpi_id, mode)
            continue
        assert row["status"] == "not_a_sample", (kpi_id, mode)
        assert row["test_method"] == "none" and row["z_score"] is None, (kpi_id, mode)
        assert row["current_ci_low"] is None and row["is_significant"] is None, (kpi_id, mode)


def test_every_status_is_tested_or_says_why_not(query: Query) -> None:
    """Every KPI of the plan-baseline scorecard has a status the tests support: a
    tested status with its p-value, or one that says why there is none."""
    rows = query(
        "select kpi_id, measure_type, polarity, status, p_value, is_significant "
        "from marts.kpi_scorecard where comparison_mode = 'plan_baseline'"
    )
    assert len(rows) == 114
    for kpi_id, measure_type, polarity, status, p_value, significant in rows:
        if status in ("improving", "deteriorating"):
            assert significant is True and p_value is not None, kpi_id
            if measure_type not in ("mean_duration", "median_duration"):
                assert p_value < ALPHA, kpi_id
        elif status == "no_significant_change":
            assert significant is False, kpi_id
        elif status == "not_a_sample":
            assert measure_type == "return", kpi_id
        elif status == "not_assessed":
            assert polarity == "neutral" or p_value is None, kpi_id
        else:
            assert status in ("too_few_to_assess", "in_development"), (kpi_id, status)
