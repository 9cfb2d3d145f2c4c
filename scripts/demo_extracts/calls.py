"""The calls extract: one row per call presented to the contact centre (999 and 101).

Volumes: each channel's calls by local month pass exactly through the report's window
counts (and near the trend before the baseline), with a summer peak. Each month's calls
go to the hours of its local days by the channel's weekly and daily cycles. Hours are
taken hour by hour in UTC, so the repeated autumn hour gets calls twice and the skipped
spring hour none; instants are UTC seconds and every wait is added to the instant.

Handling: by month, exact numbers of calls are abandoned, abandoned after the service
level, and answered after it (calls at busier hours more often); the monthly rates
follow a shape (CHOICE, after the press release) and meet each window's figures
exactly. Waits are log-logistic with the service level at the month's quantile, drawn
within each call's class so the counts hold; the spread of the quicker answers is
solved per window so that the mean answer time rounds to the report's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from . import targets as T
from .calibration import (
    CalibrationError,
    bisect,
    count_for_rate,
    draw_within_blocks,
    interpolate,
    logit,
    round_half_away,
    rounds_to,
    select_top_k_sorted,
    shaped_quota,
    soft_bounds,
    truncated_logit,
    window_series,
)
from .context import Context
from .periods import (
    DAY,
    HourGrid,
    Profile,
    cycle_weights,
    day_number,
    local_days,
    london_hours,
)
from .writer import Extract, category, local, sequence, timestamp

Bool = NDArray[np.bool_]
Float = NDArray[np.float64]
Int = NDArray[np.int64]

# --- Model parameters (realistic shape; not report figures) -------------------------

# Calls by day of week, Monday first.
DAY_WEIGHT: Mapping[str, tuple[float, ...]] = {
    "999": (0.97, 0.95, 0.95, 0.97, 1.03, 1.09, 1.04),
    "101": (1.10, 1.05, 1.03, 1.02, 1.00, 0.90, 0.90),
}
# Calls by local hour on weekdays and at weekends (Saturday and Sunday: the small hours
# after Friday and Saturday nights are busy for 999); hours 0-11, then 12-23.
HOUR_PROFILE: Mapping[str, Profile] = {
    "999": (
        (
            (3.2, 2.6, 2.1, 1.7, 1.4, 1.4, 1.8, 2.6, 3.4, 4.0, 4.3, 4.5),
            (4.6, 4.7, 4.8, 5.0, 5.3, 5.6, 5.8, 5.8, 5.6, 5.2, 4.7, 4.0),
        ),
        (
            (4.6, 4.2, 3.6, 2.8, 2.0, 1.6, 1.6, 2.0, 2.7, 3.4, 4.0, 4.4),
            (4.6, 4.7, 4.8, 4.9, 5.1, 5.3, 5.5, 5.6, 5.5, 5.2, 4.9, 4.6),
        ),
    ),
    "101": (
        (
            (1.2, 0.8, 0.6, 0.5, 0.4, 0.5, 1.0, 2.5, 4.8, 6.2, 6.6, 6.6),
            (6.4, 6.4, 6.3, 6.2, 6.1, 5.9, 5.4, 4.9, 4.3, 3.6, 2.8, 1.9),
        ),
        (
            (1.6, 1.2, 0.9, 0.7, 0.5, 0.5, 0.8, 1.6, 3.2, 4.8, 5.8, 6.2),
            (6.3, 6.3, 6.2, 6.0, 5.8, 5.5, 5.1, 4.7, 4.2, 3.6, 2.9, 2.2),
        ),
    ),
}
# Seasonality: (amplitude, calendar month of the peak); day-to-day noise (lognormal).
SEASON: Mapping[str, tuple[float, int]] = {"999": (0.10, 7), "101": (0.04, 7)}
DAY_NOISE = 0.05

# Rate shapes by month (linear between knots, flat beyond), before the exact windows
# correct them: share of calls abandoned, share of the abandoned that waited longer
# than the service level, share of the answered answered within it. The 101 shape
# follows the press release: waits of half an hour in the winter of 2022-23, under a
# minute by December 2023.
RATE_SHAPES: Mapping[str, Mapping[str, tuple[tuple[str, float], ...]]] = {
    "999": {
        "abandoned": (
            ("2021-10", 0.0016),
            ("2022-07", 0.0019),
            ("2023-03", 0.0015),
            ("2023-10", 0.0012),
            ("2024-03", 0.0010),
            ("2025-09", 0.0008),
        ),
        "abandoned_after": (
            ("2021-10", 0.72),
            ("2022-07", 0.78),
            ("2023-04", 0.70),
            ("2024-01", 0.60),
            ("2024-06", 0.20),
            ("2025-09", 0.10),
        ),
        "within": (
            ("2021-10", 0.900),
            ("2022-07", 0.865),
            ("2023-01", 0.895),
            ("2023-04", 0.8965),
            ("2023-12", 0.9065),
            ("2024-02", 0.9735),
            ("2024-06", 0.970),
            ("2025-07", 0.975),
        ),
    },
    "101": {
        "abandoned": (
            ("2021-10", 0.16),
            ("2022-06", 0.22),
            ("2022-12", 0.32),
            ("2023-03", 0.28),
            ("2023-06", 0.20),
            ("2023-09", 0.10),
            ("2023-12", 0.05),
            ("2024-03", 0.04),
            ("2024-10", 0.03),
            ("2025-09", 0.026),
        ),
        "abandoned_after": (
            ("2021-10", 0.55),
            ("2022-12", 0.70),
            ("2023-04", 0.60),
            ("2023-12", 0.25),
            ("2024-06", 0.16),
            ("2025-09", 0.14),
        ),
        "within": (
            ("2021-10", 0.45),
            ("2022-06", 0.35),
            ("2022-11", 0.14),
            ("2023-01", 0.09),
            ("2023-03", 0.25),
            ("2023-06", 0.55),
            ("2023-09", 0.80),
            ("2023-12", 0.95),
            ("2024-03", 0.96),
            ("2024-10", 0.965),
            ("2025-09", 0.97),
        ),
    },
}
# Spread (log-logistic scale) of waits beyond the service level: answered, abandoned.
# The 101 tail was longer while the service struggled. Knots as above.
TAIL_SPREAD: Mapping[str, tuple[tuple[str, float], ...]] = {
    "999": (("2021-10", 0.40), ("2025-09", 0.40)),
    "101": (("2021-10", 0.55), ("2022-12", 0.60), ("2023-06", 0.42), ("2024-03", 0.40)),
}
ABANDON_SPREAD: Mapping[str, tuple[float, float]] = {"999": (0.6, 0.6), "101": (0.5, 0.7)}
# Long waits bend from a knee towards a ceiling (seconds): answered, abandoned.
WAIT_LIMITS: Mapping[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "999": ((120.0, 900.0), (120.0, 600.0)),
    "101": ((3600.0, 4 * 3600.0), (2400.0, 3 * 3600.0)),
}
# Calls at busy hours wait longer: selection weight is pressure ** this.
PRESSURE_POWER = 1.5
# Search range of the spread of answers within the service level.
SPREAD_RANGE = (0.02, 4.0)


@dataclass
class CallRows:
    """Calls as aligned arrays, in presented order (ties: 999 first)."""

    channel: Int  # index into T.CALL_CHANNELS
    presented: Int  # UTC seconds
    month: Int  # extract month of the local date presented
    answered: Bool
    wait: Int  # seconds to answer, or to abandon

    def __len__(self) -> int:
        return len(self.presented)


# --- Volumes and placement ----------------------------------------------------------


def monthly_volumes(ctx: Context, channel: str) -> Int:
    """Calls presented by month, exact in the report's windows."""
    cal = ctx.cal
    exact = ctx.counts(T.CALLS[channel]["presented"])
    about = {w: v * ctx.scale for w, v in T.CALL_TRENDS[channel].values.items()}
    names = list(exact) + list(about)
    values = np.array([float(exact.get(w, about.get(w, 0.0))) for w in names])
    masks = np.array([ctx.months(w) for w in names])
    mids = np.array([ctx.mid(w) for w in names])
    level = interpolate(cal.month_mid, mids, values / masks.sum(axis=1), extrapolate=True)
    amplitude, peak = SEASON[channel]
    season = 1.0 + amplitude * np.cos(2 * np.pi * (cal.calendar_month - peak) / 12.0)
    ideal = (level * season * cal.month_days / cal.month_days.mean())[None]
    is_exact = np.array([w in exact for w in names])
    return window_series(ideal, masks, values[None], is_exact, mids, cal.month_mid)[0]


