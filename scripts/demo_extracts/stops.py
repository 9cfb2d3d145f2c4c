"""The stop and search and use of force extracts: one row per search, one row per use of
force, in the vocabularies data.police.uk and the Home Office use of force statistics use.

Volumes: for each ethnic group as the officer records it (officer-defined ethnicity of
the person searched; perceived ethnicity of the person force was used on), counts by
month pass exactly through the group's baseline and current counts and near an "about"
anchor before the baseline, with a seasonal shape. White, Mixed, Other and not-recorded
counts are CHOICES; Black and Asian counts follow from White, the report's
disproportionality ratios and the 2021 Census populations (ref_population_by_ethnicity).

Finds: one item per search, the most serious found (firearm, knife or bladed article,
other offensive weapon, drugs ...). Firearms, then knives, are exact monthly quotas that
add up to the report's window counts, drawn among the searches with a chance rising with
the object of the search; other finds are drawn at the object's find rate. Outcomes
follow what was found.

Searches get a local time from weekly and daily cycles (UTC instants, hour by hour, so
clock changes are right); uses of force a local date.
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
    draw_categorical,
    draw_within_blocks,
    interpolate,
    pct_change,
    rounds_to,
    select_top_k,
    shaped_quota,
    window_series,
)
from .context import Context
from .periods import Profile, cycle_weights, london_hours
from .reference import Reference, codes
from .writer import Extract, category, date, local, sequence, timestamp

Bool = NDArray[np.bool_]
Float = NDArray[np.float64]
Int = NDArray[np.int64]

# Ethnic groups as the targets name them; "" is not recorded. Index order is the rows'.
GROUPS = ("WHITE", "BLACK", "ASIAN", "MIXED", "OTHER", "")
NOT_RECORDED = GROUPS.index("")
# Seed ethnic_group of each recorded group.
SEED_GROUP = {"WHITE": "white", "BLACK": "black", "ASIAN": "asian"}

# --- data.police.uk stop and search vocabularies --------------------------------------

SEARCH_TYPES = codes("stop_search_type")
OFFICER_DEFINED = codes("officer_defined_ethnicity")  # by GROUPS index
SELF_DEFINED: Mapping[str, tuple[tuple[str, float], ...]] = {
    "WHITE": (
        ("White - English/Welsh/Scottish/Northern Irish/British", 0.86),
        ("White - Irish", 0.02),
        ("White - Any other White background", 0.12),
    ),
    "BLACK": (
        ("Black/African/Caribbean/Black British - African", 0.45),
        ("Black/African/Caribbean/Black British - Caribbean", 0.40),
        (
            "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
            0.15,
        ),
    ),
    "ASIAN": (
        ("Asian/Asian British - Pakistani", 0.50),
        ("Asian/Asian British - Indian", 0.22),
        ("Asian/Asian British - Bangladeshi", 0.13),
        ("Asian/Asian British - Chinese", 0.02),
        ("Asian/Asian British - Any other Asian background", 0.13),
    ),
    "MIXED": (
        ("Mixed/Multiple ethnic groups - White and Black Caribbean", 0.50),
        ("Mixed/Multiple ethnic groups - White and Asian", 0.20),
        ("Mixed/Multiple ethnic groups - White and Black African", 0.10),
        ("Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background", 0.20),
    ),
    "OTHER": (("Other ethnic group - Any other ethnic group", 1.0),),
}
NOT_STATED = "Other ethnic group - Not stated"
SELF_DEFINED_VALUES = (*(v for g in SELF_DEFINED.values() for v, _ in g), NOT_STATED)
GENDERS = codes("stop_search_gender")
AGE_RANGES = codes("stop_search_age_range")
TRUE_FALSE = codes("true_false")
MDA = "Misuse of Drugs Act 1971 (section 23)"
PACE = "Police and Criminal Evidence Act 1984 (section 1)"
FIREARMS_ACT = "Firearms Act 1968 (section 47)"
CJPOA = "Criminal Justice and Public Order Act 1994 (section 60)"
CJA = "Criminal Justice Act 1988 (section 139B)"
PSA = "Psychoactive Substances Act 2016 (s36(2))"
LEGISLATION = (MDA, PACE, FIREARMS_ACT, CJPOA, CJA, PSA)
OUTCOMES = codes("stop_search_outcome")
NFA = 0
# What was found (not in data.police.uk): the most serious item, in this order.
ITEMS = codes("stop_search_item_found")
NOTHING, FIREARM, KNIFE = 0, 1, 2


@dataclass(frozen=True)
class SearchObject:
    """An object of search, its power, share of searches (CHOICE), the item a find of
    it is, the chance of that find, and the relative chance of a knife or a firearm."""

    label: str
    legislation: str
    share: float
    item: str
    find_rate: float
    knife_weight: float
    firearm_weight: float


OBJECTS = (
    SearchObject("Controlled drugs", MDA, 0.58, "CONTROLLED_DRUGS", 0.30, 1.0, 0.5),
    SearchObject("Offensive weapons", PACE, 0.14, "OFFENSIVE_WEAPON", 0.04, 12.0, 2.0),
    SearchObject("Stolen goods", PACE, 0.11, "STOLEN_GOODS", 0.15, 0.8, 0.3),
    SearchObject(
        "Article for use in theft", PACE, 0.05, "ARTICLE_FOR_USE_IN_THEFT", 0.12, 0.8, 0.3
    ),
    SearchObject(
        "Articles for use in criminal damage", PACE, 0.03, "CRIMINAL_DAMAGE_ARTICLE", 0.10, 0.8, 0.3
    ),
    SearchObject("Firearms", FIREARMS_ACT, 0.025, "OFFENSIVE_WEAPON", 0.03, 4.0, 40.0),
    SearchObject(
        "Anything to threaten or harm anyone", CJPOA, 0.02, "OFFENSIVE_WEAPON", 0.05, 10.0, 3.0
    ),
    SearchObject("Offensive weapons", CJA, 0.005, "OFFENSIVE_WEAPON", 0.05, 12.0, 2.0),
    SearchObject("Fireworks", PACE, 0.01, "FIREWORKS", 0.15, 0.6, 0.3),
    SearchObject("Psychoactive substances", PSA, 0.005, "PSYCHOACTIVE_SUBSTANCES", 0.25, 0.6, 0.3),
)
OBJECT_LABELS = tuple(dict.fromkeys(o.label for o in OBJECTS))
OTHER_ITEM_RATE = 0.02  # something else found when the object was not

# Outcome by what was found (weights over OUTCOMES).
OUTCOME_MIX: Mapping[str, tuple[float, ...]] = {
    "nothing": (0.86, 0.08, 0.03, 0.0, 0.01, 0.015, 0.005),
    "drugs": (0.05, 0.22, 0.25, 0.25, 0.05, 0.13, 0.05),
    "weapon": (0.02, 0.85, 0.04, 0.0, 0.0, 0.06, 0.03),
    "other": (0.10, 0.45, 0.25, 0.0, 0.05, 0.12, 0.03),
}

# --- Home Office use of force vocabularies --------------------------------------------

PERCEIVED_ETHNICITY = codes("use_of_force_perceived_ethnicity")  # by GROUPS index
UOF_AGE_GROUPS = codes("use_of_force_age_group")
UOF_GENDERS = codes("use_of_force_gender")
LOCATION_TYPES = codes("use_of_force_location_type")
TACTICS = codes("use_of_force_tactic")
REASONS = codes("use_of_force_reason")
UOF_OUTCOMES = codes("use_of_force_outcome")
YES_NO = codes("yes_no")

# --- Model parameters (realistic shape; not report figures) -------------------------

SEASON: Mapping[str, tuple[float, int]] = {"stop_search": (0.08, 7), "use_of_force": (0.06, 7)}
LPA_SHARE: Mapping[str, Mapping[str, float]] = {
    "stop_search": {
        "BH": 0.50, "CV": 0.10, "DY": 0.06, "SW": 0.10, "SH": 0.04, "WS": 0.09, "WV": 0.11,
    },
    "use_of_force": {
        "BH": 0.47, "CV": 0.11, "DY": 0.07, "SW": 0.10, "SH": 0.04, "WS": 0.09, "WV": 0.12,
    },
}  # fmt: skip
# Approximate centres of the seven boroughs (latitude, longitude).
LPA_CENTRE: Mapping[str, tuple[float, float]] = {
    "BH": (52.480, -1.900),
    "CV": (52.408, -1.511),
    "DY": (52.510, -2.090),
    "SW": (52.518, -2.010),
    "SH": (52.412, -1.778),
    "WS": (52.586, -1.982),
    "WV": (52.587, -2.128),
}
DAY_WEIGHT = (0.92, 0.95, 1.0, 1.02, 1.10, 1.06, 0.95)
HOUR_PROFILE: Profile = (
    (
        (1.6, 1.2, 0.9, 0.6, 0.4, 0.3, 0.4, 0.7, 1.0, 1.3, 1.6, 1.9),
        (2.2, 2.4, 2.6, 2.8, 3.1, 3.4, 3.7, 3.9, 3.8, 3.4, 2.8, 2.2),
    ),
    (
        (2.2, 1.9, 1.5, 1.0, 0.6, 0.4, 0.4, 0.5, 0.7, 1.0, 1.3, 1.6),
        (1.9, 2.2, 2.5, 2.8, 3.1, 3.4, 3.7, 3.9, 3.9, 3.6, 3.1, 2.6),
    ),
)


def _lpa_vector(ctx: Context, shares: Mapping[str, float]) -> Float:
    return np.array([shares[c] for c in ctx.ref.lpa_codes], dtype=np.float64)


def group_counts(
    ctx: Context,
    groups: Mapping[str, Mapping[str, int]],
    ratios: Mapping[str, Mapping[str, float]],
    label: str,
) -> dict[str, dict[str, int]]:
    """Exact counts by group and window: the targets' groups scaled, Black and Asian from
    White and the ratio: ratio x White count x population / White population. At full
    scale each current ratio must round to the report's and change under 1%."""
    population = ctx.ref.ethnic_group_population
    out = {g: {w: round(v * ctx.scale) for w, v in c.items()} for g, c in groups.items()}
    white = out["WHITE"]
    for group, by_window in ratios.items():
        share = population[SEED_GROUP[group]] / population["white"]
        out[group] = {w: round(r * white[w] * share) for w, r in by_window.items()}
        achieved = {w: out[group][w] / share / white[w] for w in by_window}
        ctx.note(f"{label}_disproportionality_{group.lower()}", achieved)
        if ctx.strict and not (
            rounds_to(achieved[T.CURRENT], by_window[T.CURRENT])
            and abs(pct_change(achieved[T.BASELINE], achieved[T.CURRENT])) < 1.0
        ):
            raise CalibrationError(f"{label} {group} ratio misses {by_window}: {achieved}")
    return {g: out[g] for g in GROUPS}


