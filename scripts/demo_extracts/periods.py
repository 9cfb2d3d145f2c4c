"""Extract calendar: days as integers (days since 1970-01-01), months as indexes from the
first extract month, reporting windows as inclusive date ranges, and local time in
Europe/London (instants are UTC seconds; local dates and offsets follow zoneinfo)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

Int = NDArray[np.int64]

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


# --- Local time in Europe/London ----------------------------------------------------

LONDON = ZoneInfo("Europe/London")
HOUR = 3600
DAY = 86_400


def _offset_seconds(instant: int) -> int:
    offset = datetime.fromtimestamp(instant, LONDON).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


@lru_cache(maxsize=8)
def _london_transitions(first_year: int, last_year: int) -> tuple[Int, Int]:
    """Instants (UTC seconds) at which Europe/London changes its offset in the years
    given, and the offset (seconds) in force before each instant and after the last.
    Found with zoneinfo, hour by hour over the days in March and October on which the
    change can fall (the last Sunday)."""
    instants: list[int] = []
    offsets = [_offset_seconds(int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp()))]
    for year in range(first_year, last_year + 1):
        for month in (3, 10):
            start = int(datetime(year, month, 24, tzinfo=UTC).timestamp())
            for hour in range(8 * 24):
                instant = start + hour * HOUR
                after = _offset_seconds(instant)
                if after != offsets[-1]:
                    instants.append(instant)
                    offsets.append(after)
    return np.array(instants, dtype=np.int64), np.array(offsets, dtype=np.int64)


def london_offsets(instants: Int) -> Int:
    """UTC offset in seconds (0 for GMT, 3600 for BST) of each instant (UTC seconds)."""
    if len(instants) == 0:
        return np.zeros(0, dtype=np.int64)
    years = (
        np.array([instants.min(), instants.max()]).astype("datetime64[s]").astype("datetime64[Y]")
    )
    first, last = (int(y) + 1970 for y in years.astype(np.int64))
    changes, offsets = _london_transitions(first, last)
    return offsets[np.searchsorted(changes, instants, side="right")]


def local_days(instants: Int) -> Int:
    """Local (Europe/London) calendar day of each instant, as a day number."""
    return (instants + london_offsets(instants)) // DAY


@dataclass(frozen=True)
class HourGrid:
    """Every hour of UTC that falls on the local days first_day..last_day, in order.
    Offsets change on the hour, so each UTC hour is one local hour: on the spring
    change day local 01:00-01:59 has no hour, on the autumn day it has two."""

    utc_start: Int  # UTC seconds at the start of the hour
    local_day: Int  # day number of the local date
    local_hour: Int  # 0..23
    offset: Int  # seconds

    def __len__(self) -> int:
        return len(self.utc_start)

    def blocks(self, day_starts: Int) -> tuple[Int, Int]:
        """First and one-past-last hour of each run of local days [d0, d1), [d1, d2), ..."""
        edges = np.searchsorted(self.local_day, day_starts, side="left")
        return edges[:-1], edges[1:]


def london_hours(first_day: int, last_day: int) -> HourGrid:
    midnights = np.array([first_day, last_day + 1], dtype=np.int64) * DAY
    # Local midnight is never within an hour of a change (changes are at 01:00 UTC).
    utc_midnights = midnights - london_offsets(midnights - HOUR)
    start = np.arange(utc_midnights[0], utc_midnights[1], HOUR, dtype=np.int64)
    offset = london_offsets(start)
    local = start + offset
    return HourGrid(start, local // DAY, (local % DAY) // HOUR, offset)


# Relative volume by local hour on weekdays and at weekends (Saturday and Sunday):
# ((weekday hours 0-11, 12-23), (weekend hours 0-11, 12-23)).
Profile = tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]


def cycle_weights(
    hours: HourGrid,
    day_weight: tuple[float, ...],
    profile: Profile,
    day_noise: NDArray[np.float64],
    first_day: int,
) -> NDArray[np.float64]:
    """Relative volume of each UTC hour: day of week (Monday first) x the noise of its
    local day (indexed from first_day) x the local-hour profile."""
    weekday = (hours.local_day + 3) % 7
    weekend = (weekday >= 5).astype(np.int64)
    table = np.array(profile, dtype=np.float64).reshape(2, 24)
    noise = day_noise[hours.local_day - first_day]
    return np.array(day_weight)[weekday] * noise * table[weekend, hours.local_hour]
