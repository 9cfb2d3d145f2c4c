"""Row-level rules of an extract, built from its contract, as set-based SQL.

Each rule is a `Check`: the Great Expectations expectation it is declared as (in set, not
null, between, on a named check column, as GX Data Docs show it) and the SQL condition
under which a row fails it. `evaluate` runs every check of an extract in one pass over
the loaded rows in DuckDB and keeps only the failing rows, each with the checks it
failed in suite order: memory does not grow with the extract, and the rows never reach
Python.

Suite order decides a row's reported rule (its first failing check): the key (filled,
no conflicting copy, not an exact repeat), then column by column (filled, well formed
or parses, UTC offset, code in its set, not in the future, month end, in the window),
then minimums, measures, order pairs and durations, exactly-one-of, references.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from .config import GateConfig
from .contracts import Column, ExtractSpec, KnownPair, OrderPair, Reference
from .load import ident, literal

OFFSET_RE = r"[+-]\d{2}:\d{2}"
SAMPLE = 20  # failing rows listed per check (GX partial lists; a stopping extract's rows)


@dataclass(frozen=True)
class Check:
    """One rule on one column: declared to GX as `expectation` on check column `name`;
    a row fails it where the SQL `fails` is true."""

    rule: str
    column: str  # the extract's column(s) the rule is about
    name: str  # the check column GX declares the expectation on
    expectation: str  # "in_set" | "not_null" | "between"
    description: str
    fails: str
    value_set: tuple[object, ...] | None = None
    min_value: float | str | None = None
    max_value: float | str | None = None


@dataclass
class CheckPlan:
    from_sql: str  # the loaded rows (alias b) with typed helpers and the joined lookups
    checks: list[Check] = field(default_factory=list)
    # codes outside their list in a column that keeps its rows (on_unknown: warn)
    warnings: list[Check] = field(default_factory=list)


def _present(col: str, alias: str = "") -> str:
    c = f"{alias}{ident(col)}"
    return f"({c} is not null and {c} <> '')"


def _empty(col: str) -> str:
    c = ident(col)
    return f"({c} is null or {c} = '')"


def _helpers(spec: ExtractSpec) -> list[str]:
    """Typed helper columns derived from the text values: __d_<c> (date), __l_<c> (local
    timestamp), __o_<c> (UTC offset in minutes), __n_<c> (number). NULL when the text does
    not have the contract's shape (cheap character tests, then DuckDB's strict casts)."""
    out: list[str] = []
    for column in spec.columns:
        c = ident(column.name)
        if column.kind == "date" and column.format:
            out.append(f"{_date_parse(column, c, strict=False)} as {ident('__d_' + column.name)}")
        elif column.kind == "date":
            out.append(
                f"case when length({c}) = 10 and substr({c}, 5, 1) = '-' "
                f"and substr({c}, 8, 1) = '-' "
                f"then try_cast({c} as date) end as {ident('__d_' + column.name)}"
            )
        elif column.kind == "instant":
            out.append(f"{_instant_parse(c, strict=False)} as {ident('__i_' + column.name)}")
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


def _date_parse(column: Column, c: str, strict: bool) -> str:
    """A date in the column's strptime format."""
    function = "strptime" if strict else "try_strptime"
    return f"cast({function}({c}, {literal(str(column.format))}) as date)"


def _instant_parse(c: str, strict: bool) -> str:
    """An ISO 8601 instant with its offset, with a T or a space between date and time."""
    cast = "cast" if strict else "try_cast"
    return f"{cast}(replace({c}, 'T', ' ') as timestamptz)"


def _london(instant: str) -> str:
    """The Europe/London wall-clock time of an instant."""
    return f"timezone('Europe/London', {instant})"


def typed_columns(spec: ExtractSpec) -> str:
    """The validated copy's columns: each extract column in its contract type (a date, an
    instant for a timestamp with its offset, a double for a number, else text)."""
    parts = []
    for column in spec.columns:
        c = ident(column.name)
        if column.kind == "text" or column.parquet_type == "varchar":
            parts.append(c)
        elif column.kind == "date" and column.format:
            parts.append(f"{_date_parse(column, c, strict=True)} as {c}")
        elif column.kind == "instant":
            parts.append(f"{_instant_parse(c, strict=True)} as {c}")
        else:
            parts.append(f"cast({c} as {column.parquet_type}) as {c}")
    return ", ".join(parts)