def monthly_by_group(
    ctx: Context, counts: Mapping[str, Mapping[str, int]], trend: float, stratum: str
) -> Int:
    """Groups x months through each group's exact baseline and current counts, near
    `trend` x the baseline in the year ending September 2022, with a summer peak."""
    cal = ctx.cal
    names = [T.BASELINE, T.CURRENT, T.YE_SEP_2022]
    values = np.array(
        [[c[T.BASELINE], c[T.CURRENT], c[T.BASELINE] * trend] for c in counts.values()],
        dtype=np.float64,
    )
    masks = np.array([ctx.months(w) for w in names])
    mids = np.array([ctx.mid(w) for w in names])
    rates = values / masks.sum(axis=1)
    amplitude, peak = SEASON[stratum]
    season = (cal.month_days / cal.month_days.mean()) * (
        1.0 + amplitude * np.cos(2 * np.pi * (cal.calendar_month - peak) / 12.0)
    )
    ideal = np.array([interpolate(cal.month_mid, mids, np.maximum(r, 1e-9)) for r in rates])
    is_exact = np.array([True, True, False])
    return window_series(ideal * season, masks, values, is_exact, mids, cal.month_mid)


def _rows(counts: Int) -> tuple[Int, Int]:
    """(group, month) of each row of a groups x months count table."""
    cells = np.repeat(np.arange(counts.size), counts.reshape(-1))
    return cells // counts.shape[1], cells % counts.shape[1]