def place_calls(
    ctx: Context, channel: str, monthly: Int, hours: HourGrid, rng: np.random.Generator
) -> tuple[Int, Int, Float]:
    """(instant, month, pressure) of each call: months to hours by the cycles, then a
    second within the hour. Pressure is the hour's volume against its month's mean."""
    cal = ctx.cal
    noise = rng.lognormal(0.0, DAY_NOISE, len(cal.days))
    weight = cycle_weights(hours, DAY_WEIGHT[channel], HOUR_PROFILE[channel], noise, cal.start_day)
    first, last = hours.blocks(cal.month_start)
    month = np.repeat(np.arange(cal.n_months), monthly)
    hour = draw_within_blocks(rng, weight, first, last, month)
    instant = hours.utc_start[hour] + rng.integers(0, 3600, len(hour))
    month_mean = np.add.reduceat(weight, first) / (last - first)
    return instant, month, weight[hour] / month_mean[month]


# --- Handling -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelPlan:
    """Exact window counts of one channel's handling classes."""

    windows: list[str]
    presented: Mapping[str, int]
    abandoned: Mapping[str, int]
    abandoned_after: Mapping[str, int]
    answered_after: Mapping[str, int]


def channel_plan(ctx: Context, channel: str) -> ChannelPlan:
    m = T.CALLS[channel]
    presented = ctx.counts(m["presented"])
    windows = list(presented)
    answered_pct = m["answered_pct"].values
    if "abandoned" in m:
        abandoned = ctx.counts(m["abandoned"])
    else:
        abandoned = {
            w: presented[w] - count_for_rate(presented[w], answered_pct[w]) for w in windows
        }
    after = ctx.counts(m["abandoned_after_service_level"])
    within_pct = m["answered_within_service_level_pct"].values
    answered_after = {}
    for w in windows:
        answered = presented[w] - abandoned[w]
        if ctx.strict and not rounds_to(100.0 * answered / presented[w], answered_pct[w]):
            raise CalibrationError(f"{channel} {w}: {answered} answered is not {answered_pct[w]}%")
        answered_after[w] = answered - count_for_rate(answered, within_pct[w])
    return ChannelPlan(windows, presented, abandoned, after, answered_after)


