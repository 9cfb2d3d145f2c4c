"""Faulty variants of a clean set of demo extracts, one landing folder per fault kind.

    python tests/faults/generate.py --clean DIR --out DIR [--kind KIND ...]

writes OUT/<kind>/<extract>.csv (every extract) and OUT/<kind>/fault.json
(what was broken, on which source lines, and what the gate must do about it). The clean
set comes from `scripts/generate_demo_extracts.py --scale 0.03`; faults pick their rows
deterministically, so a variant is the same for the same clean set.

Each `Fault` says which extract it breaks, the rule the gate must report, whether the run
stops (nothing published) or the rows are quarantined (the rest published), and whether
it needs a previous accepted delivery in the gate's state (volume, same delivery).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from quality.contracts import EXTRACT_NAMES as EXTRACTS  # the contracts name the extracts
from quality.contracts import SPECS

LONDON = ZoneInfo("Europe/London")
TODAY = "2025-11-01"  # the gate's injected "today" for every variant


class Table:
    """A CSV extract as its header and rows of text (empty string = empty field)."""

    def __init__(self, landing: Path, name: str) -> None:
        self.path = landing / f"{name}.csv"
        with self.path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            self.header = next(reader)
            self.rows = list(reader)

    def col(self, name: str) -> int:
        return self.header.index(name)

    def get(self, row: list[str], name: str) -> str:
        return row[self.col(name)]

    def set(self, row: list[str], name: str, value: str) -> None:
        row[self.col(name)] = value

    def text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue()

    def save(self) -> None:
        self.write_bytes(self.text().encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(self.path)  # a new file: never writes through to the clean set

    def pick(self, n: int, where: Callable[[list[str]], bool] = lambda _: True) -> list[int]:
        """n row indexes spread evenly over the rows matching `where` (deterministic)."""
        matching = [i for i, row in enumerate(self.rows) if where(row)]
        if len(matching) < n:
            raise ValueError(f"{self.path.name}: only {len(matching)} rows to break")
        step = len(matching) // n
        return [matching[step // 2 + k * step] for k in range(n)]


def line(index: int) -> int:
    """Source line of data row `index` (0-based); the header is line 1."""
    return index + 2


def parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def london(instant: datetime) -> str:
    local = instant.astimezone(LONDON)
    offset = local.utcoffset() or timedelta(0)
    hours = int(offset.total_seconds() // 3600)
    return f"{local:%Y-%m-%d %H:%M:%S}+{hours:02d}:00"


def crimes_without_outcomes(landing: Path) -> Callable[[list[str]], bool]:
    referenced = {row[0] for row in Table(landing, "crime_outcomes").rows}
    return lambda row: row[0] not in referenced


@dataclass(frozen=True)
class Fault:
    kind: str
    extract: str
    rule: str
    stops: bool
    description: str
    apply: Callable[[Path], list[int]] = field(repr=False, compare=False)
    # The gate's state before the run: "" (first delivery), "previous" (yesterday's
    # delivery accepted, see previous_delivery) or "clean" (then the clean set accepted).
    state: str = ""
    cascade: tuple[tuple[str, str], ...] = ()  # (extract, rule) also quarantined

    def manifest(self, lines: list[int]) -> dict[str, object]:
        data = {k: v for k, v in asdict(self).items() if k != "apply"}
        return {**data, "lines": lines, "today": TODAY}


FAULTS: dict[str, Fault] = {}


def fault(
    kind: str,
    extract: str,
    rule: str,
    stops: bool,
    description: str,
    *,
    state: str = "",
    cascade: tuple[tuple[str, str], ...] = (),
) -> Callable[[Callable[[Path], list[int]]], Callable[[Path], list[int]]]:
    def register(apply: Callable[[Path], list[int]]) -> Callable[[Path], list[int]]:
        FAULTS[kind] = Fault(kind, extract, rule, stops, description, apply, state, cascade)
        return apply

    return register


# --- Extract level: the run stops -------------------------------------------------------


@fault("missing_file", "crime_outcomes", "missing_file", True, "crime_outcomes.csv absent")
def _missing_file(landing: Path) -> list[int]:
    (landing / "crime_outcomes.csv").unlink()
    return []


@fault("empty_file", "calls", "empty_file", True, "calls.csv has zero bytes")
def _empty_file(landing: Path) -> list[int]:
    (landing / "calls.csv").write_bytes(b"")
    return []


@fault("header_only", "incidents", "header_only", True, "incidents.csv: header, no rows")
def _header_only(landing: Path) -> list[int]:
    table = Table(landing, "incidents")
    table.rows = []
    table.save()
    return [1]


@fault("missing_column", "crimes", "missing_column", True, "crimes without victim_sex")
def _missing_column(landing: Path) -> list[int]:
    table = Table(landing, "crimes")
    drop = table.col("victim_sex")
    table.header.pop(drop)
    for row in table.rows:
        row.pop(drop)
    table.save()
    return [1]


@fault("renamed_column", "crime_outcomes", "renamed_column", True, "outcome_code -> outcome")
def _renamed_column(landing: Path) -> list[int]:
    table = Table(landing, "crime_outcomes")
    table.header[table.col("outcome_code")] = "outcome"
    table.save()
    return [1]


@fault("extra_column", "calls", "extra_column", True, "calls with an operator_id column")
def _extra_column(landing: Path) -> list[int]:
    table = Table(landing, "calls")
    table.header.append("operator_id")
    for i, row in enumerate(table.rows):
        row.append(f"OP{i % 97:03d}")
    table.save()
    return [1]


@fault("reordered_columns", "incidents", "column_order", True, "created_at and grade swapped")
def _reordered_columns(landing: Path) -> list[int]:
    table = Table(landing, "incidents")
    a, b = table.col("created_at"), table.col("grade")
    for row in [table.header, *table.rows]:
        row[a], row[b] = row[b], row[a]
    table.save()
    return [1]


@fault("truncated_file", "crimes", "truncated_file", True, "last line cut mid-row")
def _truncated_file(landing: Path) -> list[int]:
    table = Table(landing, "crimes")
    text = table.text()
    last_start = text.rstrip("\n").rfind("\n") + 1
    cut = last_start + 30  # inside the third field, no final newline
    table.write_bytes(text[:cut].encode("utf-8"))
    return [len(table.rows) + 1]


@fault("windows_1252", "incidents", "undecodable_text", True, "exported in Windows-1252")
def _windows_1252(landing: Path) -> list[int]:
    table = Table(landing, "incidents")
    picked = table.pick(3)
    for i in picked:  # the only non-ASCII values; cp1252 writes \xc9 and \x96 for them
        table.set(table.rows[i], "opening_category", "CAF\u00c9_\u2013_DISTURBANCE")
    table.write_bytes(table.text().encode("cp1252"))
    return [line(i) for i in picked]


@fault("volume_collapse", "calls", "volume_collapse", True, "10% of the calls", state="previous")
def _volume_collapse(landing: Path) -> list[int]:
    table = Table(landing, "calls")
    table.rows = table.rows[::10]
    table.save()
    return []


@fault("volume_surge", "calls", "volume_surge", True, "2.5 times the calls", state="previous")
def _volume_surge(landing: Path) -> list[int]:
    table = Table(landing, "calls")
    copies = [*table.rows, *table.rows[: len(table.rows) // 2]]
    for k, row in enumerate(copies):
        table.rows.append([f"CALL-9{k:09d}", *row[1:]])  # new ids, no duplicate keys
    table.save()
    return []


@fault(
    "same_delivery",
    "crimes",
    "same_delivery",
    True,
    "the accepted delivery loaded again",
    state="clean",
)
def _same_delivery(landing: Path) -> list[int]:
    return []


@fault(
    "earlier_file_resent",
    "crimes",
    "same_delivery",
    True,
    "crimes.csv of the delivery before the latest, with the other extracts of the latest",
    state="clean",
)
def _earlier_file_resent(landing: Path) -> list[int]:
    earlier = landing / ".earlier"
    previous_delivery(landing, earlier)
    shutil.copyfile(earlier / "crimes.csv", landing / "crimes.csv")
    shutil.rmtree(earlier)
    return []


@fault(
    "over_threshold",
    "calls",
    "quarantine_over_threshold",
    True,
    "2% of calls with channel 112 (threshold 1%)",
    cascade=(("calls", "unknown_code"),),
)
def _over_threshold(landing: Path) -> list[int]:
    table = Table(landing, "calls")
    picked = table.pick(len(table.rows) // 50)
    for i in picked:
        table.set(table.rows[i], "channel", "112")
    table.save()
    return [line(i) for i in picked]


# --- Row level: rows quarantined, the run passes ----------------------------------------


@fault("utf8_bom", "crimes", "utf8_bom", False, "crimes.csv starts with a UTF-8 BOM")
def _utf8_bom(landing: Path) -> list[int]:
    path = landing / "crimes.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return []


@fault("malformed_row", "incidents", "malformed_row", False, "a row with an extra field")
def _malformed_row(landing: Path) -> list[int]:
    table = Table(landing, "incidents")
    (i,) = table.pick(1)
    table.rows[i].append("EXTRA")
    table.save()
    return [line(i)]


@fault("wrong_type", "calls", "wrong_type", False, "answered_at that is not a timestamp")
def _wrong_type(landing: Path) -> list[int]:
    table = Table(landing, "calls")
    picked = table.pick(4, lambda r: r[3] != "")
    bad = (
        "2023-02-30 10:00:00+00:00",
        "yesterday",
        "2023-05-01T10:00:00+01:00",
        "01/05/2023 10:00:00+01:00",
    )
    for i, value in zip(picked, bad, strict=True):
        table.set(table.rows[i], "answered_at", value)
    table.save()
    return [line(i) for i in picked]


@fault("duplicate_rows", "crimes", "duplicate_row", False, "4 crimes delivered twice")
def _duplicate_rows(landing: Path) -> list[int]:
    table = Table(landing, "crimes")
    picked = set(table.pick(4))
    rows: list[list[str]] = []
    repeats: list[int] = []
    for i, row in enumerate(table.rows):
        rows.append(row)
        if i in picked:
            rows.append(list(row))
            repeats.append(line(len(rows) - 1))
    table.rows = rows
    table.save()
    return repeats


@fault("duplicate_keys", "incidents", "duplicate_key", False, "3 incident ids with 2 versions")
def _duplicate_keys(landing: Path) -> list[int]:
    table = Table(landing, "incidents")
    picked = table.pick(3)
    for i in picked:
        copy = list(table.rows[i])
        grade = table.get(copy, "grade")
        table.set(copy, "grade", "SCHEDULED" if grade != "SCHEDULED" else "PRIORITY")
        table.rows.append(copy)
    table.save()
    n = len(table.rows)
    return sorted([line(i) for i in picked] + [line(n - 3 + k) for k in range(3)])


@fault("null_keys", "calls", "null_key", False, "4 calls without call_id")
def _null_keys(landing: Path) -> list[int]:
    table = Table(landing, "calls")
    picked = table.pick(4)
    for i in picked:
        table.set(table.rows[i], "call_id", "")
    table.save()
    return [line(i) for i in picked]


def _set_codes(
    landing: Path,
    name: str,
    column: str,
    value: str,
    n: int,
    where: Callable[[list[str]], bool] = lambda _: True,
) -> list[int]:
    table = Table(landing, name)
    picked = table.pick(n, where)
    for i in picked:
        table.set(table.rows[i], column, value)
    table.save()
    return [line(i) for i in picked]


@fault("unknown_offence", "crimes", "unknown_code", False, "offence code 99Z")
def _unknown_offence(landing: Path) -> list[int]:
    return _set_codes(
        landing, "crimes", "ho_offence_code", "99Z", 4, crimes_without_outcomes(landing)
    )


@fault("unknown_flag", "crimes", "unknown_code", False, "firearm_flag 'yes'")
def _unknown_flag(landing: Path) -> list[int]:
    return _set_codes(landing, "crimes", "firearm_flag", "yes", 3, crimes_without_outcomes(landing))


@fault("future_dates", "crimes", "future_date", False, "recorded 2026-01-15 (today 2025-11-01)")
def _future_dates(landing: Path) -> list[int]:
    return _set_codes(
        landing, "crimes", "recorded_date", "2026-01-15", 3, crimes_without_outcomes(landing)
    )


@fault("outside_window", "crimes", "outside_window", False, "recorded before the window")
def _outside_window(landing: Path) -> list[int]:
    return _set_codes(
        landing, "crimes", "recorded_date", "2021-09-20", 3, crimes_without_outcomes(landing)
    )


def _shift_calls(
    landing: Path,
    n: int,
    where: Callable[[list[str]], bool],
    change: Callable[[Table, list[str]], None],
) -> list[int]:
    table = Table(landing, "calls")
    picked = table.pick(n, where)
    for i in picked:
        change(table, table.rows[i])
    table.save()
    return [line(i) for i in picked]


@fault(
    "answered_before_presented",
    "calls",
    "timestamp_order",
    False,
    "answered 90 s before presented",
)
def _answered_before_presented(landing: Path) -> list[int]:
    def change(table: Table, row: list[str]) -> None:
        presented = parse_ts(table.get(row, "presented_at"))
        table.set(row, "answered_at", london(presented - timedelta(seconds=90)))

    return _shift_calls(landing, 4, lambda r: r[3] != "", change)


@fault("absurd_duration", "calls", "absurd_duration", False, "999 calls answered after 9 hours")
def _absurd_duration(landing: Path) -> list[int]:
    def change(table: Table, row: list[str]) -> None:
        presented = parse_ts(table.get(row, "presented_at"))
        table.set(row, "answered_at", london(presented + timedelta(hours=9)))

    return _shift_calls(landing, 3, lambda r: r[1] == "999" and r[3] != "", change)


@fault("answered_and_abandoned", "calls", "exactly_one_of", False, "both answered and abandoned")
def _answered_and_abandoned(landing: Path) -> list[int]:
    def change(table: Table, row: list[str]) -> None:
        table.set(row, "abandoned_at", table.get(row, "answered_at"))

    return _shift_calls(landing, 3, lambda r: r[3] != "", change)


@fault("wrong_utc_offset", "calls", "wrong_utc_offset", False, "+01:00 in January")
def _wrong_utc_offset(landing: Path) -> list[int]:
    def change(table: Table, row: list[str]) -> None:
        table.set(row, "presented_at", table.get(row, "presented_at")[:19] + "+01:00")

    return _shift_calls(landing, 3, lambda r: r[2][5:7] == "01" and r[2].endswith("+00:00"), change)


@fault(
    "negative_duration",
    "incidents",
    "timestamp_order",
    False,
    "first arrival 10 minutes before creation",
)
def _negative_duration(landing: Path) -> list[int]:
    table = Table(landing, "incidents")
    picked = table.pick(3, lambda r: r[5] != "")
    for i in picked:
        created = parse_ts(table.get(table.rows[i], "created_at"))
        table.set(table.rows[i], "first_arrival_at", london(created - timedelta(minutes=10)))
    table.save()
    return [line(i) for i in picked]


@fault(
    "outcome_before_crime",
    "crime_outcomes",
    "date_order",
    False,
    "outcome dated before its crime was recorded",
)
def _outcome_before_crime(landing: Path) -> list[int]:
    recorded = {row[0]: row[1] for row in Table(landing, "crimes").rows}
    table = Table(landing, "crime_outcomes")
    picked = table.pick(3, lambda r: recorded.get(r[0], "") >= "2022-06-01")
    for i in picked:
        row = table.rows[i]
        day = datetime.fromisoformat(recorded[row[0]]) - timedelta(days=5)
        table.set(row, "outcome_date", f"{day:%Y-%m-%d}")
    table.save()
    return [line(i) for i in picked]


@fault(
    "quarantined_crime",
    "crimes",
    "unknown_code",
    False,
    "crimes with outcomes given an unknown offence: their outcomes follow them",
    cascade=(("crime_outcomes", "quarantined_reference"),),
)
def _quarantined_crime(landing: Path) -> list[int]:
    outcomes = Table(landing, "crime_outcomes")
    referenced = {row[0] for row in outcomes.rows}
    return _set_codes(landing, "crimes", "ho_offence_code", "99Z", 3, lambda r: r[0] in referenced)


# --- Periodic returns: figures, one value per return, period end and measure --------


def _set_returns(landing: Path, measure: str, column: str, value: str, n: int) -> list[int]:
    table = Table(landing, "periodic_returns")
    picked = table.pick(n, lambda r: r[2] == measure)
    for i in picked:
        table.set(table.rows[i], column, value)
    table.save()
    return [line(i) for i in picked]


@fault("return_not_month_end", "periodic_returns", "not_month_end", False, "mid-month period end")
def _return_not_month_end(landing: Path) -> list[int]:
    table = Table(landing, "periodic_returns")
    picked = table.pick(2, lambda r: r[2] == "losses_gbp")
    for i in picked:  # the 15th of the same month: keys stay distinct
        row = table.rows[i]
        table.set(row, "period_end", table.get(row, "period_end")[:8] + "15")
    table.save()
    return [line(i) for i in picked]


@fault("return_negative_value", "periodic_returns", "below_minimum", False, "a negative figure")
def _return_negative_value(landing: Path) -> list[int]:
    return _set_returns(landing, "median_charge_to_completion_days", "value", "-3", 2)


@fault("return_above_bound", "periodic_returns", "above_bound", False, "completed above headcount")
def _return_above_bound(landing: Path) -> list[int]:
    return _set_returns(landing, "module_1_completed", "value", "999999", 3)


@fault(
    "return_unknown_measure",
    "periodic_returns",
    "unknown_measure",
    False,
    "a measure of another return",
)
def _return_unknown_measure(landing: Path) -> list[int]:
    return _set_returns(landing, "files_meeting_standard", "measure", "officers_headcount", 2)


# --- One wrong value in a few rows, for any extract ------------------------------------


# Row-level faults that put one wrong value into a column of a few rows of an extract:
# kind: (extract, column, value, rows, the rule that must catch them).
VALUE_FAULTS: dict[str, tuple[str, str, str, int, str]] = {
    "unknown_outcome": ("crime_outcomes", "outcome_code", "23", 4, "unknown_code"),
    "unknown_neighbourhood": ("incidents", "neighbourhood_code", "ZZ99", 4, "unknown_code"),
    "orphan_outcomes": (
        "crime_outcomes",
        "crime_reference",
        "20/999999/99",
        3,
        "missing_reference",
    ),
    "unknown_severity": ("road_casualties", "casualty_severity", "4", 3, "unknown_code"),
    "unknown_search_ethnicity": (
        "stop_search",
        "officer_defined_ethnicity",
        "Green",
        3,
        "unknown_code",
    ),
    "dashcam_future_date": (
        "dashcam_submissions",
        "submitted_date",
        "2026-01-15",
        3,
        "future_date",
    ),
    "seizure_null_key": ("vehicle_seizures", "seizure_id", "", 2, "null_key"),
    "use_of_force_wrong_type": ("use_of_force", "incident_date", "2025-02-30", 2, "wrong_type"),
    "enforcement_unknown_neighbourhood": (
        "roads_enforcement",
        "neighbourhood_code",
        "ZZ99",
        3,
        "unknown_code",
    ),
    "order_outside_window": (
        "orders_and_civil_interventions",
        "order_date",
        "2021-09-20",
        2,
        "outside_window",
    ),
}


def _value_fault(extract: str, column: str, value: str, rows: int) -> Callable[[Path], list[int]]:
    return lambda landing: _set_codes(landing, extract, column, value, rows)


for _kind, (_extract, _column, _value, _rows, _rule) in VALUE_FAULTS.items():
    fault(_kind, _extract, _rule, False, f"{_column} {_value!r} in {_rows} rows")(
        _value_fault(_extract, _column, _value, _rows)
    )


# --- Completeness per month (the gate's months.py): every extract with monthly volumes --

MONTH_FAULTS = {
    "missing_last_month": ("2025-09", 1, "missing_month", "every row of its last month removed"),
    "missing_middle_month": ("2023-06", 1, "missing_month", "every row of June 2023 removed"),
    "half_month": ("2024-03", 2, "month_volume", "every second row of March 2024 removed"),
}


def _drop_month(
    extract: str, month: str, every: int, where: Callable[[list[str]], bool] = lambda _: True
) -> Callable[[Path], list[int]]:
    """Remove the month's rows (every one, or every second) of the extract's event date."""

    def apply(landing: Path) -> list[int]:
        table = Table(landing, extract)
        column = table.col(next(s.monthly_column for s in SPECS if s.name == extract))
        seen, kept = 0, []
        for row in table.rows:
            if row[column].startswith(month) and where(row):
                seen += 1
                if seen % every == 0 or every == 1:
                    continue
            kept.append(row)
        table.rows = kept
        table.save()
        return []

    return apply


# A half month is told from chance where a month holds more than about 64 rows (see
# months.py): at the clean set's 3% scale, these extracts.
HALF_MONTH_EXTRACTS = {"incidents", "calls", "crimes", "crime_outcomes", "roads_enforcement"}
for _spec in SPECS:
    if _spec.monthly_column:
        for _suffix, (_month, _every, _rule, _what) in MONTH_FAULTS.items():
            if _suffix == "half_month" and _spec.name not in HALF_MONTH_EXTRACTS:
                continue
            fault(f"{_spec.name}_{_suffix}", _spec.name, _rule, True, f"{_spec.name}: {_what}")(
                _drop_month(_spec.name, _month, _every)
            )
fault(
    "calls_999_missing_month", "calls", "missing_month", True,
    "calls: the 999 calls of August 2025 removed, the 101 calls kept",
)(_drop_month("calls", "2025-08", 1, lambda row: row[1] == "999"))  # fmt: skip


# --- Plausibility (the gate's plausibility.py): figures that parse but cannot be right --


@fault(
    "crimes_short_month", "crimes", "month_volume", True,
    "29% of the crimes recorded in September 2025 removed, and their outcomes",
)  # fmt: skip
def _crimes_short_month(landing: Path) -> list[int]:
    crimes = Table(landing, "crimes")
    day = crimes.col("recorded_date")
    gone: set[str] = set()
    kept, seen = [], 0
    for row in crimes.rows:
        if row[day].startswith("2025-09"):
            seen += 1
            if (seen * 29) % 100 < 29:  # 29 rows in every 100, spread through the month
                gone.add(row[0])
                continue
        kept.append(row)
    crimes.rows = kept
    crimes.save()
    outcomes = Table(landing, "crime_outcomes")
    outcomes.rows = [row for row in outcomes.rows if row[0] not in gone]
    outcomes.save()
    return []


@fault(
    "return_headcount_typo", "periodic_returns", "return_value", True,
    "officers' headcount 81,240 for 2025-09-30 instead of 8,124 (an extra zero)",
)  # fmt: skip
def _return_headcount_typo(landing: Path) -> list[int]:
    table = Table(landing, "periodic_returns")
    (i,) = [
        i for i, r in enumerate(table.rows)
        if r[:3] == ["workforce", "2025-09-30", "officers_headcount"]
    ]  # fmt: skip
    table.set(table.rows[i], "value", table.get(table.rows[i], "value") + "0")
    table.save()
    return [line(i)]


LAST_MONTH = "2025-09"  # the clean set's last month; the previous delivery ends before it


def previous_delivery(clean: Path, out: Path, share: float = 0.01) -> None:
    """Last month's delivery: every extract without the rows of the clean set's last
    month (of its in_window date; an extract without one, its newest `share` of rows),
    and the outcomes of the crimes dropped; the gate checks it with its window ending a
    month earlier. A state holding it sees the clean set as a new delivery of about the
    same volume."""
    out.mkdir(parents=True, exist_ok=True)
    for name in EXTRACTS:
        shutil.copyfile(clean / f"{name}.csv", out / f"{name}.csv")
    for spec in SPECS:
        table = Table(out, spec.name)
        dated = [c.name for c in spec.columns if c.in_window]
        if dated:
            column = table.col(dated[0])
            table.rows = [row for row in table.rows if not row[column].startswith(LAST_MONTH)]
        else:
            table.rows = table.rows[: int(len(table.rows) * (1 - share))]
        if spec.name == "crime_outcomes":
            kept = {row[0] for row in Table(out, "crimes").rows}
            table.rows = [row for row in table.rows if row[0] in kept]
        table.save()


def make_variant(clean: Path, out: Path, kind: str) -> dict[str, object]:
    """Copy the clean set to `out`, apply the fault, write fault.json; its manifest."""
    spec = FAULTS[kind]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in EXTRACTS:
        shutil.copyfile(clean / f"{name}.csv", out / f"{name}.csv")
    manifest = spec.manifest(spec.apply(out))
    (out / "fault.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", type=Path, required=True, help="a clean demo landing set")
    parser.add_argument("--out", type=Path, required=True, help="one folder per fault here")
    parser.add_argument("--kind", action="append", choices=sorted(FAULTS), help="default: all")
    args = parser.parse_args(argv)
    for kind in args.kind or sorted(FAULTS):
        manifest = make_variant(args.clean, args.out / kind, kind)
        print(f"{kind}: {manifest['extract']} -> {manifest['rule']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
