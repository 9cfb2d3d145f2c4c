"""The crimes extract: one row per crime record as held in the recording system.

Volumes: for each window with exact targets, an LPA x offence table with exact margins
(LPA totals and category totals; 'other' offences absorb the residual; the harm score
is met by the split of violence with injury between 5D and 8N). Each LPA x offence
cell then becomes a monthly series that passes through every window's figure (exact
windows exactly, trend anchors roughly) and is rounded so exact windows stay exact.
Attributes: flags with a target are chosen as exact quotas within the target windows,
in dependency order; elsewhere the windows' rates are interpolated.
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
    fit_window_sums,
    hat_basis,
    integerise,
    interpolate,
    largest_remainder,
    pct_change,
    rounds_to,
    split_with_changes,
)
from .context import Context
from .reference import Reference, codes
from .writer import Extract, category, date, flag

Bool = NDArray[np.bool_]
Float = NDArray[np.float64]
Int = NDArray[np.int64]

INF = np.inf
# Crime references: the force's two digits, a sequence within the year, the year (a
# replica of a larger force takes the next two digits).
FORCE_PREFIX = 20
VAP = "Violence against the person"
SEXUAL = "Sexual offences"

# --- Offence categories (from the seeds) --------------------------------------------

CATEGORIES = (
    "homicide",
    "violence_with_injury",
    "violence_other",
    "rape",
    "other_sexual",
    "residential_burglary",
    "personal_robbery",
    "theft_from_the_person",
    "vehicle_offences",
    "shoplifting",
    "other",
)
NEIGHBOURHOOD_PARTS = (
    "residential_burglary",
    "personal_robbery",
    "theft_from_the_person",
    "vehicle_offences",
)
ABSORBING_PART = "vehicle_offences"


def offence_categories(ref: Reference) -> Int:
    """Category index of each offence code, from its seed group/subgroup/type."""
    out = []
    for group, subgroup, nbhd in zip(
        ref.offence_group, ref.offence_subgroup, ref.neighbourhood_crime_type, strict=True
    ):
        if subgroup == "Homicide":
            name = "homicide"
        elif subgroup == "Violence with injury":
            name = "violence_with_injury"
        elif group == VAP:
            name = "violence_other"
        elif subgroup == "Rape":
            name = "rape"
        elif group == SEXUAL:
            name = "other_sexual"
        elif nbhd:
            name = nbhd
        elif subgroup == "Shoplifting":
            name = "shoplifting"
        else:
            name = "other"
        out.append(CATEGORIES.index(name))
    return np.array(out, dtype=np.int64)


# --- Model parameters (realistic shape; not report figures) -------------------------

# Relative volume of each offence code within its category: (baseline, current).
CODE_MIX: Mapping[str, Mapping[str, tuple[float, float]]] = {
    "homicide": {"1": (0.84, 0.84), "4.1": (0.16, 0.16)},
    # 5D is then set exactly by the harm score.
    "violence_with_injury": {
        "2": (0.004, 0.004),
        "5D": (0.04, 0.035),
        "5E": (0.006, 0.006),
        "8N": (0.938, 0.943),
        "8P": (0.012, 0.012),
    },
    "violence_other": {
        "4.4": (0.0005, 0.0005),
        # Threats to kill and drug trafficking (below) are kept modest: the harm score
        # (10.2) then leaves room for most serious violence near the press release's
        # level (about 4,000 a year) rather than falling away after it.
        "3": (0.016, 0.014),
        "11A": (0.010, 0.010),
        "104": (0.019, 0.019),
        "105A": (0.50, 0.51),
        "105B": (0.013, 0.013),
        "8L": (0.135, 0.135),
        "8Q": (0.052, 0.050),
        "8R": (0.20, 0.205),
        "8U": (0.046, 0.042),
    },
    "rape": {"19C": (0.74, 0.76), "19D": (0.11, 0.10), "19F": (0.07, 0.07), "19G": (0.08, 0.07)},
    # Growth in other sexual offences is mostly exposure and the new cyberflashing
    # offence (Online Safety Act 2023; report 3.5).
    "other_sexual": {
        "17A": (0.07, 0.06),
        "20A": (0.47, 0.41),
        "20B": (0.085, 0.072),
        "22B": (0.12, 0.10),
        "88A": (0.05, 0.045),
        "88E": (0.12, 0.14),
        "88F": (0.085, 0.173),
    },
    "residential_burglary": {"28E": (0.71, 0.70), "28F": (0.25, 0.26), "28G": (0.04, 0.04)},
    "personal_robbery": {"34B": (1.0, 1.0)},
    "theft_from_the_person": {"39": (1.0, 1.0)},
    "vehicle_offences": {
        "37.2": (0.01, 0.01),
        "45": (0.41, 0.40),
        "48": (0.37, 0.37),
        "126": (0.21, 0.22),
    },
    "shoplifting": {"46": (1.0, 1.0)},
    "other": {
        "34A": (850, 760),
        "30C": (5900, 5500),
        "30D": (1500, 1350),
        "44": (2800, 2600),
        "40": (2400, 2200),
        "49": (27000, 24500),
        "56A": (180, 160),
        "56B": (1700, 1550),
        "58A": (7800, 7200),
        "58B": (3400, 3100),
        "58C": (7300, 6800),
        "58D": (6000, 5500),
        "92A": (350, 250),
        "92D": (4200, 4700),
        "92E": (1500, 1600),
        "10A": (90, 70),
        "10C": (1000, 950),
        "10D": (2400, 2250),
        "9A": (19000, 17500),
        "9B": (3000, 2800),
        "62A": (250, 220),
        "66": (3700, 3500),
        "802": (400, 380),
        "81": (250, 220),
    },
}
HARM_LEVER_UP, HARM_LEVER_DOWN = "5D", "8N"

# Category volume relative to the LPA's share of all crime.
LPA_PROPENSITY: Mapping[str, Mapping[str, float]] = {
    "homicide": {"BH": 1.3},
    "personal_robbery": {"BH": 1.3},
    "theft_from_the_person": {"BH": 1.5},
}

# Seasonality: (amplitude, calendar month of the peak) by category.
SEASON: Mapping[str, tuple[float, int]] = {
    "homicide": (0.0, 7),
    "violence_with_injury": (0.08, 7),
    "violence_other": (0.06, 7),
    "rape": (0.04, 7),
    "other_sexual": (0.05, 7),
    "residential_burglary": (0.10, 12),
    "personal_robbery": (0.08, 12),
    "theft_from_the_person": (0.06, 12),
    "vehicle_offences": (0.08, 11),
    "shoplifting": (0.06, 12),
    "other": (0.04, 7),
}
# Recording by day of week, Monday first.
WEEKDAY_WEIGHT = (1.08, 1.04, 1.02, 1.0, 1.0, 0.93, 0.88)
# Categories concentrated in town and city centres.
CENTRE_CATEGORIES = ("shoplifting", "theft_from_the_person", "personal_robbery")
NOT_RECORDED_CANCELLED_SHARE = 0.7

SEX_CODES = codes("victim_sex")
AGE_BANDS = codes("victim_age_band")
TRANSPORT = codes("transport_location")
STATUSES = codes("crime_record_status")

# Age-band profiles; the last column is "unknown" (written empty).
AGE_PROFILES: Mapping[str, tuple[float, ...]] = {
    "child": (1, 0, 0, 0, 0, 0, 0, 0),
    "domestic": (0.01, 0.16, 0.32, 0.25, 0.14, 0.07, 0.03, 0.02),
    "sexual": (0.22, 0.30, 0.22, 0.12, 0.07, 0.03, 0.01, 0.03),
    "violence": (0.13, 0.17, 0.24, 0.19, 0.13, 0.07, 0.04, 0.03),
    "young_adult": (0.38, 0.62, 0, 0, 0, 0, 0, 0),
    "older_violence": (0, 0, 0.34, 0.27, 0.18, 0.11, 0.06, 0.04),
    "worker": (0, 0.12, 0.42, 0.28, 0.13, 0.05, 0, 0),
    "robbery": (0.25, 0.28, 0.20, 0.12, 0.07, 0.04, 0.02, 0.02),
    "property": (0.02, 0.08, 0.20, 0.22, 0.19, 0.13, 0.10, 0.06),
}


# --- Rows ---------------------------------------------------------------------------


@dataclass
class CrimeRows:
    """Crime records as aligned arrays (one element per record)."""

    day: Int
    month: Int
    lpa: Int
    offence: Int
    neighbourhood: Int
    status: Int  # index into STATUSES
    domestic: Bool
    victim_sex: Int  # index into SEX_CODES, -1 = empty
    victim_age: Int  # index into AGE_BANDS, -1 = empty
    business: Bool
    emergency_worker: Bool
    business_worker: Bool
    knife: Bool
    firearm: Bool
    transport: Int  # index into TRANSPORT, -1 = empty
    sequence: Int
    year2: Int

    @property
    def recorded(self) -> Bool:
        return self.status == 0

    def __len__(self) -> int:
        return len(self.day)


# --- Volumes ------------------------------------------------------------------------


def _lpa_vector(ref: Reference, values: Mapping[str, float], default: float) -> Float:
    unknown = set(values) - set(ref.lpa_codes)
    if unknown:
        raise KeyError(f"unknown LPA codes {sorted(unknown)}")
    return np.array([values.get(c, default) for c in ref.lpa_codes], dtype=np.float64)


def code_weights(ctx: Context, category: str, window: str) -> Float:
    """Relative volume of each offence code of a category in a window (0 elsewhere)."""
    ref = ctx.ref
    cats = offence_categories(ref)
    mix = CODE_MIX[category]
    t = ctx.mid(window)
    tb, tc = ctx.mid(T.BASELINE), ctx.mid(T.CURRENT)
    weights = np.zeros(ref.n_offences)
    in_cat = np.flatnonzero(cats == CATEGORIES.index(category))
    listed = [ref.offence_index(c) for c in mix]
    if set(listed) - set(in_cat.tolist()):
        raise KeyError(f"CODE_MIX[{category!r}] names codes of another category")
    default = float(np.mean([v[0] for v in mix.values()]))
    for i in in_cat:
        wb, wc = mix.get(ref.offence_codes[i], (default, default))
        weights[i] = float(interpolate(np.array([t]), [tb, tc], [wb, wc])[0])
    return weights


def _fill(ctx: Context, counts: Mapping[str, int], windows: list[str]) -> dict[str, int]:
    """A measure's counts in every window: windows without a figure get an estimate,
    the monthly level interpolated (log-linear in time) from the windows that have one."""
    out = dict(counts)
    known = [w for w in counts if w in windows or w in (T.BASELINE, T.CURRENT)]
    for w in windows:
        if w in out:
            continue
        mids = [ctx.mid(k) for k in known]
        levels = [counts[k] / ctx.months(k).sum() for k in known]
        level = interpolate(np.array([ctx.mid(w)]), mids, levels, extrapolate=True)[0]
        out[w] = int(np.floor(level * ctx.months(w).sum() + 0.5))
    return out


def category_totals(ctx: Context, windows: list[str]) -> dict[str, dict[str, int]]:
    """Count of every category but 'other' in each exact window: the report's figure
    where there is one, else an estimate from the trend."""
    v = T.CRIME_VOLUMES

    def counts(name: str) -> dict[str, int]:
        return _fill(ctx, ctx.counts(v[name]), windows)

    hom, vwi = counts("homicides"), counts("violence_with_injury")
    vap, sexual = counts("violence_against_the_person"), counts("sexual_violence")
    rape, shop = counts("rape"), counts("shoplifting")
    parts = {part: counts(part) for part in NEIGHBOURHOOD_PARTS}
    out: dict[str, dict[str, int]] = {}
    for w in windows:
        out[w] = {
            "homicide": hom[w],
            "violence_with_injury": vwi[w],
            "violence_other": vap[w] - vwi[w] - hom[w],
            "rape": rape[w],
            "other_sexual": sexual[w] - rape[w],
            "shoplifting": shop[w],
        }
        for part in NEIGHBOURHOOD_PARTS:
            out[w][part] = parts[part][w]
    if ctx.strict:
        for (before, after), pct in v["other_sexual_offences"].changes.items():
            b, a = out[before]["other_sexual"], out[after]["other_sexual"]
            if not rounds_to(pct_change(b, a), pct):
                raise CalibrationError(f"other sexual offences {b} -> {a} is not {pct}%")
        nbhd = ctx.counts(v["neighbourhood_crime"])
        for w in set(nbhd) & set(windows):
            total = sum(out[w][p] for p in NEIGHBOURHOOD_PARTS)
            if total != nbhd[w]:
                raise CalibrationError(f"neighbourhood parts add to {total}, not {nbhd[w]}")
    return out


def lpa_splits(ctx: Context, windows: list[str]) -> dict[str, dict[str, Int]]:
    """LPA counts of the measures with LPA changes: baseline and current split so every
    LPA's change rounds to the report's; other windows split by the LPAs' trend."""
    ref = ctx.ref
    out: dict[str, dict[str, Int]] = {}
    for name, changes in T.LPA_CHANGES.items():
        totals = _fill(ctx, ctx.counts(T.CRIME_VOLUMES[name]), windows)
        missing = set(ref.lpa_codes) - set(changes)
        if missing:
            raise KeyError(f"LPA_CHANGES[{name!r}] lacks {sorted(missing)}")
        base, cur = split_with_changes(
            totals[T.BASELINE],
            totals[T.CURRENT],
            _lpa_vector(ref, T.LPA_BASELINE_SHARES[name], 0.0),
            _lpa_vector(ref, changes, 0.0),
            strict=ctx.strict,
        )
        out[name] = {T.BASELINE: base, T.CURRENT: cur}
        mids = [ctx.mid(T.BASELINE), ctx.mid(T.CURRENT)]
        for w in windows:
            if w not in out[name]:
                t = np.array([ctx.mid(w)])
                level = [
                    interpolate(t, mids, [b, c], extrapolate=True)[0]
                    for b, c in zip(base, cur, strict=True)
                ]
                out[name][w] = largest_remainder(totals[w], level)
    return out