def _places(ctx: Context, stratum: str, n: int, rng: np.random.Generator) -> tuple[Int, Int]:
    """(lpa, neighbourhood) of n rows: LPA by its share, neighbourhood within the LPA by
    a fixed weight (some neighbourhoods see far more activity)."""
    ref = ctx.ref
    lpa = draw_categorical(rng, _lpa_vector(ctx, LPA_SHARE[stratum])[None], np.zeros(n, np.int64))
    weights = rng.lognormal(0.0, 0.8, len(ref.neighbourhood_codes))
    order = np.argsort(ref.neighbourhood_lpa, kind="stable")
    nb_lpa = ref.neighbourhood_lpa[order]
    starts = np.searchsorted(nb_lpa, np.arange(ref.n_lpas), side="left")
    ends = np.searchsorted(nb_lpa, np.arange(ref.n_lpas), side="right")
    return lpa, order[draw_within_blocks(rng, weights[order], starts, ends, lpa)]


def _monthly_quota(ctx: Context, eligible: Int, targets: Mapping[str, int], label: str) -> Int:
    """Monthly counts of a find adding up exactly to its window targets, at a rate
    interpolated between the windows' rates."""
    cal = ctx.cal
    names = list(targets)
    masks = np.array([ctx.months(w) for w in names])
    mids = np.array([ctx.mid(w) for w in names])
    goal = np.array([float(targets[w]) for w in names])
    rates = goal / np.maximum(masks.astype(np.float64) @ eligible, 1.0)
    rate = interpolate(cal.month_mid, mids, rates)
    quota = shaped_quota(eligible, rate, masks, goal, mids, cal.month_mid, ctx.strict)
    ctx.note(label, {w: float(quota[masks[i]].sum()) for i, w in enumerate(names)})
    return quota


