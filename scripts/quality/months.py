"""Completeness and plausibility per month: every month of the declared window has its
rows, as many as the extract's own history says it should, per series and per main
category; and every periodic return's value is what its own history says.

An extract's months are those of its event date (its `in_window` column), per series
where it matters (contract `monthly_volume: {by: channel}`: 999 and 101 calls apart), in
the window from the extract's first month to the window's last. The history is this
delivery's own months, and the previous accepted delivery's where it has none.

- a month with no rows stops the run (`missing_month`), naming the extract, the month
  and the series, where at least MISSING_EXPECTED rows were expected (the median rows a
  day of the same month a year earlier and the two months either side);
- a month (of the extract, a series or a main category) outside its plausibility band
  stops it (`month_volume`), naming the month, its rows and the band; a total inside its
  band but outside WARN_SHARE of it is a warning (`month_drift`). The band (year-on-year
  change against the median of the last 12 months' changes +/- k robust standard
  deviations, floored) is plausibility.py's;
- a return's value per measure outside its band stops it (`return_value`).

A month or a return a force has acknowledged (acknowledged_changes.yml) is a warning
(`acknowledged_change`) quoting the acknowledgement.
"""

from __future__ import annotations

import calendar
import math
import statistics
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from alerts import Problem

from .contracts import ExtractSpec, seed_path
from .load import ident, literal
from .plausibility import (
    Acknowledgement,
    OddMonth,
    OddValue,
    Settings,
    acknowledged,
    odd_months,
    odd_values,
)

NEIGHBOURS = (-12, -2, -1, 1, 2)
# a month with no rows is missing when at least this many were expected (a Poisson count
# of mean 8 is 0 three times in 10,000); below, a month may be empty by chance
MISSING_EXPECTED = 8  # months around, and the same month a year earlier
ALL = ""  # the series of an extract counted as one
MONTH = "\\d{4}-\\d{2}"


@dataclass(frozen=True)
class MonthVolume:
    series: str
    month: str  # YYYY-MM
    rows: int
    expected: float | None  # rows a month, from the rows a day of the neighbours


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _days(month: str) -> int:
    return calendar.monthrange(int(month[:4]), int(month[5:7]))[1]


