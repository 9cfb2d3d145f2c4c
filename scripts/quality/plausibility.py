"""Plausibility: is a month's volume, or a return's value, what its own history says?

Every measure the warehouse counts is judged against a robust band (settings, once per
extract, in plausibility.yml; the method and its rationale in docs/quality-gate.md):

- a month's rows a day, per extract (per series where the contract counts one apart, e.g.
  999 and 101 calls) and per main category (offence group, outcome group, grade ...):
  its year-on-year change (against the same month a year earlier: the season goes) is
  judged against the median of the last 12 months' year-on-year changes (the trend goes)
  +/- k robust standard deviations (1.4826 x their median absolute deviation), never
  narrower than the extract's floor nor than 4 Poisson standard deviations of the two
  counts (`month_volume`, which stops the run);
- a periodic return's value per measure against the median of its values of the last 12
  months (at least its 3 previous ones) +/- k robust standard deviations, never narrower
  than the floor (`return_value`, which stops the run).

A month outside its band because the month a year earlier is the odd one (a month early in
the delivery that has no year-on-year history of its own) is named as that month. A
month whose base month is itself found odd is not judged again (its change says nothing).

A change known to be real is acknowledged in one reviewed file (acknowledged_changes.yml,
or POLICE_GATE_EXCEPTIONS): the month (or the return's period) is then a warning,
`acknowledged_change`, quoting the reason, and the delivery log keeps it.
"""

from __future__ import annotations

import calendar
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SETTINGS_FILE = HERE / "plausibility.yml"
EXCEPTIONS_FILE = HERE / "acknowledged_changes.yml"
EXCEPTIONS_ENV = "POLICE_GATE_EXCEPTIONS"

MAD_TO_SD = 1.4826  # a normal distribution's standard deviation per median absolute deviation
NOISE_SIGMAS = 4.0  # Poisson standard deviations a band is never narrower than
MIN_HISTORY = 3  # earlier values (year-on-year changes, or a return's values) to judge by
HISTORY_MONTHS = 12
WARN_SHARE = 0.6  # a total outside this share of its band is a warning (month_drift)


@dataclass(frozen=True)
class Categories:
    """An extract's main categories: a column, or a seed's grouping of its codes."""

    column: str
    seed: str | None = None  # e.g. ref_offences: column's code -> `group`
    key: str | None = None
    group: str | None = None

    def describe(self) -> str:
        return self.group.replace("_", " ") if self.group else self.column.replace("_", " ")


@dataclass(frozen=True)
class Settings:
    k: float = 4.0
    floor: float = 0.3
    min_rows: int = 30  # a category's month judged only where this many rows are expected
    categories: Categories | None = None


@cache
def load_settings(path: Path = SETTINGS_FILE) -> dict[str, Settings]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    defaults = dict(raw.get("defaults") or {})
    out = {}
    for name, values in (raw.get("extracts") or {}).items():
        merged = {**defaults, **(values or {})}
        cats = merged.pop("categories", None)
        unknown = set(merged) - {"k", "floor", "min_rows"}
        if unknown:
            raise ValueError(f"{path}: {name}: unknown settings {sorted(unknown)}")
        settings = Settings(
            k=float(merged.get("k", 4.0)),
            floor=float(merged.get("floor", 0.3)),
            min_rows=int(merged.get("min_rows", 30)),
            categories=Categories(**cats) if cats else None,
        )
        if settings.k <= 0 or settings.floor <= 0:
            raise ValueError(f"{path}: {name}: k and floor are positive")
        out[name] = settings
    out[""] = Settings(
        k=float(defaults.get("k", 4.0)),
        floor=float(defaults.get("floor", 0.3)),
        min_rows=int(defaults.get("min_rows", 30)),
    )
    return out


def settings_for(extract: str, path: Path = SETTINGS_FILE) -> Settings:
    found = load_settings(path)
    return found.get(extract, found[""])


