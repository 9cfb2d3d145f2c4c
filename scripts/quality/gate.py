"""The extract quality gate: `run_gate(landing_dir, output_dir, state_dir)`.

1. Extract level, for every extract (each problem stops the run, nothing is published):
   missing file, empty or header-only file, columns missing / extra / renamed / reordered,
   text that is not UTF-8, a truncated last line, the same delivery as an accepted one,
   rows outside the volume band of the previous accepted delivery.
2. Row level, extract by extract (referenced extracts first), only when step 1 passed:
   every rule of the contract runs as set-based SQL in one pass (checks.py); failing
   rows are quarantined. An extract whose quarantined share exceeds the threshold stops
   the run. GX records each extract's suite and results (Data Docs).
3. Outputs in output_dir: quarantine.csv, deliveries.csv and gate_result.json always,
   GX Data Docs in data_docs/ when on; the validated copies `<extract>.parquet` (typed,
   quarantined rows removed) only when the run passed, written aside and renamed into
   place. Validated copies of an earlier run are removed first, so a stopped run never
   leaves one behind. The state of accepted deliveries (state_dir) is updated only by a
   passed run.

Each CSV is parsed once, into a DuckDB database (spilling to output_dir/.gate-work) with a
memory limit: the checks, the quarantine and the Parquet copies are queries on it, so
the gate's memory does not grow with the extracts.

Invariant, per extract: rows in = rows validated + rows quarantined (exact repeats of a
row are quarantined as duplicate_row, one copy validated); every quarantined row has a
quarantine.csv record with its source line (header = line 1).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from alerts import Alert, Problem

from .checks import (
    CheckPlan,
    Evaluation,
    evaluate,
    plan_checks,
    samples,
    typed_columns,
    unknown_values,
)
from .config import GateConfig
from .contracts import SPECS, ExtractSpec, ordered
from .files import FileFacts, compare_header, inspect_file, unsafe_file
from .load import TRUNCATION_ERRORS, Loaded, ident, literal, load_extract
from .months import (
    MISSING_EXPECTED,
    category_counts,
    missing_problems,
    month_counts,
    plausibility_problems,
    return_problems,
    return_values,
    volumes,
)
from .plausibility import Acknowledgement, load_acknowledgements, settings_for
from .state import DeliveryState

QUARANTINE_FILE = "quarantine.csv"
DELIVERIES_FILE = "deliveries.csv"
RESULT_FILE = "gate_result.json"
WORK_DIR = ".gate-work"
QUARANTINE_COLUMNS = ("extract", "line", "rule", "column", "record_key", "row", "all_rules")
DELIVERY_COLUMNS = (
    "extract",
    "file",
    "status",
    "rows_in",
    "rows_validated",
    "rows_quarantined",
    "bytes",
    "sha256",
    "gated_at",
    "acknowledged",
)
EXAMPLES = 3

RULE_TEXT = {
    "malformed_row": "wrong number of fields on the line",
    "null_key": "key empty",
    "malformed_key": "key not in the expected format",
    "duplicate_key": "key delivered more than once with different values (all copies)",
    "duplicate_row": "exact repeat of an earlier row (first copy kept)",
    "missing_value": "required value empty",
    "wrong_type": "value does not parse as its type",
    "malformed_value": "value not in the expected format",
    "wrong_utc_offset": "UTC offset is not Europe/London's at that time",
    "unknown_code": "code not in the reference set",
    "future_date": "date after today",
    "outside_window": "date outside the declared window",
    "not_month_end": "date not the last day of a month",
    "below_minimum": "number below its minimum",
    "unknown_measure": "return and measure not a pair the seed knows",
    "above_bound": "count above the count it is part of",
    "timestamp_order": "timestamp before the one it follows",
    "absurd_duration": "duration beyond the plausible maximum",
    "exactly_one_of": "not exactly one of the alternative columns filled",
    "missing_reference": "referenced row not in the referenced extract",
    "quarantined_reference": "referenced row quarantined",
    "date_order": "date before the referenced row's date",
}


@dataclass
class ExtractReport:
    file: str
    status: str = "not_checked"  # accepted | stopped | not_checked | not_published
    rows_in: int | None = None
    validated: int | None = None
    quarantined: int | None = None
    duplicate_repeats: int | None = None
    # False when the extract stopped on the threshold: quarantine.csv then lists a sample
    # of its failing rows (up to 20 per check), the counts stay exact.
    quarantine_complete: bool | None = None
    bytes: int | None = None
    sha256: str | None = None
    previous_rows: int | None = None
    # rows per `series|YYYY-MM` of the event date, the rows that reach dbt (months.py)
    months: dict[str, int] = field(default_factory=dict)
    # rows per `category|YYYY-MM` of its main categories (plausibility.yml)
    categories: dict[str, int] = field(default_factory=dict)
    # a long extract of figures: `return.measure|period` -> value
    values: dict[str, float] = field(default_factory=dict)
    # changes outside their band that the exceptions file acknowledges (the delivery log)
    acknowledged: list[str] = field(default_factory=list)


@dataclass
class GateResult:
    passed: bool
    extracts: dict[str, ExtractReport]
    problems: list[Problem]
    data_docs: str | None
    quarantine_file: str | None
    deliveries_file: str | None
    output_dir: str
    settings: dict[str, Any]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, default=str)

    @property
    def stopping_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.stops]

    def summary(self) -> str:
        verdict = "PASSED" if self.passed else "STOPPED"
        lines = [f"Extract gate {verdict} in {self.seconds:.1f} s ({self.output_dir})"]
        for name, r in self.extracts.items():
            if r.rows_in is None:
                lines.append(f"  {name}: {r.status}")
                continue

            def n(value: int | None) -> str:
                return "-" if value is None else format(value, ",")

            lines.append(
                f"  {name}: {r.status}, {r.rows_in:,} rows in, {n(r.validated)} validated, "
                f"{n(r.quarantined)} quarantined"
            )
        lines += [f"  - {p.line()}" for p in self.problems]
        if self.data_docs:
            lines.append(f"  Data Docs: {self.data_docs}")
        return "\n".join(lines)

    def to_alert(self, published_warehouse: str) -> Alert:
        stops = self.stopping_problems
        summary = (
            f"the extract gate stopped the run: {len(stops)} problem(s) in "
            f"{', '.join(sorted({p.where for p in stops}))}"
            if stops
            else "the extract gate passed with quarantined rows"
        )
        links = {"gate_result": str(Path(self.output_dir) / RESULT_FILE)}
        if self.quarantine_file:
            links["quarantine"] = self.quarantine_file
        if self.data_docs:
            links["data_docs"] = self.data_docs
        ranked = sorted(
            (p for p in self.problems if p.level != "warning"), key=lambda p: not p.stops
        )
        shown = [
            Problem(**{**asdict(p), "message": ("STOPS THE RUN: " if p.stops else "") + p.message})
            for p in ranked
        ]
        return Alert(
            stage="gate",
            summary=summary,
            problems=shown,
            published_warehouse=published_warehouse,
            links=links,
        )


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def lap(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - started
            self.timings[name] = round(self.timings.get(name, 0.0) + spent, 3)


def _clear_outputs(output_dir: Path, specs: tuple[ExtractSpec, ...]) -> None:
    for spec in specs:
        (output_dir / spec.validated_name).unlink(missing_ok=True)
    for name in (QUARANTINE_FILE, DELIVERIES_FILE, RESULT_FILE):
        (output_dir / name).unlink(missing_ok=True)
    for folder in ("data_docs", "gx", ".gate-staging", WORK_DIR):
        shutil.rmtree(output_dir / folder, ignore_errors=True)


def scratch_connection(output_dir: Path, config: GateConfig) -> duckdb.DuckDBPyConnection:
    """A DuckDB database for the run's tables with a memory limit: what does not fit is
    spilled to its temporary folder (output_dir/.gate-work), so memory does not grow with
    the extracts. (In memory, spilling when full, loads twice as fast as a database file,
    which writes every table to disk whether it fits or not.)"""
    work = output_dir / WORK_DIR
    work.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"set memory_limit = {literal(config.memory_limit)}")
    con.execute(f"set temp_directory = {literal(str(work / 'tmp'))}")
    con.execute("set preserve_insertion_order = true")
    if config.threads:
        con.execute(f"set threads = {int(config.threads)}")
    return con


def _is_rerun(
    specs: tuple[ExtractSpec, ...], facts: dict[str, FileFacts], state: DeliveryState
) -> bool:
    """Every extract is byte-for-byte its latest accepted delivery."""

    def same_as_latest(spec: ExtractSpec) -> bool:
        latest = state.previous(spec.name)
        f = facts[spec.name]
        return latest is not None and f.exists and f.sha256 == latest.sha256

    return all(same_as_latest(spec) for spec in specs)


def _file_problems(
    spec: ExtractSpec,
    facts: FileFacts,
    state: DeliveryState,
    config: GateConfig,
    report: ExtractReport,
    whole_delivery_same: bool,
) -> list[Problem]:
    """Extract-level problems visible in the bytes alone."""
    if facts.exists:
        report.bytes, report.sha256 = facts.size, facts.sha256
    found = _bytes_problems(spec, facts, state, config, whole_delivery_same)
    if any(p.stops for p in found):
        report.status = "stopped"
    return found


def _bytes_problems(
    spec: ExtractSpec, facts: FileFacts, state: DeliveryState, config: GateConfig,
    whole_delivery_same: bool,
) -> list[Problem]:  # fmt: skip
    f = spec.file_name
    unsafe = unsafe_file(facts.path.parent, f)
    if unsafe:
        return [Problem(f, "not_a_regular_file", "stop", message=unsafe + ": refused, not read")]
    if not facts.exists:
        return [Problem(f, "missing_file", "stop", message=f"{facts.path} was not delivered")]
    if facts.blank:
        return [Problem(f, "empty_file", "stop", message=f"{facts.size} bytes, no header, no rows")]
    out: list[Problem] = []
    if facts.bad_encoding_count:
        out.append(
            Problem(
                f,
                "undecodable_text",
                "stop",
                count=facts.bad_encoding_count,
                message="lines that are not UTF-8 (e.g. Windows-1252 text); first at line "
                f"{facts.bad_encoding_lines[0][0]}",
                examples=[{"line": n} for n, _ in facts.bad_encoding_lines],
            )
        )
    header = facts.header or []
    if header and not set(header) & set(spec.column_names):
        # not a header at all (a file without one, or another file): its first line may
        # be a row, whose values an alert must not carry
        return [
            Problem(
                f, "missing_column", "stop", column=", ".join(spec.column_names),
                message=f"the first line ({len(header)} fields) shares no column name with "
                "the contract: a file without its header, or another file (its values are "
                "not repeated here)",
                examples=[{"line": 1}],
            )
        ]  # fmt: skip
    for h in compare_header(header, spec.column_names):
        out.append(
            Problem(
                f,
                h.rule,
                "stop",
                message=h.message,
                column=", ".join(h.columns),
                examples=[{"line": 1, "header": ",".join(facts.header or [])}],
            )
        )
    if facts.bom:
        out.append(
            Problem(
                f,
                "utf8_bom",
                "warning",
                message="UTF-8 byte-order mark stripped (not part "
                "of the first column name); validated copy written without it",
            )
        )
    previous = state.accepted_before(spec.name, facts.sha256)
    latest = state.previous(spec.name)
    if previous is not None:
        message = (
            f"sha256 {facts.sha256[:12]}... equals the delivery accepted at "
            f"{previous.accepted_at} ({previous.rows:,} rows)"
        )
        if config.allow_same_delivery:
            out.append(Problem(f, "same_delivery", "warning", message=message + "; allowed"))
        elif previous is latest and not whole_delivery_same:
            # other extracts changed: this one has nothing new since its last delivery (a
            # stale extract job shows as a missing month: quality/months.py)
            out.append(Problem(f, "unchanged_extract", "warning", message=message + ", the latest"))
        elif previous is latest:
            out.append(Problem(f, "same_delivery", "stop", message=message + ": nothing new"))
        else:
            out.append(
                Problem(
                    f, "same_delivery", "stop",
                    message=message + ", not the latest: a file of an earlier delivery re-sent",
                )
            )  # fmt: skip
    return out


def _load_problems(
    spec: ExtractSpec,
    facts: FileFacts,
    loaded: Loaded,
    state: DeliveryState,
    config: GateConfig,
    report: ExtractReport,
) -> list[Problem]:
    f = spec.file_name
    if loaded.rows_in == 0:
        level = "warning" if config.allow_empty_extracts else "stop"
        return [Problem(f, "header_only", level, count=0, message="the header and no rows")]
    out: list[Problem] = []
    last = facts.physical_lines
    truncated = [r for r in loaded.rejects if r.line == last and r.error in TRUNCATION_ERRORS]
    if truncated:
        out.append(
            Problem(
                f,
                "truncated_file",
                "stop",
                count=1,
                message=f"the last line ({last}) is cut mid-row ({truncated[0].error.lower()})"
                + ("" if facts.ends_with_newline else ", no final newline"),
                examples=[{"line": r.line} for r in truncated],
            )
        )
    if loaded.layout_error:
        out.append(Problem(f, "malformed_file", "stop", message=loaded.layout_error))
    if not facts.ends_with_newline and not truncated:
        out.append(Problem(f, "no_final_newline", "warning", message=f"line {last} has no newline"))
    previous = state.previous(spec.name)
    if previous is None:
        out.append(
            Problem(
                f, "first_delivery", "warning", message="no accepted delivery to compare volume"
            )
        )
    elif previous.rows > 0:
        low, high = config.volume_band or spec.volume_band
        ratio = loaded.rows_in / previous.rows
        report.previous_rows = previous.rows
        if not low <= ratio <= high:
            out.append(
                Problem(
                    f,
                    "volume_collapse" if ratio < low else "volume_surge",
                    "stop",
                    count=loaded.rows_in,
                    message=f"{loaded.rows_in:,} rows, {ratio:.0%} of the previous accepted "
                    f"delivery ({previous.rows:,}); the band is {low:.0%} to {high:.0%}",
                )
            )
    return out


@dataclass
class Verdict:
    """One extract's quarantine: table `q__<extract>` (line, rule, column, row, all_rules)
    and the counts behind it."""

    table: str
    quarantined: int  # distinct lines (malformed rows included), exact
    complete: bool  # every failing line is listed (else a sample: the extract stops)
    duplicate_repeats: int
    lines_by_label: dict[tuple[str, str], tuple[int, list[int]]]  # count, first lines


def _labels_table(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, plan: CheckPlan) -> str:
    """Check index -> (rule, column): 0 is a malformed line, 1.. the plan's checks."""
    table = ident(f"labels__{spec.name}")
    labels = [(0, "malformed_row", "*")] + [
        (i, c.rule, c.column) for i, c in enumerate(plan.checks, 1)
    ]
    con.execute(f"create or replace table {table} (id integer, rule varchar, col varchar)")
    con.executemany(f"insert into {table} values (?, ?, ?)", labels)
    return table


