"""The dbt vars a run may set, checked before dbt starts.

dbt pastes vars into SQL as they are given: a `current_start` of
`2024-10-01' union all select * from read_csv('/etc/passwd') --` would compile into a
query. So every var a run sets (`--vars`, or POLICE_DBT_VARS, which `make run/rebuild
VARS=...` and `make report VARS=...` pass without a shell re-parse) is checked here
first, against the vars dbt_project.yml declares:

- a var dbt_project.yml does not declare is refused (a typo would be ignored silently);
- a declared var takes the type of its default: a date (YYYY-MM-DD) is an ISO date, an
  integer an integer, a number a number, true/false a boolean, a name (population_force)
  a lower-case slug; a mapping (kpi_series: SQL filters) is not settable at run time;
- ranges: trend_months 1-120, confidence_level strictly between 0 and 1, counts and
  thresholds not negative, and each window ordered (baseline_start <= baseline_end,
  current_start <= current_end, year_to_date_start <= year_to_date_end, calendar_start
  <= calendar_end), with the declared defaults filling the other end.

`check_vars(text)` returns the vars as a mapping or raises VarsError with a message
naming the var, its value and the rule; the pipeline, the public run and the report
call it. dbt run by hand is guarded the same way by macros/validate_vars.sql.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
VARS_ENV = "POLICE_DBT_VARS"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
WINDOWS = (
    ("baseline_start", "baseline_end"),
    ("current_start", "current_end"),
    ("year_to_date_start", "year_to_date_end"),
    ("calendar_start", "calendar_end"),
)
RANGES: dict[str, tuple[float, float, bool]] = {  # low, high, open interval
    "trend_months": (1, 120, False),
    "confidence_level": (0, 1, True),
    "signal_months": (1, 120, False),
    "shift_run_points": (2, 120, False),
    "trend_run_points": (2, 120, False),
    "exact_test_max_events": (0, 1_000_000, False),
    "stable_change_pct": (0, 1000, False),
    "stable_change_points": (0, 100, False),
}


class VarsError(ValueError):
    pass


# Vars the models read with a default of their own, not declared in dbt_project.yml.
READ_WITH_DEFAULT: dict[str, Any] = {"windows_from_coverage": False}


@cache
def declared_vars(project_file: Path = PROJECT_DIR / "dbt_project.yml") -> dict[str, Any]:
    raw = yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}
    return {**READ_WITH_DEFAULT, **dict(raw.get("vars") or {})}


def _kind(default: object) -> str:
    if isinstance(default, bool):
        return "boolean"
    if isinstance(default, int):
        return "integer"
    if isinstance(default, float):
        return "number"
    if isinstance(default, str):
        return "date" if ISO_DATE.fullmatch(default) else "name"
    return "mapping"


def _check_one(name: str, value: object, default: object) -> object:
    kind = _kind(default)
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    if kind == "mapping":
        raise VarsError(f"var {name} is declared in dbt_project.yml and cannot be set at run time")
    if kind == "date":
        text = value.isoformat() if isinstance(value, date) else value
        if not isinstance(text, str) or not ISO_DATE.fullmatch(text):
            raise VarsError(f"var {name}={shown} is not an ISO date (YYYY-MM-DD)")
        try:
            date.fromisoformat(text)
        except ValueError as error:
            raise VarsError(f"var {name}={shown} is not a date: {error}") from None
        return text
    if kind == "boolean":
        if not isinstance(value, bool):
            raise VarsError(f"var {name}={shown} is not true or false")
        return value
    if kind in ("integer", "number"):
        integer = kind == "integer"
        ok = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            raise VarsError(f"var {name}={shown} is not {'an integer' if integer else 'a number'}")
        if name in RANGES:
            low, high, open_ = RANGES[name]
            inside = low < value < high if open_ else low <= value <= high
            if not inside:
                brackets = ("(", ")") if open_ else ("[", "]")
                raise VarsError(
                    f"var {name}={shown} is outside {brackets[0]}{low:g}, {high:g}{brackets[1]}"
                )
        return value
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise VarsError(f"var {name}={shown} is not a lower-case name (letters, digits, '-')")
    return value


def check_vars(
    given: str | Mapping[str, object] | None, declared: Mapping[str, Any] | None = None
) -> dict[str, object]:
    """The vars of a run (YAML or JSON text as dbt takes it, or a mapping), checked; {}
    for none. Raises VarsError."""
    declared = declared_vars() if declared is None else declared
    if given is None or (isinstance(given, str) and not given.strip()):
        return {}
    if isinstance(given, str):
        try:
            parsed = yaml.safe_load(given)
        except yaml.YAMLError as error:
            raise VarsError(f"--vars is not YAML or JSON: {error}") from None
    else:
        parsed = dict(given)
    if parsed is None:
        return {}
    if not isinstance(parsed, dict):
        raise VarsError(f"--vars is a mapping of var: value, not {type(parsed).__name__}")
    out: dict[str, object] = {}
    for name, value in parsed.items():
        if not isinstance(name, str) or name not in declared:
            known = ", ".join(sorted(k for k in declared if _kind(declared[k]) != "mapping"))
            raise VarsError(f"var {name!r} is not one dbt_project.yml declares (vars: {known})")
        out[name] = _check_one(name, value, declared[name])
    merged = {**declared, **out}
    for start, end in WINDOWS:
        touched = start in out or end in out
        if touched and start in merged and end in merged and str(merged[start]) > str(
            merged[end]
        ):
            raise VarsError(
                f"window {start}..{end} is not ordered: {merged[start]} is after {merged[end]}"
            )
    return out


def vars_from(dbt_args: list[str]) -> tuple[list[str], str | None]:
    """dbt's arguments without `--vars X` (or `--vars=X`), and X (else POLICE_DBT_VARS)."""
    args, text = [], None
    i = 0
    while i < len(dbt_args):
        arg = dbt_args[i]
        if arg == "--vars":
            if i + 1 >= len(dbt_args):
                raise VarsError("--vars needs a value")
            text = dbt_args[i + 1]
            i += 2
            continue
        if arg.startswith("--vars="):
            text = arg.split("=", 1)[1]
        else:
            args.append(arg)
        i += 1
    if text is None:
        text = os.environ.get(VARS_ENV) or None
    return args, text


def with_checked_vars(dbt_args: list[str]) -> list[str]:
    """dbt's arguments with their vars checked and passed as JSON (one --vars)."""
    import json

    args, text = vars_from(dbt_args)
    checked = check_vars(text)
    return [*args, "--vars", json.dumps(checked)] if checked else args