# --- the band ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A band on a log scale: centre +/- half_width, half_width = max(k x spread, floor,
    noise); spread is the robust standard deviation of the history."""

    centre: float
    spread: float
    half_width: float
    history: int
    why: str  # which term set the width: "k", "floor" or "noise"

    def contains(self, value: float, share: float = 1.0) -> bool:
        return abs(value - self.centre) <= self.half_width * share


def robust_band(history: list[float], settings: Settings, noise: float = 0.0) -> Band:
    centre = statistics.median(history)
    spread = MAD_TO_SD * statistics.median(abs(x - centre) for x in history)
    terms = {"k": settings.k * spread, "floor": settings.floor, "noise": noise}
    why = max(terms, key=terms.__getitem__)
    return Band(centre, spread, terms[why], len(history), why)


def pct(change: float) -> str:
    """A log change as a percentage: +23%, -29%."""
    return f"{math.expm1(change):+.0%}"


def bound(value: float) -> str:
    """A return's band edge, precise enough that a value outside it never prints as on
    it (16 against a lower edge of 16.3: "16.3", not "16")."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.1f}"


def rows_band(low: float, high: float) -> str:
    """A band of row counts as the counts inside it: 16.3 to 104.6 is "17 to 104" (so 16
    rows is visibly outside)."""
    return f"{math.ceil(low):,} to {math.floor(high):,}"


# --- months -----------------------------------------------------------------------------


def month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def days(month: str) -> int:
    return calendar.monthrange(int(month[:4]), int(month[5:7]))[1]


@dataclass(frozen=True)
class OddMonth:
    """A month outside its band: its rows, what the band expected, and how it was found."""

    series: str  # "" (the extract), "channel 999", "offence group Theft offences"
    month: str
    rows: int
    low: float  # the band, in rows of that month
    high: float
    expected: float
    base_month: str  # the month a year earlier (or later) it was compared with
    base_rows: int
    change: float  # log change of rows a day, this month against the base month
    band: Band
    via: str  # the month whose year-on-year change found it (itself, or a year later)
    is_total: bool  # the extract or one of its series, not a category

    def describe(self, settings: Settings) -> str:
        b = self.band
        width = {
            "k": f"k {settings.k:g} x robust sd {pct(b.spread)[1:]}",
            "floor": f"the extract's floor {pct(settings.floor)[1:]}",
            "noise": f"{NOISE_SIGMAS:g} Poisson sd of the counts",
        }[b.why]
        head = (
            f"{self.rows:,} rows in {self.month}, outside the band "
            f"{rows_band(self.low, self.high)}"
        )
        usual = (
            f"the year-on-year change of the {b.history} months before is {pct(b.centre)} "
            "(median)"
        )
        if self.via == self.month:
            found = (
                f": rows a day {pct(self.change)} on {self.base_month} ({self.base_rows:,} "
                f"rows), where {usual}"
            )
        else:
            found = (
                f" (expected {self.expected:,.0f} from {self.via} a year later, "
                f"{self.base_rows:,} rows, where {usual})"
            )
        band = f"band {pct(-b.half_width)} to {pct(b.half_width)} around it ({width})"
        return f"{head}{found}; {band}"


def _neighbour_change(rates: dict[int, float], i: int) -> float:
    """How far a month's rate is from the median of the two months either side."""
    around = [rates[j] for j in (i - 2, i - 1, i + 1, i + 2) if rates.get(j, 0) > 0]
    if not around or rates.get(i, 0) <= 0:
        return 0.0
    return math.log(rates[i] / statistics.median(around))


