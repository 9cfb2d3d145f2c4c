"""The roads and orders extracts (report section 4 and paragraph 10.6).

- road_casualties.csv: one row per casualty in the shape of the Department for
  Transport's STATS19 casualty table, with the collision's date, time and local
  authority district copied from the collision record (STATS19 keeps those on the
  collision table; the force's extract joins them on).
- roads_enforcement.csv: one row per roads enforcement action (traffic offence report:
  fixed penalty, driver education, report for summons; or arrest), officer or camera.
- dashcam_submissions.csv: one row per third-party video submission, with its outcome.
- vehicle_seizures.csv: one row per vehicle seized or removed, with the reason.
- orders_and_civil_interventions.csv: one row per order or civil intervention issued,
  granted, refused or withdrawn.

Volumes: every population a KPI counts (fatal casualties, Fatal 4 officer actions, ...)
is a monthly series that passes exactly through the report's window figures (and near
CHOICE anchors before the baseline); the rows the KPIs leave out (slight casualties,
camera detections, other removals, refused applications) are series through CHOICE
anchors. Rows go to days of their month and to LPAs by CHOICE shares, to a
neighbourhood of the LPA at random. The dashcam positive outcomes are an exact quota
among the submissions decided in each window; other attributes are drawn from realistic
CHOICE tables and touch no reported figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from . import targets as T
from .calibration import count_for_rate, draw_categorical, interpolate, window_series
from .context import Context
from .reference import DEFAULT_SEED_DIR, codes, read_seed
from .writer import Extract, category, date, sequence

Bool = NDArray[np.bool_]
Float = NDArray[np.float64]
Int = NDArray[np.int64]

# --- Model parameters (CHOICES: realistic shape; no report figure depends on them) ---

# Share of each population by LPA (Birmingham about two fifths of the roads activity).
LPA_SHARE: Mapping[str, Mapping[str, float]] = {
    "casualties": {
        "BH": 0.42,
        "CV": 0.12,
        "DY": 0.09,
        "SW": 0.11,
        "SH": 0.07,
        "WS": 0.09,
        "WV": 0.10,
    },
    "enforcement": {
        "BH": 0.44,
        "CV": 0.11,
        "DY": 0.08,
        "SW": 0.11,
        "SH": 0.07,
        "WS": 0.09,
        "WV": 0.10,
    },
    "dashcam": {"BH": 0.40, "CV": 0.13, "DY": 0.09, "SW": 0.10, "SH": 0.09, "WS": 0.09, "WV": 0.10},
    "seizures": {
        "BH": 0.47,
        "CV": 0.10,
        "DY": 0.07,
        "SW": 0.12,
        "SH": 0.05,
        "WS": 0.09,
        "WV": 0.10,
    },
    "orders": {"BH": 0.43, "CV": 0.12, "DY": 0.08, "SW": 0.11, "SH": 0.05, "WS": 0.10, "WV": 0.11},
}
# Seasonality: (amplitude, calendar month of the peak).
SEASON: Mapping[str, tuple[float, int]] = {
    "casualties": (0.08, 11),  # dark evenings
    "enforcement": (0.06, 12),  # the Christmas drink-drive campaign
    "dashcam": (0.10, 7),
    "seizures": (0.05, 7),
    "orders": (0.04, 7),
}

# STATS19 casualty_type codes (DfT road safety data guide) and their share by severity
# (fatal, serious, slight): pedestrians and motorcyclists are over-represented among
# the killed, car occupants among the slightly injured.
CASUALTY_TYPES = (0, 1, 2, 3, 4, 5, 8, 9, 11, 19, 20, 21, 22, 90, 97)
CASUALTY_TYPE_SHARE = np.array(
    [
        # ped  cyc   mc50  mc125 mc500 mc500+ taxi car   bus   van   hgv1  hgv2  mob   other mc?
        [
            0.36,
            0.06,
            0.01,
            0.05,
            0.04,
            0.08,
            0.02,
            0.31,
            0.01,
            0.02,
            0.005,
            0.01,
            0.005,
            0.01,
            0.01,
        ],
        [
            0.28,
            0.10,
            0.02,
            0.07,
            0.03,
            0.05,
            0.03,
            0.32,
            0.03,
            0.03,
            0.005,
            0.005,
            0.005,
            0.02,
            0.005,
        ],
        [
            0.14,
            0.08,
            0.01,
            0.04,
            0.01,
            0.02,
            0.04,
            0.56,
            0.04,
            0.03,
            0.005,
            0.005,
            0.002,
            0.008,
            0.005,
        ],
    ]
)
# Probability that a casualty who is not a pedestrian is a passenger, by casualty type.
PASSENGER_SHARE = {0: 0.0, 1: 0.0, 22: 0.0, 11: 0.95, 8: 0.6, 9: 0.35, 90: 0.3}
DEFAULT_PASSENGER_SHARE = 0.1  # motorcycles, vans, goods vehicles
# Probability a casualty is male, by casualty type (others 0.6).
MALE_SHARE = {0: 0.58, 1: 0.84, 2: 0.9, 3: 0.93, 4: 0.93, 5: 0.94, 97: 0.93, 9: 0.55, 11: 0.35}
SEX_UNKNOWN = 0.01
AGE_MISSING = 0.02
# STATS19 age bands: upper age of bands 1..10; 11 is over 75.
AGE_BAND_UPPER = (5, 10, 15, 20, 25, 35, 45, 55, 65, 75)
# A casualty joins the previous casualty's collision (same day and district) with this
# chance: about 1.3 casualties per collision, as in STATS19.
SAME_COLLISION = 0.25
# Collisions by hour of day (0-23): the school run and the evening peak.
COLLISION_HOURS = (
    1.2, 0.9, 0.7, 0.5, 0.4, 0.6, 1.4, 3.2, 5.0, 3.6, 3.3, 3.7,
    4.1, 4.2, 4.5, 5.6, 6.4, 6.6, 5.6, 4.3, 3.3, 2.7, 2.2, 1.7,
)  # fmt: skip
WEST_MIDLANDS_POLICE_FORCE = 20  # STATS19 police_force code

FATAL_4 = ("SPEEDING", "MOBILE_PHONE", "SEATBELT", "DRINK_DRIVING", "DRUG_DRIVING")
OFFENCE_CATEGORIES = codes("roads_offence_category")
ACTION_TYPES = codes("roads_action_type")
DETECTION_METHODS = codes("roads_detection_method")
# Offence of each population's rows; action type by offence (rows: OFFENCE_CATEGORIES).
OFFENCE_SHARE: Mapping[str, tuple[float, ...]] = {
    "fatal_4_officer_actions": (0.45, 0.25, 0.18, 0.07, 0.05, 0, 0, 0, 0),
    "drink_drug_driving_arrests": (0, 0, 0, 0.72, 0.28, 0, 0, 0, 0),
    "other_officer_actions": (0, 0, 0, 0, 0, 0.33, 0.06, 0.36, 0.25),
    "camera_detections": (1, 0, 0, 0, 0, 0, 0, 0, 0),
}
ACTION_SHARE = np.array(
    [
        [0.45, 0.40, 0.15, 0],  # speeding
        [0.75, 0.0, 0.25, 0],  # mobile phone (no course since 2017)
        [0.50, 0.45, 0.05, 0],  # seatbelt
        [0.0, 0.0, 1.0, 0],  # drink driving, not arrested (e.g. failing to provide)
        [0.0, 0.0, 1.0, 0],  # drug driving: postal requisition after the blood result
        [0.25, 0.55, 0.20, 0],  # careless driving
        [0.0, 0.0, 0.0, 1],  # dangerous driving: arrest
        [0.60, 0.0, 0.40, 0],  # no insurance
        [0.60, 0.0, 0.40, 0],  # other motoring
    ]
)
CAMERA_ACTION_SHARE = (0.45, 0.45, 0.10, 0.0)

DASHCAM_OFFENCES = (
    "CARELESS_DRIVING",
    "DANGEROUS_DRIVING",
    "MOBILE_PHONE",
    "RED_LIGHT",
    "CLOSE_PASS",
    "OTHER",
)
DASHCAM_OFFENCE_SHARE = (0.38, 0.08, 0.14, 0.22, 0.10, 0.08)
POSITIVE_OUTCOMES = ("DRIVER_EDUCATION", "FIXED_PENALTY", "PROSECUTION")
OTHER_OUTCOMES = ("WARNING_LETTER", "NO_FURTHER_ACTION")
PENDING = "PENDING"
DASHCAM_OUTCOMES = (*POSITIVE_OUTCOMES, *OTHER_OUTCOMES, PENDING)
POSITIVE_SHARE = (0.52, 0.38, 0.10)
OTHER_SHARE = (0.45, 0.55)
# Days from submission to decision: lognormal (median, spread).
DECISION_DAYS = (18.0, 0.7)
MAX_DECISION_DAYS = 180  # every submission is decided within six months

SEIZURE_REASONS_UNLAWFUL = (
    "NO_INSURANCE",
    "NO_DRIVING_LICENCE",
    "NO_VEHICLE_TAX",
    "ANTI_SOCIAL_USE",
)
SEIZURE_REASONS_OTHER = ("EVIDENTIAL", "STOLEN_RECOVERED", "ABANDONED_OR_OBSTRUCTING")
SEIZURE_REASONS = (*SEIZURE_REASONS_UNLAWFUL, *SEIZURE_REASONS_OTHER)
SEIZURE_REASON_SHARE = {
    "unlawful_use": (0.50, 0.18, 0.13, 0.19),
    "other_removals": (0.35, 0.45, 0.20),
}
VEHICLE_TYPES = codes("vehicle_type")
# By reason (SEIZURE_REASONS order): anti-social use is mostly motorcycles and e-scooters.
VEHICLE_TYPE_SHARE = np.array(
    [
        [0.72, 0.07, 0.07, 0.12, 0.02],
        [0.76, 0.06, 0.08, 0.08, 0.02],
        [0.82, 0.10, 0.06, 0.00, 0.02],
        [0.20, 0.02, 0.43, 0.33, 0.02],
        [0.80, 0.10, 0.07, 0.01, 0.02],
        [0.78, 0.08, 0.12, 0.00, 0.02],
        [0.84, 0.08, 0.05, 0.01, 0.02],
    ]
)

# Orders and civil interventions: notices and directions are issued by the police,
# orders granted by a court on a police application.
NOTICE_TYPES = (
    "COMMUNITY_PROTECTION_WARNING",
    "COMMUNITY_PROTECTION_NOTICE",
    "DISPERSAL_DIRECTION",
    "CLOSURE_NOTICE",
    "DOMESTIC_VIOLENCE_PROTECTION_NOTICE",
)
COURT_ORDER_TYPES = (
    "CLOSURE_ORDER",
    "CRIMINAL_BEHAVIOUR_ORDER",
    "CIVIL_INJUNCTION",
    "DOMESTIC_VIOLENCE_PROTECTION_ORDER",
    "STALKING_PROTECTION_ORDER",
    "SEXUAL_HARM_PREVENTION_ORDER",
    "SEXUAL_RISK_ORDER",
    "SERIOUS_VIOLENCE_REDUCTION_ORDER",
    "SLAVERY_AND_TRAFFICKING_RISK_ORDER",
)
ORDER_TYPES = (*NOTICE_TYPES, *COURT_ORDER_TYPES)
ORDER_TYPE_SHARE = (
    0.30, 0.10, 0.22, 0.02, 0.07,
    0.015, 0.04, 0.02, 0.06, 0.02, 0.07, 0.01, 0.02, 0.005,
)  # fmt: skip
# Serious violence reduction orders exist from the pilot's start (West Midlands, 2023).
SVRO_PILOT_START = "2023-04-19"
ORDER_STATUSES = codes("order_status")


# --- Shared steps ---------------------------------------------------------------------


def monthly(ctx: Context, m: T.Measure, trend: T.Measure | None, season: tuple[float, int]) -> Int:
    """Rows by month: exact through an exact measure's windows, near the anchors."""
    cal = ctx.cal
    exact = ctx.counts(m) if m.exact else {}
    about = {} if m.exact else {w: v * ctx.scale for w, v in m.values.items()}
    if trend is not None:
        about.update({w: v * ctx.scale for w, v in trend.values.items()})
    names = list(exact) + list(about)
    values = np.array([float(exact[w]) if w in exact else about[w] for w in names])
    masks = np.array([ctx.months(w) for w in names])
    mids = np.array([ctx.mid(w) for w in names])
    level = interpolate(cal.month_mid, mids, values / masks.sum(axis=1), extrapolate=True)
    amplitude, peak = season
    shape = 1.0 + amplitude * np.cos(2 * np.pi * (cal.calendar_month - peak) / 12.0)
    ideal = (level * shape * cal.month_days / cal.month_days.mean())[None]
    is_exact = np.array([w in exact for w in names])
    return window_series(ideal, masks, values[None], is_exact, mids, cal.month_mid)[0]