def window_table(
    ctx: Context,
    window: str,
    lpa_total: Int,
    lpa_nbhd: Int,
    lpa_shop: Int,
    cat_totals: Mapping[str, int],
    harm_target: float | None,
) -> Int:
    """LPA x offence counts for one exact window, every margin exact."""
    ref = ctx.ref
    n_lpa = ref.n_lpas
    table = np.zeros((n_lpa, ref.n_offences), dtype=np.int64)
    share = lpa_total / lpa_total.sum()
    by_cat: dict[str, Int] = {}
    for cat in CATEGORIES:
        if cat in ("shoplifting", "other") or cat in NEIGHBOURHOOD_PARTS:
            continue
        prop = _lpa_vector(ref, LPA_PROPENSITY.get(cat, {}), 1.0)
        by_cat[cat] = largest_remainder(cat_totals[cat], share * prop)
    absorbed = lpa_nbhd.copy()
    for part in NEIGHBOURHOOD_PARTS:
        if part == ABSORBING_PART:
            continue
        prop = _lpa_vector(ref, LPA_PROPENSITY.get(part, {}), 1.0)
        by_cat[part] = largest_remainder(cat_totals[part], lpa_nbhd * prop)
        absorbed -= by_cat[part]
    by_cat[ABSORBING_PART] = absorbed
    by_cat["shoplifting"] = lpa_shop
    by_cat["other"] = lpa_total - sum(by_cat.values())
    for cat, counts in by_cat.items():
        if (counts < 0).any():
            raise CalibrationError(f"{window}: negative {cat} count by LPA {counts}")
        weights = code_weights(ctx, cat, window)
        for lpa in range(n_lpa):
            table[lpa] += largest_remainder(int(counts[lpa]), weights)
    if harm_target is not None:
        table = _meet_harm(ctx, table, harm_target, window)
    return table


