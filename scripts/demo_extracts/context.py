"""What every extract builder shares: reference data, the calendar, the windows, the
scale, and a log of the figures each calibration step achieved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from . import targets as T
from .calibration import (
    Int,
    baseline_for_change,
    largest_remainder,
    plan_quotas,
    select_top_k,
)
from .periods import Calendar, day_number
from .reference import Reference


@dataclass
class Context:
    ref: Reference
    scale: float = 1.0
    replica: int = 0  # of a force larger than the demo's: its identifiers are its own
    cal: Calendar = field(init=False)
    achieved: dict[str, dict[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cal = Calendar(T.EXTRACT_START, T.EXTRACT_END)

    @property
    def strict(self) -> bool:
        """Targets are exact only at full scale; smaller runs take best effort."""
        return self.scale == 1.0

    def months(self, window: str) -> NDArray[np.bool_]:
        return self.cal.window_months(T.WINDOWS[window])

    def mid(self, window: str) -> float:
        return self.cal.window_mid(T.WINDOWS[window])

    def window_days(self, window: str) -> tuple[int, int]:
        w = T.WINDOWS[window]
        return day_number(w.start), day_number(w.end)

    def counts(self, m: T.Measure) -> dict[str, int]:
        """A measure's counts by window at this scale; a window given only by a change
        is derived from the other window of the pair."""
        out = {w: round(v * self.scale) for w, v in m.values.items()}
        for (before, after), pct in m.changes.items():
            if before not in out and after in out:
                out[before] = (
                    baseline_for_change(out[after], pct)
                    if self.strict
                    else round(out[after] / (1 + pct / 100))
                )
            elif after not in out and before in out:
                out[after] = round(out[before] * (1 + pct / 100))
        return out

    def monthly_knots(self, points: Sequence[tuple[str, float]]) -> NDArray[np.float64]:
        """A value by month through (YYYY-MM, value) knots: linear between, flat beyond."""
        first = np.datetime64(self.cal.start.isoformat()[:7], "M")
        at = [float((np.datetime64(m, "M") - first).astype(np.int64)) + 0.5 for m, _ in points]
        return np.interp(self.cal.month_mid, at, [v for _, v in points])

    def window_steps(self, values: Mapping[str, float]) -> NDArray[np.float64]:
        """A value by month: each window's value in all its months, linear between the
        windows, flat beyond them."""
        at, held = [], []
        for w, v in sorted(values.items(), key=lambda item: self.mid(item[0])):
            months = np.flatnonzero(self.months(w))
            at += [months[0] + 0.5, months[-1] + 0.5]
            held += [v, v]
        return np.interp(self.cal.month_mid, at, held)

    def note(self, label: str, values: Mapping[str, float]) -> None:
        self.achieved[label] = dict(values)

    def quota_flag(
        self,
        label: str,
        candidates: NDArray[np.bool_],
        weight: NDArray[np.float64],
        month: NDArray[np.int64],
        recorded: NDArray[np.bool_],
        window_targets: Mapping[str, int],
        rng: np.random.Generator,
        by: NDArray[np.int64] | None = None,
    ) -> NDArray[np.bool_]:
        """Flag exactly window_targets[w] recorded rows in each window w among the
        candidates (chance rising with weight; weight inf = always, 0 = never). Other
        months, and rows that are not recorded crime, get the rate interpolated between
        the windows. With `by` (e.g. the LPA), each window's target is first shared out
        across the groups in proportion to their eligible rows' weight, so every group
        follows the overall change rather than chance."""
        n_months = self.cal.n_months
        idx = np.flatnonzero(candidates & (weight > 0))
        w, m, rec = weight[idx], month[idx], recorded[idx]
        group = np.zeros(len(idx), dtype=np.int64) if by is None else by[idx]
        n_groups = int(group.max(initial=0)) + 1
        forced = np.isinf(w)
        names = list(window_targets)
        masks = np.array([self.months(n) for n in names]).reshape(len(names), n_months)
        mids = np.array([self.mid(n) for n in names], dtype=np.float64)

        def monthly(mask: NDArray[np.bool_], values: NDArray[np.float64] | None = None) -> Int:
            cell = group[mask] * n_months + m[mask]
            vals = None if values is None else values[mask]
            counts = np.bincount(cell, weights=vals, minlength=n_groups * n_months)
            return counts.reshape(n_groups, n_months)

        elig_rec = monthly(rec).astype(np.int64)
        forced_rec = monthly(rec & forced).astype(np.int64)
        mass = monthly(rec & ~forced, np.where(forced, 0.0, w))
        win = masks.astype(np.float64).T
        goals = np.zeros((n_groups, len(names)))
        for j, name in enumerate(names):
            floor = forced_rec @ win[:, j]
            spare = max(window_targets[name] - int(floor.sum()), 0)
            goals[:, j] = floor + largest_remainder(spare, mass @ win[:, j])
        quotas = []
        for g in range(n_groups):
            quota_rec, rate = plan_quotas(
                elig_rec[g],
                forced_rec[g],
                masks,
                goals[g],
                mids,
                self.cal.month_mid,
                strict=self.strict,
            )
            in_group = group == g
            elig_other = np.bincount(m[in_group & ~rec], minlength=n_months)
            forced_other = np.bincount(m[in_group & ~rec & forced], minlength=n_months)
            quota_other = np.clip(np.floor(rate * elig_other + 0.5), forced_other, elig_other)
            quotas += [quota_rec, quota_other.astype(np.int64)]
        segment = group * 2 * n_months + m + n_months * (~rec)
        chosen = select_top_k(segment, w, np.concatenate(quotas), rng)
        out = np.zeros(len(candidates), dtype=bool)
        out[idx] = chosen
        achieved = masks.astype(np.int64) @ np.sum(quotas[0::2], axis=0)
        self.note(label, {n: float(achieved[i]) for i, n in enumerate(names)})
        return out
