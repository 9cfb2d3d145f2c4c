"""The extract quality gate: `run_gate(landing_dir, output_dir, state_dir)`.

1. Extract level, for every extract (each problem stops the run, nothing is published):
   missing file, empty or header-only file, columns missing / extra / renamed / reordered,
   text that is not UTF-8, a truncated last line, the same delivery as an accepted one,
   rows outside the volume band of the previous accepted delivery.
2. Row level, extract by extract (referenced extracts first), only when step 1 passed:
   each spec's rules run as one GX suite; failing rows are quarantined. An extract whose
   quarantined share exceeds the threshold stops the run.
3. Outputs in output_dir: quarantine.csv and gate_result.json always, GX Data Docs in
   data_docs/ when the row checks ran; validated CSVs only when the run passed (written
   aside, then renamed into place). Validated CSVs of an earlier run are removed first,
   so a stopped run never leaves a validated extract behind. The state of accepted
   deliveries (state_dir) is updated only by a passed run.

Invariant, per extract: rows in = rows validated + rows quarantined (exact repeats of a
row are quarantined as duplicate_row, one copy validated); every quarantined row has a
quarantine.csv record with its source line (header = line 1).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .checks import failing_rows, plan_checks
from .config import GateConfig
from .files import FileFacts, compare_header, inspect_file
from .load import TRUNCATION_ERRORS, Loaded, ident, literal, load_extract
from .spec import SPECS, ExtractSpec, Seed, ordered
from .state import DeliveryState

QUARANTINE_FILE = "quarantine.csv"
RESULT_FILE = "gate_result.json"
QUARANTINE_COLUMNS = ("extract", "line", "rule", "column", "row", "all_rules")
EXAMPLES = 3


@dataclass
class ExtractReport:
    file: str
    status: str = "not_checked"  # accepted | stopped | not_checked
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


@dataclass
class GateResult:
    passed: bool
    extracts: dict[str, ExtractReport]
    problems: list[dict[str, Any]]
    data_docs: str | None
    quarantine_file: str | None
    output_dir: str
    settings: dict[str, Any]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, default=str)

    @property
    def stopping_problems(self) -> list[dict[str, Any]]:
        return [p for p in self.problems if p["stops"]]

    def summary(self) -> str:
        verdict = "PASSED" if self.passed else "STOPPED"
        lines = [f"Extract gate {verdict} in {self.seconds:.1f} s ({self.output_dir})"]
        for name, r in self.extracts.items():
            if r.rows_in is None:
                lines.append(f"  {name}: {r.status}")
            else:
                lines.append(
                    f"  {name}: {r.status}, {r.rows_in:,} rows in, "
                    f"{'-' if r.validated is None else format(r.validated, ',')} validated, "
                    f"{'-' if r.quarantined is None else format(r.quarantined, ',')} quarantined"
                )
        for p in self.problems:
            tag = "STOP" if p["stops"] else p["level"]
            count = "" if p["count"] is None else f" ({p['count']:,} rows)"
            column = f" [{p['column']}]" if p["column"] else ""
            lines.append(f"  - {tag} {p['file']}: {p['rule']}{column}{count} {p['message']}")
        if self.data_docs:
            lines.append(f"  Data Docs: {self.data_docs}")
        return "\n".join(lines)

    def alert_problems(self) -> list[Any]:
        """The problems as scripts/alerts.py Problems (stopping ones first)."""
        from alerts import Problem

        ranked = sorted(self.problems, key=lambda p: not p["stops"])
        return [
            Problem(
                where=p["file"],
                rule=p["rule"] + (f" [{p['column']}]" if p["column"] else ""),
                count=p["count"],
                message=("STOPS THE RUN: " if p["stops"] else "") + p["message"],
                examples=p["examples"],
            )
            for p in ranked
            if p["level"] != "warning"
        ]

    def to_alert(self, published_warehouse: str) -> Any:
        from alerts import Alert

        stops = self.stopping_problems
        summary = (
            f"the extract gate stopped the run: {len(stops)} problem(s) in "
            f"{', '.join(sorted({p['file'] for p in stops}))}"
            if stops
            else "the extract gate passed with quarantined rows"
        )
        links = {"gate_result": str(Path(self.output_dir) / RESULT_FILE)}
        if self.quarantine_file:
            links["quarantine"] = self.quarantine_file
        if self.data_docs:
            links["data_docs"] = self.data_docs
        return Alert(
            stage="gate",
            summary=summary,
            problems=self.alert_problems(),
            published_warehouse=published_warehouse,
            links=links,
        )


def _is_rerun(
    specs: tuple[ExtractSpec, ...], facts: dict[str, FileFacts], state: DeliveryState
) -> bool:
    """Every extract is byte-for-byte its latest accepted delivery."""

    def same_as_latest(spec: ExtractSpec) -> bool:
        latest = state.previous(spec.name)
        f = facts[spec.name]
        return latest is not None and f.exists and f.sha256 == latest.sha256

    return all(same_as_latest(spec) for spec in specs)


def _problem(
    file: str,
    rule: str,
    level: str,
    message: str,
    count: int | None = None,
    column: str | None = None,
    examples: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "file": file,
        "rule": rule,
        "column": column,
        "count": count,
        "examples": (examples or [])[:EXAMPLES],
        "stops": level == "stop",
        "level": level,  # stop | quarantine | warning
        "message": message,
    }


def _clear_outputs(output_dir: Path, specs: tuple[ExtractSpec, ...]) -> None:
    for spec in specs:
        (output_dir / spec.file_name).unlink(missing_ok=True)
    for name in (QUARANTINE_FILE, RESULT_FILE):
        (output_dir / name).unlink(missing_ok=True)
    for folder in ("data_docs", "gx", ".gate-staging"):
        shutil.rmtree(output_dir / folder, ignore_errors=True)


def _file_problems(
    spec: ExtractSpec, facts: FileFacts, state: DeliveryState, config: GateConfig
) -> list[dict[str, Any]]:
    """Extract-level problems visible in the bytes alone."""
    f = spec.file_name
    if not facts.exists:
        return [_problem(f, "missing_file", "stop", f"{facts.path} was not delivered")]
    if facts.blank:
        return [_problem(f, "empty_file", "stop", f"{facts.size} bytes, no header, no rows")]
    out: list[dict[str, Any]] = []
    if facts.bad_encoding_count:
        out.append(
            _problem(
                f,
                "undecodable_text",
                "stop",
                "lines that are not UTF-8 (e.g. Windows-1252 text); first at line "
                f"{facts.bad_encoding_lines[0][0]}",
                count=facts.bad_encoding_count,
                examples=[{"line": n, "text": t} for n, t in facts.bad_encoding_lines],
            )
        )
    for h in compare_header(facts.header or [], spec.column_names):
        out.append(
            _problem(
                f,
                h.rule,
                "stop",
                h.message,
                column=", ".join(h.columns),
                examples=[{"line": 1, "header": ",".join(facts.header or [])}],
            )
        )
    if facts.bom:
        out.append(
            _problem(
                f,
                "utf8_bom",
                "warning",
                "UTF-8 byte-order mark stripped (not part of "
                "the first column name); validated copy written without it",
            )
        )
    previous = state.accepted_before(spec.name, facts.sha256)
    if previous is not None:
        message = (
            f"sha256 {facts.sha256[:12]}... equals the delivery accepted at "
            f"{previous.accepted_at} ({previous.rows:,} rows)"
        )
        if config.allow_same_delivery:
            out.append(_problem(f, "same_delivery", "warning", message + "; allowed"))
        else:
            out.append(_problem(f, "same_delivery", "stop", message))
    return out


def _load_problems(
    spec: ExtractSpec,
    facts: FileFacts,
    loaded: Loaded,
    state: DeliveryState,
    config: GateConfig,
    report: ExtractReport,
) -> list[dict[str, Any]]:
    f = spec.file_name
    out: list[dict[str, Any]] = []
    if loaded.rows_in == 0:
        return [_problem(f, "header_only", "stop", "the header and no rows", count=0)]
    last = facts.physical_lines
    truncated = [r for r in loaded.rejects if r.line == last and r.error in TRUNCATION_ERRORS]
    if truncated:
        out.append(
            _problem(
                f,
                "truncated_file",
                "stop",
                f"the last line ({last}) is cut mid-row ({truncated[0].error.lower()})"
                + ("" if facts.ends_with_newline else ", no final newline"),
                count=1,
                examples=[{"line": r.line, "text": r.text[:300]} for r in truncated],
            )
        )
    if loaded.layout_error:
        out.append(_problem(f, "malformed_file", "stop", loaded.layout_error))
    if not facts.ends_with_newline and not truncated:
        out.append(_problem(f, "no_final_newline", "warning", f"line {last} has no newline"))
    previous = state.previous(spec.name)
    if previous is None:
        out.append(
            _problem(f, "first_delivery", "warning", "no accepted delivery to compare volume")
        )
    elif previous.rows > 0:
        low, high = config.volume_band or spec.volume_band
        ratio = loaded.rows_in / previous.rows
        report.previous_rows = previous.rows
        if not low <= ratio <= high:
            rule = "volume_collapse" if ratio < low else "volume_surge"
            out.append(
                _problem(
                    f,
                    rule,
                    "stop",
                    f"{loaded.rows_in:,} rows, {ratio:.0%} of the previous accepted delivery "
                    f"({previous.rows:,}); the band is {low:.0%} to {high:.0%}",
                    count=loaded.rows_in,
                )
            )
    return out


@dataclass
class RowVerdict:
    """The quarantined rows of one extract: each line's first failing check (suite order)
    and all checks it failed."""

    lines: np.ndarray  # quarantined source lines, ascending
    rule: list[str]
    column: list[str]
    all_rules: list[str]
    per_check: list[tuple[str, str, np.ndarray, int]]  # (rule, column, lines, count)


def _verdict(outcomes: list[Any], loaded: Loaded) -> RowVerdict:
    labels = [("malformed_row", "*")] + [(o.check.rule, o.check.column) for o in outcomes]
    malformed = np.array(
        [r.line for r in loaded.rejects if r.error not in TRUNCATION_ERRORS], dtype=np.int64
    )
    per_check = [("malformed_row", "*", malformed, len(malformed))] + [
        (o.check.rule, o.check.column, np.asarray(o.lines, dtype=np.int64), o.count)
        for o in outcomes
    ]
    lines = np.concatenate([p[2] for p in per_check])
    which = np.concatenate([np.full(len(p[2]), i) for i, p in enumerate(per_check)])
    order = np.lexsort((which, lines))
    lines, which = lines[order], which[order]
    first = np.r_[True, lines[1:] != lines[:-1]] if len(lines) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], len(lines)] if len(starts) else starts
    rule = [labels[i][0] for i in which[starts]]
    column = [labels[i][1] for i in which[starts]]
    all_rules = []
    for s, e in zip(starts, ends, strict=True):
        all_rules.append(";".join(f"{labels[i][0]}:{labels[i][1]}" for i in which[s:e]))
    # collapse repeated (rule, column) in all_rules (several checks share a label)
    all_rules = [";".join(dict.fromkeys(a.split(";"))) for a in all_rules]
    return RowVerdict(lines[starts], rule, column, all_rules, per_check)


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


def _quarantine_table(
    con: duckdb.DuckDBPyConnection, spec: ExtractSpec, loaded: Loaded, verdict: RowVerdict
) -> str:
    """Table q__<extract>(line, rule, column, row, all_rules): the row as JSON of the
    original values (a rejected line: its raw text)."""
    table = ident(f"q__{spec.name}")
    frame = pd.DataFrame(
        {
            "line": verdict.lines.astype(np.int64),
            "rule": pd.Series(verdict.rule, dtype=object),
            "col": pd.Series(verdict.column, dtype=object),
            "all_rules": pd.Series(verdict.all_rules, dtype=object),
        }
    )
    rejects = pd.DataFrame(
        {
            "line": pd.Series([r.line for r in loaded.rejects], dtype=np.int64),
            "raw": pd.Series([r.text for r in loaded.rejects], dtype=object),
        }
    )
    pack = ", ".join(f"{literal(c)}: v.{ident(c)}" for c in spec.column_names)
    con.register("__q", frame)
    con.register("__rej", rejects)
    con.execute(
        f"""
        create or replace table {table} as
        select
            {literal(spec.name)} as extract, q.line, q.rule, q.col as "column",
            case when v.__line is not null then to_json({{{pack}}})::varchar
                 else to_json({{'raw_line': r.raw}})::varchar end as "row",
            q.all_rules
        from __q q
        left join {loaded.view} v on v.__line = q.line
        left join __rej r on r.line = q.line
        """
    )
    con.unregister("__q")
    con.unregister("__rej")
    return table


def _ref_tables(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    loaded: dict[str, Loaded],
    quarantine: dict[str, str],
) -> dict[int, str]:
    """For each reference of `spec`: the referenced extract's keys, whether a row with the
    key was accepted, and the date `not_before` compares with (of an accepted row). (If
    the referenced extract stopped on the threshold its quarantine is a sample, so these
    counts are a lower bound; the run stops anyway.)"""
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
    `config` (GateConfig: window, volume band, Data Docs on/off, seeds folder...).
    `record_state=False` leaves state_dir untouched even if the run passes (the caller
    then records the deliveries itself, e.g. after the warehouse is published, with
    `record_accepted`)."""
    started = time.perf_counter()
    cfg = (config or GateConfig()).with_overrides(today=today, threshold=threshold)
    landing, out_dir, state_dir = Path(landing_dir), Path(output_dir), Path(state_dir)
    if out_dir.resolve() == landing.resolve():
        raise ValueError("output_dir must not be the landing folder (the gate clears it)")
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = ordered(specs)
    _clear_outputs(out_dir, specs)
    state = DeliveryState.load(state_dir)
    reports = {s.name: ExtractReport(file=s.file_name) for s in specs}
    problems: list[dict[str, Any]] = []
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(timings.get(name, 0.0) + now - since, 3)
        return now

    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")
    facts: dict[str, FileFacts] = {}
    loaded: dict[str, Loaded] = {}

    # 1. Extract level.
    t = time.perf_counter()
    for spec in specs:
        facts[spec.name] = inspect_file(landing / spec.file_name)
    rerun = cfg.allow_rerun and _is_rerun(specs, facts, state)
    if rerun:
        cfg = cfg.with_overrides(allow_same_delivery=True)
    lap("inspect_files", t)
    for spec in specs:
        t = time.perf_counter()
        f = facts[spec.name]
        report = reports[spec.name]
        if f.exists:
            report.bytes, report.sha256 = f.size, f.sha256
        file_problems = _file_problems(spec, f, state, cfg)
        problems += file_problems
        if any(p["stops"] for p in file_problems if p["rule"] != "same_delivery"):
            report.status = "stopped"
            continue
        ld = loaded[spec.name] = load_extract(con, spec, f)
        report.rows_in = ld.rows_in
        load_problems = _load_problems(spec, f, ld, state, cfg, report)
        problems += load_problems
        if any(p["stops"] for p in file_problems + load_problems):
            report.status = "stopped"
        lap("load_duckdb", t)

    stopped = any(p["stops"] for p in problems)
    quarantine: dict[str, str] = {}
    data_docs: str | None = None
    if not stopped:
        from .gx_engine import RuleEngine

        t = time.perf_counter()
        engine = RuleEngine(out_dir, cfg.data_docs)
        t = lap("gx_setup", t)
        # Per extract: two extracts may have a code column of the same name with different
        # sets (stop_search.outcome, use_of_force.outcome).
        codes = {
            s.name: {
                c.name: (c.codes.load(cfg.seeds_dir) if isinstance(c.codes, Seed) else c.codes)
                for c in s.columns
                if c.codes is not None
            }
            for s in specs
        }
        for spec in specs:
            report, ld, f = reports[spec.name], loaded[spec.name], facts[spec.name]
            plan = plan_checks(
                con,
                spec,
                ld.view,
                cfg,
                codes[spec.name],
                _ref_tables(con, spec, loaded, quarantine),
            )
            # Materialised first: DuckDB computes it in parallel, then converts (faster
            # than converting the query's result as it streams).
            frame_table = ident(f"frame__{spec.name}")
            con.execute(f"create or replace temp table {frame_table} as {plan.sql}")
            frame = con.execute(f"select * from {frame_table}").df()
            con.execute(f"drop table {frame_table}")
            frame.index = frame.pop("__line").to_numpy(dtype=np.int64)
            malformed = sum(r.error not in TRUNCATION_ERRORS for r in ld.rejects)
            failing = int(failing_rows(frame, plan.checks).sum()) + malformed
            complete = failing <= cfg.threshold * ld.rows_in
            t = lap("checks_frame", t)
            outcomes = engine.validate(spec.name, frame, plan.checks, complete=complete)
            del frame
            t = lap("gx_validate", t)
            verdict = _verdict(outcomes, ld)
            quarantine[spec.name] = _quarantine_table(con, spec, ld, verdict)
            report.quarantine_complete = complete
            report.quarantined = len(verdict.lines) if complete else failing
            report.validated = ld.rows_in - report.quarantined
            report.duplicate_repeats = sum(
                count for rule, _, _, count in verdict.per_check if rule == "duplicate_row"
            )
            problems += _row_problems(con, spec, ld, verdict, complete, plan.unknown_values)
            share = report.quarantined / ld.rows_in
            last_line_bad = not f.ends_with_newline and f.physical_lines in set(
                verdict.lines[-1:].tolist()
            )
            stops = []
            if last_line_bad:
                stops.append(
                    _problem(
                        spec.file_name,
                        "truncated_file",
                        "stop",
                        f"the last line ({f.physical_lines}) has no final newline and "
                        "fails the row checks: the file looks cut short",
                        count=1,
                    )
                )
            if share > cfg.threshold:
                stops.append(
                    _problem(
                        spec.file_name,
                        "quarantine_over_threshold",
                        "stop",
                        f"{share:.2%} of rows quarantined ({report.quarantined:,} of "
                        f"{ld.rows_in:,}); the threshold is {cfg.threshold:.2%}",
                        count=report.quarantined,
                    )
                )
            problems += stops
            report.status = "stopped" if stops else "accepted"
            t = lap("quarantine", t)
        t = time.perf_counter()
        data_docs = engine.build_docs()
        lap("data_docs", t)

    passed = not any(p["stops"] for p in problems)
    t = time.perf_counter()
    quarantine_path = _write_quarantine(con, out_dir, specs, quarantine)
    if passed:
        _publish(con, out_dir, specs, facts, loaded, quarantine, reports)
        if record_state:
            record_accepted(state_dir, reports, state)
    else:
        for r in reports.values():
            if r.status == "accepted":
                r.status = "not_published"
    lap("write_outputs", t)
    con.close()
    result = GateResult(
        passed=passed,
        extracts=reports,
        problems=problems,
        data_docs=data_docs,
        quarantine_file=str(quarantine_path),
        output_dir=str(out_dir),
        settings={
            "landing_dir": str(landing),
            "state_dir": str(state_dir),
            "window": [cfg.window_start.isoformat(), cfg.window_end.isoformat()],
            "today": cfg.effective_today.isoformat(),
            "threshold": cfg.threshold,
            "volume_band": list(cfg.volume_band) if cfg.volume_band else "per extract",
            "allow_same_delivery": cfg.allow_same_delivery,
            "rerun_of_latest_delivery": rerun,
            "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        seconds=round(time.perf_counter() - started, 2),
        timings=timings,
    )
    (out_dir / RESULT_FILE).write_text(result.to_json() + "\n", encoding="utf-8")
    return result


def _row_problems(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    loaded: Loaded,
    verdict: RowVerdict,
    complete: bool,
    unknown_values: dict[str, list[tuple[str, int]]],
) -> list[dict[str, Any]]:
    grouped: dict[tuple[str, str], list[np.ndarray]] = {}
    counts: dict[tuple[str, str], int] = {}
    for rule, column, lines, count in verdict.per_check:
        if count:
            grouped.setdefault((rule, column), []).append(lines)
            counts[(rule, column)] = counts.get((rule, column), 0) + count
    wanted = {key: np.unique(np.concatenate(parts))[:EXAMPLES] for key, parts in grouped.items()}
    examples = _row_examples(
        con, spec, loaded.view, sorted({int(n) for v in wanted.values() for n in v})
    )
    raw = {r.line: {"line": r.line, "raw_line": r.text[:300]} for r in loaded.rejects}
    out = []
    for (rule, column), parts in grouped.items():
        # Checks sharing a rule and column (a limit per channel) fail disjoint rows.
        count = len(np.unique(np.concatenate(parts))) if complete else counts[(rule, column)]
        sample = "" if complete else " (quarantine.csv lists a sample: the extract stops)"
        if rule == "unknown_code" and unknown_values.get(column):
            listed = ", ".join(f"{v!r} ({n:,})" for v, n in unknown_values[column])
            sample = f"; most frequent: {listed}" + sample
        out.append(
            _problem(
                spec.file_name,
                rule,
                "quarantine",
                f"{count:,} rows quarantined: {RULE_TEXT.get(rule, rule)}{sample}",
                count=count,
                column=column,
                examples=[
                    examples.get(int(n)) or raw.get(int(n), {"line": int(n)})
                    for n in wanted[(rule, column)]
                ],
            )
        )
    return out


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
    "timestamp_order": "timestamp before the one it follows",
    "absurd_duration": "duration beyond the plausible maximum",
    "exactly_one_of": "not exactly one of the alternative columns filled",
    "missing_reference": "referenced row not in the referenced extract",
    "quarantined_reference": "referenced row quarantined",
    "date_order": "date before the referenced row's date",
}


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