def _meet_harm(ctx: Context, table: Int, target: float, window: str) -> Int:
    """Move violence with injury between 5D (high harm) and 8N (low harm) so that the
    window's harm score meets its target."""
    ref = ctx.ref
    up, down = ref.offence_index(HARM_LEVER_UP), ref.offence_index(HARM_LEVER_DOWN)
    step = ref.harm_days[up] - ref.harm_days[down]
    harm = float((table * ref.harm_days).sum())
    moves = int(np.floor((target - harm) / step + 0.5))
    source = table[:, down] if moves > 0 else table[:, up]
    if abs(moves) > source.sum():
        if ctx.strict:
            raise CalibrationError(f"{window}: harm target needs {moves} moves of 5D/8N")
        moves = int(np.sign(moves) * source.sum())
    shift = largest_remainder(abs(moves), source) * np.sign(moves)
    table = table.copy()
    table[:, up] += shift
    table[:, down] -= shift
    reported = T.HARM_SCORE_MILLIONS_REPORTED.get(window)
    achieved = float((table * ref.harm_days).sum())
    if ctx.strict and reported is not None and not rounds_to(achieved / 1e6, reported):
        raise CalibrationError(f"{window}: harm score {achieved:,.0f} is not {reported} million")
    ctx.note(f"harm_lever_{window}", {"5D": float(table[:, up].sum()), "moves": moves})
    return table