@dataclass
class StopSearchRows:
    """Searches as aligned arrays, in time order (indexes into the vocabularies above;
    -1 is an empty field)."""

    searched: Int  # UTC seconds
    search_type: Int
    operation: Int  # index into TRUE_FALSE, -1 empty
    latitude: Float  # nan when not recorded
    longitude: Float
    gender: Int
    age: Int
    self_defined: Int  # index into SELF_DEFINED_VALUES
    officer_defined: Int  # index into OFFICER_DEFINED
    legislation: Int
    search_object: Int  # index into OBJECT_LABELS
    outcome: Int
    linked: Int  # index into TRUE_FALSE, -1 empty
    removal: Int  # index into TRUE_FALSE, -1 empty
    item: Int
    neighbourhood: Int

    def __len__(self) -> int:
        return len(self.searched)


def _self_defined_table() -> Float:
    """Officer-defined group (rows: GROUPS) -> self-defined value probabilities (columns:
    SELF_DEFINED_VALUES, then empty). About a fifth decline to state; most who state
    one give the group the officer recorded."""
    mismatch: Mapping[str, tuple[float, Mapping[str, float]]] = {
        "WHITE": (0.05, {"MIXED": 0.5, "OTHER": 0.3, "ASIAN": 0.2}),
        "BLACK": (0.08, {"MIXED": 0.8, "OTHER": 0.2}),
        "ASIAN": (0.06, {"OTHER": 0.6, "MIXED": 0.2, "WHITE": 0.2}),
        "MIXED": (0.30, {"WHITE": 0.3, "BLACK": 0.4, "ASIAN": 0.3}),
        "OTHER": (0.40, {"ASIAN": 0.4, "WHITE": 0.3, "BLACK": 0.3}),
    }
    table = np.zeros((len(GROUPS), len(SELF_DEFINED_VALUES) + 1))
    not_stated = SELF_DEFINED_VALUES.index(NOT_STATED)
    for row, group in enumerate(GROUPS):
        if group == "":
            table[row, not_stated] = 0.6
            table[row, -1] = 0.4
            continue
        table[row, not_stated] = 0.21
        table[row, -1] = 0.02
        off, to = mismatch[group]
        for target, weight in [(group, 1.0 - off), *((g, off * w) for g, w in to.items())]:
            for value, share in SELF_DEFINED[target]:
                table[row, SELF_DEFINED_VALUES.index(value)] += 0.77 * weight * share
    return table