def _instant(col: str) -> str:
    """Epoch seconds of the instant a local timestamp with its offset denotes."""
    return f"(epoch({ident('__l_' + col)}) - {ident('__o_' + col)} * 60)"


def london_offset_ok(col: str) -> str:
    """The offset is the one Europe/London has at that instant (current UK rule): BST
    (+60) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
    October, GMT (0) otherwise. Only local dates in March and October need the Sunday
    arithmetic: every local time in April to September is BST, November to February GMT."""
    local, offset = ident("__l_" + col), ident("__o_" + col)
    utc = f"({local} - to_minutes({offset}))"

    def change(month: int) -> str:
        last = f"make_date(year({utc}), {month}, 31)"
        return f"(({last} - dayofweek({last})::integer)::timestamp + interval 1 hour)"

    month = f"substr({ident(col)}, 6, 2)"  # the local month, from the text
    expected = (
        f"(case when {month} between '04' and '09' then 60 "
        f"when {month} in ('11', '12', '01', '02') then 0 "
        f"when month({utc}) between 4 and 9 then 60 "
        f"when month({utc}) = 3 then (case when {utc} >= {change(3)} then 60 else 0 end) "
        f"when month({utc}) = 10 then (case when {utc} < {change(10)} then 60 else 0 end) "
        f"else 0 end)"
    )
    return f"({local} is null or {offset} is null or {offset} = {expected})"


def _date_literal(day: date) -> str:
    return f"date '{day.isoformat()}'"


