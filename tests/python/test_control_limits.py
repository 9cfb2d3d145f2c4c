"""Control limits on the monthly series, recomputed from the facts' rows.

For a few series of marts.kpi_trend_monthly, each calendar month's value is counted
again here from the fact rows (fct_incidents, fct_calls, fct_crimes), the XmR chart is
drawn again over the plan baseline's months (mean +- 2.66 x the mean moving range) and
NHS England's Making Data Count rules are applied again (a point beyond a limit; 7 in a
row on one side of the centre line; 6 in a row rising or falling), and every month the
mart shows is compared: its value, centre line, limits and the rule it meets.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest

Query = Callable[[str], list[tuple]]

BASELINE = (date(2023, 4, 1), date(2024, 3, 31))
SERIES = {
    # kpi_id: (SQL of each month's value, the KPI's unit, polarity)
    "emergency_attended_within_15min_pct": (
        "select cast(date_trunc('month', created_date) as date) as month, "
        "100.0 * count(*) filter (where response_seconds <= 900) / count(*) "
        "from marts.fct_incidents where grade = 'emergency' and is_attended {area} "
        "group by 1",
        "percent",
        "higher_is_better",
    ),
    "calls_999_abandoned_after_10s": (
        "select cast(date_trunc('month', presented_date) as date) as month, count(*) "
        "from marts.fct_calls where channel = '999' and abandon_seconds > 10 {area} group by 1",
        "count",
        "lower_is_better",
    ),
    "total_recorded_crime": (
        "select cast(date_trunc('month', recorded_date) as date) as month, count(*) "
        "from marts.fct_crimes where true {area} group by 1",
        "count",
        "lower_is_better",
    ),
}


def special_causes(values: list[float], centre: float, low: float, high: float) -> list:
    """The first rule each point meets: beyond_limit, shift (7), trend (6), or None."""
    n = len(values)
    beyond = [v > high or v < low for v in values]
    shift = [False] * n
    side = [(v > centre) - (v < centre) for v in values]
    start = 0
    for i in range(1, n + 1):
        if i == n or side[i] != side[start]:
            if side[start] != 0 and i - start >= 7:
                shift[start:i] = [True] * (i - start)
            start = i
    trend = [False] * n
    steps = [0] + [(values[i] > values[i - 1]) - (values[i] < values[i - 1]) for i in range(1, n)]
    start = 1
    for i in range(2, n + 1):
        if i == n or steps[i] != steps[start]:
            if steps[start] != 0 and i - start >= 5:  # 5 steps join 6 points
                trend[start - 1 : i] = [True] * (i - start + 1)
            start = i
    return [
        "beyond_limit" if b else "shift" if s else "trend" if t else None
        for b, s, t in zip(beyond, shift, trend, strict=True)
    ]


CASES = [
    ("emergency_attended_within_15min_pct", "FORCE"),
    ("emergency_attended_within_15min_pct", "BH"),
    ("calls_999_abandoned_after_10s", "FORCE"),
    ("total_recorded_crime", "FORCE"),
    ("total_recorded_crime", "WV"),
]


@pytest.mark.parametrize(("kpi_id", "area"), CASES)
def test_xmr_limits_and_rules_follow_the_rows(query: Query, kpi_id: str, area: str) -> None:
    sql, unit, _polarity = SERIES[kpi_id]
    months = query(
        sql.format(area="" if area == "FORCE" else f"and lpa_code = '{area}'") + " order by 1"
    )
    months = [(m, v) for m, v in months if date(2023, 4, 1) <= m <= date(2025, 9, 1)]
    assert len(months) == 30
    values = [float(v) for _, v in months]
    baseline = [v for (m, _), v in zip(months, values, strict=True) if m <= BASELINE[1]]
    assert len(baseline) == 12
    centre = sum(baseline) / 12
    moving = sum(abs(b - a) for a, b in itertools.pairwise(baseline)) / 11
    low = max(0.0, centre - 2.66 * moving)
    high = centre + 2.66 * moving
    if unit == "percent":
        high = min(100.0, high)
    rules = special_causes(values, centre, low, high)
    shown = query(
        "select month_end, month_value, centre_line, lower_process_limit, upper_process_limit, "
        f"special_cause from marts.kpi_trend_monthly where kpi_id = '{kpi_id}' "
        f"and area_code = '{area}' order by month_end"
    )
    assert len(shown) == 24
    by_month = {m: (v, r) for (m, _), v, r in zip(months, values, rules, strict=True)}
    for month_end, value, c, lo, hi, cause in shown:
        expected_value, expected_rule = by_month[month_end.replace(day=1)]
        assert value == pytest.approx(expected_value, rel=1e-12), (kpi_id, month_end)
        assert (c, lo, hi) == pytest.approx((centre, low, high), rel=1e-9), (kpi_id, month_end)
        assert cause == expected_rule, (kpi_id, area, month_end, value, cause, expected_rule)


def test_signals_are_the_latest_months_special_causes(query: Query) -> None:
    signals = query(
        "select kpi_id, area_code, month_end, special_cause, special_cause_direction "
        "from marts.kpi_signals"
    )
    assert signals
    latest = dict(
        query(
            "select kpi_id || '|' || area_code, max(month_end) "
            "from marts.kpi_trend_monthly group by 1"
        )
    )
    shown = {
        (k, a, m): (c, d)
        for k, a, m, c, d in query(
            "select kpi_id, area_code, month_end, special_cause, special_cause_direction "
            "from marts.kpi_trend_monthly where special_cause is not null"
        )
    }
    for kpi_id, area, month_end, cause, direction in signals:
        last = latest[f"{kpi_id}|{area}"]
        assert (last.year * 12 + last.month) - (month_end.year * 12 + month_end.month) < 3
        assert shown[(kpi_id, area, month_end)] == (cause, direction)
    # and every special cause of the latest three months is a signal
    listed = {(k, a, m) for k, a, m, _c, _d in signals}
    for (kpi_id, area, month_end), _ in shown.items():
        last = latest[f"{kpi_id}|{area}"]
        if (last.year * 12 + last.month) - (month_end.year * 12 + month_end.month) < 3:
            assert (kpi_id, area, month_end) in listed