@dataclass
class Placed:
    """Rows of one population: day number, LPA and neighbourhood (seed indexes)."""

    day: Int
    lpa: Int
    neighbourhood: Int

    def __len__(self) -> int:
        return len(self.day)


def place(
    ctx: Context, counts: Int, share: Mapping[str, float], rng: np.random.Generator
) -> Placed:
    """Each month's rows to a day of the month, an LPA by share, a neighbourhood of it."""
    cal, ref = ctx.cal, ctx.ref
    month = np.repeat(np.arange(cal.n_months), counts)
    n = len(month)
    day = cal.month_start[month] + (rng.random(n) * cal.month_days[month]).astype(np.int64)
    weights = np.array([[share[code] for code in ref.lpa_codes]])
    lpa = draw_categorical(rng, weights, np.zeros(n, dtype=np.int64))
    by_lpa = np.argsort(ref.neighbourhood_lpa, kind="stable")
    sizes = np.bincount(ref.neighbourhood_lpa, minlength=ref.n_lpas)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pick = starts[lpa] + (rng.random(n) * sizes[lpa]).astype(np.int64)
    return Placed(day, lpa, by_lpa[pick])


def populations(
    ctx: Context,
    measures: Mapping[str, T.Measure],
    trends: Mapping[str, T.Measure],
    kind: str,
    rng: np.random.Generator,
) -> list[Placed]:
    return [
        place(ctx, monthly(ctx, m, trends.get(name), SEASON[kind]), LPA_SHARE[kind], rng)
        for name, m in measures.items()
    ]