def _verdict(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    loaded: Loaded,
    plan: CheckPlan,
    evaluation: Evaluation,
    threshold: float,
    last_line: int,
) -> Verdict:
    name = spec.name
    # every line that is not a row, but a cut last line (it stops the run: truncated_file)
    malformed = [
        r for r in loaded.rejects if not (r.error in TRUNCATION_ERRORS and r.line == last_line)
    ]
    rejects = ident(f"malformed__{name}")
    con.execute(f"create or replace table {rejects} (line bigint, raw varchar)")
    if malformed:
        con.executemany(
            f"insert into {rejects} values (?, ?)", [(r.line, r.text) for r in malformed]
        )
    failing = ident(f"failing__{name}")
    con.execute(
        f"create or replace table {failing} as "
        f"select __line as line, ids from {evaluation.fails} "
        f"union all select line, [0] from {rejects}"
    )
    labels = _labels_table(con, spec, plan)
    quarantined = evaluation.failing_rows + len(malformed)
    complete = quarantined <= threshold * loaded.rows_in
    listed = failing
    if not complete:  # a sample: the first lines of each check
        listed = ident(f"sample__{name}")
        con.execute(
            f"""
            create or replace table {listed} as
            select * from {failing} where line in (
                select line from (
                    select line, row_number() over (partition by id order by line) as n
                    from (select line, unnest(ids) as id from {failing})
                ) where n <= 20
            )
            """
        )
    by_label = con.execute(
        f"""
        with flat as (
            select distinct f.line, l.rule, l.col
            from (select line, unnest(ids) as id from {failing}) f
            join {labels} l using (id)
        ),
        ranked as (
            select rule, col, line, row_number() over (partition by rule, col order by line) as n,
                count(*) over (partition by rule, col) as lines
            from flat
        )
        select rule, col, any_value(lines), list(line order by line) filter (n <= {EXAMPLES})
        from ranked group by rule, col
        """
    ).fetchall()
    table = ident(f"q__{name}")
    cols = spec.column_names
    pack = ", ".join(f"{literal(c)}: v.{ident(c)}" for c in cols)
    con.execute(
        f"""
        create or replace table {table} as
        with flat as (
            select f.line, l.id, l.rule, l.col
            from (select line, unnest(ids) as id from {listed}) f join {labels} l using (id)
        ),
        firsts as (select line, arg_min(rule, id) as rule, arg_min(col, id) as col
                   from flat group by line),
        each_label as (select line, rule, col, min(id) as first from flat group by all),
        all_rules as (
            select line, string_agg(rule || ':' || col, ';' order by first) as all_rules
            from each_label group by line
        )
        select
            {literal(name)} as extract, firsts.line, firsts.rule, firsts.col as "column",
            case when v.__line is not null then {record_key_sql(spec, "v")} end as record_key,
            case when v.__line is not null then to_json({{{pack}}})::varchar
                 else to_json({{'raw_line': r.raw}})::varchar end as "row",
            all_rules.all_rules
        from firsts
        join all_rules using (line)
        left join {loaded.view} v on v.__line = firsts.line
        left join {rejects} r on r.line = firsts.line
        """
    )
    repeats = sum(
        n for i, n in evaluation.counts.items() if plan.checks[i - 1].rule == "duplicate_row"
    )
    return Verdict(
        table=table,
        quarantined=quarantined,
        complete=complete,
        duplicate_repeats=repeats,
        lines_by_label={(r, c): (int(n), [int(x) for x in lines]) for r, c, n, lines in by_label},
    )