def _season(ctx: Context, category: str) -> Float:
    amplitude, peak = SEASON[category]
    return 1.0 + amplitude * np.cos(2 * np.pi * (ctx.cal.calendar_month - peak) / 12.0)


def _anchor_sets(ref: Reference) -> dict[str, Bool]:
    """Offence masks of the figures given for the years before the baseline."""
    return {
        "total_recorded_crime_trend": np.ones(ref.n_offences, dtype=bool),
        "violence_against_the_person": ref.offences_where(groups=[VAP]),
        "most_serious_violence": ref.is_most_serious_violence.copy(),
        "stalking_and_harassment": ref.offences_where(subgroups=["Stalking and harassment"]),
        "rape": ref.offences_where(subgroups=["Rape"]),
    }


# Figures before the baseline are met exactly by moving records of one offence code
# (the lever) within the window's own months; inner populations first, so that the
# outer ones absorb what the inner ones moved.
ANCHOR_LEVERS: tuple[tuple[str, str], ...] = (
    ("most_serious_violence", "5D"),
    ("stalking_and_harassment", "8R"),
    ("violence_against_the_person", "8N"),
    ("rape", "19C"),
    ("total_recorded_crime_trend", "49"),
)


def _trend_anchors(ctx: Context) -> list[tuple[str, Bool, float, bool]]:
    """(window, offence mask, value, exact) of every figure before the baseline."""
    sets = _anchor_sets(ctx.ref)
    anchors = []
    for source in (T.CRIME_VOLUMES, T.PRESS_RELEASE_TRENDS):
        for name, m in source.items():
            if name not in sets:
                continue
            for window, value in m.values.items():
                anchors.append((window, sets[name], value * ctx.scale, m.exact))
    return anchors


def _meet_anchors(ctx: Context, counts: Int, exact_masks: Bool) -> Int:
    """Make the exact figures before the baseline exact: each population's shortfall
    goes to its lever code, spread over the LPAs and the window's months that no exact
    window shares, in proportion to their counts (so no exact window moves)."""
    ref = ctx.ref
    sets = _anchor_sets(ref)
    code_of_cell = np.tile(np.arange(ref.n_offences), ref.n_lpas)
    shared = exact_masks.any(axis=0)
    out = counts.copy()
    targets: dict[str, dict[str, float]] = {}
    for source in (T.CRIME_VOLUMES, T.PRESS_RELEASE_TRENDS):
        for name, m in source.items():
            if name in sets and m.exact:
                for window, value in m.values.items():
                    if not (ctx.months(window) & ~shared).any():
                        continue  # an exact window of its own (baseline, current)
                    targets.setdefault(window, {})[name] = value
    for window, figures in targets.items():
        months = ctx.months(window)
        own = np.flatnonzero(months & ~shared)
        for name, code in ANCHOR_LEVERS:
            if name not in figures:
                continue
            goal = round(figures[name] * ctx.scale)
            cells = sets[name][code_of_cell]
            diff = goal - int(out[cells][:, months].sum())
            lever = np.flatnonzero(code_of_cell == ref.offence_index(code))
            block = out[np.ix_(lever, own)]
            if diff < 0 and -diff > block.sum():
                if ctx.strict:
                    raise CalibrationError(f"{window}: cannot take {-diff} {code} from {name}")
                diff = -int(block.sum())
            step = largest_remainder(abs(diff), block.reshape(-1) + 1e-9).reshape(block.shape)
            out[np.ix_(lever, own)] = block + np.sign(diff) * step
            if (out < 0).any():
                out = np.maximum(out, 0)
                if ctx.strict:
                    raise CalibrationError(f"{window}: {name} lever {code} went negative")
        achieved = {name: float(out[sets[name][code_of_cell]][:, months].sum()) for name in figures}
        ctx.note(f"press_release_{window}", achieved)
        missed = {n: v for n, v in achieved.items() if v != round(figures[n] * ctx.scale)}
        if ctx.strict and missed:
            raise CalibrationError(f"{window}: figures before the baseline missed: {missed}")
    return out


