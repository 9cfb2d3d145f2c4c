"""Periodic returns: figures the force collects as monthly, quarterly or annual returns
(headcounts, training completion, complaint times, audits, partner statistics) rather
than as records. One long table: return, period end (a month end), measure, value.

Counts are landed, not rates: a percentage is the warehouse's numerator / denominator,
an average the warehouse's total / count. Snapshots and rates hold exactly at their
knots (targets.py); flows hit their window totals exactly."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from . import targets as T
from .calibration import (
    CalibrationError,
    Float,
    Int,
    baseline_for_change,
    count_for_rate,
    largest_remainder,
)
from .context import Context
from .writer import Extract

RATE_TOLERANCE = 0.05 - 1e-6  # a rate "rounds to" the report's figure to 0.1
FREE_RATE_MARGIN = 0.03  # when the denominator is ours to choose, stay well inside


@dataclass
class ReturnRows:
    return_id: list[str]
    period_end: list[date]
    measure: list[str]
    value: list[int]

    def __len__(self) -> int:
        return len(self.value)

    def add(self, return_id: str, month: int, values: Mapping[str, int]) -> None:
        for measure, value in values.items():
            if value < 0:
                raise CalibrationError(f"{return_id}.{measure} is negative at month {month}")
            self.return_id.append(return_id)
            self.period_end.append(month_end(month))
            self.measure.append(measure)
            self.value.append(int(value))


def month_index(ym: str) -> int:
    """Months from the extract start (October 2021 is 0) of a 'YYYY-MM'."""
    year, month = (int(part) for part in ym.split("-"))
    return (year - T.EXTRACT_START.year) * 12 + month - T.EXTRACT_START.month


def month_end(index: int) -> date:
    months = T.EXTRACT_START.month - 1 + index
    year, month = T.EXTRACT_START.year + months // 12, months % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def period_months(return_id: str, step: int = 1) -> Int:
    first, last = (month_index(ym) for ym in T.RETURN_PERIODS[return_id])
    return np.arange(first, last + 1, step, dtype=np.int64)


def window_mask(months: Int, window: str) -> np.ndarray:
    """Returns whose period end falls in a window."""
    w = T.WINDOWS[window]
    first, last = month_index(w.start.isoformat()[:7]), month_index(w.end.isoformat()[:7])
    return (months >= first) & (months <= last)


def window_mid(window: str) -> float:
    w = T.WINDOWS[window]
    return (month_index(w.start.isoformat()[:7]) + month_index(w.end.isoformat()[:7])) / 2.0


def knot_path(months: Int, knots: Iterable[tuple[str, float]]) -> Float:
    at, values = zip(*((float(month_index(m)), v) for m, v in knots), strict=True)
    return np.interp(months.astype(np.float64), at, values)


def at_knots(months: Int, knots: Iterable[tuple[str, float]]) -> np.ndarray:
    return np.isin(months, [month_index(m) for m, _ in knots])


def rate_holds(numerator: int, denominator: int, pct: float, margin: float) -> bool:
    return denominator > 0 and abs(100.0 * numerator / denominator - pct) < margin


def fixed_rate(denominator: int, pct: float, label: str) -> int:
    """The numerator whose rate over a given denominator rounds to pct."""
    numerator = count_for_rate(denominator, pct)
    if not rate_holds(numerator, denominator, pct, RATE_TOLERANCE):
        raise CalibrationError(f"{label}: no count of {denominator} is {pct}%")
    return numerator


def free_rate(guess: int, pct: float, cap: int | None = None) -> tuple[int, int]:
    """(numerator, denominator) with the denominator near guess (at most cap) and the
    rate well inside the rounding of pct."""
    for step in range(200):
        for denominator in (guess - step, guess + step):
            if denominator <= 0 or (cap is not None and denominator > cap):
                continue
            numerator = count_for_rate(denominator, pct)
            if rate_holds(numerator, denominator, pct, FREE_RATE_MARGIN):
                return numerator, denominator
    raise CalibrationError(f"no denominator near {guess} gives {pct}%")


def hit_total(values: Int, mask: np.ndarray, target: int, cap: Int | None = None) -> None:
    """Move values in the masked periods (in proportion to their size) so they add up to
    target exactly."""
    idx = np.flatnonzero(mask)
    delta = int(target - values[idx].sum())
    weights = np.maximum(values[idx], 1).astype(np.float64)
    values[idx] += np.sign(delta) * largest_remainder(abs(delta), weights)
    if values[idx].sum() != target or (values < 0).any():
        raise CalibrationError(f"cannot reach a window total of {target}")
    if cap is not None and (values > cap).any():
        raise CalibrationError(f"a window total of {target} exceeds its cap")


def jitter(rng: np.random.Generator, size: int, sd: float, keep: np.ndarray) -> Float:
    """Relative noise, none at the knots."""
    return np.where(keep, 1.0, 1.0 + rng.normal(0.0, sd, size))


def workforce(rows: ReturnRows, rng: np.random.Generator, ctx: Context) -> dict[str, Int]:
    months = period_months("workforce")
    n = len(months)
    headcounts: dict[str, Int] = {}
    columns: dict[str, Int] = {}
    for group in T.WORKFORCE_GROUPS:
        hc_knots = T.WORKFORCE_HEADCOUNT[group]
        hc = np.rint(
            knot_path(months, hc_knots) * jitter(rng, n, 0.002, at_knots(months, hc_knots))
        ).astype(np.int64)
        women_knots = T.WORKFORCE_WOMEN_PCT[group]
        min_knots = T.WORKFORCE_MINORITISED_PCT[group]
        women_pct = knot_path(months, women_knots) + np.where(
            at_knots(months, women_knots), 0.0, rng.normal(0.0, 0.08, n)
        )
        min_pct = knot_path(months, min_knots) + np.where(
            at_knots(months, min_knots), 0.0, rng.normal(0.0, 0.08, n)
        )
        share = T.WORKFORCE_ETHNICITY_STATED_SHARE[group]
        women = np.zeros(n, dtype=np.int64)
        stated = np.zeros(n, dtype=np.int64)
        minoritised = np.zeros(n, dtype=np.int64)
        women_at = at_knots(months, women_knots)
        min_at = at_knots(months, min_knots)
        for i in range(n):
            label = f"workforce {group} {month_end(int(months[i]))}"
            women[i] = (
                fixed_rate(int(hc[i]), women_pct[i], label)
                if women_at[i]
                else count_for_rate(int(hc[i]), women_pct[i])
            )
            guess = int(np.rint(share * hc[i]))
            if min_at[i]:
                minoritised[i], stated[i] = free_rate(guess, float(min_pct[i]), cap=int(hc[i]))
            else:
                stated[i] = guess
                minoritised[i] = count_for_rate(guess, min_pct[i])
        headcounts[group] = hc
        columns |= {
            f"{group}_headcount": hc,
            f"{group}_women": women,
            f"{group}_ethnicity_stated": stated,
            f"{group}_minoritised": minoritised,
        }
    for i, month in enumerate(months):
        rows.add("workforce", int(month), {name: int(col[i]) for name, col in columns.items()})
    ctx.note(
        "periodic_returns.workforce_headcount",
        {
            f"{group}_{ym}": float(headcounts[group][months == month_index(ym)][0])
            for group in T.WORKFORCE_GROUPS
            for ym, _ in T.WORKFORCE_HEADCOUNT[group]
        },
    )
    return {"months": months, **headcounts}


def ethics_training(rows: ReturnRows, workforce_counts: Mapping[str, Int]) -> None:
    """Headcount to train: officers, PCSOs and staff of the workforce return that month."""
    months = period_months("ethics_training")
    wf_months = workforce_counts["months"]
    for month in months:
        at = wf_months == month
        headcount = int(
            sum(int(workforce_counts[g][at][0]) for g in ("officers", "pcsos", "staff"))
        )
        values = {"headcount": headcount}
        for module, knots in T.ETHICS_MODULE_PCT.items():
            if month < month_index(knots[0][0]):
                continue
            pct = float(knot_path(np.array([month]), knots)[0])
            label = f"ethics module {module} {month_end(int(month))}"
            on_knot = bool(at_knots(np.array([month]), knots)[0])
            values[f"module_{module}_completed"] = (
                fixed_rate(headcount, pct, label) if on_knot else count_for_rate(headcount, pct)
            )
        rows.add("ethics_training", int(month), values)


def complaints(rows: ReturnRows, rng: np.random.Generator) -> None:
    months = period_months("complaints")
    n = len(months)
    columns: dict[str, Int] = {}
    for kind, averages in T.COMPLAINT_AVERAGE_DAYS.items():
        finalised = rng.poisson(T.COMPLAINTS_FINALISED_A_MONTH[kind], n).astype(np.int64)
        average = knot_path(months, T.COMPLAINT_DAYS_KNOTS[kind]) * jitter(
            rng, n, 0.06, np.zeros(n, dtype=bool)
        )
        days = np.rint(average * finalised).astype(np.int64)
        for window, target_average in averages.items():
            mask = window_mask(months, window)
            hit_total(days, mask, int(target_average * finalised[mask].sum()))
        columns |= {f"{kind}_finalised": finalised, f"{kind}_working_days": days}
    for i, month in enumerate(months):
        rows.add("complaints", int(month), {name: int(col[i]) for name, col in columns.items()})


def cdi_audit(rows: ReturnRows, rng: np.random.Generator) -> None:
    months = period_months("cdi_audit", step=3)
    n = len(months)
    columns: dict[str, Int] = {}
    first = T.RETURN_PERIODS["cdi_audit"][0]
    for category, targets in T.CDI_COMPLIANCE_PCT.items():
        audited = rng.poisson(T.CDI_AUDITED_A_QUARTER[category], n).astype(np.int64)
        knots = [(float(month_index(first)), T.CDI_EARLY_PCT[category])] + [
            (window_mid(w), pct) for w, pct in targets.items()
        ]
        at, values = zip(*knots, strict=True)
        pct = np.interp(months.astype(np.float64), at, values) + rng.normal(0.0, 0.6, n)
        totals = {}
        for window, target_pct in targets.items():
            mask = window_mask(months, window)
            totals[window] = free_rate(int(audited[mask].sum()), target_pct)
            hit_total(audited, mask, totals[window][1])
        compliant = np.minimum(np.rint(audited * np.clip(pct, 0, 100) / 100.0), audited)
        compliant = compliant.astype(np.int64)
        for window in targets:
            hit_total(compliant, window_mask(months, window), totals[window][0])
        if (compliant > audited).any():
            raise CalibrationError(f"CDI {category}: more compliant than audited")
        columns |= {f"{category}_audited": audited, f"{category}_compliant": compliant}
    for i, month in enumerate(months):
        rows.add("cdi_audit", int(month), {name: int(col[i]) for name, col in columns.items()})


def crown_court(rows: ReturnRows, rng: np.random.Generator) -> None:
    months = period_months("crown_court", step=3)
    knots = T.CROWN_COURT_MEDIAN_DAYS
    days = knot_path(months, knots) * jitter(rng, len(months), 0.015, at_knots(months, knots))
    for month, value in zip(months, np.rint(days).astype(np.int64), strict=True):
        rows.add("crown_court", int(month), {"median_charge_to_completion_days": int(value)})


def cps_case_quality(rows: ReturnRows, rng: np.random.Generator) -> None:
    months = period_months("cps_case_quality")
    knots = T.CPS_MEETING_STANDARD_PCT
    on_knot = at_knots(months, knots)
    pct = knot_path(months, knots) + np.where(on_knot, 0.0, rng.normal(0.0, 1.2, len(months)))
    assessed = rng.poisson(T.CPS_FILES_ASSESSED_A_MONTH, len(months))
    for i, month in enumerate(months):
        if on_knot[i]:
            meeting, files = free_rate(int(assessed[i]), float(pct[i]))
        else:
            files = int(assessed[i])
            meeting = count_for_rate(files, pct[i])
        rows.add(
            "cps_case_quality",
            int(month),
            {"files_assessed": files, "files_meeting_standard": meeting},
        )


def drug_treatment(rows: ReturnRows) -> None:
    entries = dict(T.DRUG_TREATMENT_ENTRIES)
    before, after, change = T.DRUG_TREATMENT_CHANGE
    entries[before] = baseline_for_change(entries[after], change)
    for month in period_months("drug_treatment", step=12):
        ym = month_end(int(month)).isoformat()[:7]
        rows.add("drug_treatment", int(month), {"entries": entries[ym]})


def action_fraud(rows: ReturnRows, rng: np.random.Generator) -> None:
    months = period_months("action_fraud")
    n = len(months)
    windows = (T.BASELINE, T.CURRENT)
    first = float(months[0])
    at = [first] + [window_mid(w) for w in windows]
    level = np.interp(
        months.astype(np.float64),
        at,
        [T.ACTION_FRAUD_REPORTS_A_MONTH_EARLY] + [T.ACTION_FRAUD_REPORTS[w] / 12 for w in windows],
    )
    reports = rng.poisson(level).astype(np.int64)
    share = np.interp(
        months.astype(np.float64), at[1:], [T.ACTION_FRAUD_FRAUD_PCT[w] for w in windows]
    ) + rng.normal(0.0, 0.8, n)
    fraud = np.rint(reports * share / 100.0).astype(np.int64)
    per_report = np.interp(
        months.astype(np.float64),
        at[1:],
        [T.ACTION_FRAUD_LOSSES_GBP[w] / T.ACTION_FRAUD_REPORTS[w] for w in windows],
    )
    losses = np.rint(reports * per_report * rng.lognormal(0.0, 0.12, n)).astype(np.int64)
    for w in windows:
        mask = window_mask(months, w)
        hit_total(reports, mask, T.ACTION_FRAUD_REPORTS[w])
        fraud = np.minimum(fraud, reports)
        hit_total(
            fraud,
            mask,
            fixed_rate(T.ACTION_FRAUD_REPORTS[w], T.ACTION_FRAUD_FRAUD_PCT[w], "Action Fraud"),
        )
        hit_total(losses, mask, T.ACTION_FRAUD_LOSSES_GBP[w])
    if (fraud > reports).any():
        raise CalibrationError("Action Fraud: more fraud reports than reports")
    for i, month in enumerate(months):
        rows.add(
            "action_fraud",
            int(month),
            {
                "reports": int(reports[i]),
                "fraud_reports": int(fraud[i]),
                "cyber_reports": int(reports[i] - fraud[i]),
                "losses_gbp": int(losses[i]),
            },
        )


def generate_returns(ctx: Context, rng: np.random.Generator) -> ReturnRows:
    """Every return, in the order of T.RETURN_PERIODS; not scaled (returns are figures,
    not volumes)."""
    rows = ReturnRows([], [], [], [])
    counts = workforce(rows, rng, ctx)
    ethics_training(rows, counts)
    complaints(rows, rng)
    cdi_audit(rows, rng)
    crown_court(rows, rng)
    cps_case_quality(rows, rng)
    drug_treatment(rows)
    action_fraud(rows, rng)
    return rows


def returns_extract(rows: ReturnRows) -> Extract:
    """periodic_returns.csv: one row per return, period end and measure."""
    frame = pd.DataFrame(
        {
            "return_id": rows.return_id,
            "period_end": pd.to_datetime(pd.Series(rows.period_end)).dt.date,
            "measure": rows.measure,
            "value": np.array(rows.value, dtype=np.int64),
        }
    )
    return Extract("periodic_returns", frame, ("return_id", "period_end", "measure", "value"))