def class_excess(rng: np.random.Generator, below: Bool, share_below: Float) -> Float:
    """Logistic draws of each call within its class (below or above the share_below
    quantile, where the service level sits), less that quantile."""
    p = np.clip(share_below, 1e-6, 1.0 - 1e-6)
    z = truncated_logit(rng, np.where(below, 0.0, p), np.where(below, p, 1.0))
    return z - logit(p)


def class_waits(
    excess: Float,
    below: Bool,
    level: int,
    spread_lo: Float,
    spread_hi: Float,
    limits: tuple[float, float],
) -> Int:
    """Whole seconds: level * exp(spread * excess), 1..level below, > level above."""
    spread = np.where(below, spread_lo, spread_hi)
    seconds = np.ceil(soft_bounds(level * np.exp(spread * excess), upper=limits))
    return np.where(below, np.clip(seconds, 1, level), np.maximum(seconds, level + 1)).astype(
        np.int64
    )


def handle_channel(
    ctx: Context,
    channel: str,
    month: Int,
    pressure: Float,
    rng: np.random.Generator,
) -> tuple[Bool, Int]:
    """(answered, wait seconds) of one channel's calls."""
    cal = ctx.cal
    plan = channel_plan(ctx, channel)
    level = T.CALL_SERVICE_LEVEL_SECONDS[channel]
    shapes = RATE_SHAPES[channel]
    masks = np.array([ctx.months(w) for w in plan.windows])
    mids = np.array([ctx.mid(w) for w in plan.windows])

    def quota(eligible: Int, rate: Float, targets: Mapping[str, int]) -> Int:
        goal = np.array([float(targets[w]) for w in plan.windows])
        return shaped_quota(eligible, rate, masks, goal, mids, cal.month_mid, ctx.strict)

    presented_m = np.bincount(month, minlength=cal.n_months)
    abandoned_m = quota(presented_m, ctx.monthly_knots(shapes["abandoned"]), plan.abandoned)
    after_m = quota(abandoned_m, ctx.monthly_knots(shapes["abandoned_after"]), plan.abandoned_after)
    answered_m = presented_m - abandoned_m
    late_m = quota(answered_m, 1.0 - ctx.monthly_knots(shapes["within"]), plan.answered_after)

    weight = pressure**PRESSURE_POWER
    abandoned = select_top_k_sorted(month, weight, abandoned_m, rng)
    ab = np.flatnonzero(abandoned)
    an = np.flatnonzero(~abandoned)
    ab_after = select_top_k_sorted(month[ab], weight[ab], after_m, rng)
    an_late = select_top_k_sorted(month[an], weight[an], late_m, rng)

    wait = np.empty(len(month), dtype=np.int64)
    answer_limits, abandon_limits = WAIT_LIMITS[channel]
    # Abandoned calls: spreads fixed.
    lo, hi = ABANDON_SPREAD[channel]
    share = 1.0 - after_m / np.maximum(abandoned_m, 1)
    below = ~ab_after
    excess = class_excess(rng, below, share[month[ab]])
    wait[ab] = class_waits(
        excess, below, level, np.full(len(ab), lo), np.full(len(ab), hi), abandon_limits
    )
    # Answered calls: the spread of the quick answers is solved per window for the mean.
    share = 1.0 - late_m / np.maximum(answered_m, 1)
    below = ~an_late
    m_an = month[an]
    excess = class_excess(rng, below, share[m_an])
    tail = ctx.monthly_knots(TAIL_SPREAD[channel])[m_an]
    means = T.CALLS[channel]["mean_answer_seconds"].values
    late_waits = class_waits(excess, below, level, tail, tail, answer_limits)
    spread_by_window = {}
    for w in plan.windows:
        rows = ctx.months(w)[m_an]
        quick = excess[rows & below]
        late = float(late_waits[rows & ~below].sum())
        n_rows = int(rows.sum())

        # Answers within the service level need no cap: they are at most `level`.
        def mean_wait(
            spread: float, quick: Float = quick, late: float = late, n: int = n_rows
        ) -> float:
            seconds = np.maximum(np.ceil(level * np.exp(spread * quick)), 1.0)
            return (float(seconds.sum()) + late) / n

        spread_by_window[w] = bisect(mean_wait, float(means[w]), *SPREAD_RANGE)
        achieved = mean_wait(spread_by_window[w])
        if ctx.strict and round_half_away(achieved, 0) != means[w]:
            raise CalibrationError(f"{channel} {w}: mean answer {achieved:.2f}s is not {means[w]}")
    spread = ctx.window_steps(spread_by_window)[m_an]
    wait[an] = class_waits(excess, below, level, spread, tail, answer_limits)
    ctx.note(f"calls_{channel}_spread", spread_by_window)
    return ~abandoned, wait