def _choice(rng: np.random.Generator, n: int, weights: tuple[float, ...]) -> Int:
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int64)


def generate_stop_searches(ctx: Context, rng: np.random.Generator) -> StopSearchRows:
    cal, ref = ctx.cal, ctx.ref
    counts = group_counts(
        ctx, T.STOP_SEARCH_GROUPS, T.STOP_SEARCH_DISPROPORTIONALITY, "stop_search"
    )
    monthly = monthly_by_group(ctx, counts, T.STOP_SEARCH_TREND_YE_SEP_2022, "stop_search")
    group, month = _rows(monthly)
    n = len(group)

    # When: months to local hours by the weekly and daily cycle, whole minutes.
    hours = london_hours(cal.start_day, cal.end_day)
    noise = rng.lognormal(0.0, 0.1, len(cal.days))
    weight = cycle_weights(hours, DAY_WEIGHT, HOUR_PROFILE, noise, cal.start_day)
    first, last = hours.blocks(cal.month_start)
    hour = draw_within_blocks(rng, weight, first, last, month)
    searched = hours.utc_start[hour] + 60 * rng.integers(0, 60, n)

    # Who: vehicle searches only among the not recorded (no person searched).
    recorded = group != NOT_RECORDED
    search_type = np.where(
        recorded, _choice(rng, n, (0.84, 0.16)), _choice(rng, n, (0.3, 0.1, 0.6))
    )
    person = search_type != SEARCH_TYPES.index("Vehicle search")
    gender = np.where(person, _choice(rng, n, (0.885, 0.11, 0.005)), -1)
    gender[person & (rng.random(n) < 0.01)] = -1
    age = np.where(person, _choice(rng, n, (0.001, 0.16, 0.36, 0.27, 0.209)), -1)
    age[person & (rng.random(n) < 0.01)] = -1
    self_defined = draw_categorical(rng, _self_defined_table(), group)
    self_defined[(self_defined == len(SELF_DEFINED_VALUES)) | ~person] = -1
    officer_defined = np.where(recorded, group, -1)

    # Why: object of search and its power.
    obj = _choice(rng, n, tuple(o.share for o in OBJECTS))
    search_object = np.array([OBJECT_LABELS.index(o.label) for o in OBJECTS])[obj]
    legislation = np.array([LEGISLATION.index(o.legislation) for o in OBJECTS])[obj]

    # What was found: exact firearm and knife quotas by month, then the object's finds.
    eligible = np.bincount(month, minlength=cal.n_months)
    item = np.full(n, NOTHING, dtype=np.int64)
    for code, column in ((FIREARM, "firearm_weight"), (KNIFE, "knife_weight")):
        targets = ctx.counts(T.STOP_SEARCH_FINDS[ITEMS[code]])
        quota = _monthly_quota(ctx, eligible, targets, f"stops_{ITEMS[code].lower()}")
        w = np.array([getattr(o, column) for o in OBJECTS])[obj] * (item == NOTHING)
        item[select_top_k(month, w, quota, rng)] = code
    own = np.array([ITEMS.index(o.item) for o in OBJECTS])[obj]
    rate = np.array([o.find_rate for o in OBJECTS])[obj]
    # Offensive weapons other than knives are drawn too, never as the exact finds.
    free = item == NOTHING
    found = free & (rng.random(n) < rate)
    item[found] = own[found]
    other = free & ~found & (rng.random(n) < OTHER_ITEM_RATE)
    item[other] = ITEMS.index("OTHER_ITEM")

    # Outcome by what was found.
    kind = np.select(
        [
            item == NOTHING,
            item == ITEMS.index("CONTROLLED_DRUGS"),
            np.isin(item, [FIREARM, KNIFE, ITEMS.index("OFFENSIVE_WEAPON")]),
        ],
        [0, 1, 2],
        3,
    )
    outcome = draw_categorical(rng, np.array(list(OUTCOME_MIX.values())), kind)
    true, false = TRUE_FALSE.index("True"), TRUE_FALSE.index("False")
    linked = np.where((item != NOTHING) & (outcome != NFA), true, false)
    linked[(item != NOTHING) & (outcome != NFA) & (rng.random(n) < 0.05)] = false
    linked[rng.random(n) < 0.02] = -1
    operation = _choice(rng, n, (0.03, 0.93, 0.04))
    operation[operation == 2] = -1
    removal = _choice(rng, n, (0.02, 0.95, 0.03))
    removal[removal == 2] = -1

    # Where: neighbourhood, and a point near it (not recorded for a few).
    lpa, neighbourhood = _places(ctx, "stop_search", n, rng)
    centre = np.array([LPA_CENTRE[c] for c in ref.lpa_codes])[ref.neighbourhood_lpa]
    spot = centre + rng.normal(0.0, [0.025, 0.04], (len(centre), 2))
    point = spot[neighbourhood] + rng.normal(0.0, 0.003, (n, 2))
    point[rng.random(n) < 0.04] = np.nan
    del lpa

    order = np.lexsort((rng.random(n), searched))
    return StopSearchRows(
        searched=searched[order],
        search_type=search_type[order],
        operation=operation[order],
        latitude=point[order, 0],
        longitude=point[order, 1],
        gender=gender[order],
        age=age[order],
        self_defined=self_defined[order],
        officer_defined=officer_defined[order],
        legislation=legislation[order],
        search_object=search_object[order],
        outcome=outcome[order],
        linked=linked[order],
        removal=removal[order],
        item=item[order],
        neighbourhood=neighbourhood[order],
    )


