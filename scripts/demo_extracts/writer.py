"""CSV writing: DuckDB formats and writes the rows; files appear atomically."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from . import stops as S
from . import targets as T
from .calls import CallRows
from .crimes import AGE_BANDS, SEX_CODES, STATUSES, TRANSPORT, CrimeRows
from .incidents import CATEGORIES, IncidentRows
from .outcomes import OutcomeRows
from .periods import london_offsets
from .reference import Reference
from .returns import ReturnRows
from .stops import StopSearchRows, UseOfForceRows

CRIMES_COLUMNS = (
    "crime_reference",
    "recorded_date",
    "ho_offence_code",
    "neighbourhood_code",
    "record_status",
    "domestic_abuse_flag",
    "victim_sex",
    "victim_age_band",
    "business_victim_flag",
    "emergency_worker_victim_flag",
    "business_worker_victim_flag",
    "knife_sharp_instrument_flag",
    "firearm_flag",
    "transport_location",
)
OUTCOMES_COLUMNS = ("crime_reference", "outcome_code", "outcome_date")
CALLS_COLUMNS = ("call_id", "channel", "presented_at", "answered_at", "abandoned_at")
INCIDENTS_COLUMNS = (
    "incident_id",
    "created_at",
    "grade",
    "opening_category",
    "neighbourhood_code",
    "first_arrival_at",
)


def _category(codes: NDArray[np.int64], labels: tuple[str, ...]) -> pd.Categorical:
    """Labels by index; -1 is empty (NULL, written as an empty field)."""
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(labels))


def _flag(values: NDArray[np.bool_]) -> pd.Categorical:
    return pd.Categorical.from_codes(values.astype(np.int64), categories=["N", "Y"])


def _copy(frame: pd.DataFrame, select: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    target = str(tmp).replace("'", "''")
    try:
        with duckdb.connect() as con:
            con.execute("set preserve_insertion_order = true")
            con.register("src", frame)
            con.execute(f"copy ({select}) to '{target}' (header, delimiter ',')")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_crimes(ref: Reference, rows: CrimeRows, order: NDArray[np.int64], path: Path) -> None:
    frame = pd.DataFrame(
        {
            "seq": rows.sequence[order].astype(np.int32),
            "yy": rows.year2[order].astype(np.int32),
            "day": rows.day[order].astype(np.int32),
            "offence": _category(rows.offence[order], ref.offence_codes),
            "neighbourhood": _category(rows.neighbourhood[order], ref.neighbourhood_codes),
            "status": _category(rows.status[order], STATUSES),
            "domestic": _flag(rows.domestic[order]),
            "sex": _category(rows.victim_sex[order], SEX_CODES),
            "age": _category(rows.victim_age[order], AGE_BANDS),
            "business": _flag(rows.business[order]),
            "emergency": _flag(rows.emergency_worker[order]),
            "business_worker": _flag(rows.business_worker[order]),
            "knife": _flag(rows.knife[order]),
            "firearm": _flag(rows.firearm[order]),
            "transport": _category(rows.transport[order], TRANSPORT),
        }
    )
    sources = (
        "printf('20/%06d/%02d', seq, yy)",
        "date '1970-01-01' + day",
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
    select = ", ".join(f"{s} as {c}" for s, c in zip(sources, CRIMES_COLUMNS, strict=True))
    _copy(frame, f"select {select} from src", path)


def write_outcomes(
    ref: Reference,
    crimes: CrimeRows,
    outcomes: OutcomeRows,
    crime_order: NDArray[np.int64],
    path: Path,
) -> None:
    position = np.empty(len(crime_order), dtype=np.int64)
    position[crime_order] = np.arange(len(crime_order))
    order = np.lexsort((outcomes.outcome, position[outcomes.crime], outcomes.day))
    crime = outcomes.crime[order]
    frame = pd.DataFrame(
        {
            "seq": crimes.sequence[crime].astype(np.int32),
            "yy": crimes.year2[crime].astype(np.int32),
            "code": _category(outcomes.outcome[order], ref.outcome_codes),
            "day": outcomes.day[order].astype(np.int32),
        }
    )
    select = (
        "select printf('20/%06d/%02d', seq, yy) as crime_reference, code as outcome_code, "
        "date '1970-01-01' + day as outcome_date from src"
    )
    _copy(frame, select, path)


def _local(instants: NDArray[np.int64], prefix: str) -> dict[str, NDArray[np.int64]]:
    """Local wall-clock seconds and whether BST is in force, for _timestamp()."""
    offset = london_offsets(instants)
    return {f"{prefix}_local": instants + offset, f"{prefix}_bst": (offset > 0).astype(np.int8)}


def _timestamp(prefix: str) -> str:
    """ISO 8601 local time with its UTC offset, second precision (contract: Europe/London
    wall-clock time, +01:00 in BST, +00:00 in GMT)."""
    return (
        f"strftime(make_timestamp({prefix}_local * 1000000), '%Y-%m-%d %H:%M:%S') || "
        f"if({prefix}_bst = 1, '+01:00', '+00:00')"
    )


def write_calls(rows: CallRows, path: Path) -> None:
    frame = pd.DataFrame(
        {
            "seq": np.arange(1, len(rows) + 1, dtype=np.int64),
            "channel": _category(rows.channel, T.CALL_CHANNELS),
            **_local(rows.presented, "presented"),
            **_local(rows.presented + rows.wait, "ended"),
            "answered": rows.answered,
        }
    )
    sources = (
        "printf('CALL-%09d', seq)",
        "channel",
        _timestamp("presented"),
        f"case when answered then {_timestamp('ended')} end",
        f"case when not answered then {_timestamp('ended')} end",
    )
    select = ", ".join(f"{s} as {c}" for s, c in zip(sources, CALLS_COLUMNS, strict=True))
    _copy(frame, f"select {select} from src", path)


def write_incidents(ref: Reference, rows: IncidentRows, path: Path) -> None:
    frame = pd.DataFrame(
        {
            "seq": np.arange(1, len(rows) + 1, dtype=np.int64),
            **_local(rows.created, "created"),
            "grade": _category(rows.grade, T.INCIDENT_GRADES),
            "category": _category(rows.category, CATEGORIES),
            "neighbourhood": _category(rows.neighbourhood, ref.neighbourhood_codes),
            **_local(rows.created + np.maximum(rows.response, 0), "arrived"),
            "attended": rows.attended,
        }
    )
    sources = (
        "printf('INC-%08d', seq)",
        _timestamp("created"),
        "grade",
        "category",
        "neighbourhood",
        f"case when attended then {_timestamp('arrived')} end",
    )
    select = ", ".join(f"{s} as {c}" for s, c in zip(sources, INCIDENTS_COLUMNS, strict=True))
    _copy(frame, f"select {select} from src", path)


RETURNS_COLUMNS = ("return_id", "period_end", "measure", "value")


def write_returns(rows: ReturnRows, path: Path) -> None:
    frame = pd.DataFrame(
        {
            "return_id": rows.return_id,
            "period_end": pd.to_datetime(pd.Series(rows.period_end)).dt.date,
            "measure": rows.measure,
            "value": np.array(rows.value, dtype=np.int64),
        }
    )
    select = ", ".join(RETURNS_COLUMNS)
    _copy(frame, f"select {select} from src", path)


# data.police.uk stop and search headers -> stop_search.csv columns: Type -> search_type,
# Date -> searched_at, Part of a policing operation -> part_of_policing_operation,
# Policing operation -> policing_operation, Latitude, Longitude, Gender, Age range,
# Self-defined ethnicity, Officer-defined ethnicity, Legislation, Object of search,
# Outcome, Outcome linked to object of search, Removal of more than just outer clothing
# -> snake_case of the header; plus stop_search_id, neighbourhood_code and item_found.
STOP_SEARCH_COLUMNS = (
    "stop_search_id",
    "search_type",
    "searched_at",
    "part_of_policing_operation",
    "policing_operation",
    "latitude",
    "longitude",
    "gender",
    "age_range",
    "self_defined_ethnicity",
    "officer_defined_ethnicity",
    "legislation",
    "object_of_search",
    "outcome",
    "outcome_linked_to_object_of_search",
    "removal_of_more_than_just_outer_clothing",
    "neighbourhood_code",
    "item_found",
)
USE_OF_FORCE_COLUMNS = (
    "use_of_force_id",
    "incident_date",
    "neighbourhood_code",
    "location_type",
    "subject_perceived_ethnicity",
    "subject_perceived_age_group",
    "subject_perceived_gender",
    "main_tactic",
    "primary_reason",
    "outcome",
    "subject_injured",
)


def write_stop_searches(ref: Reference, rows: StopSearchRows, path: Path) -> None:
    frame = pd.DataFrame(
        {
            "seq": np.arange(1, len(rows) + 1, dtype=np.int64),
            "type": _category(rows.search_type, S.SEARCH_TYPES),
            **_local(rows.searched, "searched"),
            "operation": _category(rows.operation, S.TRUE_FALSE),
            "lat": rows.latitude,
            "lon": rows.longitude,
            "gender": _category(rows.gender, S.GENDERS),
            "age": _category(rows.age, S.AGE_RANGES),
            "self": _category(rows.self_defined, S.SELF_DEFINED_VALUES),
            "officer": _category(rows.officer_defined, S.OFFICER_DEFINED),
            "legislation": _category(rows.legislation, S.LEGISLATION),
            "object": _category(rows.search_object, S.OBJECT_LABELS),
            "outcome": _category(rows.outcome, S.OUTCOMES),
            "linked": _category(rows.linked, S.TRUE_FALSE),
            "removal": _category(rows.removal, S.TRUE_FALSE),
            "neighbourhood": _category(rows.neighbourhood, ref.neighbourhood_codes),
            "item": _category(rows.item, S.ITEMS),
        }
    )
    sources = (
        "printf('SS-%08d', seq)",
        "type",
        _timestamp("searched"),
        "operation",
        "case when operation = 'True' then 'Operation Sceptre' end",
        "case when not isnan(lat) then printf('%.6f', lat) end",
        "case when not isnan(lon) then printf('%.6f', lon) end",
        "gender",
        "age",
        "self",
        "officer",
        "legislation",
        "object",
        "outcome",
        "linked",
        "removal",
        "neighbourhood",
        "item",
    )
    select = ", ".join(f"{s} as {c}" for s, c in zip(sources, STOP_SEARCH_COLUMNS, strict=True))
    _copy(frame, f"select {select} from src", path)


def write_uses_of_force(ref: Reference, rows: UseOfForceRows, path: Path) -> None:
    frame = pd.DataFrame(
        {
            "seq": np.arange(1, len(rows) + 1, dtype=np.int64),
            "day": rows.day.astype(np.int32),
            "neighbourhood": _category(rows.neighbourhood, ref.neighbourhood_codes),
            "location": _category(rows.location, S.LOCATION_TYPES),
            "ethnicity": _category(rows.ethnicity, S.PERCEIVED_ETHNICITY),
            "age": _category(rows.age, S.UOF_AGE_GROUPS),
            "gender": _category(rows.gender, S.UOF_GENDERS),
            "tactic": _category(rows.tactic, S.TACTICS),
            "reason": _category(rows.reason, S.REASONS),
            "outcome": _category(rows.outcome, S.UOF_OUTCOMES),
            "injured": _category(rows.injured, S.YES_NO),
        }
    )
    sources = (
        "printf('UOF-%08d', seq)",
        "date '1970-01-01' + day",
        "neighbourhood",
        "location",
        "ethnicity",
        "age",
        "gender",
        "tactic",
        "reason",
        "outcome",
        "injured",
    )
    select = ", ".join(f"{s} as {c}" for s, c in zip(sources, USE_OF_FORCE_COLUMNS, strict=True))
    _copy(frame, f"select {select} from src", path)