def generate_calls(
    ctx: Context, rng_volumes: np.random.Generator, rng_handling: np.random.Generator
) -> CallRows:
    cal = ctx.cal
    hours = london_hours(cal.start_day, cal.end_day)
    parts = []
    for index, channel in enumerate(T.CALL_CHANNELS):
        instant, month, pressure = place_calls(
            ctx, channel, monthly_volumes(ctx, channel), hours, rng_volumes
        )
        answered, wait = handle_channel(ctx, channel, month, pressure, rng_handling)
        if channel == "999":
            instant = meet_press_release(ctx, instant, answered, wait)
        parts.append((np.full(len(instant), index, dtype=np.int64), instant, month, answered, wait))
    channel, instant, month, answered, wait = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.argsort(instant * 2 + channel, kind="stable")
    rows = CallRows(channel[order], instant[order], month[order], answered[order], wait[order])
    note_press_release(ctx, rows)
    return rows


def meet_press_release(ctx: Context, instant: Int, answered: Bool, wait: Int) -> Int:
    """Make the press release's 999 figures exact over its window, which ends mid-month:
    calls of the window's last month move a week across its end (same weekday and time;
    within the month, so no month's figures change): answered within the service level
    to meet the within count, answered later to meet the answered count."""
    window = T.PRESS_RELEASE_999_WINDOW
    level = T.CALL_SERVICE_LEVEL_SECONDS["999"]
    target = T.PRESS_RELEASE_999
    goal_answered = round(target["answered"] * ctx.scale)
    goal_within = count_for_rate(goal_answered, target["answered_within_service_level_pct"])
    end = day_number(window.end)
    day = local_days(instant)
    weeks = ctx.cal.month_of(np.array([end - 6, end, end + 7], dtype=np.int64))
    if len(set(weeks.tolist())) != 1:
        raise CalibrationError("the press release window must end a week inside a month")
    inside = (day >= day_number(window.start)) & (day <= end)
    within = answered & (wait <= level)
    late = answered & (wait > level)
    moved = instant.copy()
    for kind, goal in (
        (within, goal_within),
        (late, goal_answered - goal_within),
    ):
        diff = goal - int((inside & kind).sum())
        # In: the week after the end moves back a week; out: the last week moves on.
        source = (day > end) & (day <= end + 7) if diff > 0 else (day > end - 7) & inside
        pool = np.flatnonzero(kind & source)
        if abs(diff) > len(pool):
            if ctx.strict:
                raise CalibrationError(f"press release 999: cannot move {diff} calls")
            diff = int(np.sign(diff)) * len(pool)
        if diff == 0:
            continue
        pick = pool[np.unique(np.linspace(0, len(pool) - 1, abs(diff)).round().astype(np.int64))]
        moved[pick] += int(-np.sign(diff)) * 7 * DAY
    _check_press_release(ctx, moved, answered, wait, goal_answered, goal_within)
    return moved