def _publish(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    specs: tuple[ExtractSpec, ...],
    facts: dict[str, FileFacts],
    loaded: dict[str, Loaded],
    quarantine: dict[str, str],
    reports: dict[str, ExtractReport],
) -> None:
    """Validated CSVs: written into a staging folder, checked, then renamed into place.
    A file with nothing quarantined (and no BOM) is copied byte for byte."""
    staging = out_dir / ".gate-staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for spec in specs:
        target = staging / spec.file_name
        report, f = reports[spec.name], facts[spec.name]
        if report.quarantined == 0 and not f.bom:
            shutil.copyfile(f.path, target)
            continue
        cols = ", ".join(ident(c) for c in spec.column_names)
        written = con.execute(
            f"""
            copy (
                select {cols} from {loaded[spec.name].view} v
                anti join {quarantine[spec.name]} q on q.line = v.__line
                order by v.__pos
            ) to {literal(str(target))} (header, delimiter ',')
            """
        ).fetchone()[0]  # type: ignore[index]
        if written != report.validated:
            raise RuntimeError(
                f"{spec.name}: wrote {written} rows, expected {report.validated} "
                f"({report.rows_in} in, {report.quarantined} quarantined)"
            )
    for spec in specs:
        os.replace(staging / spec.file_name, out_dir / spec.file_name)
    staging.rmdir()


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
                name, r.sha256, r.rows_in, r.bytes or 0, r.validated or 0, r.quarantined or 0
            )
    state.save()