def _row_problems(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    loaded: Loaded,
    plan: CheckPlan,
    verdict: Verdict,
) -> list[Problem]:
    """A problem per rule and column, its examples the first lines with their record key
    only (an alert never carries a row's other values: they stay in quarantine.csv and the
    restricted warehouse)."""
    wanted = sorted({n for _, lines in verdict.lines_by_label.values() for n in lines})
    keys = _record_keys(con, spec, loaded.view, wanted)
    sample = "" if verdict.complete else " (quarantine.csv lists a sample: the extract stops)"
    out = []
    for (rule, column), (count, lines) in verdict.lines_by_label.items():
        note = sample
        if rule == "unknown_code":
            check = next(c for c in plan.checks if c.rule == rule and c.column == column)
            distinct = len(unknown_values(con, loaded.view, check))
            note = f" ({distinct}{'+' if distinct >= 5 else ''} distinct values)" + sample
        out.append(
            Problem(
                spec.file_name,
                rule,
                "quarantine",
                count=count,
                column=column,
                message=f"{count:,} rows quarantined: {RULE_TEXT.get(rule, rule)}{note}",
                examples=[
                    {"line": n, "column": column, "rule": rule, "record_key": keys.get(n)}
                    for n in lines
                ],
            )
        )
    return out


def _code_warnings(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, loaded: Loaded, plan: CheckPlan
) -> list[Problem]:
    """Codes outside their list in columns that keep their rows (on_unknown: warn): a
    vocabulary the seeds do not know yet, named with its most frequent values."""
    out = []
    for check in plan.warnings:
        (count,) = con.execute(  # type: ignore[misc]
            f"select count(*) from {loaded.view} where {check.fails}"
        ).fetchone()
        if not count:
            continue
        listed = ", ".join(f"{v!r} ({n:,})" for v, n in unknown_values(con, loaded.view, check))
        out.append(
            Problem(
                spec.file_name,
                "unknown_code",
                "warning",
                count=int(count),
                column=check.column,
                message=f"{count:,} rows kept with a {check.column} the seeds do not know "
                f"(add it to the seed for its KPIs to count it); most frequent: {listed}",
            )
        )
    return out