def _check_press_release(
    ctx: Context, instant: Int, answered: Bool, wait: Int, goal_answered: int, goal_within: int
) -> None:
    window = T.PRESS_RELEASE_999_WINDOW
    day = local_days(instant)
    inside = answered & (day >= day_number(window.start)) & (day <= day_number(window.end))
    waits = wait[inside]
    within = int((waits <= T.CALL_SERVICE_LEVEL_SECONDS["999"]).sum())
    mean = float(waits.mean()) if len(waits) else 0.0
    expected_mean = T.PRESS_RELEASE_999["mean_answer_seconds"]
    if ctx.strict and (
        len(waits) != goal_answered
        or within != goal_within
        or round_half_away(mean, 0) != expected_mean
    ):
        raise CalibrationError(
            f"press release 999: {len(waits)} answered, {within} within, mean {mean:.2f}s"
        )


def note_press_release(ctx: Context, rows: CallRows) -> None:
    """What the 999 series gives over the press release's period."""
    window = T.PRESS_RELEASE_999_WINDOW
    day = local_days(rows.presented)
    answered = (
        (rows.channel == T.CALL_CHANNELS.index("999"))
        & rows.answered
        & (day >= day_number(window.start))
        & (day <= day_number(window.end))
    )
    waits = rows.wait[answered]
    level = T.CALL_SERVICE_LEVEL_SECONDS["999"]
    ctx.note(
        "press_release_999",
        {
            "answered": float(len(waits)),
            "answered_within_service_level_pct": 100.0 * float((waits <= level).mean()),
            "mean_answer_seconds": float(waits.mean()),
        },
    )


def calls_extract(rows: CallRows, replica: int = 0) -> Extract:
    """calls.csv: one row per call presented, in time order."""
    frame = pd.DataFrame(
        {
            "seq": sequence(len(rows), 9, replica),
            "channel": category(rows.channel, T.CALL_CHANNELS),
            **local(rows.presented, "presented"),
            **local(rows.presented + rows.wait, "ended"),
            "answered": rows.answered,
        }
    )
    formats = (
        "printf('CALL-%09d', seq)",
        "channel",
        timestamp("presented"),
        f"case when answered then {timestamp('ended')} end",
        f"case when not answered then {timestamp('ended')} end",
    )
    return Extract("calls", frame, formats)
