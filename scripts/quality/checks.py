"""Row-level rules of an extract, built from its spec.

For each rule the gate derives, in DuckDB, one column of a compact "checks frame" (one
row per loaded row, indexed by the row's source line) and one Great Expectations
expectation on that column:

- code columns go to GX as themselves (categorical): not null, value in the code set;
- dates and timestamps go as their (local) date, yyyymmdd: not in the future, in the window;
- durations go as seconds: not negative (timestamps in order), not absurd;
- rules GX has no column-level expectation for (a timestamp that parses, a UTC offset that
  is Europe/London's, a key seen twice with different content, an exact repeat of a row,
  a reference to a crime that is missing, exactly one of two columns filled) are computed
  here and go to GX as a boolean column expected to be True.

Only these typed columns reach pandas: hashing and scanning millions of Python strings in
GX would take minutes (measured), while DuckDB reads and derives them in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from .config import GateConfig
from .load import ident, literal
from .spec import Column, ExtractSpec

MAX_UNKNOWN_CATEGORIES = 1000
OTHER_UNKNOWN = "<other unknown value>"
OFFSET_RE = r"[+-]\d{2}:\d{2}"


@dataclass(frozen=True)
class Check:
    """One rule on one column: GX `expectation` on `gx_column` of the checks frame."""

    rule: str
    column: str  # the extract's column(s) the rule is about
    gx_column: str
    expectation: str  # "in_set" | "not_null" | "between"
    description: str
    value_set: tuple[object, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None


@dataclass
class CheckPlan:
    sql: str  # select __line, <gx columns> ...
    checks: list[Check] = field(default_factory=list)
    # code column -> its most frequent values outside the code set, with their row counts
    unknown_values: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def yyyymmdd(day: date) -> float:
    return float(day.year * 10000 + day.month * 100 + day.day)


def _present(col: str) -> str:
    c = ident(col)
    return f"({c} is not null and {c} <> '')"


def _empty(col: str) -> str:
    c = ident(col)
    return f"({c} is null or {c} = '')"


def _boolean(expr: str) -> str:
    return f"coalesce({expr}, false)"


def _helpers(spec: ExtractSpec) -> list[str]:
    """Typed helper columns derived from the text values: __d_<c> (date), __l_<c> (local
    timestamp), __o_<c> (UTC offset in minutes), __n_<c> (number). NULL when the text does
    not have the contract's shape (cheap character tests, then DuckDB's strict casts)."""
    out: list[str] = []
    for column in spec.columns:
        c = ident(column.name)
        if column.kind == "date":
            out.append(
                f"case when length({c}) = 10 and substr({c}, 5, 1) = '-' "
                f"and substr({c}, 8, 1) = '-' "
                f"then try_cast({c} as date) end as {ident('__d_' + column.name)}"
            )
        elif column.kind == "timestamp":
            local = (
                f"case when length({c}) = 25 and substr({c}, 5, 1) = '-' "
                f"and substr({c}, 8, 1) = '-' and substr({c}, 11, 1) = ' ' "
                f"then try_cast(substr({c}, 1, 19) as timestamp) end"
            )
            offset = (
                f"case substr({c}, 20) when '+00:00' then 0 when '+01:00' then 60 else "
                f"case when regexp_full_match(substr({c}, 20), {literal(OFFSET_RE)}) then "
                f"(case when substr({c}, 20, 1) = '-' then -1 else 1 end) * "
                f"(substr({c}, 21, 2)::integer * 60 + substr({c}, 24, 2)::integer) end end"
            )
            out.append(f"{local} as {ident('__l_' + column.name)}")
            out.append(f"{offset} as {ident('__o_' + column.name)}")
        elif column.kind == "number":
            out.append(f"try_cast({c} as double) as {ident('__n_' + column.name)}")
    return out


def _instant(col: str) -> str:
    """Epoch seconds of the instant a local timestamp with its offset denotes."""
    return f"(epoch({ident('__l_' + col)}) - {ident('__o_' + col)} * 60)"


def _london_offset_ok(col: str) -> str:
    """The offset is the one Europe/London has at that instant (current UK rule): BST
    (+60) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
    October, GMT (0) otherwise. Only March and October need the Sunday arithmetic."""
    local, offset = ident("__l_" + col), ident("__o_" + col)
    utc = f"({local} - to_minutes({offset}))"

    def change(month: int) -> str:
        last = f"make_date(year({utc}), {month}, 31)"
        return f"(({last} - dayofweek({last})::integer)::timestamp + interval 1 hour)"

    expected = (
        f"(case when month({utc}) between 4 and 9 then 60 "
        f"when month({utc}) = 3 then (case when {utc} >= {change(3)} then 60 else 0 end) "
        f"when month({utc}) = 10 then (case when {utc} < {change(10)} then 60 else 0 end) "
        f"else 0 end)"
    )
    return f"({local} is null or {offset} is null or {offset} = {expected})"


def _date_number(expr: str) -> str:
    return f"(year({expr}) * 10000 + month({expr}) * 100 + day({expr}))::double"


def plan_checks(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    view: str,
    config: GateConfig,
    codes: dict[str, tuple[str, ...]],
    ref_tables: dict[int, str],
) -> CheckPlan:
    """The checks frame query and its checks. `codes`: each code column's set;
    `ref_tables`: index of a spec reference -> DuckDB table of the referenced extract's
    keys (__ref_key, __ref_accepted, __ref_date); references without one are skipped."""
    plan = CheckPlan(sql="")
    select: list[str] = ["b.__line"]
    joins: list[str] = []
    key = set(spec.key)
    today, start, end = config.effective_today, config.window_start, config.window_end

    def add(expr: str, check: Check) -> None:
        select.append(f"{expr} as {ident(check.gx_column)}")
        plan.checks.append(check)

    # Key: present, well formed, duplicates.
    for col in spec.key:
        add(
            _boolean(_present(col)),
            Check(
                "null_key",
                col,
                f"{col}__present",
                "in_set",
                f"{col} (key) is filled",
                value_set=(True,),
            ),
        )
    dup_table = _duplicates(con, spec, view)
    joins.append(f"left join {dup_table} dup on dup.__dup_line = b.__line")
    key_name = ", ".join(spec.key)
    add(
        "dup.__dup_line is null or not dup.__dup_conflict",
        Check(
            "duplicate_key",
            key_name,
            "key__no_conflicting_copy",
            "in_set",
            f"no other row has the key ({key_name}) with different values",
            value_set=(True,),
        ),
    )
    add(
        "dup.__dup_line is null or not dup.__dup_repeat",
        Check(
            "duplicate_row",
            "*",
            "row__not_a_repeat",
            "in_set",
            "the row is not an exact repeat of an earlier row",
            value_set=(True,),
        ),
    )

    for column in spec.columns:
        _column_checks(con, spec, view, column, column.name in key, codes, add, plan)
        if column.kind in ("date", "timestamp"):
            helper = "__d_" if column.kind == "date" else "__l_"
            number = _date_number(ident(helper + column.name))
            name = f"{column.name}__yyyymmdd"
            select.append(f"{number} as {ident(name)}")
            what = "date" if column.kind == "date" else "local date"
            plan.checks.append(
                Check(
                    "future_date",
                    column.name,
                    name,
                    "between",
                    f"{column.name} ({what}) is not after today, {today}",
                    max_value=yyyymmdd(today),
                )
            )
            if column.month_end:
                helper_date = ident("__d_" + column.name)
                add(
                    _boolean(f"{helper_date} is null or day({helper_date} + interval 1 day) = 1"),
                    Check(
                        "not_month_end",
                        column.name,
                        f"{column.name}__month_end",
                        "in_set",
                        f"{column.name} is the last day of a month",
                        value_set=(True,),
                    ),
                )
            if column.in_window:
                plan.checks.append(
                    Check(
                        "outside_window",
                        column.name,
                        name,
                        "between",
                        f"{column.name} ({what}) is in the declared window {start} to {end}",
                        min_value=yyyymmdd(start),
                        max_value=yyyymmdd(end),
                    )
                )

    for column in spec.columns:
        if column.min_value is not None:
            plan.checks.append(
                Check(
                    "below_minimum",
                    column.name,
                    f"{column.name}__number",
                    "between",
                    f"{column.name} is at least {column.min_value:g}",
                    min_value=column.min_value,
                )
            )
            select.append(f"{ident('__n_' + column.name)} as {ident(column.name + '__number')}")

    if spec.measures is not None:
        table = _measures_table(con, spec, config)
        m = spec.measures
        first, second = (ident(c) for c in m.id_columns)
        joins.append(
            f"left join {table} msr on msr.__msr_id = b.{first} and msr.__msr_measure = b.{second}"
        )
        add(
            _boolean(
                f"{_empty(m.id_columns[0])} or {_empty(m.id_columns[1])} "
                "or msr.__msr_id is not null"
            ),
            Check(
                "unknown_measure",
                "|".join(m.id_columns),
                f"{m.id_columns[1]}__of_{m.id_columns[0]}",
                "in_set",
                f"({', '.join(m.id_columns)}) is a pair of {m.file}",
                value_set=(True,),
            ),
        )
        groups = ", ".join(f"{ident(c)} as {ident('__whole_' + c)}" for c in m.group_columns)
        on = " and ".join(f"whole.{ident('__whole_' + c)} = b.{ident(c)}" for c in m.group_columns)
        joins.append(
            f"left join (select {groups}, {second} as __whole_measure, "
            f"max(try_cast({ident(m.value)} as double)) as __whole_value from {view} "
            f"group by all) whole on {on} and whole.__whole_measure = msr.__msr_bound"
        )
        add(
            _boolean(
                f"whole.__whole_value is null or {ident('__n_' + m.value)} is null "
                f"or {ident('__n_' + m.value)} <= whole.__whole_value"
            ),
            Check(
                "above_bound",
                m.value,
                f"{m.value}__not_above_its_whole",
                "in_set",
                f"{m.value} is not above the value of the measure {m.file} names in "
                f"{m.bound_column}, same {', '.join(m.group_columns)}",
                value_set=(True,),
            ),
        )

    for pair in spec.order_pairs:
        seconds = f"({_instant(pair.end)} - {_instant(pair.start)})::double"
        select.append(f"{seconds} as {ident(pair.name)}")
        plan.checks.append(
            Check(
                "timestamp_order",
                pair.end,
                pair.name,
                "between",
                f"{pair.end} is not before {pair.start} ({pair.name} >= 0)",
                min_value=0,
            )
        )
        if pair.max_seconds is not None:
            plan.checks.append(
                Check(
                    "absurd_duration",
                    pair.end,
                    pair.name,
                    "between",
                    f"{pair.name} is at most {pair.max_seconds:,} s",
                    max_value=pair.max_seconds,
                )
            )
        for value, limit in pair.max_seconds_by.items():
            assert pair.by_column is not None
            name = f"{pair.name}__{pair.by_column}_{value}"
            select.append(
                f"case when b.{ident(pair.by_column)} = {literal(value)} then {seconds} end "
                f"as {ident(name)}"
            )
            plan.checks.append(
                Check(
                    "absurd_duration",
                    pair.end,
                    name,
                    "between",
                    f"{pair.name} is at most {limit:,} s when {pair.by_column} is {value}",
                    max_value=limit,
                )
            )

    for group in spec.exactly_one_of:
        filled = " + ".join(f"{_present(c)}::integer" for c in group)
        add(
            _boolean(f"({filled}) = 1"),
            Check(
                "exactly_one_of",
                "|".join(group),
                "exactly_one_of__" + "__".join(group),
                "in_set",
                f"exactly one of {', '.join(group)} is filled",
                value_set=(True,),
            ),
        )

    for i, ref in enumerate(spec.references):
        keys = ref_tables.get(i)
        if keys is None:
            continue
        alias = f"ref{i}"
        joins.append(f"left join {keys} {alias} on {alias}.__ref_key = b.{ident(ref.column)}")
        add(
            _boolean(f"{_empty(ref.column)} or {alias}.__ref_key is not null"),
            Check(
                "missing_reference",
                ref.column,
                f"{ref.column}__in_{ref.extract}",
                "in_set",
                f"{ref.column} is a {ref.key} in {ref.extract}",
                value_set=(True,),
            ),
        )
        add(
            _boolean(f"{alias}.__ref_key is null or {alias}.__ref_accepted"),
            Check(
                "quarantined_reference",
                ref.column,
                f"{ref.column}__{ref.extract}_accepted",
                "in_set",
                f"the {ref.extract} row of {ref.column} passed the gate",
                value_set=(True,),
            ),
        )
        if ref.not_before:
            mine, theirs = ref.not_before
            name = f"{mine}__days_after_{ref.extract}_{theirs}"
            select.append(
                f"date_diff('day', {alias}.__ref_date, b.{ident('__d_' + mine)})::double "
                f"as {ident(name)}"
            )
            plan.checks.append(
                Check(
                    "date_order",
                    mine,
                    name,
                    "between",
                    f"{mine} is not before the {ref.extract} {theirs}",
                    min_value=0,
                )
            )

    helpers = ", ".join(["*", *_helpers(spec)])
    plan.sql = (
        f"with b as (select {helpers} from {view}) "
        f"select {', '.join(select)} from b {' '.join(joins)}"
    )
    return plan


def _column_checks(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    view: str,
    column: Column,
    in_key: bool,
    codes: dict[str, tuple[str, ...]],
    add: Callable[[str, Check], None],
    plan: CheckPlan,
) -> None:
    name = column.name
    if column.required and not in_key and column.kind != "code":
        add(
            _boolean(_present(name)),
            Check(
                "missing_value",
                name,
                f"{name}__present",
                "in_set",
                f"{name} is filled",
                value_set=(True,),
            ),
        )
    if column.kind == "id" and column.pattern:
        rule = "malformed_key" if in_key else "malformed_value"
        add(
            _boolean(
                f"{_empty(name)} or regexp_full_match({ident(name)}, {literal(column.pattern)})"
            ),
            Check(
                rule,
                name,
                f"{name}__well_formed",
                "in_set",
                f"{name} matches {column.pattern}",
                value_set=(True,),
            ),
        )
    elif column.kind in ("date", "timestamp", "number"):
        prefixes = {"date": ["__d_"], "timestamp": ["__l_", "__o_"], "number": ["__n_"]}[
            column.kind
        ]
        parsed = " and ".join(f"{ident(p + name)} is not null" for p in prefixes)
        shape = {
            "date": "YYYY-MM-DD",
            "timestamp": "YYYY-MM-DD HH:MM:SS+HH:MM",
            "number": "a number",
        }[column.kind]
        add(
            _boolean(f"{_empty(name)} or ({parsed})"),
            Check(
                "wrong_type",
                name,
                f"{name}__parses",
                "in_set",
                f"{name} is empty or a valid {shape}",
                value_set=(True,),
            ),
        )
        if column.kind == "timestamp":
            add(
                _boolean(_london_offset_ok(name)),
                Check(
                    "wrong_utc_offset",
                    name,
                    f"{name}__london_offset",
                    "in_set",
                    f"{name} has Europe/London's UTC offset at that time",
                    value_set=(True,),
                ),
            )
    elif column.kind == "code":
        add(*_code_column(con, spec, view, column, in_key, codes[name], plan))


def _code_column(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    view: str,
    column: Column,
    in_key: bool,
    code_set: tuple[str, ...],
    plan: CheckPlan,
) -> tuple[str, Check]:
    """The code column as a categorical (a DuckDB ENUM of the codes and of up to
    MAX_UNKNOWN_CATEGORIES unknown values present; further unknown values become one
    category). Adds the not-null check for required columns; returns the in-set check."""
    c = ident(column.name)
    counts = con.execute(
        f"select {c}, count(*) from {view} where {c} is not null and {c} <> '' group by all"
    ).fetchall()
    unknown = [v for v, _ in counts if v not in set(code_set)]
    plan.unknown_values[column.name] = sorted(
        ((v, n) for v, n in counts if v not in set(code_set)), key=lambda vn: -vn[1]
    )[:5]
    categories = list(dict.fromkeys([*code_set, *unknown[:MAX_UNKNOWN_CATEGORIES]]))
    if len(unknown) > MAX_UNKNOWN_CATEGORIES:
        categories.append(OTHER_UNKNOWN)
    enum = ident(f"enum__{spec.name}__{column.name}")
    con.execute(f"drop type if exists {enum}")
    con.execute(f"create type {enum} as enum ({', '.join(literal(v) for v in categories)})")
    fallback = literal(OTHER_UNKNOWN) if len(unknown) > MAX_UNKNOWN_CATEGORIES else "null"
    expr = (
        f"case when {_empty(column.name)} then null "
        f"else coalesce(try_cast({c} as {enum}), {fallback}) end"
    )
    if column.required and not in_key:
        plan.checks.append(
            Check("missing_value", column.name, column.name, "not_null", f"{column.name} is filled")
        )
    return expr, Check(
        "unknown_code",
        column.name,
        column.name,
        "in_set",
        f"{column.name} is one of {len(code_set)} codes",
        value_set=tuple(code_set),
    )


def _measures_table(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, config: GateConfig) -> str:
    """The seed's (id, measure, bounding measure) rows as a DuckDB table."""
    assert spec.measures is not None
    table = ident(f"measures__{spec.name}")
    rows = spec.measures.load(config.seeds_dir)
    frame = pd.DataFrame(rows, columns=["__msr_id", "__msr_measure", "__msr_bound"])
    frame["__msr_bound"] = frame["__msr_bound"].replace("", None)
    con.register("__measures_frame", frame)
    con.execute(f"create or replace table {table} as select * from __measures_frame")
    con.unregister("__measures_frame")
    return table