def _row_examples(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, view: str, lines: list[int]
) -> dict[int, dict[str, Any]]:
    if not lines:
        return {}
    cols = ", ".join(ident(c) for c in spec.column_names)
    listed = ", ".join(str(int(n)) for n in lines)
    rows = con.execute(f"select __line, {cols} from {view} where __line in ({listed})").fetchall()
    return {
        int(r[0]): {"line": int(r[0]), **dict(zip(spec.column_names, r[1:], strict=True))}
        for r in rows
    }


def record_key_sql(spec: ExtractSpec, alias: str = "") -> str:
    """A row's record key as text: its key columns, joined by '|'."""
    prefix = f"{alias}." if alias else ""
    return "concat_ws('|', " + ", ".join(f"{prefix}{ident(c)}" for c in spec.key) + ")"


def _record_keys(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, view: str, lines: list[int]
) -> dict[int, str]:
    if not lines:
        return {}
    listed = ", ".join(str(int(n)) for n in lines)
    rows = con.execute(
        f"select __line, {record_key_sql(spec)} from {view} where __line in ({listed})"
    ).fetchall()
    return {int(n): str(k) for n, k in rows}


def _ref_tables(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    loaded: dict[str, Loaded],
    quarantine: dict[str, str],
) -> dict[int, str]:
    """For each reference of `spec` to an extract already checked: a table of that
    extract's keys, whether any row with the key was accepted, and (for a date order)
    the latest valid date of the accepted rows."""
    out: dict[int, str] = {}
    for i, ref in enumerate(spec.references):
        if ref.extract not in quarantine:
            continue
        view, qtable = loaded[ref.extract].view, quarantine[ref.extract]
        key = ident(ref.key)
        if ref.not_before:
            d = ident(ref.not_before[1])
            date_expr = (
                f"max(case when q.line is null and regexp_full_match(v.{d}, "
                f"'\\d{{4}}-\\d{{2}}-\\d{{2}}') then try_cast(v.{d} as date) end)"
            )
        else:
            date_expr = "null::date"
        table = ident(f"keys__{spec.name}__{i}")
        con.execute(
            f"""
            create or replace table {table} as
            select v.{key} as __ref_key, bool_or(q.line is null) as __ref_accepted,
                   {date_expr} as __ref_date
            from {view} v left join {qtable} q on q.line = v.__line
            where v.{key} is not null and v.{key} <> ''
            group by v.{key}
            """
        )
        out[i] = table
    return out