def monthly_counts(ctx: Context) -> Int:
    """Recorded crimes by LPA x offence x month."""
    ref = ctx.ref
    cal = ctx.cal
    totals = ctx.counts(T.CRIME_VOLUMES["total_recorded_crime"])
    cats = category_totals(ctx, list(totals))
    splits = lpa_splits(ctx, list(totals))
    harm = {w: v * ctx.scale for w, v in T.HARM_SCORE_DAYS.items()}
    tables = {
        w: window_table(
            ctx,
            w,
            splits["total_recorded_crime"][w],
            splits["neighbourhood_crime"][w],
            splits["shoplifting"][w],
            cats[w],
            harm.get(w),
        )
        for w in totals
    }
    exact_names = list(tables)
    n_cells = ref.n_lpas * ref.n_offences
    exact_vals = np.stack([tables[w].reshape(-1) for w in exact_names], axis=1).astype(float)
    exact_masks = np.array([ctx.months(w) for w in exact_names])
    lengths = exact_masks.sum(axis=1)
    per_month = exact_vals / lengths

    # Rough cell values in the anchor windows: each cell's baseline-to-current trend
    # carried back, then raked so the anchor totals hold.
    tb, tc = ctx.mid(T.BASELINE), ctx.mid(T.CURRENT)
    rb = per_month[:, exact_names.index(T.BASELINE)]
    rc = per_month[:, exact_names.index(T.CURRENT)]
    anchors = [a[:3] for a in _trend_anchors(ctx) if a[0] not in tables]
    approx_names = sorted({a[0] for a in anchors}, key=ctx.mid)
    approx_vals = np.zeros((n_cells, len(approx_names)))
    for j, w in enumerate(approx_names):
        yearly = np.clip(
            np.where((rb > 0) & (rc > 0), rc / np.where(rb > 0, rb, 1.0), 1.0), 0.5, 2.0
        ) ** (12.0 / (tc - tb))
        years = (ctx.mid(w) - tb) / 12.0
        level = np.where(rb > 0, rb, (rb + rc) / 2.0) * yearly**years
        approx_vals[:, j] = level * ctx.months(w).sum()
    code_of_cell = np.tile(np.arange(ref.n_offences), ref.n_lpas)
    for _ in range(50):
        for window, mask, value in anchors:
            j = approx_names.index(window)
            cells = mask[code_of_cell]
            current = approx_vals[cells, j].sum()
            if current > 0:
                approx_vals[cells, j] *= value / current

    names = exact_names + approx_names
    masks = np.array([ctx.months(w) for w in names])
    values = np.concatenate([exact_vals, approx_vals], axis=1)
    mids = np.array([ctx.mid(w) for w in names])
    rates = values / masks.sum(axis=1)
    cat_of_code = offence_categories(ref)
    season = np.array([_season(ctx, CATEGORIES[c]) for c in cat_of_code[code_of_cell]])
    ideal = np.empty((n_cells, cal.n_months))
    for cell in range(n_cells):
        ideal[cell] = interpolate(cal.month_mid, mids, rates[cell], extrapolate=True)
    ideal *= season
    real = fit_window_sums(ideal, masks, values, basis=hat_basis(cal.month_mid, mids))
    counts = _meet_anchors(ctx, integerise(real, exact_masks, exact_vals), exact_masks)
    got = counts @ exact_masks.T.astype(np.int64)
    if ctx.strict and not np.array_equal(got, exact_vals.astype(np.int64)):
        raise CalibrationError("monthly cell counts miss their window tables")
    for w in approx_names:
        ctx.note(f"trend_{w}", {"total": float(counts[:, ctx.months(w)].sum())})
    return counts.reshape(ref.n_lpas, ref.n_offences, cal.n_months)