def _duplicates(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, view: str) -> str:
    """Rows whose (filled) key occurs more than once: `conflict` when the key's rows
    differ, `repeat` for every exact copy after the first."""
    table = ident(f"dups__{spec.name}")
    keys = ", ".join(ident(k) for k in spec.key)
    cols = ", ".join(ident(c) for c in spec.column_names)
    filled = " and ".join(_present(k) for k in spec.key)
    c_cols = ", ".join(f"c.{ident(c)}" for c in spec.column_names)
    on = " and ".join(f"f.{ident(k)} = c.{ident(k)}" for k in spec.key)
    con.execute(
        f"""
        create or replace table {table} as
        with twice as (
            select {keys} from {view} where {filled} group by {keys} having count(*) > 1
        ),
        candidates as (select __pos, __line, {cols} from {view} semi join twice using ({keys})),
        contents as (select distinct {cols} from candidates),
        conflicting as (select {keys} from contents group by {keys} having count(*) > 1)
        select
            c.__line as __dup_line,
            f.{ident(spec.key[0])} is not null as __dup_conflict,
            row_number() over (partition by {c_cols} order by c.__pos) > 1 as __dup_repeat
        from candidates c left join conflicting f on {on}
        """
    )
    return table


def failing_rows(frame: pd.DataFrame, checks: list[Check]) -> np.ndarray:
    """Rows of the checks frame failing any check, by the expectations' own semantics
    (in-set and between ignore missing values). Only a pre-screen: it tells the gate
    whether an extract will stop on the threshold before GX lists the rows."""
    failing = np.zeros(len(frame), dtype=bool)
    for check in checks:
        values = frame[check.gx_column]
        if check.expectation == "not_null":
            failing |= values.isna().to_numpy()
        elif check.expectation == "in_set":
            failing |= (values.notna() & ~values.isin(list(check.value_set or ()))).to_numpy()
        else:
            number = values.to_numpy(dtype=float, na_value=np.nan)
            with np.errstate(invalid="ignore"):
                if check.min_value is not None:
                    failing |= number < check.min_value
                if check.max_value is not None:
                    failing |= number > check.max_value
    return failing