def _check_results(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    loaded: Loaded,
    plan: CheckPlan,
    evaluation: Evaluation,
) -> list[Any]:
    """Each check's count and first failing rows, as GX results."""
    from .gx_report import CheckResult

    first = samples(con, evaluation)
    wanted = sorted({n for lines in first.values() for n in lines})
    rows = _row_examples(con, spec, loaded.view, wanted)
    results = []
    for i, check in enumerate(plan.checks, 1):
        lines = first.get(i, [])
        column = check.column if check.column in spec.column_names else None
        results.append(
            CheckResult(
                check,
                loaded.rows,
                evaluation.counts.get(i, 0),
                lines,
                [rows.get(n, {}).get(column) if column else n for n in lines],
            )
        )
    return results


def _check_rows(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    facts: FileFacts,
    loaded: dict[str, Loaded],
    quarantine: dict[str, str],
    cfg: GateConfig,
    report: ExtractReport,
) -> tuple[list[Problem], Verdict, list[Any]]:
    """Row level: the checks, the quarantine, the stop rules of one extract."""
    ld = loaded[spec.name]
    codes = {c.name: c.code_set(cfg.seeds_dir) for c in spec.columns if c.codes is not None}
    plan = plan_checks(con, spec, ld.view, cfg, codes, _ref_tables(con, spec, loaded, quarantine))
    evaluation = evaluate(con, spec, plan)
    verdict = _verdict(con, spec, ld, plan, evaluation, cfg.threshold, facts.physical_lines)
    report.quarantine_complete = verdict.complete
    report.quarantined = verdict.quarantined
    report.validated = ld.rows_in - verdict.quarantined
    report.duplicate_repeats = verdict.duplicate_repeats
    problems = _row_problems(con, spec, ld, plan, verdict) + _code_warnings(con, spec, ld, plan)
    last_line_bad = (
        not facts.ends_with_newline
        and con.execute(
            f"select count(*) from {verdict.table} where line = {facts.physical_lines}"
        ).fetchone()[0]
    )  # type: ignore[index]
    if last_line_bad:
        problems.append(
            Problem(
                spec.file_name,
                "truncated_file",
                "stop",
                count=1,
                message=f"the last line ({facts.physical_lines}) has no final newline and "
                "fails the row checks: the file looks cut short",
            )
        )
    share = verdict.quarantined / ld.rows_in if ld.rows_in else 0.0
    if share > cfg.threshold:
        problems.append(
            Problem(
                spec.file_name,
                "quarantine_over_threshold",
                "stop",
                count=verdict.quarantined,
                message=f"{share:.2%} of rows quarantined ({verdict.quarantined:,} of "
                f"{ld.rows_in:,}); the threshold is {cfg.threshold:.2%}",
            )
        )
    report.status = "stopped" if any(p.stops for p in problems) else "accepted"
    results = _check_results(con, spec, ld, plan, evaluation) if cfg.data_docs else []
    return problems, verdict, results