def draw(rng: np.random.Generator, share: Sequence[float], n: int) -> Int:
    return draw_categorical(rng, np.array([share], dtype=np.float64), np.zeros(n, dtype=np.int64))


def day_order(day: Int, rng: np.random.Generator) -> Int:
    """Rows in date order, at random within a day."""
    return np.lexsort((rng.random(len(day)), day))


def local_authority_districts(seed_dir: Path) -> dict[str, str]:
    """LPA code -> ONS code of its local authority district (each LPA is one borough)."""
    rows = read_seed(seed_dir / "ref_local_authority_districts.csv")
    return {r["lpa_code"]: r["local_authority_ons_district"] for r in rows}


# --- Road casualties ------------------------------------------------------------------


def age_bands(age: Int) -> Int:
    """STATS19 age_band_of_casualty of an age (-1 when the age is missing)."""
    band = np.searchsorted(np.array(AGE_BAND_UPPER), age, side="left") + 1
    return np.where(age < 0, -1, band).astype(np.int64)


def road_casualties(
    ctx: Context, rng: np.random.Generator, seed_dir: Path = DEFAULT_SEED_DIR
) -> Extract:
    """road_casualties.csv: one row per casualty, with its collision's date, time and
    district."""
    severities = ("fatal", "serious", "slight")
    placed = populations(ctx, T.ROAD_CASUALTIES, T.ROAD_CASUALTY_TRENDS, "casualties", rng)
    day = np.concatenate([p.day for p in placed])
    lpa = np.concatenate([p.lpa for p in placed])
    severity = np.concatenate([np.full(len(p), i, dtype=np.int64) for i, p in enumerate(placed)])
    n = len(day)
    # Casualty type by severity; class, sex and age by type.
    type_index = draw_categorical(rng, CASUALTY_TYPE_SHARE, severity)
    ctype = np.array(CASUALTY_TYPES)[type_index]
    passenger = np.array([PASSENGER_SHARE.get(t, DEFAULT_PASSENGER_SHARE) for t in CASUALTY_TYPES])
    cclass = np.where(ctype == 0, 3, np.where(rng.random(n) < passenger[type_index], 2, 1))
    male = np.array([MALE_SHARE.get(t, 0.6) for t in CASUALTY_TYPES])[type_index]
    u = rng.random(n)
    sex = np.where(u < SEX_UNKNOWN, 9, np.where(rng.random(n) < male, 1, 2))
    age = np.where(
        cclass == 1,
        17 + rng.gamma(2.4, 9.0, n),
        np.where(cclass == 3, rng.gamma(2.0, 17.0, n), rng.gamma(1.8, 15.0, n)),
    )
    age = np.clip(np.floor(age), 0, 99).astype(np.int64)
    age = np.where(rng.random(n) < AGE_MISSING, -1, age)
    # Collisions: casualties on the same day in the same district may share one.
    order = np.lexsort((rng.random(n), lpa, day))
    day, lpa, severity, ctype, cclass, sex, age = (
        a[order] for a in (day, lpa, severity, ctype, cclass, sex, age)
    )
    same_group = np.concatenate([[False], (day[1:] == day[:-1]) & (lpa[1:] == lpa[:-1])])
    joins = same_group & (rng.random(n) < SAME_COLLISION)
    collision = np.cumsum(~joins) - 1
    first = np.flatnonzero(~joins)
    casualty_ref = np.arange(n) - first[collision] + 1
    # Vehicle: each driver or rider their own vehicle, in order; passengers and
    # pedestrians with vehicle 1.
    driver = (cclass == 1).astype(np.int64)
    drivers_before = np.cumsum(driver) - driver
    vehicle = np.where(cclass == 1, drivers_before - (drivers_before[first])[collision] + 1, 1)
    # Collision reference: year, force 20, a sequence within the year in date order.
    n_collisions = len(first)
    c_day = day[first]
    year = c_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    year_start = np.concatenate([[0], np.flatnonzero(np.diff(year)) + 1])
    seq = np.arange(n_collisions) - np.repeat(
        year_start, np.diff(np.append(year_start, n_collisions))
    )
    hours = np.array(COLLISION_HOURS)
    c_hour = draw(rng, hours / hours.sum(), n_collisions)
    c_minute = rng.integers(0, 60, n_collisions)
    c_minute = np.where(rng.random(n_collisions) < 0.3, (c_minute // 15) * 15, c_minute)
    la = local_authority_districts(seed_dir)
    frame = pd.DataFrame(
        {
            "year": year[collision].astype(np.int32),
            "seq": (seq[collision] + 1 + ctx.replica * 10**6).astype(np.int32),
            "day": day.astype(np.int32),
            "hh": c_hour[collision].astype(np.int32),
            "mi": c_minute[collision].astype(np.int32),
            "la": category(lpa, tuple(la[c] for c in ctx.ref.lpa_codes)),
            "vehicle": vehicle.astype(np.int32),
            "casualty": casualty_ref.astype(np.int32),
            "class": cclass.astype(np.int32),
            "sex": sex.astype(np.int32),
            "age": age.astype(np.int32),
            "band": age_bands(age).astype(np.int32),
            "severity": (severity + 1).astype(np.int32),
            "type": ctype.astype(np.int32),
        }
    )
    sources = (
        f"printf('%04d{WEST_MIDLANDS_POLICE_FORCE:02d}%07d', year, seq)",
        date("day"),
        "printf('%02d:%02d', hh, mi)",
        "la",
        "vehicle",
        "casualty",
        "class",
        "sex",
        "age",
        "band",
        "severity",
        "type",
    )
    start, end = ctx.window_days(T.BASELINE), ctx.window_days(T.CURRENT)
    for window, (lo, hi) in ((T.BASELINE, start), (T.CURRENT, end)):
        inside = (day >= lo) & (day <= hi)
        ctx.note(
            f"road_casualties_{window}",
            {s: float((inside & (severity == i)).sum()) for i, s in enumerate(severities)},
        )
    return Extract("road_casualties", frame, sources)


# --- Roads enforcement ----------------------------------------------------------------


def roads_enforcement(ctx: Context, rng: np.random.Generator) -> Extract:
    """roads_enforcement.csv: one row per action, officer or camera, in date order."""
    placed = populations(ctx, T.ROADS_ENFORCEMENT, T.ROADS_ENFORCEMENT_TRENDS, "enforcement", rng)
    parts = []
    for name, rows in zip(T.ROADS_ENFORCEMENT, placed, strict=True):
        n = len(rows)
        offence = draw(rng, OFFENCE_SHARE[name], n)
        if name == "drink_drug_driving_arrests":
            action = np.full(n, ACTION_TYPES.index("ARREST"), dtype=np.int64)
        elif name == "camera_detections":
            action = draw(rng, CAMERA_ACTION_SHARE, n)
        else:
            action = draw_categorical(rng, ACTION_SHARE, offence)
        method = np.full(n, int(name == "camera_detections"), dtype=np.int64)
        parts.append((rows.day, rows.neighbourhood, offence, action, method))
    day, neighbourhood, offence, action, method = (
        np.concatenate(p) for p in zip(*parts, strict=True)
    )
    order = day_order(day, rng)
    frame = pd.DataFrame(
        {
            "seq": sequence(len(day), 8, ctx.replica),
            "day": day[order].astype(np.int32),
            "neighbourhood": category(neighbourhood[order], ctx.ref.neighbourhood_codes),
            "offence": category(offence[order], OFFENCE_CATEGORIES),
            "action": category(action[order], ACTION_TYPES),
            "method": category(method[order], DETECTION_METHODS),
        }
    )
    sources = (
        "printf('RE-%08d', seq)",
        date("day"),
        "neighbourhood",
        "offence",
        "action",
        "method",
    )
    return Extract("roads_enforcement", frame, sources)


# --- Dashcam submissions --------------------------------------------------------------


def dashcam_submissions(ctx: Context, rng: np.random.Generator) -> Extract:
    """dashcam_submissions.csv: one row per submission, with its outcome."""
    cal = ctx.cal
    counts = monthly(ctx, T.DASHCAM_SUBMISSIONS, T.DASHCAM_TRENDS, SEASON["dashcam"])
    rows = place(ctx, counts, LPA_SHARE["dashcam"], rng)
    order = day_order(rows.day, rng)
    day, neighbourhood = rows.day[order], rows.neighbourhood[order]
    n = len(day)
    month = cal.month_of(day)
    median, spread = DECISION_DAYS
    wait = np.minimum(np.ceil(rng.lognormal(np.log(median), spread, n)), MAX_DECISION_DAYS)
    decided_on = day + wait.astype(np.int64)
    decided = decided_on <= cal.end_day
    # Positive outcomes: an exact share of the decided submissions in each window.
    targets = {}
    for window, rate in T.DASHCAM_POSITIVE_OUTCOME_RATE.items():
        decided_in_window = int((decided & ctx.months(window)[month]).sum())
        targets[window] = count_for_rate(decided_in_window, rate)
    positive = ctx.quota_flag(
        "dashcam_positive_outcomes",
        decided,
        np.ones(n),
        month,
        np.ones(n, dtype=bool),
        targets,
        rng,
    )
    outcome = np.where(
        positive,
        draw(rng, POSITIVE_SHARE, n),
        len(POSITIVE_OUTCOMES) + draw(rng, OTHER_SHARE, n),
    )
    outcome = np.where(decided, outcome, DASHCAM_OUTCOMES.index(PENDING))
    offence = draw(rng, DASHCAM_OFFENCE_SHARE, n)
    frame = pd.DataFrame(
        {
            "seq": sequence(n, 7, ctx.replica),
            "day": day.astype(np.int32),
            "neighbourhood": category(neighbourhood, ctx.ref.neighbourhood_codes),
            "offence": category(offence, DASHCAM_OFFENCES),
            "outcome": category(outcome, DASHCAM_OUTCOMES),
            "decided": decided,
            "decided_on": decided_on.astype(np.int32),
        }
    )
    sources = (
        "printf('DC-%07d', seq)",
        date("day"),
        "neighbourhood",
        "offence",
        "outcome",
        "case when decided then date '1970-01-01' + decided_on end",
    )
    ctx.note("dashcam_decided", {w: float((decided & ctx.months(w)[month]).sum()) for w in targets})
    return Extract("dashcam_submissions", frame, sources)


# --- Vehicle seizures -----------------------------------------------------------------


def vehicle_seizures(ctx: Context, rng: np.random.Generator) -> Extract:
    """vehicle_seizures.csv: one row per vehicle seized or removed, in date order."""
    placed = populations(ctx, T.VEHICLE_SEIZURES, T.VEHICLE_SEIZURE_TRENDS, "seizures", rng)
    parts = []
    offset = 0
    for name, rows in zip(T.VEHICLE_SEIZURES, placed, strict=True):
        reason = offset + draw(rng, SEIZURE_REASON_SHARE[name], len(rows))
        offset += len(SEIZURE_REASON_SHARE[name])
        parts.append((rows.day, rows.neighbourhood, reason))
    day, neighbourhood, reason = (np.concatenate(p) for p in zip(*parts, strict=True))
    vehicle = draw_categorical(rng, VEHICLE_TYPE_SHARE, reason)
    order = day_order(day, rng)
    frame = pd.DataFrame(
        {
            "seq": sequence(len(day), 7, ctx.replica),
            "day": day[order].astype(np.int32),
            "neighbourhood": category(neighbourhood[order], ctx.ref.neighbourhood_codes),
            "reason": category(reason[order], SEIZURE_REASONS),
            "vehicle": category(vehicle[order], VEHICLE_TYPES),
        }
    )
    sources = (
        "printf('VS-%07d', seq)",
        date("day"),
        "neighbourhood",
        "reason",
        "vehicle",
    )
    return Extract("vehicle_seizures", frame, sources)


# --- Orders and civil interventions ---------------------------------------------------


def orders_and_civil_interventions(ctx: Context, rng: np.random.Generator) -> Extract:
    """orders_and_civil_interventions.csv: one row per order issued or decided."""
    placed = populations(ctx, T.ORDERS, T.ORDER_TRENDS, "orders", rng)
    granted, refused = placed
    # Issued or granted: notices issued, court orders granted.
    g_type = draw(rng, ORDER_TYPE_SHARE, len(granted))
    svro = ORDER_TYPES.index("SERIOUS_VIOLENCE_REDUCTION_ORDER")
    before_pilot = granted.day < int(np.datetime64(SVRO_PILOT_START).astype(np.int64))
    g_type = np.where(
        (g_type == svro) & before_pilot, ORDER_TYPES.index("CRIMINAL_BEHAVIOUR_ORDER"), g_type
    )
    g_status = np.where(g_type < len(NOTICE_TYPES), 0, 1)
    # Refused or withdrawn: applications for court orders only.
    court_share = np.array(ORDER_TYPE_SHARE[len(NOTICE_TYPES) :])
    r_type = len(NOTICE_TYPES) + draw(rng, court_share / court_share.sum(), len(refused))
    before_pilot = refused.day < int(np.datetime64(SVRO_PILOT_START).astype(np.int64))
    r_type = np.where(
        (r_type == svro) & before_pilot, ORDER_TYPES.index("CRIMINAL_BEHAVIOUR_ORDER"), r_type
    )
    r_status = 2 + draw(rng, (0.6, 0.4), len(refused))
    day = np.concatenate([granted.day, refused.day])
    neighbourhood = np.concatenate([granted.neighbourhood, refused.neighbourhood])
    otype = np.concatenate([g_type, r_type])
    status = np.concatenate([g_status, r_status])
    order = day_order(day, rng)
    frame = pd.DataFrame(
        {
            "seq": sequence(len(day), 7, ctx.replica),
            "day": day[order].astype(np.int32),
            "neighbourhood": category(neighbourhood[order], ctx.ref.neighbourhood_codes),
            "type": category(otype[order], ORDER_TYPES),
            "status": category(status[order], ORDER_STATUSES),
        }
    )
    sources = (
        "printf('ORD-%07d', seq)",
        date("day"),
        "neighbourhood",
        "type",
        "status",
    )
    return Extract("orders_and_civil_interventions", frame, sources)
