"""Build the public warehouse (warehouse/police_uk.duckdb) from data.police.uk archives
and DfT road safety tables.

    python scripts/run_public.py [--archive PATH] [--force SLUG] [--rebuild] [--reset]
                                 [dbt build options, e.g. --vars '{baseline_start: ...}']
    python scripts/run_public.py --rollback

PATH is a folder or a .zip laid out as data.police.uk's archive
(YYYY-MM/YYYY-MM-<force>-street.csv, -outcomes.csv, -stop-and-search.csv), with or
without DfT's collision and casualty tables; default: the bundled real sample
(samples/). --force keeps one force's files (and, of DfT tables, its rows).

1. The archive's files are compared with the store of files the public warehouse was
   built from (POLICE_UK_DIR/store, default warehouse/police_uk/store): new, revised
   (other bytes for a force, month and kind already loaded) or unchanged. Nothing new:
   "up to date", exit 0, nothing rebuilt (--rebuild rebuilds anyway, after a change of
   models or vars).
2. The store's files, with the new and revised ones in place, are assembled into one
   extract per kind (scripts/police_uk/assemble.py), which the extract gate checks
   against the public contracts (models/police_uk/staging/_*__sources.yml).
3. dbt builds the public warehouse (POLICE_WAREHOUSE=police_uk: models/police_uk and the
   KPI engine) into POLICE_UK_DIR/build; windows: each KPI over the latest 12 months its
   data covers against the 12 before, year to date from April (vars a --vars can
   override, e.g. a plan baseline).
4. Published atomically to POLICE_UK_WAREHOUSE_PATH (default warehouse/police_uk.duckdb;
   the one it replaces kept in warehouse/previous/), saying how many figures moved; only
   then does the store take the new files. A stopped run (alert, exit 1) leaves the
   published warehouse and the store as they were; the force warehouse is never touched.
One run at a time (scripts/run_lock.py), a rollback included: a second one names the
first and exits 75. --force is a slug, --archive must exist, --vars are checked
(scripts/dbt_vars.py): a bad one exits 2 before anything runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import yaml

from alerts import Alert, Problem, raise_alert
from dbt_vars import SLUG, VarsError, check_vars, vars_from
from police_uk.archive import list_archive
from police_uk.assemble import Assembled, assemble
from police_uk.store import Plan, Store
from publish import Deployment, NothingToRollBack, carry_over, previous_path, recover, rollback
from quality import GateConfig, GateResult, run_gate
from quality.contracts import PUBLIC_SPECS
from run_pipeline import (
    BAD_ARGUMENTS,
    PROJECT_DIR,
    UMASK,
    dbt_build,
    from_env,
    locked,
    private_dirs,
    publish_and_accept,
    publish_env,
)

SAMPLE_ARCHIVE = PROJECT_DIR / "samples"
REVISION_FLOOR = 0.5  # a revised file with under half the rows of the one it replaces
WINDOW_MONTHS = 12
TREND_MONTHS = 24


@dataclass(frozen=True)
class Paths:
    published: Path
    work: Path
    alerts: Path

    @property
    def store(self) -> Path:
        return self.work / "store"

    @property
    def landing(self) -> Path:
        return self.work / "landing"

    @property
    def validated(self) -> Path:
        return self.work / "gate" / "validated"

    @property
    def gate_state(self) -> Path:
        return self.work / "gate" / "state"

    @property
    def build(self) -> Path:
        return self.work / "build" / "police_uk.duckdb"

    @property
    def deployment(self) -> Deployment:
        """What a publish changes, kept and rolled back together (scripts/publish.py)."""
        restricted = from_env(
            "POLICE_UK_RESTRICTED_PATH",
            str(self.published.parent / "restricted" / self.published.name),
        )
        return Deployment(self.published, restricted, self.gate_state, self.store)

    @property
    def target(self) -> Path:
        # its own dbt target folder: the force build's partial parse is kept
        return from_env("POLICE_UK_TARGET_PATH", "target/police_uk")


def paths() -> Paths:
    return Paths(
        published=from_env("POLICE_UK_WAREHOUSE_PATH", "warehouse/police_uk.duckdb"),
        work=from_env("POLICE_UK_DIR", "warehouse/police_uk"),
        alerts=from_env("POLICE_ALERTS_DIR", "warehouse/alerts"),
    )


def _month_start(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def windows(assembled: Assembled) -> dict[str, object]:
    """The period vars: the latest WINDOW_MONTHS months the files hold (data.police.uk
    months; else DfT's latest collision year) against the WINDOW_MONTHS before, and the
    financial year to date. A KPI whose data ends earlier is measured over its own latest
    months (int_kpi_windows, macro windows_from_coverage)."""
    months = [str(f["month"]) for f in assembled.files.values() if f.get("month")]
    years = [int(y) for f in assembled.files.values() for y in f.get("years") or []]  # type: ignore[attr-defined]
    if months:
        latest = _month_start(max(months))
    elif years:
        latest = date(max(years), 12, 1)
    else:
        latest = date.today().replace(day=1)
    end = _add_months(latest, 1) - timedelta(days=1)
    start = _add_months(latest, 1 - WINDOW_MONTHS)
    year_start = date(latest.year if latest.month >= 4 else latest.year - 1, 4, 1)
    return {
        "current_start": start.isoformat(),
        "current_end": end.isoformat(),
        "baseline_start": _add_months(start, -WINDOW_MONTHS).isoformat(),
        "baseline_end": (start - timedelta(days=1)).isoformat(),
        "year_on_year_end": end.isoformat(),
        "year_to_date_start": year_start.isoformat(),
        "year_to_date_end": end.isoformat(),
        "trend_months": TREND_MONTHS,
    }


def with_vars(dbt_args: list[str], computed: dict[str, object]) -> list[str]:
    """dbt's arguments with one --vars: the computed windows, overridden by the user's
    (checked: scripts/dbt_vars.py)."""
    args, text = vars_from(dbt_args)
    user = check_vars(text)
    merged = check_vars({**computed, **user})
    return [*args, "--vars", yaml.safe_dump(merged, default_flow_style=True).strip()]


def month_ranges(months: list[str]) -> str:
    """2024-01..2025-12, 2013-06: consecutive months as ranges."""
    out: list[str] = []
    ordered = sorted(set(months))
    run = [ordered[0]] if ordered else []
    for month in ordered[1:]:
        if _add_months(_month_start(run[-1]), 1) == _month_start(month):
            run.append(month)
        else:
            out.append(run[0] if len(run) == 1 else f"{run[0]}..{run[-1]}")
            run = [month]
    if run:
        out.append(run[0] if len(run) == 1 else f"{run[0]}..{run[-1]}")
    return ", ".join(out)


def coverage(assembled: Assembled) -> list[str]:
    """One line per force and kind: its months."""
    groups: dict[tuple[str, str], list[str]] = {}
    for facts in assembled.files.values():
        if facts.get("month"):
            groups.setdefault((str(facts["force"]), str(facts["kind"])), []).append(
                str(facts["month"])
            )
    lines = [f"  {force} {kind}: {month_ranges(m)}" for (force, kind), m in sorted(groups.items())]
    dft = [f for f in assembled.files.values() if f.get("years") is not None]
    for facts in dft:
        if facts["kind"] == "collisions":
            lines.append(f"  DfT collisions: {', '.join(facts['years'])}")  # type: ignore[arg-type]
    return lines


def revision_problems(plan: Plan, store: Store, assembled: Assembled) -> list[Problem]:
    """A revised file with far fewer rows than the file it replaces (a cut download, not a
    revision: revisions move a few rows)."""
    out = []
    for key in plan.revised:
        file, stored = plan.incoming[key], store.files[key]
        rows = int(assembled.files.get(file.path, {}).get("rows", 0))  # type: ignore[call-overload]
        if stored.rows and rows < REVISION_FLOOR * stored.rows:
            out.append(
                Problem(
                    file.path, "revision_collapse", "stop", count=rows,
                    message=f"{rows:,} rows where the version loaded on {stored.loaded_at} "
                    f"had {stored.rows:,} (a revision below {REVISION_FLOOR:.0%} of it)",
                )
            )  # fmt: skip
    return out


def figures_moved(build: Path, published: Path) -> str | None:
    """How many figures the new build changes against the published warehouse: trend
    points and scorecard values present in both, for the same KPI, area and window."""
    if not published.exists():
        return None
    with duckdb.connect(str(build), read_only=True) as con:
        con.execute(f"attach '{published}' as old (read_only)")
        trend = con.sql(
            """select count(*), count(*) filter (where n.kpi_value is distinct from o.kpi_value)
            from marts.kpi_trend_monthly n
            join old.marts.kpi_trend_monthly o
                using (kpi_id, area_code, month_end, trend_window)"""
        ).fetchone()
        scorecard = con.sql(
            """select count(*), count(*) filter (
                where n.current_value is distinct from o.current_value
                   or n.baseline_value is distinct from o.baseline_value)
            from marts.kpi_scorecard_by_lpa n
            join old.marts.kpi_scorecard_by_lpa o
                using (kpi_id, comparison_mode, lpa_code, current_start, current_end,
                       baseline_start, baseline_end)"""
        ).fetchone()
        force = con.sql(
            """select count(*), count(*) filter (
                where n.current_value is distinct from o.current_value
                   or n.baseline_value is distinct from o.baseline_value)
            from marts.kpi_scorecard n
            join old.marts.kpi_scorecard o
                using (kpi_id, comparison_mode, current_start, current_end,
                       baseline_start, baseline_end)"""
        ).fetchone()
    assert trend and scorecard and force
    return (
        f"Figures moved: {force[1]:,} of {force[0]:,} force-wide scorecard rows, "
        f"{scorecard[1]:,} of {scorecard[0]:,} by local authority, {trend[1]:,} of "
        f"{trend[0]:,} monthly trend points (same KPI, area and window as published)"
    )


def _stop(summary: str, problems: list[Problem], p: Paths) -> int:
    raise_alert(
        Alert(
            stage="gate", summary=summary, problems=problems, published_warehouse=str(p.published)
        ),
        p.alerts,
    )
    return 1


# The gate's settings for public files.
GATE_CONFIG = GateConfig(
    allow_same_delivery=True,  # a kind with no new files is the same extract again
    allow_empty_extracts=True,  # an archive without outcomes files, or DfT tables
)


def gate(p: Paths) -> GateResult:
    return run_gate(
        p.landing, p.validated, p.gate_state, config=GATE_CONFIG, specs=PUBLIC_SPECS,
        record_state=False,
    )  # fmt: skip


def run(archive: Path, force: str | None, dbt_args: list[str], rebuild: bool, reset: bool) -> int:
    p = paths()
    return locked(p.published, lambda: _run(p, archive, force, dbt_args, rebuild, reset))


def _run(
    p: Paths, archive: Path, force: str | None, dbt_args: list[str], rebuild: bool, reset: bool
) -> int:
    removed = recover(p.build, p.deployment)  # any run, an up-to-date one too
    if removed:
        print(f"Removed scratch files of the last run: {', '.join(x.name for x in removed)}")
    listing = list_archive(archive, force)
    if listing.ignored:
        more = " ..." if len(listing.ignored) > 5 else ""
        print(
            f"{len(listing.ignored)} files ignored (neither data.police.uk nor DfT tables): "
            + ", ".join(listing.ignored[:5])
            + more
        )
    if not listing.files:
        which = f" of force {force!r}" if force else ""
        return _stop(
            f"no data.police.uk or DfT files{which} in {archive}",
            [Problem(str(archive), "no_files", "stop", message="nothing to load")],
            p,
        )
    store = Store(p.store)
    if reset:
        store.files = {}
    plan = store.plan(listing.files)
    print(
        f"{archive}: {len(listing.files)} files, {len(plan.new)} new, {len(plan.revised)} "
        f"revised, {len(plan.unchanged)} already loaded"
    )
    if not plan.changes and p.published.exists() and not rebuild:
        print(f"The public warehouse is up to date: nothing new in {archive} ({p.published}).")
        return 0

    assembled = assemble(store.candidate(plan), p.landing)
    assembled.problems += revision_problems(plan, store, assembled)
    for problem in assembled.problems:
        print(f"  - {problem.line()}")
    if assembled.stopped:
        stops = [x for x in assembled.problems if x.stops]
        return _stop(f"{len(stops)} files stopped the run", assembled.problems, p)
    print("Files in the warehouse:")
    print("\n".join(coverage(assembled)))

    gated = gate(p)
    print(gated.summary())
    if not gated.passed:
        raise_alert(gated.to_alert(str(p.published)), p.alerts)
        return 1

    private_dirs(p.work, p.build.parent)
    args = with_vars(dbt_args, windows(assembled))
    env = {"POLICE_WAREHOUSE": "police_uk", **publish_env(gated)}
    carry_over(p.published, p.build)
    if not dbt_build(args, p.build, p.published, gated.output_dir, p.alerts, p.target, env):
        return 1
    moved = figures_moved(p.build, p.published)
    publish_and_accept(gated, p.build, p.deployment, p.alerts)
    if reset:
        store.reset()
    store.commit(plan, {path: int(f["rows"]) for path, f in assembled.files.items()})  # type: ignore[call-overload]
    if moved:
        print(moved)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=None, help="folder or .zip")
    parser.add_argument("--force", default=None, help="data.police.uk force slug")
    parser.add_argument("--rebuild", action="store_true", help="rebuild with nothing new")
    parser.add_argument("--reset", action="store_true", help="forget the files loaded before")
    parser.add_argument("--rollback", action="store_true", help="put the previous one back")
    known, dbt_args = parser.parse_known_args(argv)
    os.umask(UMASK)
    if known.rollback:
        return roll_back()
    # make run-public passes ARCHIVE and FORCE as environment variables (no shell parse)
    named = os.environ.get("POLICE_UK_ARCHIVE") or os.environ.get("ARCHIVE")
    archive = known.archive or Path(named or SAMPLE_ARCHIVE)
    force = known.force or os.environ.get("POLICE_UK_FORCE") or os.environ.get("FORCE") or None
    try:
        if force is not None and not SLUG.fullmatch(force):
            raise VarsError(
                f"force {force!r} is not a data.police.uk force slug (lower-case letters, "
                "digits and '-', e.g. west-yorkshire)"
            )
        if not archive.exists():
            raise VarsError(f"archive {str(archive)!r} does not exist")
        check_vars(vars_from(dbt_args)[1])
    except VarsError as error:
        print(f"run_public: {error}; nothing was run.", file=sys.stderr)
        return BAD_ARGUMENTS
    return run(archive, force, dbt_args, known.rebuild, known.reset)


def roll_back() -> int:
    """Put the previous public deployment back, under the run lock."""
    p = paths()

    def work() -> int:
        try:
            rollback(p.deployment)
        except NothingToRollBack as error:
            print(f"Nothing rolled back: {error}", file=sys.stderr)
            return 1
        print(f"Rolled back {p.published} to {previous_path(p.published)}, with its store")
        return 0

    return locked(p.published, work)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