class _Run:
    """One run of the gate: its settings, folders, scratch database and what it found."""

    def __init__(
        self, cfg: GateConfig, landing: Path, out_dir: Path, state_dir: Path,
        specs: tuple[ExtractSpec, ...],
    ) -> None:  # fmt: skip
        self.cfg, self.landing, self.out_dir, self.state_dir = cfg, landing, out_dir, state_dir
        self.specs = specs
        self.state = DeliveryState.load(state_dir)
        self.reports = {s.name: ExtractReport(file=s.file_name) for s in specs}
        self.problems: list[Problem] = []
        self.timer = _Timer()
        self.con = scratch_connection(out_dir, cfg)
        self.facts: dict[str, FileFacts] = {}
        self.loaded: dict[str, Loaded] = {}
        self.quarantine: dict[str, str] = {}
        self.own: dict[str, list[Problem]] = {}
        self.gx_results: list[tuple[str, list[Any]]] = []  # recorded once GX is set up
        self.rerun = False
        self.staging = out_dir / ".gate-staging"
        self.acks: list[Acknowledgement] = load_acknowledgements(cfg.exceptions_path)

    @property
    def stopped(self) -> bool:
        return any(p.stops for p in self.problems)

    def inspect(self) -> None:
        """Extract level: each file's bytes (every extract, before anything is loaded)."""
        with self.timer.lap("inspect_files"):
            for spec in self.specs:
                self.facts[spec.name] = inspect_file(self.landing / spec.file_name)
            whole = _is_rerun(self.specs, self.facts, self.state)
            self.rerun = self.cfg.allow_rerun and whole
            if self.rerun:
                self.cfg = self.cfg.with_overrides(allow_same_delivery=True)
            for spec in self.specs:
                found = _file_problems(
                    spec, self.facts[spec.name], self.state, self.cfg, self.reports[spec.name],
                    whole,
                )  # fmt: skip
                self.own[spec.name] = found
                self.problems += found

    def check(self) -> str | None:
        """Extract by extract: load, check, write the validated copy aside, release the
        rows (an extract another one references is kept until that one is checked). An
        extract whose file stops the run is not loaded; one that is only a repeat of an
        accepted delivery still is, so that its other problems (volume, truncation) are
        reported. Returns the Data Docs' index, if built."""
        report = None
        setup = None
        if self.cfg.data_docs and not self.stopped:
            # GX's import and file context take seconds of Python: they are set up in a
            # thread while DuckDB loads the first extracts (it releases the GIL).
            from concurrent.futures import ThreadPoolExecutor

            def gx_report() -> object:
                from .gx_report import GateReport

                return GateReport(self.out_dir)

            pool = ThreadPoolExecutor(max_workers=1)
            setup = pool.submit(gx_report)
            pool.shutdown(wait=False)
        self.staging.mkdir()
        for i, spec in enumerate(self.specs):
            if not any(p.stops for p in self.own[spec.name] if p.rule != "same_delivery"):
                self.check_extract(spec, setup)
            _release(self.con, spec, self.specs[i + 1 :])
        if setup is not None:
            with self.timer.lap("gx_results"):
                report = setup.result()
                for name, results in self.gx_results:
                    report.record(name, results)
        if report is None or not self.quarantine:
            return None
        with self.timer.lap("data_docs"):
            return report.build_docs()

    def check_extract(self, spec: ExtractSpec, setup: Future[Any] | None) -> None:
        name, timer = spec.name, self.timer
        with timer.lap("load_duckdb"):
            self.problems += _load_one(
                self.con, spec, self.facts[name], self.state, self.cfg, self.reports[name],
                self.loaded,
            )  # fmt: skip
        if self.stopped:
            return
        with timer.lap("row_checks"):
            found, verdict, results = _check_rows(
                self.con, spec, self.facts[name], self.loaded, self.quarantine, self.cfg,
                self.reports[name],
            )  # fmt: skip
        self.problems += found
        self.quarantine[name] = verdict.table
        if setup is not None:
            self.gx_results.append((name, results))
        with timer.lap("month_volumes"):
            self.problems += self.month_volumes(spec, verdict)
        if not self.stopped:
            with timer.lap("write_validated"):
                _write_validated(
                    self.con, self.staging, spec, self.loaded[name], verdict, self.reports[name]
                )

    def month_volumes(self, spec: ExtractSpec, verdict: Verdict) -> list[Problem]:
        """Completeness and plausibility per month, and of every return's values, of the
        rows that reach dbt (quality/months.py, quality/plausibility.py)."""
        window = (self.cfg.window_start, self.cfg.window_end)
        rows = f"select * from {self.loaded[spec.name].view}"
        if verdict.quarantined:
            rows += f" where __line not in (select line from {verdict.table})"

        report = self.reports[spec.name]
        settings = settings_for(spec.name)
        previous = self.state.previous(spec.name)
        found: list[Problem] = []
        if spec.monthly_column:
            report.months = month_counts(self.con, spec, rows, window)
            report.categories = category_counts(
                self.con, spec, rows, window, settings, self.cfg.seeds_dir
            )
            history = previous.months if previous else {}
            months = volumes(report.months, history, window)
            found += missing_problems(spec, months)
            missing = {
                f"{v.series}|{v.month}" for v in months
                if v.rows == 0 and v.expected is not None and v.expected >= MISSING_EXPECTED
            }  # fmt: skip
            found += plausibility_problems(
                spec, report.months, history, report.categories,
                previous.categories if previous else {}, window, settings, self.acks, missing,
            )  # fmt: skip
        if spec.measures:
            report.values, lines = return_values(self.con, spec, rows)
            found += return_problems(
                spec, report.values, previous.values if previous else {}, settings, self.acks,
                lines,
            )  # fmt: skip
        report.acknowledged = [
            str(p.examples[0]["acknowledged"]) for p in found if p.rule == "acknowledged_change"
        ]
        if any(p.stops for p in found):
            report.status = "stopped"
        return found

    def finish(self, record_state: bool) -> tuple[Path, Path, str]:
        """The run's outputs: the quarantine and the delivery log always; the validated
        copies renamed into place, and the deliveries remembered, only if it passed."""
        gated_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self.timer.lap("write_outputs"):
            if self.stopped:
                for r in self.reports.values():
                    if r.status == "accepted":
                        r.status = "not_published"
            quarantine = _write_quarantine(self.con, self.out_dir, self.specs, self.quarantine)
            deliveries = _write_deliveries(self.out_dir, self.reports, gated_at)
            if not self.stopped:
                for spec in self.specs:
                    os.replace(
                        self.staging / spec.validated_name, self.out_dir / spec.validated_name
                    )
                if record_state:
                    record_accepted(self.state_dir, self.reports, self.state)
            shutil.rmtree(self.staging, ignore_errors=True)
        self.con.close()
        shutil.rmtree(self.out_dir / WORK_DIR, ignore_errors=True)
        return quarantine, deliveries, gated_at

    def settings(self, gated_at: str) -> dict[str, Any]:
        cfg = self.cfg
        return {
            "landing_dir": str(self.landing),
            "state_dir": str(self.state_dir),
            "window": [cfg.window_start.isoformat(), cfg.window_end.isoformat()],
            "today": cfg.effective_today.isoformat(),
            "threshold": cfg.threshold,
            "volume_band": list(cfg.volume_band) if cfg.volume_band else "per extract",
            "allow_same_delivery": cfg.allow_same_delivery,
            "rerun_of_latest_delivery": self.rerun,
            "memory_limit": cfg.memory_limit,
            "ran_at": gated_at,
        }