def odd_months(
    counts: dict[str, int],
    last: str,
    settings: Settings,
    *,
    series: str = "",
    is_total: bool = True,
    min_rows: int = 0,
) -> tuple[list[OddMonth], list[tuple[str, OddMonth]]]:
    """A series' months (YYYY-MM -> rows) judged from its first to `last`: the months
    outside their band, and (warnings) the totals' months outside WARN_SHARE of it."""
    if not counts:
        return [], []
    first = month_index(min(counts))
    end = month_index(last)
    rates = {i: counts.get(month_name(i), 0) / days(month_name(i)) for i in range(first, end + 1)}
    # the first month is no base (a delivery may start mid-month; outcomes ramp up: the
    # crimes of before the window have none in it); a month with no rows counts as half a
    # row (a category that vanished), a missing month of the extract is missing_month's
    changes = {
        i: math.log(max(rates[i], 0.5 / days(month_name(i))) / rates[i - 12])
        for i in range(first + 13, end + 1)
        if rates[i - 12] > 0
    }
    admitted: dict[int, float] = {}
    judged: set[int] = set()
    odd: set[int] = set()
    found: list[OddMonth] = []
    drift: list[tuple[str, OddMonth]] = []
    for i in sorted(changes):
        if i - 12 in odd:  # compared with an odd month: says nothing
            continue
        history = [admitted[j] for j in range(i - HISTORY_MONTHS, i) if j in admitted]
        name, base = month_name(i), month_name(i - 12)
        base_rows = counts.get(base, 0)
        if len(history) < MIN_HISTORY:
            admitted[i] = changes[i]
            continue
        centre = statistics.median(history)
        expected_rows = base_rows * math.exp(centre) * days(name) / days(base)
        if min(expected_rows, base_rows) < min_rows:
            admitted[i] = changes[i]
            continue
        noise = NOISE_SIGMAS * math.sqrt(1 / max(expected_rows, 1) + 1 / base_rows)
        band = robust_band(history, settings, noise)
        judged.add(i)
        if band.contains(changes[i]):
            admitted[i] = changes[i]
            if is_total and not band.contains(changes[i], WARN_SHARE):
                drift.append((name, _odd(counts, i, i, band, series, is_total, name)))
            continue
        # the odd one: this month, or the month a year earlier if that one was never
        # judged itself and stands out more from its own neighbours
        culprit = i
        if i - 12 not in judged and abs(_neighbour_change(rates, i - 12)) > abs(
            _neighbour_change(rates, i)
        ):
            culprit = i - 12
        odd.add(culprit)
        found.append(_odd(counts, culprit, i, band, series, is_total, name))
    return found, drift


def _odd(
    counts: dict[str, int], culprit: int, via: int, band: Band, series: str, is_total: bool,
    via_name: str,
) -> OddMonth:  # fmt: skip
    """The band of month `culprit`, from the change of month `via` (itself or a year on)."""
    other = via - 12 if culprit == via else via
    month, base = month_name(culprit), month_name(other)
    rows, base_rows = counts.get(month, 0), counts.get(base, 0)
    sign = 1 if culprit == via else -1  # a base month is expected from the later one
    expected = base_rows * math.exp(sign * band.centre) * days(month) / days(base)
    low = base_rows * math.exp(sign * band.centre - band.half_width) * days(month) / days(base)
    high = base_rows * math.exp(sign * band.centre + band.half_width) * days(month) / days(base)
    change = math.log((max(rows, 1e-9) / days(month)) / (max(base_rows, 1e-9) / days(base)))
    return OddMonth(
        series, month, rows, low, high, expected, base, base_rows, change, band, via_name,
        is_total,
    )  # fmt: skip


# --- periodic returns -------------------------------------------------------------------


@dataclass(frozen=True)
class OddValue:
    series: str  # return_id.measure
    period: str  # YYYY-MM-DD
    value: float
    low: float
    high: float
    median: float
    band: Band

    def describe(self, settings: Settings) -> str:
        b = self.band
        width = (
            f"k {settings.k:g} x robust sd {pct(b.spread)[1:]}"
            if b.why == "k"
            else f"the extract's floor {pct(settings.floor)[1:]}"
        )
        return (
            f"{self.series} = {self.value:,.0f} for {self.period}, outside the band "
            f"{bound(self.low)} to {bound(self.high)}: {pct(math.log1p(self.value) - b.centre)} "
            f"on the median {self.median:,.0f} of its {b.history} values before (the 12 "
            f"months to it, at least 3); band {pct(-b.half_width)} to {pct(b.half_width)} "
            f"around it ({width})"
        )