def _counted(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    return {f"{s}|{m}": int(n) for s, m, n in con.execute(sql).fetchall()}


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
    return _counted(
        con,
        f"select coalesce({series}, ''), {month}, count(*) from ({rows_sql}) r "
        f"where regexp_full_match({month}, '{MONTH}') "
        f"and {month} between '{first}' and '{last}' group by all",
    )


def category_counts(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, rows_sql: str, window: tuple[date, date],
    settings: Settings, seeds_dir: Path,
) -> dict[str, int]:  # fmt: skip
    """Rows per `category|YYYY-MM` of the extract's main categories (plausibility.yml):
    a column's values, or a seed's grouping of them (offence group of an offence code)."""
    cats, column = settings.categories, spec.monthly_column
    if cats is None or column is None:
        return {}
    month = f"substr(r.{ident(column)}, 1, 7)"
    first, last = (d.strftime("%Y-%m") for d in window)
    value = f"r.{ident(cats.column)}"
    join = ""
    if cats.seed:
        assert cats.key and cats.group
        seed = literal(str(seed_path(seeds_dir, cats.seed)))
        join = (
            f"left join (select {ident(cats.key)} as k, any_value({ident(cats.group)}) as g "
            f"from read_csv({seed}, header = true, all_varchar = true) group by all) s "
            f"on s.k = {value}"
        )
        value = "s.g"
    return _counted(
        con,
        f"select coalesce({value}, '(none)'), {month}, count(*) from ({rows_sql}) r {join} "
        f"where regexp_full_match({month}, '{MONTH}') "
        f"and {month} between '{first}' and '{last}' group by all",
    )


def return_values(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, rows_sql: str
) -> tuple[dict[str, float], dict[str, int]]:
    """A long extract of figures (contract `measures`): `id.measure|period` -> value, of
    the rows that reach dbt, and the source line of each."""
    m = spec.measures
    if m is None:
        return {}, {}
    ids = " || '.' || ".join(f"{ident(c)}" for c in m.id_columns)
    period = ident(next(c for c in m.group_columns if c not in m.id_columns))
    value = f"try_cast({ident(m.value)} as double)"
    found = con.execute(
        f"select {ids}, {period}, {value}, __line from ({rows_sql}) r where {value} is not null"
    ).fetchall()
    values = {f"{s}|{p}": float(v) for s, p, v, _ in found}
    lines = {f"{s}|{p}": int(n) for s, p, _, n in found}
    return values, lines


def volumes(
    counts: dict[str, int], history: dict[str, int], window: tuple[date, date]
) -> list[MonthVolume]:
    """Each series' months from its first (this delivery's or its history's) to the
    window's last, with the volume the neighbouring months give (for missing months)."""
    out = []
    last = _index(window[1].strftime("%Y-%m"))
    for series, known in _series(counts, history).items():
        first = _index(min(known))
        mine = {k.split("|")[1]: n for k, n in counts.items() if k.startswith(series + "|")}
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


def _series(counts: dict[str, int], history: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per series: its months, this delivery's where it has them, else the history's."""
    out: dict[str, dict[str, int]] = {}
    for series in sorted({k.split("|")[0] for k in counts}):
        mine = {k.split("|")[1]: n for k, n in counts.items() if k.startswith(series + "|")}
        past = {k.split("|")[1]: n for k, n in history.items() if k.startswith(series + "|")}
        out[series] = {**past, **mine}
    return out


def missing_problems(spec: ExtractSpec, found: list[MonthVolume]) -> list[Problem]:
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
    return out


def _label(spec: ExtractSpec, series: str, category: bool, settings: Settings) -> str:
    if category:
        assert settings.categories
        return f"{settings.categories.describe()} {series}"
    return f"{spec.monthly_by} {series}" if spec.monthly_by and series else ""


def plausibility_problems(
    spec: ExtractSpec,
    counts: dict[str, int],
    history: dict[str, int],
    categories: dict[str, int],
    category_history: dict[str, int],
    window: tuple[date, date],
    settings: Settings,
    acks: list[Acknowledgement],
    missing: set[str],
) -> list[Problem]:
    """month_volume (stop), month_drift (warning) and acknowledged_change (warning) of
    the extract's series and main categories; months already missing are not judged."""
    last = window[1].strftime("%Y-%m")
    out: list[Problem] = []
    groups = [(s, m, False) for s, m in _series(counts, history).items()]
    groups += [(s, m, True) for s, m in _series(categories, category_history).items()]
    missing_months = {key.split("|")[1] for key in missing}
    # a month the extract (or a series) is odd in is named once, not per category too
    odd_totals: set[str] = set()
    for series, known, is_category in groups:
        label = _label(spec, series, is_category, settings)
        odd, drift = odd_months(
            known, last, settings, series=label, is_total=not is_category,
            min_rows=settings.min_rows if is_category else 0,
        )  # fmt: skip
        for month in odd:
            if is_category:
                skip = month.month in missing_months | odd_totals
            else:
                skip = f"{series}|{month.month}" in missing
                odd_totals.add(month.month)
            if not skip:
                out.append(_month_problem(spec, month, settings, acks))
        for _, month in drift:
            what = f" ({label})" if label else ""
            out.append(
                Problem(
                    spec.file_name, "month_drift", "warning", count=month.rows,
                    column=spec.monthly_column,
                    message=f"{month.rows:,} rows{what} in {month.month}: rows a day "
                    f"{_pct(month.change)} on {month.base_month}, near the edge of its band "
                    f"({month.low:,.0f} to {month.high:,.0f})",
                )
            )  # fmt: skip
    return out


def _pct(change: float) -> str:
    return f"{math.expm1(change):+.0%}"


def _month_problem(
    spec: ExtractSpec, month: OddMonth, settings: Settings, acks: list[Acknowledgement]
) -> Problem:
    what = f" ({month.series})" if month.series else ""
    message = month.describe(settings) + what
    example: dict[str, object] = {
        "month": month.month, "series": month.series or None, "rows": month.rows,
        "band": [round(month.low), round(month.high)], "expected": round(month.expected),
    }  # fmt: skip
    ack = acknowledged(acks, spec.name, month.series, month.month)
    if ack is not None:
        example["acknowledged"] = (
            f"{month.month}{what}: {month.rows:,} rows, band {month.low:,.0f} to "
            f"{month.high:,.0f}; {ack.reason} (reviewed by {ack.reviewed_by}, {ack.reviewed_on})"
        )
        return Problem(
            spec.file_name, "acknowledged_change", "warning", count=month.rows,
            column=spec.monthly_column,
            message=f"{message}; acknowledged: {ack.reason} (reviewed by {ack.reviewed_by}, "
            f"{ack.reviewed_on})",
            examples=[example],
        )  # fmt: skip
    return Problem(
        spec.file_name, "month_volume", "stop", count=month.rows, column=spec.monthly_column,
        message=message, examples=[example],
    )  # fmt: skip


def return_problems(
    spec: ExtractSpec,
    values: dict[str, float],
    history: dict[str, float],
    settings: Settings,
    acks: list[Acknowledgement],
    lines: dict[str, int] | None = None,
) -> list[Problem]:
    """return_value (stop) or acknowledged_change (warning) for each return's measure
    whose value is outside its band (history: the previous delivery's, where this one
    has none)."""
    series: dict[str, dict[str, float]] = {}
    for source in (history, values):
        for key, value in source.items():
            name, period = key.rsplit("|", 1)
            series.setdefault(name, {})[period] = value
    mine = set(values)
    out = []
    for name, known in sorted(series.items()):
        for odd in odd_values(known, name, settings):
            if f"{name}|{odd.period}" not in mine:
                continue
            line = (lines or {}).get(f"{name}|{odd.period}")
            out.append(_return_problem(spec, odd, settings, acks, line))
    return out


def _return_problem(
    spec: ExtractSpec, odd: OddValue, settings: Settings, acks: list[Acknowledgement],
    line: int | None,
) -> Problem:  # fmt: skip
    m = spec.measures
    column = m.value if m else None
    example: dict[str, object] = {
        "line": line, "return": odd.series, "period_end": odd.period, "value": odd.value,
        "band": [round(odd.low), round(odd.high)],
    }  # fmt: skip
    message = odd.describe(settings)
    ack = acknowledged(acks, spec.name, odd.series, odd.period)
    if ack is not None:
        example["acknowledged"] = (
            f"{odd.series} {odd.period}: {odd.value:,.0f}, band {odd.low:,.0f} to "
            f"{odd.high:,.0f}; {ack.reason} (reviewed by {ack.reviewed_by}, {ack.reviewed_on})"
        )
        return Problem(
            spec.file_name, "acknowledged_change", "warning", column=column,
            message=f"{message}; acknowledged: {ack.reason} (reviewed by {ack.reviewed_by}, "
            f"{ack.reviewed_on})",
            examples=[example],
        )  # fmt: skip
    return Problem(
        spec.file_name, "return_value", "stop", column=column, message=message,
        examples=[example],
    )  # fmt: skip
