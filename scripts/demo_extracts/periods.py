"""Extract calendar: days as integers (days since 1970-01-01), months as indexes from the
first extract month, and reporting windows as inclusive date ranges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

EPOCH = date(1970, 1, 1)


def day_number(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


@dataclass(frozen=True)
class Window:
    """An inclusive date range, e.g. the year ending March 2024."""

    start: date
    end: date


class Calendar:
    """The months of an extract, whole months from `start` to `end` inclusive."""

    def __init__(self, start: date, end: date) -> None:
        if start.day != 1:
            raise ValueError("the extract must start on the first of a month")
        first = np.datetime64(start.isoformat()[:7], "M")
        last = np.datetime64(end.isoformat()[:7], "M")
        months = np.arange(first, last + 2)
        self.start = start
        self.end = end
        self.start_day = day_number(start)
        self.end_day = day_number(end)
        if self.end_day != int(months[-1].astype("datetime64[D]").astype(np.int64)) - 1:
            raise ValueError("the extract must end on the last day of a month")
        # month_start[m] is the first day of month m; month_start[-1] is the day after `end`.
        self.month_start: NDArray[np.int64] = months.astype("datetime64[D]").astype(np.int64)
        self.n_months = len(months) - 1
        self.month_days: NDArray[np.int64] = np.diff(self.month_start)
        self.month_mid: NDArray[np.float64] = np.arange(self.n_months) + 0.5
        # Calendar month 1..12 of each extract month.
        self.calendar_month: NDArray[np.int64] = (months[:-1].astype(np.int64) % 12 + 1).astype(
            np.int64
        )
        self.days: NDArray[np.int64] = np.arange(self.start_day, self.end_day + 1)

    def month_of(self, days: NDArray[np.int64]) -> NDArray[np.int64]:
        """Month index of each day number (days must lie within the extract)."""
        return np.searchsorted(self.month_start, days, side="right") - 1

    def window_months(self, window: Window) -> NDArray[np.bool_]:
        """Months inside a window. Windows must cover whole months."""
        start, end = day_number(window.start), day_number(window.end)
        first = int(np.searchsorted(self.month_start, start))
        last = int(np.searchsorted(self.month_start, end + 1))
        if self.month_start[first] != start or self.month_start[last] != end + 1:
            raise ValueError(f"window {window} does not cover whole extract months")
        mask = np.zeros(self.n_months, dtype=bool)
        mask[first:last] = True
        return mask

    def window_mid(self, window: Window) -> float:
        """Mid-point of a window, in months from the extract start."""
        months = np.flatnonzero(self.window_months(window))
        return float(months[0] + months[-1] + 1) / 2.0