@dataclass
class UseOfForceRows:
    """Uses of force as aligned arrays, in date order."""

    day: Int  # local date, days since 1970-01-01
    neighbourhood: Int
    location: Int
    ethnicity: Int  # index into PERCEIVED_ETHNICITY
    age: Int
    gender: Int
    tactic: Int
    reason: Int
    outcome: Int
    injured: Int

    def __len__(self) -> int:
        return len(self.day)


def generate_uses_of_force(ctx: Context, rng: np.random.Generator) -> UseOfForceRows:
    cal = ctx.cal
    counts = group_counts(
        ctx, T.USE_OF_FORCE_GROUPS, T.USE_OF_FORCE_DISPROPORTIONALITY, "use_of_force"
    )
    monthly = monthly_by_group(ctx, counts, T.USE_OF_FORCE_TREND_YE_SEP_2022, "use_of_force")
    group, month = _rows(monthly)
    n = len(group)
    weekday = (cal.days + 3) % 7
    day_weight = np.array(DAY_WEIGHT)[weekday] * rng.lognormal(0.0, 0.1, len(cal.days))
    first = cal.month_start[:-1] - cal.start_day
    last = cal.month_start[1:] - cal.start_day
    day = cal.days[draw_within_blocks(rng, day_weight, first, last, month)]
    _, neighbourhood = _places(ctx, "use_of_force", n, rng)
    location = _choice(rng, n, (0.42, 0.22, 0.09, 0.06, 0.06, 0.04, 0.03, 0.02, 0.03, 0.01, 0.02))
    age = _choice(rng, n, (0.002, 0.10, 0.52, 0.27, 0.08, 0.01, 0.018))
    gender = _choice(rng, n, (0.82, 0.17, 0.002, 0.008))
    tactic = _choice(
        rng,
        n,
        (0.30, 0.20, 0.20, 0.08, 0.05, 0.02, 0.07, 0.02, 0.01, 0.01, 0.01, 0.005, 0.002, 0.013),
    )
    reason = _choice(rng, n, (0.35, 0.12, 0.25, 0.08, 0.06, 0.07, 0.04, 0.02, 0.01))
    outcome = _choice(rng, n, (0.76, 0.06, 0.03, 0.01, 0.14))
    injured = _choice(rng, n, (0.08, 0.92))
    order = np.lexsort((rng.random(n), day))
    return UseOfForceRows(
        day=day[order],
        neighbourhood=neighbourhood[order],
        location=location[order],
        ethnicity=group[order],
        age=age[order],
        gender=gender[order],
        tactic=tactic[order],
        reason=reason[order],
        outcome=outcome[order],
        injured=injured[order],
    )