class _Planner:
    """Builds one extract's checks in suite order."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        spec: ExtractSpec,
        view: str,
        config: GateConfig,
        codes: dict[str, tuple[str, ...]],
        ref_tables: dict[int, str],
    ) -> None:
        self.con, self.spec, self.view, self.config = con, spec, view, config
        self.codes, self.ref_tables = codes, ref_tables
        self.plan = CheckPlan(from_sql="")
        self.joins: list[str] = []

    def add(self, check: Check) -> None:
        self.plan.checks.append(
            Check(**{**check.__dict__, "fails": f"coalesce({check.fails}, false)"})
        )

    def passes(self, rule: str, column: str, name: str, description: str, ok: str) -> None:
        """A rule GX has no column expectation for: a boolean check column, True."""
        self.add(Check(rule, column, name, "in_set", description, f"not ({ok})", (True,)))

    def build(self) -> CheckPlan:
        self.key_checks()
        key = set(self.spec.key)
        for column in self.spec.columns:
            self.column_checks(column, column.name in key)
            if column.kind in ("date", "timestamp", "instant"):
                self.date_checks(column)
            if column.same_month_as:
                self.month_check(column)
        for column in self.spec.columns:
            if column.min_value is not None:
                n = ident("__n_" + column.name)
                self.add(
                    Check(
                        "below_minimum",
                        column.name,
                        f"{column.name}__number",
                        "between",
                        f"{column.name} is at least {column.min_value:g}",
                        f"{n} < {column.min_value}",
                        min_value=column.min_value,
                    )
                )
        if self.spec.measures is not None:
            self.measure_checks()
        for pair in self.spec.order_pairs:
            self.order_checks(pair)
        for group in self.spec.exactly_one_of:
            filled = " + ".join(f"{_present(c)}::integer" for c in group)
            self.passes(
                "exactly_one_of",
                "|".join(group),
                "exactly_one_of__" + "__".join(group),
                f"exactly one of {', '.join(group)} is filled",
                f"({filled}) = 1",
            )
        for i, ref in enumerate(self.spec.references):
            self.reference_checks(i, ref)
        for i, pair in enumerate(self.spec.known_pairs):
            self.pair_check(i, pair)
        helpers = ", ".join(["*", *_helpers(self.spec)])
        self.plan.from_sql = f"(select {helpers} from {self.view}) b {' '.join(self.joins)}"
        return self.plan

    def key_checks(self) -> None:
        for col in self.spec.key:
            self.passes("null_key", col, f"{col}__present", f"{col} (key) is filled", _present(col))
        table = _duplicates(self.con, self.spec, self.view)
        self.joins.append(f"left join {table} dup on dup.__dup_line = b.__line")
        key_name = ", ".join(self.spec.key)
        self.passes(
            "duplicate_key",
            key_name,
            "key__no_conflicting_copy",
            f"no other row has the key ({key_name}) with different values",
            "dup.__dup_line is null or not dup.__dup_conflict",
        )
        self.passes(
            "duplicate_row",
            "*",
            "row__not_a_repeat",
            "the row is not an exact repeat of an earlier row",
            "dup.__dup_line is null or not dup.__dup_repeat",
        )

    def column_checks(self, column: Column, in_key: bool) -> None:
        name = column.name
        if column.required and not in_key:
            if column.kind == "code":
                self.add(
                    Check(
                        "missing_value",
                        name,
                        name,
                        "not_null",
                        f"{name} is filled",
                        f"not {_present(name)}",
                    )
                )
            else:
                self.passes(
                    "missing_value", name, f"{name}__present", f"{name} is filled", _present(name)
                )
        if column.kind == "id" and column.pattern:
            rule = "malformed_key" if in_key else "malformed_value"
            self.passes(
                rule,
                name,
                f"{name}__well_formed",
                f"{name} matches {column.pattern}",
                f"{_empty(name)} or regexp_full_match({ident(name)}, {literal(column.pattern)})",
            )
        elif column.kind in ("date", "timestamp", "instant", "number"):
            prefixes = {
                "date": ["__d_"],
                "timestamp": ["__l_", "__o_"],
                "instant": ["__i_"],
                "number": ["__n_"],
            }
            parsed = " and ".join(f"{ident(p + name)} is not null" for p in prefixes[column.kind])
            shape = {
                "date": column.format or "YYYY-MM-DD",
                "timestamp": "YYYY-MM-DD HH:MM:SS+HH:MM",
                "instant": "ISO 8601 instant with its offset",
                "number": "a number",
            }[column.kind]
            self.passes(
                "wrong_type",
                name,
                f"{name}__parses",
                f"{name} is empty or a valid {shape}",
                f"{_empty(name)} or ({parsed})",
            )
            if column.kind == "timestamp":
                self.passes(
                    "wrong_utc_offset",
                    name,
                    f"{name}__london_offset",
                    f"{name} has Europe/London's UTC offset at that time",
                    london_offset_ok(name),
                )
        elif column.kind == "code":
            self.code_check(column)

    def code_check(self, column: Column) -> None:
        """A code in its list; a column that only warns (on_unknown: warn) keeps its row,
        and its unknown values are reported (CheckPlan.warnings)."""
        codes = self.codes[column.name]
        listed = ", ".join(literal(v) for v in codes)
        outside = f"{_present(column.name)} and {ident(column.name)} not in ({listed})"
        check = Check(
            "unknown_code",
            column.name,
            column.name,
            "in_set",
            f"{column.name} is one of {len(codes)} codes",
            outside,
            value_set=tuple(codes),
        )
        if column.on_unknown == "warn":
            self.plan.warnings.append(check)
        else:
            self.add(check)

    def month_check(self, column: Column) -> None:
        """The month of the column equals the other column's YYYY-MM (a file's month)."""
        c = ident(column.name)
        month = {
            "date": f"strftime({ident('__d_' + column.name)}, '%Y-%m')",
            "instant": f"strftime({_london(ident('__i_' + column.name))}, '%Y-%m')",
            "timestamp": f"substr({c}, 1, 7)",
        }.get(column.kind, c)
        other = ident(str(column.same_month_as))
        self.passes(
            "month_mismatch",
            column.name,
            f"{column.name}__month_of_{column.same_month_as}",
            f"the month of {column.name} is {column.same_month_as}",
            f"{month} is null or {_empty(str(column.same_month_as))} or {month} = {other}",
        )

    def pair_check(self, i: int, pair: KnownPair) -> None:
        table = ident(f"pairs__{self.spec.name}__{i}")
        self.con.execute(f"create or replace table {table} (__p_first varchar, __p_second varchar)")
        self.con.executemany(f"insert into {table} values (?, ?)", pair.load(self.config.seeds_dir))
        first, second = (ident(c) for c in pair.columns)
        alias = f"pair{i}"
        self.joins.append(
            f"left join (select distinct * from {table}) {alias} "
            f"on {alias}.__p_first = b.{first} and {alias}.__p_second = b.{second}"
        )
        self.passes(
            pair.rule,
            "|".join(pair.columns),
            f"{pair.columns[0]}__{pair.columns[1]}__known",
            f"({', '.join(pair.columns)}) is a pair of {pair.seed}",
            f"{_empty(pair.columns[0])} or {_empty(pair.columns[1])} "
            f"or {alias}.__p_first is not null",
        )

    def date_checks(self, column: Column) -> None:
        prefix = {"date": "__d_", "timestamp": "__l_", "instant": "__i_"}[column.kind]
        helper = ident(prefix + column.name)
        local = _london(helper) if column.kind == "instant" else helper
        day = f"cast({local} as date)"
        what = "date" if column.kind == "date" else "local date"
        today, start, end = (
            self.config.effective_today,
            self.config.window_start,
            self.config.window_end,
        )
        name = f"{column.name}__date"
        self.add(
            Check(
                "future_date",
                column.name,
                name,
                "between",
                f"{column.name} ({what}) is not after today, {today}",
                f"{day} > {_date_literal(today)}",
                max_value=today.isoformat(),
            )
        )
        if column.month_end:
            self.passes(
                "not_month_end",
                column.name,
                f"{column.name}__month_end",
                f"{column.name} is the last day of a month",
                f"{helper} is null or day({helper} + interval 1 day) = 1",
            )
        if column.in_window:
            self.add(
                Check(
                    "outside_window",
                    column.name,
                    name,
                    "between",
                    f"{column.name} ({what}) is in the declared window {start} to {end}",
                    f"{day} < {_date_literal(start)} or {day} > {_date_literal(end)}",
                    min_value=start.isoformat(),
                    max_value=end.isoformat(),
                )
            )

    def measure_checks(self) -> None:
        m = self.spec.measures
        assert m is not None
        table = _measures_table(self.con, self.spec, self.config.seeds_dir)
        first, second = (ident(c) for c in m.id_columns)
        self.joins.append(
            f"left join {table} msr on msr.__msr_id = b.{first} and msr.__msr_measure = b.{second}"
        )
        self.passes(
            "unknown_measure",
            "|".join(m.id_columns),
            f"{m.id_columns[1]}__of_{m.id_columns[0]}",
            f"({', '.join(m.id_columns)}) is a pair of {m.seed}",
            f"{_empty(m.id_columns[0])} or {_empty(m.id_columns[1])} or msr.__msr_id is not null",
        )
        groups = ", ".join(f"{ident(c)} as {ident('__whole_' + c)}" for c in m.group_columns)
        on = " and ".join(f"whole.{ident('__whole_' + c)} = b.{ident(c)}" for c in m.group_columns)
        self.joins.append(
            f"left join (select {groups}, {second} as __whole_measure, "
            f"max(try_cast({ident(m.value)} as double)) as __whole_value from {self.view} "
            f"group by all) whole on {on} and whole.__whole_measure = msr.__msr_bound"
        )
        n = ident("__n_" + m.value)
        self.passes(
            "above_bound",
            m.value,
            f"{m.value}__not_above_its_whole",
            f"{m.value} is not above the value of the measure {m.seed} names in "
            f"{m.bound_column}, same {', '.join(m.group_columns)}",
            f"whole.__whole_value is null or {n} is null or {n} <= whole.__whole_value",
        )

    def order_checks(self, pair: OrderPair) -> None:
        seconds = f"({_instant(pair.end)} - {_instant(pair.start)})"
        self.add(
            Check(
                "timestamp_order",
                pair.end,
                pair.name,
                "between",
                f"{pair.end} is not before {pair.start} ({pair.name} >= 0)",
                f"{seconds} < 0",
                min_value=0,
            )
        )
        if pair.max_seconds is not None:
            self.add(
                Check(
                    "absurd_duration",
                    pair.end,
                    pair.name,
                    "between",
                    f"{pair.name} is at most {pair.max_seconds:,} s",
                    f"{seconds} > {pair.max_seconds}",
                    max_value=pair.max_seconds,
                )
            )
        for value, limit in pair.max_seconds_by.items():
            by = ident(str(pair.by_column))
            self.add(
                Check(
                    "absurd_duration",
                    pair.end,
                    f"{pair.name}__{pair.by_column}_{value}",
                    "between",
                    f"{pair.name} is at most {limit:,} s when {pair.by_column} is {value}",
                    f"b.{by} = {literal(value)} and {seconds} > {limit}",
                    max_value=limit,
                )
            )

    def reference_checks(self, i: int, ref: Reference) -> None:
        keys = self.ref_tables.get(i)
        if keys is None:
            return
        alias = f"ref{i}"
        self.joins.append(f"left join {keys} {alias} on {alias}.__ref_key = b.{ident(ref.column)}")
        self.passes(
            "missing_reference",
            ref.column,
            f"{ref.column}__in_{ref.extract}",
            f"{ref.column} is a {ref.key} in {ref.extract}",
            f"{_empty(ref.column)} or {alias}.__ref_key is not null",
        )
        self.passes(
            "quarantined_reference",
            ref.column,
            f"{ref.column}__{ref.extract}_accepted",
            f"the {ref.extract} row of {ref.column} passed the gate",
            f"{alias}.__ref_key is null or {alias}.__ref_accepted",
        )
        if ref.not_before:
            mine, theirs = ref.not_before
            self.add(
                Check(
                    "date_order",
                    mine,
                    f"{mine}__days_after_{ref.extract}_{theirs}",
                    "between",
                    f"{mine} is not before the {ref.extract} {theirs}",
                    f"b.{ident('__d_' + mine)} < {alias}.__ref_date",
                    min_value=0,
                )
            )


def plan_checks(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    view: str,
    config: GateConfig,
    codes: dict[str, tuple[str, ...]],
    ref_tables: dict[int, str],
) -> CheckPlan:
    """The checks of one extract. `codes`: each code column's set; `ref_tables`: index of
    a spec reference -> DuckDB table of the referenced extract's keys (__ref_key,
    __ref_accepted, __ref_date); references without one are skipped."""
    return _Planner(con, spec, view, config, codes, ref_tables).build()


@dataclass
class Evaluation:
    """Where the extract's rows failed: table `fails` (__line, ids: the failing checks'
    indexes into the plan, in suite order, 1-based), counts per check index."""

    fails: str
    counts: dict[int, int]
    failing_rows: int


def evaluate(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, plan: CheckPlan) -> Evaluation:
    """Run every check in one pass; only failing rows are written (to table fails__x)."""
    table = ident(f"fails__{spec.name}")
    if not plan.checks:
        con.execute(f"create or replace table {table} (__line bigint, ids integer[])")
        return Evaluation(table, {}, 0)
    # Each check once per row, in one projection (DuckDB shares the expressions the
    # checks have in common there); then only the failing rows are kept.
    flags = ", ".join(f"{c.fails} as __c{i}" for i, c in enumerate(plan.checks, 1))
    ids = ", ".join(f"case when __c{i} then {i} end" for i in range(1, len(plan.checks) + 1))
    any_fails = " or ".join(f"__c{i}" for i in range(1, len(plan.checks) + 1))
    con.execute(
        f"""
        create or replace table {table} as
        select __line, list_filter([{ids}], x -> x is not null) as ids
        from (select b.__line, {flags} from {plan.from_sql})
        where {any_fails}
        """
    )
    counts = dict(
        con.execute(
            f"select id, count(*) from (select unnest(ids) as id from {table}) group by id"
        ).fetchall()
    )
    rows = con.execute(f"select count(*) from {table}").fetchone()[0]  # type: ignore[index]
    return Evaluation(table, {int(k): int(v) for k, v in counts.items()}, int(rows))


def unknown_values(
    con: duckdb.DuckDBPyConnection, view: str, check: Check, limit: int = 5
) -> list[tuple[str, int]]:
    """The most frequent values outside a code column's set, with their row counts (for
    an unknown_code check that failed)."""
    rows = con.execute(
        f"select {ident(check.column)}, count(*) from {view} where {check.fails} "
        f"group by all order by 2 desc, 1 limit {limit}"
    ).fetchall()
    return [(str(v), int(n)) for v, n in rows]


def samples(
    con: duckdb.DuckDBPyConnection, evaluation: Evaluation, limit: int = SAMPLE
) -> dict[int, list[int]]:
    """The first `limit` failing lines of each check (by check index)."""
    rows = con.execute(
        f"""
        select id, list(__line order by __line) from (
            select id, __line, row_number() over (partition by id order by __line) as n
            from (select unnest(ids) as id, __line from {evaluation.fails})
        ) where n <= {limit} group by id
        """
    ).fetchall()
    return {int(i): [int(n) for n in lines] for i, lines in rows}


def _measures_table(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, seeds_dir: Path) -> str:
    """The seed's (id, measure, bounding measure) rows as a DuckDB table."""
    assert spec.measures is not None
    table = ident(f"measures__{spec.name}")
    rows = spec.measures.load(seeds_dir)
    con.execute(
        f"create or replace table {table} "
        "(__msr_id varchar, __msr_measure varchar, __msr_bound varchar)"
    )
    con.executemany(
        f"insert into {table} values (?, ?, ?)", [(a, b, c or None) for a, b, c in rows]
    )
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