def run_gate(
    landing_dir: Path | str,
    output_dir: Path | str,
    state_dir: Path | str,
    today: date | None = None,
    threshold: float | None = None,
    *,
    config: GateConfig | None = None,
    specs: tuple[ExtractSpec, ...] = SPECS,
    record_state: bool = True,
) -> GateResult:
    """Check the extracts in landing_dir; publish validated copies into output_dir.

    `today` (a date) and `threshold` (share of an extract's rows, default 0.01) override
    `config` (GateConfig: window, volume band, Data Docs on/off, seeds folder, memory).
    `record_state=False` leaves state_dir untouched even if the run passes (the caller
    then records the deliveries itself, e.g. after the warehouse is published, with
    `record_accepted`)."""
    started = time.perf_counter()
    cfg = (config or GateConfig()).with_overrides(today=today, threshold=threshold)
    landing, out_dir = Path(landing_dir), Path(output_dir)
    if out_dir.resolve() == landing.resolve():
        raise ValueError("output_dir must not be the landing folder (the gate clears it)")
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = ordered(specs)
    _clear_outputs(out_dir, specs)
    run = _Run(cfg, landing, out_dir, Path(state_dir), specs)
    run.inspect()
    data_docs = run.check()
    quarantine, deliveries, gated_at = run.finish(record_state)
    result = GateResult(
        passed=not run.stopped,
        extracts=run.reports,
        problems=run.problems,
        data_docs=data_docs,
        quarantine_file=str(quarantine),
        deliveries_file=str(deliveries),
        output_dir=str(out_dir),
        settings=run.settings(gated_at),
        seconds=round(time.perf_counter() - started, 2),
        timings=run.timer.timings,
    )
    (out_dir / RESULT_FILE).write_text(result.to_json() + "\n", encoding="utf-8")
    return result