def stop_searches_extract(ref: Reference, rows: StopSearchRows, replica: int = 0) -> Extract:
    """stop_search.csv: data.police.uk's columns (headers in snake_case) and values, plus
    the search id, the neighbourhood and what was found."""
    frame = pd.DataFrame(
        {
            "seq": sequence(len(rows), 8, replica),
            "type": category(rows.search_type, SEARCH_TYPES),
            **local(rows.searched, "searched"),
            "operation": category(rows.operation, TRUE_FALSE),
            "lat": rows.latitude,
            "lon": rows.longitude,
            "gender": category(rows.gender, GENDERS),
            "age": category(rows.age, AGE_RANGES),
            "self": category(rows.self_defined, SELF_DEFINED_VALUES),
            "officer": category(rows.officer_defined, OFFICER_DEFINED),
            "legislation": category(rows.legislation, LEGISLATION),
            "object": category(rows.search_object, OBJECT_LABELS),
            "outcome": category(rows.outcome, OUTCOMES),
            "linked": category(rows.linked, TRUE_FALSE),
            "removal": category(rows.removal, TRUE_FALSE),
            "neighbourhood": category(rows.neighbourhood, ref.neighbourhood_codes),
            "item": category(rows.item, ITEMS),
        }
    )
    formats = (
        "printf('SS-%08d', seq)",
        "type",
        timestamp("searched"),
        "operation",
        "case when operation = 'True' then 'Operation Sceptre' end",
        "case when not isnan(lat) then printf('%.6f', lat) end",
        "case when not isnan(lon) then printf('%.6f', lon) end",
        "gender",
        "age",
        "self",
        "officer",
        "legislation",
        "object",
        "outcome",
        "linked",
        "removal",
        "neighbourhood",
        "item",
    )
    return Extract("stop_search", frame, formats)


def uses_of_force_extract(ref: Reference, rows: UseOfForceRows, replica: int = 0) -> Extract:
    """use_of_force.csv: one row per use of force report."""
    frame = pd.DataFrame(
        {
            "seq": sequence(len(rows), 8, replica),
            "day": rows.day.astype(np.int32),
            "neighbourhood": category(rows.neighbourhood, ref.neighbourhood_codes),
            "location": category(rows.location, LOCATION_TYPES),
            "ethnicity": category(rows.ethnicity, PERCEIVED_ETHNICITY),
            "age": category(rows.age, UOF_AGE_GROUPS),
            "gender": category(rows.gender, UOF_GENDERS),
            "tactic": category(rows.tactic, TACTICS),
            "reason": category(rows.reason, REASONS),
            "outcome": category(rows.outcome, UOF_OUTCOMES),
            "injured": category(rows.injured, YES_NO),
        }
    )
    formats = (
        "printf('UOF-%08d', seq)",
        date("day"),
        "neighbourhood",
        "location",
        "ethnicity",
        "age",
        "gender",
        "tactic",
        "reason",
        "outcome",
        "injured",
    )
    return Extract("use_of_force", frame, formats)
