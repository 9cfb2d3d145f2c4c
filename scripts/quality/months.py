"""Completeness per month: every month of the declared window has its rows, and as many
as the extract's own history says it should.

An extract's months are those of its event date (its `in_window` column), per series
where it matters (contract `monthly_volume: {by: channel}`: 999 and 101 calls apart), in
the window from the extract's first month to the window's last. For each month the
expected volume is the median rows a day of the same month a year earlier and the two
months either side (this delivery's rows; where it has none for a month, the previous
accepted delivery's), so short months, seasons and trends do not trip it:

- a month with no rows stops the run (`missing_month`), naming the extract, the month
  and the series;
- a month whose rows a day are outside STOP_BAND of that (a half month) stops it
  (`month_volume`);
- outside WARN_BAND, a warning (`month_drift`);
each band widened to 4 (stop) or 3 (warning) standard deviations of a Poisson count
where that is wider (a small extract's months vary by more than a share of their rows),
and a month with no rows missing only when at least MISSING_EXPECTED were expected. So
a half month is caught where a month holds more than about 64 rows (every extract of a
force; the fault corpus's 3% extracts only for the larger ones).

The first month of an extract has no earlier months: only its absence could be
judged (it is the first by definition), so its volume is not (outcomes ramp up there: the
crimes of before the window have none in it). The demo's normal months lie within 0.87
to 1.15 of their expected volume.
"""

from __future__ import annotations

import calendar
import math
import statistics
from dataclasses import dataclass
from datetime import date

import duckdb

from alerts import Problem

from .contracts import ExtractSpec
from .load import ident

STOP_BAND = (0.6, 1.67)
WARN_BAND = (0.8, 1.25)
NEIGHBOURS = (-12, -2, -1, 1, 2)
# a month with no rows is missing when at least this many were expected (a Poisson count
# of mean 8 is 0 three times in 10,000); below, a month may be empty by chance
MISSING_EXPECTED = 8  # months around, and the same month a year earlier
ALL = ""  # the series of an extract counted as one


@dataclass(frozen=True)
class MonthVolume:
    series: str
    month: str  # YYYY-MM
    rows: int
    expected: float | None  # rows a month, from the rows a day of the neighbours

    @property
    def ratio(self) -> float | None:
        return self.rows / self.expected if self.expected else None


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _days(month: str) -> int:
    return calendar.monthrange(int(month[:4]), int(month[5:7]))[1]


def month_counts(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, rows_sql: str, window: tuple[date, date]
) -> dict[str, int]:
    """Rows per `series|YYYY-MM` of the extract's event month in the window (rows_sql:
    the rows that reach dbt). Empty for an extract without monthly volumes."""
    column = spec.monthly_column
    if column is None:
        return {}
    c = ident(column)
    series = ident(spec.monthly_by) if spec.monthly_by else "''"
    month = f"substr({c}, 1, 7)"
    first, last = (d.strftime("%Y-%m") for d in window)
    found = con.execute(
        f"select coalesce({series}, ''), {month}, count(*) from ({rows_sql}) r "
        f"where regexp_full_match({month}, '\\d{{4}}-\\d{{2}}') "
        f"and {month} between '{first}' and '{last}' group by all"
    ).fetchall()
    return {f"{s}|{m}": int(n) for s, m, n in found}


def volumes(
    counts: dict[str, int], history: dict[str, int], window: tuple[date, date]
) -> list[MonthVolume]:
    """Each series' months from its first (this delivery's or its history's) to the
    window's last, with the expected volume of each."""
    out = []
    last = _index(window[1].strftime("%Y-%m"))
    for series in sorted({k.split("|")[0] for k in counts}):
        mine = {k.split("|")[1]: n for k, n in counts.items() if k.startswith(series + "|")}
        past = {k.split("|")[1]: n for k, n in history.items() if k.startswith(series + "|")}
        known = {**past, **mine}
        first = _index(min(known))
        for i in range(first, last + 1):
            month = _name(i)
            rates = [
                known[_name(i + k)] / _days(_name(i + k))
                for k in NEIGHBOURS
                if _name(i + k) in known and known[_name(i + k)] > 0
            ]
            judged = i > first  # the first month has no earlier ones (outcomes ramp up)
            expected = statistics.median(rates) * _days(month) if rates and judged else None
            out.append(MonthVolume(series, month, mine.get(month, 0), expected))
    return out


def _band(expected: float, band: tuple[float, float], sigmas: float) -> tuple[float, float]:
    """The band around an expected count, no narrower than Poisson noise allows (a
    small extract's months vary by more than a share of their rows)."""
    noise = sigmas * math.sqrt(expected)
    return min(band[0] * expected, expected - noise), max(band[1] * expected, expected + noise)


def month_problems(spec: ExtractSpec, found: list[MonthVolume]) -> list[Problem]:
    out = []
    for v in found:
        what = f" ({spec.monthly_by} {v.series})" if spec.monthly_by else ""
        if v.rows == 0 and v.expected is not None and v.expected >= MISSING_EXPECTED:
            expect = f" (expected about {v.expected:,.0f})"
            out.append(
                Problem(
                    spec.file_name, "missing_month", "stop", count=0, column=spec.monthly_column,
                    message=f"no rows{what} in {v.month}{expect}: the month is missing "
                    "from the delivery (an extract run before the month closed?)",
                )
            )  # fmt: skip
            continue
        if v.expected is None:
            continue
        for band, sigmas, rule, level in ((STOP_BAND, 4, "month_volume", "stop"),
                                          (WARN_BAND, 3, "month_drift", "warning")):  # fmt: skip
            low, high = _band(v.expected, band, sigmas)
            if not low <= v.rows <= high:
                out.append(
                    Problem(
                        spec.file_name, rule, level, count=v.rows, column=spec.monthly_column,
                        message=f"{v.rows:,} rows{what} in {v.month}, {v.rows / v.expected:.0%} "
                        f"of the {v.expected:,.0f} its neighbouring months and the same month "
                        f"a year earlier give; the band is {low:,.0f} to {high:,.0f} rows",
                    )
                )  # fmt: skip
                break
    return out
