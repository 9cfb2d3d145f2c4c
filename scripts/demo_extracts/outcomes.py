"""The crime outcomes extract: one row per outcome assigned to a recorded crime.

Each recorded crime gets a lag to its (final) outcome; outcomes after the extract end
are not there yet. Within each outcome-date window, positive outcomes are exact quotas
per disjoint crime segment (violence against women, sexual offences against women,
other violence, shoplifting, everything else), so the VAWG, violence, shoplifting and
all-crime figures hold together; then out-of-court resolutions among positives, then
codes 16 and 15 among the rest; other codes follow realistic mixes. A few crimes also
get an earlier outcome that was later superseded (it never counts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from . import targets as T
from .calibration import (
    CalibrationError,
    count_for_rate,
    draw_categorical,
    rounds_to,
    select_top_k,
)
from .context import Context
from .crimes import FORCE_PREFIX, SEXUAL, VAP, CrimeRows
from .reference import Reference
from .writer import Extract, category, date

Bool = NDArray[np.bool_]
Float = NDArray[np.float64]
Int = NDArray[np.int64]

INF = np.inf
SEGMENTS = ("violence_female", "sexual_female", "violence_other", "shoplifting", "other")

# Lag to the final outcome: (share decided within days, mean days of those, median days
# of the rest, spread of the rest (lognormal sigma)).
LAG_BY_GROUP: Mapping[str, tuple[float, float, float, float]] = {
    VAP: (0.15, 3, 40, 1.0),
    SEXUAL: (0.05, 5, 160, 1.0),
    "Robbery": (0.20, 3, 45, 1.0),
    "Theft offences": (0.50, 3, 20, 0.9),
    "Criminal damage and arson": (0.45, 3, 20, 0.9),
    "Drug offences": (0.35, 2, 50, 1.0),
    "Possession of weapons offences": (0.25, 2, 45, 1.0),
    "Public order offences": (0.30, 3, 30, 1.0),
    "Miscellaneous crimes against society": (0.20, 3, 60, 1.0),
}
LAG_BY_SUBGROUP: Mapping[str, tuple[float, float, float, float]] = {
    "Shoplifting": (0.45, 2, 12, 1.0),
    "Homicide": (0.05, 10, 200, 0.8),
}
MAX_LAG_DAYS = 1500

# Chance of a positive outcome, relative, within a crime segment.
POSITIVE_BY_GROUP = {
    VAP: 1.0,
    SEXUAL: 0.5,
    "Robbery": 0.6,
    "Theft offences": 0.15,
    "Criminal damage and arson": 0.3,
    "Drug offences": 6.0,
    "Possession of weapons offences": 4.0,
    "Public order offences": 0.9,
    "Miscellaneous crimes against society": 3.0,
}
POSITIVE_BY_SUBGROUP = {
    "Homicide": 40.0,
    "Rape": 0.35,
    "Vehicle offences": 0.06,
    "Theft from the person": 0.08,
    "Bicycle theft": 0.08,
    "Residential burglary": 0.2,
    "Burglary - business and community": 0.3,
    "Robbery of business property": 1.5,
    "Stalking and harassment": 0.6,
    "Death or serious injury caused by unlawful driving": 8.0,
}
POSITIVE_BY_CODE = {"104": 6.0, "92A": 3.0, "62A": 3.0, "9B": 1.2, "40": 0.5}
OOCR_BY_GROUP = {
    VAP: 1.2,
    SEXUAL: 0.1,
    "Robbery": 0.3,
    "Theft offences": 2.0,
    "Criminal damage and arson": 3.0,
    "Drug offences": 6.0,
    "Possession of weapons offences": 0.8,
    "Public order offences": 2.5,
    "Miscellaneous crimes against society": 0.5,
}
OOCR_BY_SUBGROUP = {
    "Homicide": 0.0,
    "Rape": 0.0,
    "Shoplifting": 2.5,
    "Residential burglary": 0.3,
    "Robbery of business property": 0.1,
    "Vehicle offences": 0.5,
    "Death or serious injury caused by unlawful driving": 0.0,
}
OOCR_BY_CODE = {"2": 0.0, "5D": 0.05, "5E": 0.05, "104": 0.3, "8N": 0.8, "92D": 12.0, "92A": 0.05}
CODE16_BY_GROUP = {
    VAP: 4.0,
    SEXUAL: 3.0,
    "Robbery": 1.0,
    "Theft offences": 0.5,
    "Criminal damage and arson": 1.0,
    "Drug offences": 0.0,
    "Possession of weapons offences": 0.0,
    "Public order offences": 0.8,
    "Miscellaneous crimes against society": 0.0,
}
CODE16_BY_SUBGROUP = {"Shoplifting": 0.4, "Vehicle offences": 0.2, "Homicide": 0.2}
CODE15_BY_GROUP = {
    VAP: 2.0,
    SEXUAL: 3.0,
    "Robbery": 1.0,
    "Theft offences": 0.6,
    "Criminal damage and arson": 0.7,
    "Drug offences": 1.0,
    "Possession of weapons offences": 1.0,
    "Public order offences": 1.0,
    "Miscellaneous crimes against society": 1.0,
}
CODE15_BY_SUBGROUP = {
    "Vehicle offences": 0.3,
    "Residential burglary": 0.4,
    "Shoplifting": 0.5,
    "Homicide": 0.5,
}

# Code mixes (relative) for the codes not set by quota.
POSITIVE_MIX = {
    "theft": {"1": 0.80, "1A": 0.04, "4": 0.14, "5": 0.005, "9": 0.015},
    "default": {"1": 0.93, "1A": 0.05, "5": 0.005, "9": 0.015},
}
OOCR_MIX = {
    "drugs": {"7": 0.55, "8": 0.25, "6": 0.05, "3": 0.12, "2": 0.03},
    "domestic": {"3": 0.85, "22": 0.15},
    "default": {"8": 0.55, "3": 0.22, "2": 0.06, "2A": 0.01, "3A": 0.02, "6": 0.06, "22": 0.08},
}
OTHER_MIX = {
    "property": {
        "18": 0.80,
        "14": 0.08,
        "20": 0.02,
        "10": 0.01,
        "21": 0.03,
        "17": 0.01,
        "11": 0.01,
        "12": 0.005,
        "13": 0.005,
    },
    "person": {
        "18": 0.30,
        "14": 0.30,
        "20": 0.10,
        "10": 0.08,
        "21": 0.08,
        "17": 0.04,
        "11": 0.04,
        "12": 0.03,
        "13": 0.03,
    },
    "state": {"18": 0.25, "20": 0.20, "10": 0.20, "21": 0.15, "17": 0.10, "12": 0.05, "11": 0.05},
}
SUPERSEDED_MIX = {"18": 0.55, "14": 0.25, "20": 0.20}


@dataclass
class OutcomeRows:
    crime: Int  # row index into CrimeRows
    outcome: Int  # index into ref.outcome_codes
    day: Int

    def __len__(self) -> int:
        return len(self.crime)


def _mix_table(ctx: Context, mixes: Mapping[str, Mapping[str, float]]) -> tuple[list[str], Float]:
    names = list(mixes)
    table = np.zeros((len(names), len(ctx.ref.outcome_codes)))
    for i, name in enumerate(names):
        for code, p in mixes[name].items():
            table[i, ctx.ref.outcome_index(code)] = p
    return names, table


def _check_mix(ctx: Context, table: Float, positive: bool, oocr: bool | None) -> None:
    used = table.sum(axis=0) > 0
    ref = ctx.ref
    if (ref.outcome_is_positive[used] != positive).any() or (
        oocr is not None and (ref.outcome_is_oocr[used] != oocr).any()
    ):
        raise CalibrationError("an outcome mix names a code of the wrong kind")


def final_lags(ctx: Context, crimes: CrimeRows, idx: Int, rng: np.random.Generator) -> Int:
    ref = ctx.ref
    params = np.zeros((ref.n_offences, 4))
    for i, (g, s) in enumerate(zip(ref.offence_group, ref.offence_subgroup, strict=True)):
        params[i] = LAG_BY_SUBGROUP.get(s, LAG_BY_GROUP.get(g, (0.3, 3, 30, 1.0)))
    p = params[crimes.offence[idx]]
    fast = rng.random(len(idx)) < p[:, 0]
    quick = rng.exponential(p[:, 1])
    slow = rng.lognormal(np.log(p[:, 2]), p[:, 3])
    lag = np.where(fast, quick, slow)
    return np.minimum(np.floor(lag), MAX_LAG_DAYS).astype(np.int64)


def generate_outcomes(ctx: Context, crimes: CrimeRows, rng: np.random.Generator) -> OutcomeRows:
    ref, cal = ctx.ref, ctx.cal
    idx = np.flatnonzero(crimes.recorded)
    lag = final_lags(ctx, crimes, idx, rng)
    day = crimes.day[idx] + lag
    has = day <= cal.end_day
    idx, lag, day = idx[has], lag[has], day[has]
    month = cal.month_of(day)
    n = len(idx)
    off = crimes.offence[idx]
    group = np.array(ref.offence_group)[off]
    subgroup = np.array(ref.offence_subgroup)[off]
    female = crimes.victim_sex[idx] == 0
    is_vap, is_sexual = group == VAP, group == SEXUAL
    is_shop = subgroup == "Shoplifting"
    da = crimes.domestic[idx]
    segment = np.select(
        [is_vap & female, is_sexual & female, is_vap, is_shop],
        [0, 1, 2, 3],
        default=4,
    )
    everyone = np.ones(n, dtype=bool)

    def quota(label: str, candidates: Bool, weight: Float, targets: Mapping[str, int]) -> Bool:
        return ctx.quota_flag(label, candidates, weight, month, everyone, targets, rng)

    def in_window(window: str) -> Bool:
        return ctx.months(window)[month]

    # Positive outcomes per segment and window.
    targets = positive_targets(ctx, segment, in_window)
    lag_factor = (1.0 + lag / 45.0) ** 0.6
    pos_w = (
        ref.offence_values(
            1.0,
            by_group=POSITIVE_BY_GROUP,
            by_subgroup=POSITIVE_BY_SUBGROUP,
            by_code=POSITIVE_BY_CODE,
        )[off]
        * lag_factor
        * np.where(da, 0.8, 1.0)
    )
    positive = np.zeros(n, dtype=bool)
    for s, name in enumerate(SEGMENTS):
        positive |= quota(f"positive_{name}", segment == s, pos_w, targets[name])

    # Out-of-court resolutions among positives.
    oocr_w = ref.offence_values(
        1.0, by_group=OOCR_BY_GROUP, by_subgroup=OOCR_BY_SUBGROUP, by_code=OOCR_BY_CODE
    )[off] * np.where(da, 0.3, 1.0)
    oocr = quota(
        "out_of_court_resolutions",
        positive,
        oocr_w,
        ctx.counts(T.OUTCOME_COUNTS["out_of_court_resolutions"]),
    )

    # Codes 16 and 15 as shares of all counted outcomes in the window.
    windows = {w for m in T.OUTCOME_SHARES.values() for w in m.values}
    counted = {w: int(in_window(w).sum()) for w in sorted(windows)}
    has_victim = (crimes.victim_sex[idx] >= 0) | crimes.business[idx]
    by_code16 = ref.offence_values(1.0, by_group=CODE16_BY_GROUP, by_subgroup=CODE16_BY_SUBGROUP)
    by_code15 = ref.offence_values(1.0, by_group=CODE15_BY_GROUP, by_subgroup=CODE15_BY_SUBGROUP)
    w16 = by_code16[off] * np.where(da, 2.0, 1.0) * has_victim
    w15 = by_code15[off] * np.where(da, 1.5, 1.0)
    share_targets = {
        name: {w: count_for_rate(counted[w], pct) for w, pct in m.values.items()}
        for name, m in T.OUTCOME_SHARES.items()
    }
    code16 = quota("outcome_code_16", ~positive, w16, share_targets["outcome_code_16_share"])
    code15 = quota(
        "outcome_code_15", ~positive & ~code16, w15, share_targets["outcome_code_15_share"]
    )

    # The other codes from mixes.
    code = np.full(n, -1, dtype=np.int64)
    code[code16] = ref.outcome_index("16")
    code[code15] = ref.outcome_index("15")
    theft_like = np.isin(group, ["Theft offences"]) & ~is_shop
    drugs = np.isin(ref.offence_codes, ["92D", "92E"])[off]
    names, table = _mix_table(ctx, POSITIVE_MIX)
    _check_mix(ctx, table, positive=True, oocr=False)
    sel = positive & ~oocr
    mix = np.where(theft_like, names.index("theft"), names.index("default"))
    code[sel] = draw_categorical(rng, table, mix[sel])
    names, table = _mix_table(ctx, OOCR_MIX)
    _check_mix(ctx, table, positive=True, oocr=True)
    mix = np.select(
        [drugs, da], [names.index("drugs"), names.index("domestic")], default=names.index("default")
    )
    code[oocr] = draw_categorical(rng, table, mix[oocr])
    names, table = _mix_table(ctx, OTHER_MIX)
    _check_mix(ctx, table, positive=False, oocr=False)
    person = is_vap | is_sexual | (group == "Robbery")
    state = np.isin(
        group,
        [
            "Drug offences",
            "Possession of weapons offences",
            "Public order offences",
            "Miscellaneous crimes against society",
        ],
    )
    mix = np.select(
        [person, state],
        [names.index("person"), names.index("state")],
        default=names.index("property"),
    )
    rest = code < 0
    code[rest] = draw_categorical(rng, table, mix[rest])

    # Superseded earlier outcomes (re-opened investigations).
    can = lag >= 2
    k = round(T.SUPERSEDED_OUTCOME_SHARE * n)
    weight = np.where(can, np.where(positive, 3.0, 1.0) * lag_factor, 0.0)
    earlier = select_top_k(np.zeros(n, dtype=np.int64), weight, np.array([k]), rng)
    e = np.flatnonzero(earlier)
    earlier_day = crimes.day[idx[e]] + np.floor(rng.random(len(e)) * lag[e]).astype(np.int64)
    names, table = _mix_table(ctx, {"all": SUPERSEDED_MIX})
    _check_mix(ctx, table, positive=False, oocr=False)
    earlier_code = draw_categorical(rng, table, np.zeros(len(e), dtype=np.int64))
    ctx.note("superseded", {"crimes_with_outcome": float(n), "superseded": float(len(e))})

    crime = np.concatenate([idx, idx[e]])
    out_day = np.concatenate([day, earlier_day])
    outcome = np.concatenate([code, earlier_code])
    return OutcomeRows(crime=crime, outcome=outcome, day=out_day)


def positive_targets(
    ctx: Context, segment: Int, in_window: Callable[[str], Bool]
) -> dict[str, dict[str, int]]:
    """Positive outcomes per crime segment and window, from the report's counts and
    rates (their denominators are the exact crime counts of the window)."""
    counts = {name: ctx.counts(m) for name, m in T.OUTCOME_COUNTS.items()}
    flags = {name: ctx.counts(m) for name, m in T.CRIME_FLAGS.items()}
    volumes = {name: ctx.counts(m) for name, m in T.CRIME_VOLUMES.items()}
    rates = {name: dict(m.values) for name, m in T.OUTCOME_RATES.items()}
    windows = [T.BASELINE, T.CURRENT]
    denominators = {
        "vawg_positive_outcome_rate": flags["vawg_crimes"],
        "violence_positive_outcome_rate": volumes["violence_against_the_person"],
        "shoplifting_positive_outcome_rate": volumes["shoplifting"],
        "positive_outcome_rate": volumes["total_recorded_crime"],
    }
    numerator_counts = {
        "vawg_positive_outcome_rate": {},
        "violence_positive_outcome_rate": counts["violence_positive_outcomes"],
        "shoplifting_positive_outcome_rate": counts["shoplifting_positive_outcomes"],
        "positive_outcome_rate": counts["positive_outcomes"],
    }
    numerators: dict[str, dict[str, int]] = {}
    for name, rate in rates.items():
        numerators[name] = {}
        for w in windows:
            given = numerator_counts[name].get(w)
            value = given if given is not None else count_for_rate(denominators[name][w], rate[w])
            numerators[name][w] = value
            if ctx.strict and not rounds_to(100.0 * value / denominators[name][w], rate[w]):
                raise CalibrationError(f"{name} {w}: {value} does not give {rate[w]}%")
        if ctx.strict:
            actual = [100.0 * numerators[name][w] / denominators[name][w] for w in windows]
            if not rounds_to(actual[1] - actual[0], rate[windows[1]] - rate[windows[0]]):
                raise CalibrationError(f"{name}: change in points misses the report")
    out: dict[str, dict[str, int]] = {s: {} for s in SEGMENTS}
    for w in windows:
        n_sexual_female = int((in_window(w) & (segment == 1)).sum())
        sexual_female = count_for_rate(n_sexual_female, T.SEXUAL_FEMALE_POSITIVE_SHARE[w])
        vawg = numerators["vawg_positive_outcome_rate"][w]
        violence = numerators["violence_positive_outcome_rate"][w]
        shop = numerators["shoplifting_positive_outcome_rate"][w]
        total = numerators["positive_outcome_rate"][w]
        out["sexual_female"][w] = sexual_female
        out["violence_female"][w] = vawg - sexual_female
        out["violence_other"][w] = violence - (vawg - sexual_female)
        out["shoplifting"][w] = shop
        out["other"][w] = total - vawg - out["violence_other"][w] - shop
    for s in SEGMENTS:
        if min(out[s].values()) < 0:
            raise CalibrationError(f"negative positive-outcome target for {s}: {out[s]}")
    return out


def outcomes_extract(
    ref: Reference, crimes: CrimeRows, outcomes: OutcomeRows, crime_order: Int, replica: int = 0
) -> Extract:
    """crime_outcomes.csv: by outcome date, then in the crimes' file order."""
    position = np.empty(len(crime_order), dtype=np.int64)
    position[crime_order] = np.arange(len(crime_order))
    order = np.lexsort((outcomes.outcome, position[outcomes.crime], outcomes.day))
    crime = outcomes.crime[order]
    frame = pd.DataFrame(
        {
            "seq": crimes.sequence[crime].astype(np.int32),
            "yy": crimes.year2[crime].astype(np.int32),
            "code": category(outcomes.outcome[order], ref.outcome_codes),
            "day": outcomes.day[order].astype(np.int32),
        }
    )
    return Extract(
        "crime_outcomes",
        frame,
        (f"printf('{FORCE_PREFIX + replica}/%06d/%02d', seq, yy)", "code", date("day")),
    )