def odd_values(values: dict[str, float], series: str, settings: Settings) -> list[OddValue]:
    """A return's values (period end YYYY-MM-DD -> value) judged in period order against
    the median of the earlier ones of the last 12 months (at least 3); an odd value is
    left out of the history of the later ones."""
    periods = sorted(values)
    kept: list[str] = []
    out = []
    for period in periods:
        at = month_index(period)
        recent = [p for p in kept if at - month_index(p) <= HISTORY_MONTHS]
        history = recent if len(recent) >= MIN_HISTORY else kept[-MIN_HISTORY:]
        if len(history) < MIN_HISTORY:
            kept.append(period)
            continue
        logs = [math.log1p(max(values[p], 0.0)) for p in history]
        band = robust_band(logs, settings)
        value = values[period]
        if band.contains(math.log1p(max(value, 0.0))):
            kept.append(period)
            continue
        out.append(
            OddValue(
                series, period, value, math.expm1(band.centre - band.half_width),
                math.expm1(band.centre + band.half_width), math.expm1(band.centre), band,
            )
        )  # fmt: skip
    return out


# --- acknowledged changes ---------------------------------------------------------------


@dataclass(frozen=True)
class Acknowledgement:
    """A change a force knows to be real: an extract's month(s), for the extract or one
    of its series or categories (default: any), or a return's measure and period."""

    extract: str
    reason: str
    reviewed_by: str
    reviewed_on: str
    months: tuple[str, ...] = ()  # YYYY-MM (volumes), or YYYY-MM-DD / YYYY-MM (returns)
    # None: any; else "channel 999", "offence group Theft offences" (a category) or
    # "workforce.officers_headcount" (a return's measure)
    series: str | None = None
    used: list[str] = field(default_factory=list, compare=False)

    def covers(self, extract: str, series: str, month: str) -> bool:
        if extract != self.extract:
            return False
        if self.series is not None and self.series != series:
            return False
        return month in self.months or month[:7] in self.months

    def line(self) -> str:
        what = f" {self.series}" if self.series else ""
        return (
            f"{', '.join(self.months)}{what}: {self.reason} (reviewed by {self.reviewed_by}, "
            f"{self.reviewed_on})"
        )


def _months(raw: object) -> tuple[str, ...]:
    """'2025-09', ['2025-09', '2025-10'] or '2025-09..2026-02' (a range)."""
    items = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for item in items:
        text = str(item)
        if ".." in text:
            start, end = text.split("..")
            for i in range(month_index(start), month_index(end) + 1):
                out.append(month_name(i))
        else:
            out.append(text)
    for month in out:
        date.fromisoformat(month if len(month) == 10 else month + "-01")
    return tuple(out)


def load_acknowledgements(path: Path | None) -> list[Acknowledgement]:
    if path is None or not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for n, entry in enumerate(raw.get("acknowledged") or [], start=1):
        missing = [k for k in ("extract", "months", "reason", "reviewed_by", "reviewed_on")
                   if not entry.get(k)]  # fmt: skip
        if missing:
            raise ValueError(f"{path}: entry {n} lacks {', '.join(missing)}")
        unknown = set(entry) - {"extract", "months", "series", "reason", "reviewed_by",
                                "reviewed_on"}  # fmt: skip
        if unknown:
            raise ValueError(f"{path}: entry {n}: unknown keys {sorted(unknown)}")
        try:
            months = _months(entry["months"])
        except ValueError as error:
            raise ValueError(f"{path}: entry {n}: months {entry['months']!r}: {error}") from error
        out.append(
            Acknowledgement(
                extract=str(entry["extract"]), reason=str(entry["reason"]).strip(),
                reviewed_by=str(entry["reviewed_by"]), reviewed_on=str(entry["reviewed_on"]),
                months=months, series=str(entry["series"]) if entry.get("series") else None,
            )
        )  # fmt: skip
    return out


def acknowledged(
    acknowledgements: Iterable[Acknowledgement], extract: str, series: str, month: str
) -> Acknowledgement | None:
    for ack in acknowledgements:
        if ack.covers(extract, series, month):
            ack.used.append(f"{month}{' ' + series if series else ''}")
            return ack
    return None