def _load_one(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    facts: FileFacts,
    state: DeliveryState,
    cfg: GateConfig,
    report: ExtractReport,
    loaded: dict[str, Loaded],
) -> list[Problem]:
    """Load the extract into DuckDB; the problems only the load shows."""
    ld = loaded[spec.name] = load_extract(con, spec, facts)
    report.rows_in = ld.rows_in
    found = _load_problems(spec, facts, ld, state, cfg, report)
    if any(p.stops for p in found):
        report.status = "stopped"
    return found


def _release(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, later: tuple[ExtractSpec, ...]
) -> None:
    """Drop an extract's working tables once checked (its quarantine stays), unless a
    later extract references it."""
    if any(r.extract == spec.name for s in later for r in s.references):
        return
    for prefix in ("raw", "dups", "fails", "failing", "sample", "lines", "malformed"):
        con.execute(f"drop table if exists {ident(f'{prefix}__{spec.name}')}")
    con.execute(f"drop view if exists {ident(spec.name)}")


def _write_quarantine(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    specs: tuple[ExtractSpec, ...],
    quarantine: dict[str, str],
) -> Path:
    path = out_dir / QUARANTINE_FILE
    tmp = out_dir / f".{QUARANTINE_FILE}.tmp"
    parts = [
        f"select {i} as __o, * from {quarantine[s.name]}"
        for i, s in enumerate(specs)
        if s.name in quarantine
    ]
    if parts:
        cols = ", ".join(ident(c) for c in QUARANTINE_COLUMNS)
        con.execute(
            f"copy (select {cols} from ({' union all '.join(parts)}) order by __o, line) "
            f"to {literal(str(tmp))} (header, delimiter ',')"
        )
    else:
        tmp.write_text(",".join(QUARANTINE_COLUMNS) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def _write_deliveries(out_dir: Path, reports: dict[str, ExtractReport], gated_at: str) -> Path:
    """One row per extract: the delivery the validated copies come from."""
    import csv

    path = out_dir / DELIVERIES_FILE
    tmp = out_dir / f".{DELIVERIES_FILE}.tmp"
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(DELIVERY_COLUMNS)
        for name, r in reports.items():
            writer.writerow(
                [
                    name,
                    r.file,
                    r.status,
                    r.rows_in,
                    r.validated,
                    r.quarantined,
                    r.bytes,
                    r.sha256,
                    gated_at,
                    "; ".join(r.acknowledged),
                ]
            )
    os.replace(tmp, path)
    return path


def _write_validated(
    con: duckdb.DuckDBPyConnection,
    staging: Path,
    spec: ExtractSpec,
    ld: Loaded,
    verdict: Verdict,
    report: ExtractReport,
) -> None:
    """The validated copy, typed Parquet in delivery order, without the quarantined rows,
    into the staging folder (renamed into place if the whole run passes)."""
    if verdict.quarantined == 0 and ld.in_file_order:
        rows = f"select {typed_columns(spec)} from {ld.view}"
    else:
        rows = (
            f"select {typed_columns(spec)} from {ld.view} "
            f"where __line not in (select line from {verdict.table}) order by __pos"
        )
    target = staging / spec.validated_name
    written = con.execute(
        f"copy ({rows}) to {literal(str(target))} (format parquet, compression zstd)"
    ).fetchone()[0]  # type: ignore[index]
    if written != report.validated:
        raise RuntimeError(
            f"{spec.name}: wrote {written} rows, expected {report.validated} "
            f"({report.rows_in} in, {report.quarantined} quarantined)"
        )


def record_accepted(
    state_dir: Path | str,
    reports: dict[str, ExtractReport],
    state: DeliveryState | None = None,
) -> None:
    """Remember the deliveries of a passed run (row counts and sha256)."""
    state = state or DeliveryState.load(Path(state_dir))
    for name, r in reports.items():
        if r.sha256 and r.rows_in is not None:
            state.accept(
                name, r.sha256, r.rows_in, r.bytes or 0, r.validated or 0, r.quarantined or 0,
                r.months, r.categories, r.values,
            )  # fmt: skip
    state.save()