def build_rows(ctx: Context, counts: Int, rng: np.random.Generator) -> CrimeRows:
    """Spread monthly cell counts to records with a day and a neighbourhood, plus the
    cancelled and transferred records."""
    ref, cal = ctx.ref, ctx.cal
    flat = counts.reshape(-1)
    extra = rng.binomial(flat, T.NOT_RECORDED_SHARE / (1 - T.NOT_RECORDED_SHARE))
    cells = np.concatenate(
        [np.repeat(np.arange(len(flat)), flat), np.repeat(np.arange(len(flat)), extra)]
    )
    n_rec = int(flat.sum())
    status = np.zeros(len(cells), dtype=np.int64)
    status[n_rec:] = np.where(rng.random(len(cells) - n_rec) < NOT_RECORDED_CANCELLED_SHARE, 1, 2)
    month = cells % cal.n_months
    offence = (cells // cal.n_months) % ref.n_offences
    lpa = cells // (cal.n_months * ref.n_offences)

    weekday = (cal.days + 3) % 7
    day_weight = np.array(WEEKDAY_WEIGHT)[weekday]
    first = cal.month_start[:-1] - cal.start_day
    last = cal.month_start[1:] - cal.start_day
    day = cal.days[draw_within_blocks(rng, day_weight, first, last, month)]

    # Neighbourhoods, grouped by LPA; centre-heavy weights for town-centre crime.
    order = np.argsort(ref.neighbourhood_lpa, kind="stable")
    nb_lpa = ref.neighbourhood_lpa[order]
    base = rng.lognormal(0.0, 0.45, len(order))
    names = np.array(ref.neighbourhood_names)[order]
    is_centre = np.char.find(np.char.lower(names.astype(str)), "centre") >= 0
    centre = base * np.where(is_centre, 8.0, 1.0)
    weights = np.concatenate([base, centre])
    starts = np.searchsorted(nb_lpa, np.arange(ref.n_lpas), side="left")
    ends = np.searchsorted(nb_lpa, np.arange(ref.n_lpas), side="right")
    n_nb = len(order)
    block_start = np.concatenate([starts, starts + n_nb])
    block_end = np.concatenate([ends, ends + n_nb])
    cat = offence_categories(ref)[offence]
    centre_cats = np.isin(cat, [CATEGORIES.index(c) for c in CENTRE_CATEGORIES])
    block = lpa + ref.n_lpas * centre_cats
    picked = draw_within_blocks(rng, weights, block_start, block_end, block)
    neighbourhood = order[picked % n_nb]

    n = len(cells)
    empty = np.full(n, -1, dtype=np.int64)
    no = np.zeros(n, dtype=bool)
    return CrimeRows(
        day=day,
        month=month,
        lpa=lpa,
        offence=offence,
        neighbourhood=neighbourhood,
        status=status,
        domestic=no.copy(),
        victim_sex=empty.copy(),
        victim_age=empty.copy(),
        business=no.copy(),
        emergency_worker=no.copy(),
        business_worker=no.copy(),
        knife=no.copy(),
        firearm=no.copy(),
        transport=empty.copy(),
        sequence=empty.copy(),
        year2=empty.copy(),
    )


# --- Attributes ---------------------------------------------------------------------


@dataclass(frozen=True)
class OffenceWeights:
    """A value per offence code (Reference.offence_values): code overrides subgroup
    overrides group overrides the default. CHOICES: the relative chance that a crime of
    the offence carries an attribute; INF always, 0 never."""

    default: float
    by_group: Mapping[str, float] | None = None
    by_subgroup: Mapping[str, float] | None = None
    by_code: Mapping[str, float] | None = None


# Business victims: shoplifting, business robbery and burglary always; some theft,
# criminal damage and arson.
BUSINESS_VICTIM = OffenceWeights(
    0.0,
    by_subgroup={
        "Shoplifting": INF,
        "Robbery of business property": INF,
        "Burglary - business and community": INF,
    },
    by_code={"49": 1.0, "58B": 5.0, "58D": 0.3, "56B": 0.4, "56A": 0.2, "44": 0.05},
)
# The chance of an individual victim (else a business, the public or the state).
INDIVIDUAL_VICTIM = OffenceWeights(
    1.0,
    by_group={
        "Criminal damage and arson": 0.85,
        "Drug offences": 0.0,
        "Possession of weapons offences": 0.0,
        "Public order offences": 0.3,
        "Miscellaneous crimes against society": 0.0,
    },
    by_code={
        "9B": 0.5,
        "62A": 0.0,
        "66": 0.1,
        "58B": 0.5,
        "58D": 0.7,
        "56A": 0.8,
        "56B": 0.6,
        "49": 0.9,
        "44": 0.95,
    },
)
DOMESTIC_ABUSE = OffenceWeights(
    0.0,
    by_group={
        VAP: 1.0,
        SEXUAL: 0.35,
        "Criminal damage and arson": 0.25,
        "Theft offences": 0.02,
        "Public order offences": 0.05,
    },
    by_subgroup={
        "Stalking and harassment": 2.5,
        "Violence without injury": 0.8,
        "Rape": 0.6,
        "Shoplifting": 0.0,
        "Burglary - business and community": 0.0,
        "Death or serious injury caused by unlawful driving": 0.0,
    },
    by_code={
        "8U": INF,
        "104": 0.0,
        "58A": 0.8,
        "58C": 0.3,
        "3": 1.2,
        "11A": 0.4,
        "28G": 0.0,
        "40": 0.3,
        "88F": 0.1,
        "88E": 0.05,
        "22B": 0.1,
        "88A": 0.02,
        "20B": 0.15,
        "19D": 0.3,
        "19G": 0.2,
    },
)
FEMALE_VICTIM = OffenceWeights(
    1.0,
    by_code={
        "19C": INF,
        "19D": INF,
        "20A": INF,
        "20B": INF,
        "19F": 0.0,
        "19G": 0.0,
        "17A": 0.0,
        "104": 0.4,
        "88E": 5.0,
        "88F": 5.0,
        "22B": 3.0,
        "88A": 3.0,
        "1": 0.5,
        "4.1": 0.5,
        "4.4": 0.6,
    },
)
YOUNG_VICTIM = OffenceWeights(1.0, by_code={"2": 1.5, "5D": 1.6, "5E": 1.3})
# Knife and gun crime (ADR offence lists; knife first, the two rarely together).
KNIFE = OffenceWeights(
    0.0,
    by_subgroup={
        "Homicide": 8.0,
        "Violence with injury": 0.35,
        "Rape": 0.08,
        "Other sexual offences": 0.03,
        "Robbery of personal property": 5.0,
        "Robbery of business property": 5.0,
        "Violence without injury": 2.5,
    },
    by_code={"2": 12.0, "5D": 9.0, "5E": 4.0, "8P": 0.3},
)
GUN = OffenceWeights(
    0.0,
    by_group={SEXUAL: 0.005},
    by_code={
        "1": 3.0,
        "4.1": 1.0,
        "2": 6.0,
        "5D": 1.2,
        "5E": 8.0,
        "8N": 0.05,
        "8P": 0.05,
        "3": 0.6,
        "104": 0.01,
        "105A": 0.005,
        "105B": 0.005,
        "34A": 3.0,
        "34B": 0.6,
        "28E": 0.02,
        "28F": 0.02,
        "30C": 0.02,
        "58A": 0.08,
        "58B": 0.08,
        "58C": 0.15,
        "9A": 0.02,
        "62A": 0.5,
    },
)
# Possession offences carry the flags too (not counted: not on the ADR lists).
KNIFE_POSSESSION = OffenceWeights(0.0, by_code={"10D": 0.95, "10C": 0.3})
GUN_POSSESSION = OffenceWeights(0.0, by_code={"10A": 0.9, "81": 0.6})
# Assaults on emergency workers (104 always) and on business workers.
EMERGENCY_WORKER = OffenceWeights(
    0.0,
    by_code={
        "104": INF,
        "105A": 1.0,
        "8N": 0.45,
        "105B": 0.6,
        "8P": 0.3,
        "3": 0.15,
        "8L": 0.02,
        "8R": 0.02,
    },
)
BUSINESS_WORKER = OffenceWeights(
    0.0,
    by_code={"105A": 1.0, "8N": 0.7, "105B": 1.2, "8P": 1.0, "3": 0.5, "8L": 0.3, "8R": 0.1},
)
# Public transport: street crime, never domestic or against a business.
PUBLIC_TRANSPORT = OffenceWeights(
    0.0,
    by_subgroup={
        "Violence with injury": 0.6,
        "Violence without injury": 1.0,
        "Robbery of personal property": 2.5,
        "Theft from the person": 6.0,
        "Public order offences": 1.2,
        "Criminal damage": 0.3,
    },
    by_code={"11A": 0.0, "104": 0.5, "2": 0.2, "58A": 0.0, "58B": 0.5},
)
# Victim age profiles by offence (AGE_PROFILES): code lists of the special ones.
AGE_PROFILE_OFFENCES = (
    ({"groups": [VAP]}, "violence"),
    ({"groups": [SEXUAL]}, "sexual"),
    ({"groups": ["Robbery"]}, "robbery"),
    ({"codes": ["104"]}, "worker"),
    ({"codes": ["19D", "19G", "20B", "22B", "88A", "11A"]}, "child"),
)


class _Attributes:
    """The crimes' attributes, set in dependency order by assign_attributes: each step
    draws from the one stream in turn, so the order of the steps is part of the data."""

    def __init__(self, ctx: Context, rows: CrimeRows, rng: np.random.Generator) -> None:
        self.ctx, self.rows, self.rng, self.ref = ctx, rows, rng, ctx.ref
        self.flags = {name: ctx.counts(m) for name, m in T.CRIME_FLAGS.items()}
        group = np.array(self.ref.offence_group)[rows.offence]
        subgroup = np.array(self.ref.offence_subgroup)[rows.offence]
        self.is_vap = group == VAP
        self.is_sexual = group == SEXUAL
        self.is_vwi = subgroup == "Violence with injury"
        self.is_homicide = subgroup == "Homicide"

    def weights(self, table: OffenceWeights) -> Float:
        """Each row's value of an offence table."""
        return self.ref.offence_values(
            table.default, table.by_group, table.by_subgroup, table.by_code
        )[self.rows.offence]

    def quota(
        self, label: str, candidates: Bool, weight: Float, targets: Mapping[str, int]
    ) -> Bool:
        rows = self.rows
        return self.ctx.quota_flag(
            label, candidates, weight, rows.month, rows.recorded, targets, self.rng, by=rows.lpa
        )

    def business_victims(self) -> None:
        weight = self.weights(BUSINESS_VICTIM)
        self.rows.business = self.quota(
            "business_crime", weight > 0, weight, self.flags["business_crime"]
        )

    def individual_victims(self) -> None:
        rows = self.rows
        chance = self.weights(INDIVIDUAL_VICTIM)
        individual = ~rows.business & (self.rng.random(len(rows)) < chance)
        self.individual = individual | self.is_vap | self.is_sexual

    def domestic_abuse(self) -> None:
        """In three strata with their own targets: homicide, violence with injury, rest."""
        rows, flags = self.rows, self.flags
        weight = np.where(self.individual & ~rows.business, self.weights(DOMESTIC_ABUSE), 0.0)
        total = flags["domestic_abuse_crimes"]
        windows = list(total)
        vwi = _fill(self.ctx, flags["domestic_abuse_violence_with_injury"], windows)
        homicide = _fill(self.ctx, flags["domestic_homicides"], windows)
        rest = {w: total[w] - vwi[w] - homicide[w] for w in total}
        rows.domestic = (
            self.quota("domestic_homicides", self.is_homicide, weight, homicide)
            | self.quota("domestic_abuse_violence_with_injury", self.is_vwi, weight, vwi)
            | self.quota("domestic_abuse_other", ~self.is_homicide & ~self.is_vwi, weight, rest)
        )

    def victim_sex(self) -> None:
        """Female victims of violence and sexual offences (VAWG) by quota."""
        rows, ref, da = self.rows, self.ref, self.rows.domestic
        weight = self.weights(FEMALE_VICTIM) * np.where(da, 8.0, 1.0)
        stratum = self.is_vap | self.is_sexual
        female = self.quota("vawg_crimes", stratum, weight, self.flags["vawg_crimes"])
        u = self.rng.random(len(rows))
        unknown = [ref.offence_index(c) for c in ("8R", "88F")]
        unknown_p = np.where(np.isin(rows.offence, unknown), 0.10, 0.03)
        sex_vawg = np.where(female, 0, np.where(u < unknown_p, 2, 1))
        p_female = np.where(da, 0.75, 0.44)
        sex_other = np.where(u < p_female, 0, np.where(u < p_female + 0.05, 2, 1))
        sex = np.where(stratum, sex_vawg, sex_other)
        rows.victim_sex = np.where(self.individual, sex, -1)

    def victim_age(self) -> None:
        """Serious youth violence (non-domestic violence with injury, victim under 25) by
        quota; age profiles by offence elsewhere."""
        rows, ref, da = self.rows, self.ref, self.rows.domestic
        weight = np.where(rows.victim_sex == 1, 1.7, 1.0) * self.weights(YOUNG_VICTIM)
        stratum = self.is_vwi & ~da
        young = self.quota(
            "serious_youth_violence", stratum, weight, self.flags["serious_youth_violence"]
        )
        names = list(AGE_PROFILES)
        table = np.array([AGE_PROFILES[p] for p in names])
        code_profile = np.full(ref.n_offences, names.index("property"))
        for selection, name in AGE_PROFILE_OFFENCES:
            code_profile[ref.offences_where(**selection)] = names.index(name)
        profile = code_profile[rows.offence]
        child = profile == names.index("child")
        profile = np.where(da & ~child, names.index("domestic"), profile)
        profile = np.where(stratum, names.index("older_violence"), profile)
        profile = np.where(young, names.index("young_adult"), profile)
        band = draw_categorical(self.rng, table, profile)
        band = np.where(band == len(AGE_BANDS), -1, band)
        rows.victim_age = np.where(self.individual, band, -1)

    def weapons(self) -> None:
        """Knife crime, then gun crime among the rest; possession offences flagged too."""
        rows, ref = self.rows, self.ref
        knife = self.weights(KNIFE) * ref.is_knife_offence[rows.offence]
        rows.knife = self.quota("knife_crime", knife > 0, knife, self.flags["knife_crime"])
        gun = self.weights(GUN) * ref.is_gun_offence[rows.offence] * ~rows.knife
        rows.firearm = self.quota("gun_crime", gun > 0, gun, self.flags["gun_crime"])
        u = self.rng.random(len(rows))
        rows.knife |= ~ref.is_knife_offence[rows.offence] & (u < self.weights(KNIFE_POSSESSION))
        rows.firearm |= ~ref.is_gun_offence[rows.offence] & (u < self.weights(GUN_POSSESSION))

    def worker_victims(self) -> None:
        rows, flags, da = self.rows, self.flags, self.rows.domestic
        adult = rows.victim_age != 0
        rows.emergency_worker = self.quota(
            "violence_against_emergency_workers",
            self.is_vap & ~da & adult,
            self.weights(EMERGENCY_WORKER),
            flags["violence_against_emergency_workers"],
        )
        rows.business_worker = self.quota(
            "violence_against_business_workers",
            self.is_vap & ~da & adult & ~rows.emergency_worker,
            self.weights(BUSINESS_WORKER),
            flags["violence_against_business_workers"],
        )

    def transport(self) -> None:
        rows = self.rows
        weight = np.where(rows.domestic | rows.business, 0.0, self.weights(PUBLIC_TRANSPORT))
        transport = np.full(len(rows), -1, dtype=np.int64)
        for i, name in enumerate(TRANSPORT):
            label = f"{name.lower()}_crime"
            chosen = self.quota(label, transport < 0, weight, self.flags[label])
            transport[chosen] = i
        rows.transport = transport


def assign_attributes(ctx: Context, rows: CrimeRows, rng: np.random.Generator) -> None:
    """Victim and circumstance attributes, in dependency order."""
    steps = _Attributes(ctx, rows, rng)
    steps.business_victims()
    steps.individual_victims()
    steps.domestic_abuse()
    steps.victim_sex()
    steps.victim_age()
    steps.weapons()
    steps.worker_victims()
    steps.transport()


def assign_references(rows: CrimeRows, rng: np.random.Generator) -> Int:
    """Crime references: a sequence within each recording year in date order (with
    gaps, as numbers also go to non-crime records). Returns the output row order."""
    years = rows.day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    order = np.lexsort((rng.random(len(rows)), rows.day))
    step = 1 + (rng.random(len(rows)) < 0.12).astype(np.int64)  # in sorted order
    running = np.cumsum(step)
    y_sorted = years[order]
    first_of_year = np.searchsorted(y_sorted, y_sorted, side="left")
    sequence = running - running[first_of_year] + step[first_of_year]
    if sequence.max(initial=0) > 999_999:
        raise CalibrationError("more than 999,999 records in a year")
    rows.sequence = np.empty(len(rows), dtype=np.int64)
    rows.sequence[order] = sequence
    rows.year2 = years % 100
    return order


def crimes_extract(ref: Reference, rows: CrimeRows, order: Int, replica: int = 0) -> Extract:
    """crimes.csv: the records in `order` (assign_references); replica k of a larger
    force prefixes its references with FORCE_PREFIX + k."""
    frame = pd.DataFrame(
        {
            "seq": rows.sequence[order].astype(np.int32),
            "yy": rows.year2[order].astype(np.int32),
            "day": rows.day[order].astype(np.int32),
            "offence": category(rows.offence[order], ref.offence_codes),
            "neighbourhood": category(rows.neighbourhood[order], ref.neighbourhood_codes),
            "status": category(rows.status[order], STATUSES),
            "domestic": flag(rows.domestic[order]),
            "sex": category(rows.victim_sex[order], SEX_CODES),
            "age": category(rows.victim_age[order], AGE_BANDS),
            "business": flag(rows.business[order]),
            "emergency": flag(rows.emergency_worker[order]),
            "business_worker": flag(rows.business_worker[order]),
            "knife": flag(rows.knife[order]),
            "firearm": flag(rows.firearm[order]),
            "transport": category(rows.transport[order], TRANSPORT),
        }
    )
    formats = (
        f"printf('{FORCE_PREFIX + replica}/%06d/%02d', seq, yy)",
        date("day"),
        "offence",
        "neighbourhood",
        "status",
        "domestic",
        "sex",
        "age",
        "business",
        "emergency",
        "business_worker",
        "knife",
        "firearm",
        "transport",
    )
    return Extract("crimes", frame, formats)
