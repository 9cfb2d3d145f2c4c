"""The incidents extract: one row per incident logged in command and control.

Volumes, in three strata. ASB: counts by neighbourhood in each exact window (the five
busiest neighbourhoods exactly as reported, every other one below them), then monthly
series through them; the ASB category is an exact quota per window. Street racing:
counts by LPA and month. Every other incident: counts by grade x LPA x month, so that
with the grades drawn for ASB and street racing each grade's window total is exact.
Months go to UTC hours of their local days by each stratum's weekly and daily cycle.

Attendance: exact quotas of emergency and priority incidents attended per window;
scheduled incidents are mostly attended, incidents resolved without deployment never.
Response times: log-normal around a median that improves over time, slower in
Birmingham, with month-to-month noise by LPA. In each exact window one increasing map
(linear in log seconds) puts the median exactly on the report's figure and exactly the
reported number of incidents within the target time; months between windows take a
map in between. Birmingham's September 2025 emergency compliance is then pinned by
shifting that month's responses alone, and the window map refitted, until both hold.
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
    affine_through_order_statistics,
    capped_split,
    count_for_rate,
    draw_categorical,
    draw_within_blocks,
    interpolate,
    largest_remainder,
    rounds_to,
    soft_bounds,
    window_series,
)
from .context import Context
from .periods import Profile, cycle_weights, day_number, london_hours, london_offsets
from .reference import Reference
from .writer import Extract, category, local, sequence, timestamp

Bool = NDArray[np.bool_]
Float = NDArray[np.float64]
Int = NDArray[np.int64]

GRADES = T.INCIDENT_GRADES
EMERGENCY, PRIORITY, SCHEDULED, RESOLVED = range(4)
GRADE_MEASURES = (
    "emergency_incidents",
    "priority_incidents",
    "scheduled_incidents",
    "resolved_without_deployment_incidents",
)
ASB_CATEGORIES = ("ASB_NUISANCE", "ASB_PERSONAL", "ASB_ENVIRONMENTAL")
CATEGORIES = (
    *ASB_CATEGORIES,
    "STREET_RACING",
    "CONCERN_FOR_SAFETY",
    "DOMESTIC",
    "CRIME_IN_PROGRESS",
    "SUSPICIOUS_CIRCUMSTANCES",
    "ROAD_TRAFFIC_COLLISION",
    "MISSING_PERSON",
    "ALARM",
    "TRAFFIC",
    "OTHER",
)
STREET_RACING = CATEGORIES.index("STREET_RACING")

# --- Model parameters (realistic shape; not report figures) -------------------------

# Opening category of incidents other than ASB and street racing, by grade.
CATEGORY_MIX: Mapping[str, Mapping[str, float]] = {
    "EMERGENCY": {
        "CONCERN_FOR_SAFETY": 0.26,
        "DOMESTIC": 0.17,
        "CRIME_IN_PROGRESS": 0.21,
        "SUSPICIOUS_CIRCUMSTANCES": 0.07,
        "ROAD_TRAFFIC_COLLISION": 0.10,
        "MISSING_PERSON": 0.04,
        "ALARM": 0.05,
        "TRAFFIC": 0.02,
        "OTHER": 0.08,
    },
    "PRIORITY": {
        "CONCERN_FOR_SAFETY": 0.24,
        "DOMESTIC": 0.20,
        "CRIME_IN_PROGRESS": 0.08,
        "SUSPICIOUS_CIRCUMSTANCES": 0.10,
        "ROAD_TRAFFIC_COLLISION": 0.09,
        "MISSING_PERSON": 0.09,
        "ALARM": 0.06,
        "TRAFFIC": 0.05,
        "OTHER": 0.09,
    },
    "SCHEDULED": {
        "CONCERN_FOR_SAFETY": 0.08,
        "DOMESTIC": 0.22,
        "CRIME_IN_PROGRESS": 0.01,
        "SUSPICIOUS_CIRCUMSTANCES": 0.12,
        "ROAD_TRAFFIC_COLLISION": 0.10,
        "MISSING_PERSON": 0.04,
        "ALARM": 0.04,
        "TRAFFIC": 0.09,
        "OTHER": 0.30,
    },
    "RESOLVED_WITHOUT_DEPLOYMENT": {
        "CONCERN_FOR_SAFETY": 0.12,
        "DOMESTIC": 0.06,
        "CRIME_IN_PROGRESS": 0.01,
        "SUSPICIOUS_CIRCUMSTANCES": 0.15,
        "ROAD_TRAFFIC_COLLISION": 0.08,
        "MISSING_PERSON": 0.02,
        "ALARM": 0.12,
        "TRAFFIC": 0.14,
        "OTHER": 0.30,
    },
}
# Grade of ASB and street racing incidents, in GRADES order.
GRADE_MIX: Mapping[str, tuple[float, float, float, float]] = {
    "ASB_NUISANCE": (0.01, 0.20, 0.24, 0.55),
    "ASB_PERSONAL": (0.06, 0.45, 0.25, 0.24),
    "ASB_ENVIRONMENTAL": (0.005, 0.08, 0.30, 0.615),
    "STREET_RACING": (0.08, 0.50, 0.02, 0.40),
}
# Share of incidents by LPA (all incidents; ASB; street racing).
LPA_SHARE: Mapping[str, Mapping[str, float]] = {
    "general": {
        "BH": 0.41,
        "CV": 0.12,
        "DY": 0.095,
        "SW": 0.12,
        "SH": 0.06,
        "WS": 0.105,
        "WV": 0.09,
    },
    "asb": {"BH": 0.40, "CV": 0.13, "DY": 0.10, "SW": 0.115, "SH": 0.065, "WS": 0.105, "WV": 0.085},
    "street_racing": {
        "BH": 0.46,
        "CV": 0.08,
        "DY": 0.09,
        "SW": 0.14,
        "SH": 0.06,
        "WS": 0.10,
        "WV": 0.07,
    },
}
# ASB "broadly stable across LPAs": change baseline -> current by LPA, before the
# neighbourhood split is fitted to the totals.
ASB_LPA_CHANGE: Mapping[str, float] = {
    "BH": 1.5,
    "CV": -1.0,
    "DY": 2.0,
    "SW": 0.0,
    "SH": 3.0,
    "WS": -0.5,
    "WV": 1.0,
}
# Town and city centre neighbourhoods: more incidents of every kind.
CENTRES: Mapping[str, float] = {"BH01": 3.0, "CV01": 2.5, "WS01": 2.0, "WV01": 2.0, "SW01": 1.8}
NEIGHBOURHOOD_SPREAD = 0.45  # lognormal spread of neighbourhood volumes within an LPA
# Seasonality (amplitude, calendar month of the peak) and cycles by stratum.
SEASON: Mapping[str, tuple[float, int]] = {
    "general": (0.05, 7),
    "asb": (0.20, 7),
    "street_racing": (0.30, 6),
}
DAY_WEIGHT: Mapping[str, tuple[float, ...]] = {
    "general": (0.97, 0.95, 0.95, 0.97, 1.03, 1.09, 1.04),
    "asb": (0.92, 0.92, 0.93, 0.96, 1.08, 1.15, 1.04),
    "street_racing": (0.70, 0.70, 0.75, 0.85, 1.20, 1.55, 1.25),
}
HOUR_PROFILE: Mapping[str, Profile] = {
    "general": (
        (
            (3.4, 2.8, 2.3, 1.9, 1.6, 1.5, 1.8, 2.6, 3.4, 3.9, 4.2, 4.4),
            (4.6, 4.7, 4.8, 5.0, 5.3, 5.6, 5.8, 5.8, 5.6, 5.2, 4.8, 4.1),
        ),
        (
            (4.8, 4.3, 3.7, 2.9, 2.1, 1.7, 1.6, 2.0, 2.7, 3.4, 4.0, 4.4),
            (4.6, 4.7, 4.8, 4.9, 5.1, 5.3, 5.5, 5.6, 5.5, 5.2, 5.0, 4.7),
        ),
    ),
    "asb": (
        (
            (2.6, 1.8, 1.2, 0.8, 0.5, 0.4, 0.6, 1.2, 2.2, 3.0, 3.6, 4.1),
            (4.5, 4.8, 5.3, 6.0, 6.8, 7.4, 7.8, 7.8, 7.3, 6.4, 5.2, 3.8),
        ),
        (
            (3.8, 3.0, 2.2, 1.4, 0.8, 0.5, 0.5, 0.8, 1.6, 2.6, 3.4, 4.0),
            (4.5, 4.8, 5.2, 5.8, 6.4, 7.0, 7.4, 7.6, 7.3, 6.6, 5.6, 4.5),
        ),
    ),
    "street_racing": (
        (
            (4.2, 3.0, 1.8, 1.0, 0.6, 0.4, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4),
            (1.6, 1.8, 2.0, 2.4, 2.8, 3.4, 4.2, 5.4, 6.8, 7.8, 8.2, 6.6),
        ),
        (
            (6.0, 4.8, 3.2, 1.8, 0.9, 0.5, 0.4, 0.5, 0.7, 0.9, 1.1, 1.3),
            (1.5, 1.7, 1.9, 2.3, 2.7, 3.3, 4.1, 5.3, 6.8, 8.0, 8.6, 7.6),
        ),
    ),
}
DAY_NOISE = 0.06

# Attendance: relative chance of an incident being attended, by category (emergency
# and priority quotas); scheduled incidents are attended with this probability.
ATTEND_WEIGHT: Mapping[str, float] = {"ALARM": 0.5, "TRAFFIC": 0.7, "OTHER": 0.8}
SCHEDULED_ATTENDED = 0.72

# Response times. Median seconds and log-normal spread by month (knots; linear
# between, flat beyond), LPA offsets (log) at the baseline and current mid-points, the
# noise of an LPA's month, and hour-of-day effects. The window maps then make the
# window figures exact; these set the shape around them.
RESPONSE_MEDIAN: Mapping[str, tuple[tuple[str, float], ...]] = {
    "EMERGENCY": (
        ("2021-10", 790.0),
        ("2022-08", 810.0),
        ("2023-04", 785.0),
        ("2024-03", 705.0),
        ("2024-10", 630.0),
        ("2025-09", 620.0),
    ),
    "PRIORITY": (
        ("2021-10", 4300.0),
        ("2022-08", 4500.0),
        ("2023-04", 4500.0),
        ("2024-03", 3600.0),
        ("2024-10", 2550.0),
        ("2025-09", 2350.0),
    ),
    "SCHEDULED": (("2021-10", 64_800.0), ("2023-10", 57_600.0), ("2025-09", 43_200.0)),
}
RESPONSE_SPREAD: Mapping[str, tuple[tuple[str, float], ...]] = {
    "EMERGENCY": (("2021-10", 0.85), ("2023-10", 0.82), ("2025-03", 0.53)),
    "PRIORITY": (("2021-10", 0.66), ("2023-10", 0.62), ("2025-03", 1.08)),
    "SCHEDULED": (("2021-10", 0.8), ("2025-09", 0.8)),
}
RESPONSE_LPA_OFFSET: Mapping[str, Mapping[str, tuple[float, float]]] = {
    "EMERGENCY": {
        "BH": (0.04, 0.065),
        "CV": (-0.02, -0.03),
        "DY": (-0.05, -0.055),
        "SW": (-0.01, -0.02),
        "SH": (-0.06, -0.07),
        "WS": (-0.03, -0.045),
        "WV": (-0.03, -0.04),
    },
    "PRIORITY": {
        "BH": (0.05, 0.06),
        "CV": (-0.03, -0.04),
        "DY": (-0.06, -0.05),
        "SW": (0.0, -0.02),
        "SH": (-0.08, -0.07),
        "WS": (-0.04, -0.05),
        "WV": (-0.03, -0.04),
    },
}
RESPONSE_MONTH_NOISE = 0.02
# Log effect by local hour of creation: quieter roads at night, rush hours slower.
RESPONSE_HOUR_EFFECT = (
    (-0.04, -0.05, -0.06, -0.06, -0.06, -0.05, -0.03, 0.0, 0.04, 0.02, 0.0, 0.0),
    (0.0, 0.0, 0.01, 0.02, 0.04, 0.06, 0.05, 0.03, 0.01, 0.0, -0.01, -0.03),
)
# The quickest and the longest responses bend towards limits (seconds): ((floor,
# knee), (knee, ceiling)). The knees are well clear of every median and target time.
RESPONSE_LIMITS: Mapping[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "EMERGENCY": ((30.0, 150.0), (3600.0, 6 * 3600.0)),
    "PRIORITY": ((60.0, 400.0), (6 * 3600.0, 36 * 3600.0)),
    "SCHEDULED": ((900.0, 3600.0), (3 * 86_400.0, 10 * 86_400.0)),
}
PIN_ITERATIONS = 25


@dataclass
class IncidentRows:
    """Incidents as aligned arrays, in created order."""

    created: Int  # UTC seconds
    month: Int  # extract month of the local date created
    lpa: Int
    neighbourhood: Int
    grade: Int  # index into GRADES
    category: Int  # index into CATEGORIES
    response: Int  # seconds to the first arrival; -1 when not attended

    def __len__(self) -> int:
        return len(self.created)

    @property
    def attended(self) -> Bool:
        return self.response >= 0


# --- Volumes ------------------------------------------------------------------------


def _lpa_vector(ctx: Context, values: Mapping[str, float]) -> Float:
    missing = set(ctx.ref.lpa_codes) - set(values)
    if missing:
        raise KeyError(f"LPA values lack {sorted(missing)}")
    return np.array([values[c] for c in ctx.ref.lpa_codes], dtype=np.float64)


def neighbourhood_weights(
    ctx: Context, share: Mapping[str, float], rng: np.random.Generator
) -> Float:
    """Relative volume of each neighbourhood: the LPA's share, spread unevenly over its
    neighbourhoods, more in town centres."""
    ref = ctx.ref
    base = rng.lognormal(0.0, NEIGHBOURHOOD_SPREAD, len(ref.neighbourhood_codes))
    centre = np.array([CENTRES.get(c, 1.0) for c in ref.neighbourhood_codes])
    w = base * centre
    lpa = ref.neighbourhood_lpa
    within = w / np.bincount(lpa, weights=w)[lpa]
    return within * _lpa_vector(ctx, share)[lpa]


def asb_by_neighbourhood(ctx: Context, rng: np.random.Generator) -> dict[str, Int]:
    """ASB incidents by neighbourhood in the baseline and current windows: the report's
    top five exactly, every other neighbourhood fewer than the fifth."""
    ref = ctx.ref
    totals = ctx.counts(T.INCIDENTS["asb_incidents"])
    weights = neighbourhood_weights(ctx, LPA_SHARE["asb"], rng)
    current = np.zeros(len(weights), dtype=np.int64)
    top = np.zeros(len(weights), dtype=bool)
    for code, name, count in T.ASB_TOP_NEIGHBOURHOODS:
        if code not in ref.neighbourhood_codes:
            raise KeyError(f"ASB neighbourhood {code} is not in ref_neighbourhoods")
        i = ref.neighbourhood_codes.index(code)
        if ref.neighbourhood_names[i] != name:
            raise ValueError(f"{code} is {ref.neighbourhood_names[i]!r}, not {name!r}")
        current[i] = round(count * ctx.scale)
        top[i] = True
    cap = int(current[top].min()) - 1
    rest = totals[T.CURRENT] - int(current.sum())
    current[~top] = capped_split(rest, weights[~top], cap)
    # Baseline: the same places, each LPA's change small (ASB broadly stable).
    change = 1.0 + _lpa_vector(ctx, ASB_LPA_CHANGE)[ref.neighbourhood_lpa] / 100.0
    noise = rng.lognormal(0.0, 0.06, len(weights))
    baseline = largest_remainder(totals[T.BASELINE], current / change * noise)
    return {T.BASELINE: baseline, T.CURRENT: current}


def _season(ctx: Context, stratum: str) -> Float:
    amplitude, peak = SEASON[stratum]
    cal = ctx.cal
    days = cal.month_days / cal.month_days.mean()
    return days * (1.0 + amplitude * np.cos(2 * np.pi * (cal.calendar_month - peak) / 12.0))


def monthly_series(
    ctx: Context,
    exact: Mapping[str, Int],
    about: Mapping[str, float],
    stratum: str,
) -> Int:
    """Rows x months through each row's exact window counts; 'about' window totals are
    shared out across rows by their baseline counts."""
    cal = ctx.cal
    names = list(exact) + list(about)
    base = exact[T.BASELINE].astype(np.float64)
    share = base / max(base.sum(), 1.0)
    values = np.stack(
        [exact[w].astype(np.float64) for w in exact] + [share * about[w] for w in about], axis=1
    )
    masks = np.array([ctx.months(w) for w in names])
    mids = np.array([ctx.mid(w) for w in names])
    rates = values / masks.sum(axis=1)
    ideal = np.array(
        [interpolate(cal.month_mid, mids, r, extrapolate=True) for r in rates]
    ) * _season(ctx, stratum)
    is_exact = np.array([w in exact for w in names])
    return window_series(ideal, masks, values, is_exact, mids, cal.month_mid)


def _about(ctx: Context, name: str) -> dict[str, float]:
    return {w: v * ctx.scale for w, v in T.INCIDENT_TRENDS[name].values.items()}


def _split_by_lpa(
    ctx: Context, totals: Mapping[str, int], share: Mapping[str, float]
) -> dict[str, Int]:
    return {w: largest_remainder(t, _lpa_vector(ctx, share)) for w, t in totals.items()}


@dataclass
class Stratum:
    """Rows of one stratum before they get times."""

    name: str
    month: Int
    lpa: Int
    neighbourhood: Int
    grade: Int
    category: Int


def asb_rows(ctx: Context, rng: np.random.Generator) -> Stratum:
    ref, cal = ctx.ref, ctx.cal
    by_window = asb_by_neighbourhood(ctx, rng)
    counts = monthly_series(ctx, by_window, _about(ctx, "asb_incidents"), "asb")
    cells = np.repeat(np.arange(counts.size), counts.reshape(-1))
    neighbourhood = cells // cal.n_months
    month = cells % cal.n_months
    lpa = ref.neighbourhood_lpa[neighbourhood]
    # Category: exact quotas of personal, then environmental, nuisance the rest.
    nuisance = ctx.counts(T.ASB_CATEGORIES["ASB_NUISANCE"])
    others = [ctx.counts(T.ASB_CATEGORIES[c]) for c in ASB_CATEGORIES[1:]]
    for w, total in ctx.counts(T.INCIDENTS["asb_incidents"]).items():
        if ctx.strict and nuisance[w] != total - sum(o[w] for o in others):
            raise CalibrationError(f"ASB categories do not add up to the {w} total")
    category = np.zeros(len(cells), dtype=np.int64)
    everyone = np.ones(len(cells), dtype=bool)
    for label in ("ASB_PERSONAL", "ASB_ENVIRONMENTAL"):
        targets = ctx.counts(T.ASB_CATEGORIES[label])
        free = category == 0
        chosen = ctx.quota_flag(label, free, free.astype(np.float64), month, everyone, targets, rng)
        category[chosen] = ASB_CATEGORIES.index(label)
    grade = _grades_for(category, rng)
    return Stratum("asb", month, lpa, neighbourhood, grade, category)


def _grades_for(category: Int, rng: np.random.Generator) -> Int:
    table = np.array([GRADE_MIX[c] for c in CATEGORIES[: STREET_RACING + 1]])
    return draw_categorical(rng, table, category)


def street_racing_rows(ctx: Context, rng: np.random.Generator) -> Stratum:
    ref, cal = ctx.ref, ctx.cal
    totals = ctx.counts(T.INCIDENTS["street_racing_incidents"])
    by_lpa = _split_by_lpa(ctx, totals, LPA_SHARE["street_racing"])
    counts = monthly_series(ctx, by_lpa, _about(ctx, "street_racing_incidents"), "street_racing")
    cells = np.repeat(np.arange(counts.size), counts.reshape(-1))
    lpa, month = cells // cal.n_months, cells % cal.n_months
    # Racing gathers at a few places in each LPA (retail parks, industrial estates).
    weights = rng.lognormal(0.0, 1.2, len(ref.neighbourhood_codes))
    neighbourhood = _draw_neighbourhoods(ctx, weights, lpa, rng)
    category = np.full(len(cells), STREET_RACING, dtype=np.int64)
    return Stratum("street_racing", month, lpa, neighbourhood, _grades_for(category, rng), category)


def _draw_neighbourhoods(ctx: Context, weights: Float, lpa: Int, rng: np.random.Generator) -> Int:
    ref = ctx.ref
    order = np.argsort(ref.neighbourhood_lpa, kind="stable")
    nb_lpa = ref.neighbourhood_lpa[order]
    starts = np.searchsorted(nb_lpa, np.arange(ref.n_lpas), side="left")
    ends = np.searchsorted(nb_lpa, np.arange(ref.n_lpas), side="right")
    return order[draw_within_blocks(rng, weights[order], starts, ends, lpa)]


def general_rows(ctx: Context, special: list[Stratum], rng: np.random.Generator) -> Stratum:
    """Incidents other than ASB and street racing: grade x LPA x month counts that make
    each grade's window totals exact together with the special strata."""
    ref, cal = ctx.ref, ctx.cal
    n_lpa = ref.n_lpas
    series = []
    for g, name in enumerate(GRADE_MEASURES):
        exact = ctx.counts(T.INCIDENTS[name])
        about = _about(ctx, name)
        windows = list(exact) + list(about)
        taken = {}
        for w in windows:
            in_window = [ctx.months(w)[s.month] & (s.grade == g) for s in special]
            taken[w] = sum(int(m.sum()) for m in in_window)
        exact_rest = {w: exact[w] - taken[w] for w in exact}
        if min(exact_rest.values()) < 0:
            raise CalibrationError(f"{name}: ASB and street racing alone exceed the target")
        by_lpa = _split_by_lpa(ctx, exact_rest, LPA_SHARE["general"])
        about_rest = {w: about[w] - taken[w] for w in about}
        series.append(monthly_series(ctx, by_lpa, about_rest, "general"))
    counts = np.stack(series)  # grade x LPA x month
    cells = np.repeat(np.arange(counts.size), counts.reshape(-1))
    month = cells % cal.n_months
    lpa = (cells // cal.n_months) % n_lpa
    grade = cells // (cal.n_months * n_lpa)
    table = np.array(
        [[CATEGORY_MIX[g].get(c, 0.0) for c in CATEGORIES] for g in GRADES], dtype=np.float64
    )
    category = draw_categorical(rng, table, grade)
    weights = neighbourhood_weights(ctx, LPA_SHARE["general"], rng)
    neighbourhood = _draw_neighbourhoods(ctx, weights, lpa, rng)
    return Stratum("general", month, lpa, neighbourhood, grade, category)


def place(ctx: Context, strata: list[Stratum], rng: np.random.Generator) -> Int:
    """Created instants (UTC seconds) of every stratum's rows, in stratum order: each
    month's rows go to the hours of its local days by the stratum's cycles."""
    cal = ctx.cal
    hours = london_hours(cal.start_day, cal.end_day)
    first, last = hours.blocks(cal.month_start)
    weights, starts, ends, blocks = [], [], [], []
    for i, s in enumerate(strata):
        noise = rng.lognormal(0.0, DAY_NOISE, len(cal.days))
        weights.append(
            cycle_weights(hours, DAY_WEIGHT[s.name], HOUR_PROFILE[s.name], noise, cal.start_day)
        )
        starts.append(first + i * len(hours))
        ends.append(last + i * len(hours))
        blocks.append(s.month + i * cal.n_months)
    hour = draw_within_blocks(
        rng,
        np.concatenate(weights),
        np.concatenate(starts),
        np.concatenate(ends),
        np.concatenate(blocks),
    ) % len(hours)
    return hours.utc_start[hour] + rng.integers(0, 3600, len(hour))


def build_incidents(ctx: Context, rng: np.random.Generator) -> IncidentRows:
    """Every incident with its time, place, grade and category, in created order (no
    attendance yet)."""
    special = [asb_rows(ctx, rng), street_racing_rows(ctx, rng)]
    strata = [general_rows(ctx, special, rng), *special]
    created = place(ctx, strata, rng)

    def joined(field: str) -> Int:
        return np.concatenate([getattr(s, field) for s in strata])

    order = np.lexsort((rng.random(len(created)), created))
    return IncidentRows(
        created=created[order],
        month=joined("month")[order],
        lpa=joined("lpa")[order],
        neighbourhood=joined("neighbourhood")[order],
        grade=joined("grade")[order],
        category=joined("category")[order],
        response=np.full(len(created), -1, dtype=np.int64),
    )


# --- Attendance and response --------------------------------------------------------


def attend(ctx: Context, rows: IncidentRows, rng: np.random.Generator) -> Bool:
    """Which incidents were attended: exact emergency and priority quotas per window."""
    weight = np.array([ATTEND_WEIGHT.get(c, 1.0) for c in CATEGORIES])[rows.category]
    everyone = np.ones(len(rows), dtype=bool)
    attended = np.zeros(len(rows), dtype=bool)
    for g, label in ((EMERGENCY, "emergency"), (PRIORITY, "priority")):
        targets = ctx.counts(T.INCIDENTS[f"{label}_incidents_attended"])
        w = np.ones(len(rows)) if g == EMERGENCY else weight
        attended |= ctx.quota_flag(
            f"{label}_incidents_attended",
            rows.grade == g,
            w,
            rows.month,
            everyone,
            targets,
            rng,
            by=rows.lpa,
        )
    scheduled = rows.grade == SCHEDULED
    attended |= scheduled & (rng.random(len(rows)) < SCHEDULED_ATTENDED * weight)
    return attended


def raw_log_response(
    ctx: Context, rows: IncidentRows, idx: Int, grade: str, rng: np.random.Generator
) -> Float:
    """Log seconds to the first arrival, before the window maps."""
    month = rows.month[idx]
    median = ctx.monthly_knots(RESPONSE_MEDIAN[grade])[month]
    spread = ctx.monthly_knots(RESPONSE_SPREAD[grade])[month]
    local = rows.created[idx] + london_offsets(rows.created[idx])
    hour = (local % 86_400) // 3600
    effect = np.array(RESPONSE_HOUR_EFFECT).reshape(-1)[hour]
    offset = np.zeros(len(idx))
    if grade in RESPONSE_LPA_OFFSET:
        table = RESPONSE_LPA_OFFSET[grade]
        by_lpa = np.array([table[c] for c in ctx.ref.lpa_codes])  # LPA x (baseline, current)
        at = [ctx.mid(T.BASELINE), ctx.mid(T.CURRENT)]
        lpa_month = np.array([interpolate(ctx.cal.month_mid, at, row, log=False) for row in by_lpa])
        noise = rng.normal(0.0, RESPONSE_MONTH_NOISE, lpa_month.shape)
        offset = (lpa_month + noise)[rows.lpa[idx], month]
    return np.log(median) + offset + effect + spread * rng.standard_normal(len(idx))


@dataclass(frozen=True)
class ResponseTargets:
    """Exact figures of one grade in one window."""

    median: int
    target_seconds: int
    within: int


def _window_targets(
    ctx: Context, grade: str, n_by_window: Mapping[str, int]
) -> dict[str, ResponseTargets]:
    label = grade.lower()
    median = T.INCIDENTS[f"{label}_median_response_seconds"].values
    pct = T.INCIDENTS[f"{label}_attended_within_target_pct"].values
    limit = T.RESPONSE_TARGET_SECONDS[grade]
    return {
        w: ResponseTargets(int(median[w]), limit, count_for_rate(n, pct[w]))
        for w, n in n_by_window.items()
    }


def _window_map(log_raw: Float, t: ResponseTargets) -> tuple[float, float]:
    n = len(log_raw)
    return affine_through_order_statistics(
        log_raw,
        [
            ((n - 1) / 2.0, float(np.log(t.median + 0.5))),
            (t.within - 0.5, float(np.log(t.target_seconds + 1))),
        ],
    )


def calibrated_response(
    ctx: Context, rows: IncidentRows, idx: Int, grade: str, rng: np.random.Generator
) -> Int:
    """Whole seconds to the first arrival of the attended incidents idx of one grade."""
    r = raw_log_response(ctx, rows, idx, grade, rng)
    month = rows.month[idx]
    windows = [T.BASELINE, T.CURRENT]
    in_window = {w: ctx.months(w)[month] for w in windows}
    targets = _window_targets(ctx, grade, {w: int(m.sum()) for w, m in in_window.items()})
    maps = {w: _window_map(r[in_window[w]], targets[w]) for w in windows}
    if grade == "EMERGENCY":
        maps[T.CURRENT] = _pin_lpa_month(
            ctx, rows, idx, r, in_window[T.CURRENT], targets[T.CURRENT]
        )
    alpha = ctx.window_steps({w: a for w, (a, _) in maps.items()})
    beta = ctx.window_steps({w: b for w, (_, b) in maps.items()})
    out = _seconds(alpha[month] + beta[month] * r, grade)
    achieved = {}
    for w in windows:
        v = out[in_window[w]]
        achieved[w] = float(np.median(v))
        achieved[f"{w}_within"] = float((v <= targets[w].target_seconds).sum())
        if ctx.strict and (
            achieved[w] != targets[w].median or achieved[f"{w}_within"] != targets[w].within
        ):
            raise CalibrationError(f"{grade} {w}: response figures missed: {achieved}")
    ctx.note(f"{grade.lower()}_response", achieved)
    return out


def _pin_lpa_month(
    ctx: Context,
    rows: IncidentRows,
    idx: Int,
    r: Float,
    in_current: Bool,
    targets: ResponseTargets,
) -> tuple[float, float]:
    """Shift one LPA's month of emergency responses (in place, in log space) until its
    compliance is the report's, refitting the current window's map each time."""
    window = T.EMERGENCY_LPA_MONTH_WINDOW
    first, last = day_number(window.start), day_number(window.end)
    month = ctx.cal.month_of(np.array([first, last]))
    if month[0] != month[1] or ctx.cal.month_start[month[0]] != first:
        raise ValueError(f"{window} is not one extract month")
    limit = np.log(targets.target_seconds + 1)
    alpha, beta = _window_map(r[in_current], targets)
    for code, pct in T.EMERGENCY_LPA_MONTH_WITHIN_TARGET_PCT.items():
        seg = np.flatnonzero(
            (rows.lpa[idx] == ctx.ref.lpa_index(code)) & (rows.month[idx] == month[0])
        )
        want = count_for_rate(len(seg), pct)
        if len(seg) == 0 or want in (0, len(seg)):
            continue
        for _ in range(PIN_ITERATIONS):
            mapped = alpha + beta * r[seg]
            if int((mapped < limit).sum()) == want:
                break
            ordered = np.sort(r[seg])
            boundary = (ordered[want - 1] + ordered[want]) / 2.0
            r[seg] += (limit - alpha) / beta - boundary
            alpha, beta = _window_map(r[in_current], targets)
        got = int((alpha + beta * r[seg] < limit).sum())
        ctx.note(
            f"emergency_within_target_{code}_{window.start:%Y_%m}", {"within": got, "n": len(seg)}
        )
        if ctx.strict and not rounds_to(100.0 * got / len(seg), pct):
            raise CalibrationError(f"{code} {window.start:%Y-%m}: {got}/{len(seg)} is not {pct}%")
    return alpha, beta


def _seconds(log_seconds: Float, grade: str) -> Int:
    """Whole seconds (floor: x < 901 is exactly "within 900 s"), tails bent to limits."""
    lower, upper = RESPONSE_LIMITS[grade]
    seconds = soft_bounds(np.exp(log_seconds), upper=upper, lower=lower)
    return np.maximum(np.floor(seconds), 1).astype(np.int64)


def respond(ctx: Context, rows: IncidentRows, attended: Bool, rng: np.random.Generator) -> None:
    """Seconds to the first arrival of every attended incident."""
    for g, grade in enumerate(GRADES):
        idx = np.flatnonzero(attended & (rows.grade == g))
        if grade in T.RESPONSE_TARGET_SECONDS:
            rows.response[idx] = calibrated_response(ctx, rows, idx, grade, rng)
        elif len(idx):
            rows.response[idx] = _seconds(raw_log_response(ctx, rows, idx, grade, rng), grade)


def incidents_extract(ref: Reference, rows: IncidentRows, replica: int = 0) -> Extract:
    """incidents.csv: one row per incident, in time order."""
    frame = pd.DataFrame(
        {
            "seq": sequence(len(rows), 8, replica),
            **local(rows.created, "created"),
            "grade": category(rows.grade, T.INCIDENT_GRADES),
            "category": category(rows.category, CATEGORIES),
            "neighbourhood": category(rows.neighbourhood, ref.neighbourhood_codes),
            **local(rows.created + np.maximum(rows.response, 0), "arrived"),
            "attended": rows.attended,
        }
    )
    formats = (
        "printf('INC-%08d', seq)",
        timestamp("created"),
        "grade",
        "category",
        "neighbourhood",
        f"case when attended then {timestamp('arrived')} end",
    )
    return Extract("incidents", frame, formats)
