"""Safe publishing: dbt never writes the published warehouse; only a delivery that passed
the extract gate and a build that passed every test replace it, atomically, as a BI file
and a restricted file; a stopped, failed or killed run leaves them byte-for-byte as they
were, with an alert; readers and builds never block each other; every writer takes the
run lock (a refused one exits 75); a rollback puts the whole deployment back; what the
warehouse writes has no access for other users, and no alert or BI table carries a
quarantined row's values."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

import build_report
from conftest import PROJECT_DIR, run_dbt, unchecked_copies

sys.path.insert(0, str(PROJECT_DIR / "tests"))

from faults.generate import FAULTS, make_variant

PIPELINE = PROJECT_DIR / "scripts" / "run_pipeline.py"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Warehouse:
    """One deployment in a temporary folder: landing, build, published, alerts."""

    def __init__(self, root: Path, landing: Path) -> None:
        self.root = root
        self.landing = landing
        self.published = root / "warehouse" / "police.duckdb"
        self.restricted = root / "warehouse" / "restricted" / "police.duckdb"
        self.build = root / "warehouse" / "build" / "police.duckdb"
        self.alerts = root / "warehouse" / "alerts"
        self.gate = root / "warehouse" / "gate"

    def env(self, **extra: str) -> dict[str, str]:
        return dict(
            os.environ,
            DO_NOT_TRACK="1",
            POLICE_LANDING_DIR=str(self.landing),
            POLICE_BUILD_PATH=str(self.build),
            POLICE_WAREHOUSE_PATH=str(self.published),
            POLICE_ALERTS_DIR=str(self.alerts),
            POLICE_GATE_DIR=str(self.gate),
            DBT_TARGET_PATH=str(self.root / "target"),
            **extra,
        )

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(PIPELINE), *args, "--log-path", str(self.root / "logs")]

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            cwd=PROJECT_DIR,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            check=False,
        )

    def total_crime(self) -> float:
        """Read the published warehouse from another process, as a BI tool would."""
        code = (
            "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
            'print(con.sql("select current_value from marts.kpi_scorecard '
            "where kpi_id = 'total_recorded_crime' and comparison_mode = 'plan_baseline'\")"
            ".fetchone()[0])"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(self.published)],
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout)

    def alerts_of(self, stage: str) -> list[dict[str, object]]:
        files = sorted(self.alerts.glob(f"*-{stage}-*.json"))
        return [json.loads(path.read_text(encoding="utf-8")) for path in files]


@pytest.fixture(scope="module")
def deployed(small_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A deployment with one published warehouse."""
    warehouse = Warehouse(tmp_path_factory.mktemp("deployment"), small_landing)
    result = warehouse.run()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert warehouse.published.exists()
    return warehouse


def test_a_report_for_other_windows_rebuilds_from_the_published_delivery(
    deployed: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The BI file holds no intermediate schema, so `make report VARS=...` rebuilds the
    intermediate and KPI models on a copy of it from the gate's validated copies of the
    published delivery (the published file only read), as a build from scratch with those
    vars would; with copies of another delivery, it says to rebuild first."""
    before = sha256(deployed.published)
    monkeypatch.setenv("POLICE_VALIDATED_DIR", str(deployed.gate / "validated"))
    june = {"current_start": "2024-07-01", "current_end": "2025-06-30"}
    copy = build_report.with_vars(deployed.published, json.dumps(june), tmp_path / "work")
    assert sha256(deployed.published) == before
    scratch = tmp_path / "scratch.duckdb"
    result = run_dbt(["build", "--exclude", "test_type:unit", "--vars", json.dumps(june)],
                     deployed.gate / "validated", scratch)  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    sql = ("select kpi_id, comparison_mode, current_start, current_end, current_value, "
           "status from marts.kpi_scorecard")  # fmt: skip
    with duckdb.connect(str(copy), read_only=True) as con:
        rebuilt = set(con.sql(sql).fetchall())
    with duckdb.connect(str(scratch), read_only=True) as con:
        built = set(con.sql(sql).fetchall())
    assert rebuilt == built and date(2025, 6, 30) in {r[3] for r in rebuilt}
    monkeypatch.setenv("POLICE_VALIDATED_DIR", str(tmp_path / "elsewhere"))
    with pytest.raises(build_report.ReportError, match="run make rebuild"):
        build_report.with_vars(deployed.published, json.dumps(june), tmp_path / "again")


def test_dbt_builds_elsewhere_and_publish_keeps_the_previous(deployed: Warehouse) -> None:
    first = sha256(deployed.published)
    result = deployed.run("--rebuild")
    assert result.returncode == 0, result.stderr[-3000:]
    previous = deployed.published.parent / "previous" / "police.duckdb"
    assert sha256(previous) == first
    assert not deployed.published.with_name("police.duckdb.wal").exists()
    assert deployed.total_crime() > 0


def test_published_warehouse_reads_no_extract(deployed: Warehouse) -> None:
    """The staging views read the build's extracts in place: a published view must never
    read a later delivery, so the published copy has no staging schema and no view over a
    file; dbt's failing-row tables stay behind too."""
    with duckdb.connect(str(deployed.published), read_only=True) as con:
        schemas = {row[0] for row in con.sql("select schema_name from duckdb_schemas()").fetchall()}
        views_over_files = con.sql(
            "select schema_name, view_name from duckdb_views() "
            "where not internal and (lower(sql) like '%read_csv%' "
            "or lower(sql) like '%read_parquet%')"
        ).fetchall()
        (facts,) = con.sql(
            "select count(*) from duckdb_tables() where schema_name = 'marts' "
            "and table_name like 'fct_%'"
        ).fetchone()
        views = con.sql("select schema_name, view_name from duckdb_views() where not internal")
        broken = []
        for schema, view in views.fetchall():
            try:
                con.sql(f'select * from "{schema}"."{view}" limit 0').fetchall()
            except duckdb.Error as error:
                broken.append((schema, view, str(error)[:120]))
    assert broken == [], "a published view that cannot be read"
    assert {"marts", "reference", "quality"} <= schemas
    assert not schemas & {"staging", "test_failures", "intermediate", "restricted"}
    assert views_over_files == []
    assert facts == 12


def test_the_restricted_schema_is_published_apart_and_nothing_is_open_to_others(
    deployed: Warehouse,
) -> None:
    """The same publish writes the restricted file (mode 0600 in a 0700 folder): the
    restricted schema, the quarantine's raw rows among it; the BI file is 0640; nothing
    the warehouse wrote (files, folders, alerts, the kept deployment) is open to other
    users."""
    assert deployed.restricted.exists()
    assert deployed.restricted.stat().st_mode & 0o777 == 0o600
    assert deployed.restricted.parent.stat().st_mode & 0o777 == 0o700
    assert deployed.published.stat().st_mode & 0o777 == 0o640
    with duckdb.connect(str(deployed.restricted), read_only=True) as con:
        schemas = {r[0] for r in con.sql("select schema_name from duckdb_tables()").fetchall()}
        tables = {r[0] for r in con.sql("select table_name from duckdb_tables()").fetchall()}
    assert schemas == {"restricted"} and "extract_quarantine_rows" in tables
    with duckdb.connect(str(deployed.published), read_only=True) as con:
        (columns,) = con.sql(
            "select list(column_name) from duckdb_columns() where schema_name = 'quality' "
            "and table_name = 'extract_quarantine'"
        ).fetchone()  # type: ignore[misc]
    assert "row" not in columns and "record_key" in columns
    open_to_others = [
        str(path)
        for path in [deployed.root / "warehouse", *(deployed.root / "warehouse").rglob("*")]
        if not path.is_symlink() and path.stat().st_mode & 0o007
    ]
    assert open_to_others == []


def test_a_fact_rule_stops_dbt_without_the_gate(small_landing: Path, tmp_path: Path) -> None:
    """Staging carries no data tests; a row the gate would have quarantined still cannot
    reach a fact when dbt runs on unchecked copies of the extracts: a call both answered
    and abandoned breaks fct_calls' check constraint, and the build names it."""
    landing = tmp_path / "landing"
    shutil.copytree(small_landing, landing)
    calls = landing / "calls.csv"
    header, first, rest = calls.read_text(encoding="utf-8").split("\n", 2)
    call_id, channel, presented_at, answered_at, abandoned_at = first.split(",")
    assert answered_at and not abandoned_at
    calls.write_text(
        "\n".join(
            [header, ",".join([call_id, channel, presented_at, answered_at, answered_at]), rest]
        ),
        encoding="utf-8",
    )
    validated = unchecked_copies(landing, tmp_path / "unchecked")
    result = run_dbt(["build", "--select", "+fct_calls"], validated, tmp_path / "police.duckdb")
    assert result.returncode == 1
    assert "fct_calls" in result.stdout
    assert "CHECK constraint failed" in result.stdout
    assert "(answered_at IS NULL) != (abandoned_at IS NULL)" in result.stdout


def test_the_same_delivery_again_is_up_to_date(deployed: Warehouse) -> None:
    """make run twice on one delivery: exit 0 both times, the second one line, no alert."""
    before, alerts = sha256(deployed.published), len(list(deployed.alerts.glob("*.json")))
    result = deployed.run()
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("The warehouse is up to date with the delivery of ")
    assert result.stdout.count("\n") == 1
    assert sha256(deployed.published) == before
    assert len(list(deployed.alerts.glob("*.json"))) == alerts


def test_a_second_run_is_refused_while_one_runs(deployed: Warehouse) -> None:
    """A cron overlap: the second run names the first (pid, start), touches nothing and
    raises no alert; the first one finishes and publishes."""
    lock = deployed.published.parent / ".police.duckdb.run-lock"
    first = subprocess.Popen(
        deployed.command("--rebuild"), cwd=PROJECT_DIR, env=deployed.env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        alerts = len(list(deployed.alerts.glob("*.json")))
        before = sha256(deployed.published)
        second = deployed.run("--rebuild")
        assert second.returncode == 75
        assert f"Another run is in progress (pid {first.pid}, started " in second.stderr
        # a rollback is a writer too: refused while the rebuild runs, nothing touched
        rollback = subprocess.run(
            [sys.executable, str(PIPELINE), "--rollback"], cwd=PROJECT_DIR,
            env=deployed.env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert rollback.returncode == 75, rollback.stdout + rollback.stderr
        assert f"Another run is in progress (pid {first.pid}, " in rollback.stderr
        assert sha256(deployed.published) == before
        # make cannot exit 75 itself (GNU make exits 2 for any failed recipe): it names
        # the script's code, which a scheduler reads from the script (docs/publishing.md)
        made = subprocess.run(
            ["make", "--no-print-directory", "rebuild"], cwd=PROJECT_DIR, env=deployed.env(),
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert made.returncode == 2, made.stdout + made.stderr
        assert "Another run is in progress" in made.stderr and "Error 75" in made.stderr
        assert len(list(deployed.alerts.glob("*.json"))) == alerts
    finally:
        assert first.wait(timeout=600) == 0
    assert not lock.exists()


def test_failed_build_alerts_and_leaves_published_unchanged(deployed: Warehouse) -> None:
    # The extracts pass the gate; the date dimension (var calendar_end) stops a day short
    # of them, so dbt's relationships tests to dim_dates fail.
    dbt_vars = '{calendar_end: "2025-09-29"}'
    received: list[bytes] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    listener = threading.Thread(target=server.serve_forever, daemon=True)
    listener.start()

    before = sha256(deployed.published)
    webhook = f"http://127.0.0.1:{server.server_address[1]}/alerts"
    try:
        result = deployed.run("--rebuild", "--vars", dbt_vars, POLICE_ALERT_WEBHOOK_URL=webhook)
    finally:
        server.shutdown()
        server.server_close()
        listener.join(timeout=10)

    assert result.returncode == 1
    assert sha256(deployed.published) == before
    assert "ALERT" in result.stderr
    assert "relationships_fct_crimes_recorded_date__date_day__ref_dim_dates_" in result.stderr

    alert = deployed.alerts_of("dbt")[-1]
    failed = {problem["where"]: problem for problem in alert["problems"]}  # type: ignore[union-attr]
    crimes_test = next(name for name in failed if "relationships_fct_crimes_recorded_date" in name)
    last_day = duckdb.connect(str(deployed.published), read_only=True)
    try:
        (expected,) = last_day.sql(
            "select count(*) from marts.fct_crimes where recorded_date = date '2025-09-30'"
        ).fetchone()
    finally:
        last_day.close()
    assert failed[crimes_test]["count"] == expected > 0
    # no row values in an alert: where the failing rows are, not what they hold
    assert failed[crimes_test]["examples"] == [
        {"failing_rows": failed[crimes_test]["examples"][0]["failing_rows"]}  # type: ignore[index]
    ]
    assert alert["published_unchanged"] is True
    assert "run_results" in alert["links"]  # type: ignore[operator]
    assert received and json.loads(received[0]) == alert


# Every stopping fault but the month faults (one of each rule stands for them), the
# earlier file re-sent (it needs two remembered deliveries) and the same delivery again
# (for the pipeline that is "up to date": test_the_same_delivery_again_is_up_to_date).
MONTH_RULES = ("missing_month", "month_volume")
NOT_THROUGH_THE_PIPELINE = ("earlier_file_resent", "same_delivery")
STOP_FAULTS = [
    *sorted(
        kind
        for kind, fault in FAULTS.items()
        if fault.stops and fault.rule not in MONTH_RULES and kind not in NOT_THROUGH_THE_PIPELINE
    ),
    "calls_missing_last_month",
    "crimes_half_month",
    "crimes_short_month",
]
# What the plausibility stops must name: the measure or month, the value and the band.
NAMED = {
    "crimes_short_month": ("2025-09", "rows in 2025-09, outside the band "),
    "return_headcount_typo": ("workforce.officers_headcount", "81,240 for 2025-09-30",
                              "outside the band "),
}  # fmt: skip


@pytest.mark.parametrize("kind", STOP_FAULTS)
def test_a_stopped_gate_alerts_and_leaves_published_unchanged(
    kind: str, deployed: Warehouse, tmp_path: Path
) -> None:
    """Every extract-level fault of the corpus, through the whole pipeline: exit 1, an
    alert naming the file and the rule, nothing built, the published warehouse and the
    gate's memory byte-for-byte as they were."""
    fault = FAULTS[kind]
    root = tmp_path / "deployment"
    (root / "warehouse").mkdir(parents=True)
    shutil.copyfile(deployed.published, root / "warehouse" / "police.duckdb")
    if fault.state:  # the fault needs a remembered delivery: the deployed one
        shutil.copytree(deployed.gate / "state", root / "warehouse" / "gate" / "state")
    make_variant(deployed.landing, tmp_path / "landing", kind)
    stopping = Warehouse(root, tmp_path / "landing")
    state_file = stopping.gate / "state" / "accepted_deliveries.json"
    state_before = state_file.read_bytes() if state_file.exists() else None
    before = sha256(stopping.published)

    result = stopping.run()

    assert result.returncode == 1, result.stdout[-2000:]
    assert sha256(stopping.published) == before
    assert (state_file.read_bytes() if state_file.exists() else None) == state_before
    assert not stopping.build.exists()  # dbt never ran
    (alert,) = stopping.alerts_of("gate")
    stops = [p for p in alert["problems"] if str(p["message"]).startswith("STOPS")]  # type: ignore[union-attr]
    assert any(
        p["where"] == f"{fault.extract}.csv" and str(p["rule"]).startswith(fault.rule)
        for p in stops
    ), stops
    assert f"{fault.extract}.csv: {fault.rule}" in result.stderr
    for words in NAMED.get(kind, ()):
        assert any(words in str(p["message"]) for p in stops), (words, stops)
    if kind == "over_threshold":  # the row checks ran: their Data Docs are linked
        assert Path(alert["links"]["data_docs"]).exists()  # type: ignore[index]


def test_quarantined_rows_are_published_with_the_rule_and_line(
    small_landing: Path, tmp_path: Path
) -> None:
    """Rows under the threshold are quarantined, the rest is built and published, and
    the published warehouse says which rows it left out: rows delivered = rows in the
    fact + rows quarantined."""
    manifest = make_variant(small_landing, tmp_path / "landing", "unknown_neighbourhood")
    deployment = Warehouse(tmp_path / "deployment", tmp_path / "landing")
    result = deployment.run()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    delivered = len((tmp_path / "landing" / "incidents.csv").read_text().splitlines()) - 1
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        quarantined = con.sql(
            "select line, rule from quality.extract_quarantine where extract = 'incidents'"
        ).fetchall()
        (built,) = con.sql("select count(*) from marts.fct_incidents").fetchone()
        log = con.sql(
            "select rows_in, rows_validated, rows_quarantined from quality.extract_deliveries "
            "where extract = 'incidents'"
        ).fetchone()
    assert sorted(line for line, _ in quarantined) == sorted(manifest["lines"])  # type: ignore[arg-type]
    assert {rule for _, rule in quarantined} == {"unknown_code"}
    assert built + len(quarantined) == delivered
    assert log == (delivered, built, len(quarantined))
    (notice,) = deployment.alerts_of("gate")
    assert notice["published_unchanged"] is False
    assert "quarantined" in str(notice["summary"])

    # The quarantined rows' values: in the restricted file only, never in an alert (file
    # or webhook: the same JSON) nor in the BI file.
    lines = (tmp_path / "landing" / "incidents.csv").read_text().splitlines()
    rows = [lines[n - 1].split(",") for n in manifest["lines"]]  # type: ignore[union-attr]
    values = {v for row in rows for v in row[1:] if len(v) >= 4}  # created_at, category ...
    keys = {row[0] for row in rows}
    text = json.dumps(notice)
    assert values and not [v for v in values if v in text]
    for problem in notice["problems"]:  # type: ignore[union-attr]
        for example in problem["examples"]:
            assert set(example) <= {"line", "column", "rule", "record_key"}, example
    shown = {e["record_key"] for p in notice["problems"] for e in p["examples"]}  # type: ignore[union-attr,index]
    assert shown and shown <= keys
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        bi = json.dumps(con.sql("select * from quality.extract_quarantine").fetchall(), default=str)
    assert not [v for v in values if v in bi]
    with duckdb.connect(str(deployment.restricted), read_only=True) as con:
        raw = con.sql(
            "select record_key, \"row\" from restricted.extract_quarantine_rows "
            "where extract = 'incidents'"
        ).fetchall()
    assert {k for k, _ in raw} == keys
    assert all(v in " ".join(r for _, r in raw) for v in values)


def test_reader_holding_the_warehouse_never_blocks_a_publish(deployed: Warehouse) -> None:
    reader = duckdb.connect(str(deployed.published), read_only=True)
    try:
        before = reader.sql("select count(*) from marts.fct_crimes").fetchone()
        result = deployed.run("--rebuild")
        assert result.returncode == 0, result.stderr[-3000:]
        # The open reader still reads the warehouse it opened, whole.
        assert reader.sql("select count(*) from marts.fct_crimes").fetchone() == before
        # A new reader opens the newly published one.
        assert deployed.total_crime() > 0
    finally:
        reader.close()


def test_killed_run_leaves_published_intact_and_next_run_recovers(deployed: Warehouse) -> None:
    before = sha256(deployed.published)
    process = subprocess.Popen(
        deployed.command("--rebuild"),
        cwd=PROJECT_DIR,
        env=deployed.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not deployed.build.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # mid-build
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    assert sha256(deployed.published) == before
    assert deployed.total_crime() > 0

    result = deployed.run("--rebuild")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Took over the lock of a run that is no longer running: pid " in result.stdout
    assert deployed.total_crime() > 0


def test_a_dead_publish_scratch_is_removed_by_any_run(deployed: Warehouse) -> None:
    """A publish killed with kill -9 leaves its scratch copies (.publishing-<pid>-...):
    the next run of any kind removes them, an up-to-date one included; a live process's
    scratch (the public warehouse's publish beside it) is left alone."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folders = (deployed.published.parent, deployed.restricted.parent,
               deployed.published.parent / "previous")  # fmt: skip
    scratch = [f / f".publishing-{dead.pid}-police.duckdb" for f in folders]
    for path in scratch:
        path.write_bytes(b"\0" * 1_000_000)
    live = deployed.published.parent / f".publishing-{os.getpid()}-police_uk.duckdb"
    live.write_bytes(b"\0")
    try:
        result = deployed.run()
        assert result.returncode == 0, result.stderr[-2000:]
        assert "up to date" in result.stdout
        assert "Removed scratch files of the last run" in result.stdout
        assert not [p for p in scratch if p.exists()]
        assert live.exists()
    finally:
        live.unlink()


def test_rollback_restores_the_previous_deployment(deployed: Warehouse) -> None:
    kept = deployed.published.parent / "previous"
    previous = kept / "police.duckdb"
    assert previous.exists() and (kept / "police.duckdb.kept.json").exists()
    result = subprocess.run(
        [sys.executable, str(PIPELINE), "--rollback"],
        cwd=PROJECT_DIR,
        env=deployed.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sha256(deployed.published) == sha256(previous)
    assert sha256(deployed.restricted) == sha256(kept / "police.duckdb.restricted")
    state = "accepted_deliveries.json"
    assert (deployed.gate / "state" / state).read_bytes() == (
        kept / "police.duckdb.gate-state" / state
    ).read_bytes()
    store = deployed.published.parent / "deliveries" / "current" / "store.json"
    assert store.read_bytes() == (kept / "police.duckdb.deliveries" / "store.json").read_bytes()


def test_a_revised_delivery_lists_exactly_the_figures_it_moved(
    small_landing: Path, tmp_path: Path
) -> None:
    """Publish; deliver the crimes again with some shoplifting reclassified as other
    theft (the other extracts unchanged); publish again. kpi_revisions lists exactly
    the figures that differ between the two published scorecards, by exactly their
    difference; the shoplifting count falls by the crimes reclassified in its window;
    kpi_scorecard_history holds both publishes (the first as published, for figures as
    at a date) and crime_history both versions of each reclassified crime."""
    landing = tmp_path / "landing"
    shutil.copytree(small_landing, landing)
    deployment = Warehouse(tmp_path / "deployment", landing)
    first = deployment.run()
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]

    path = landing / "crimes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    code, day = header.index("ho_offence_code"), header.index("recorded_date")
    status = header.index("record_status")
    rows = {i: text.rstrip("\n").split(",") for i, text in enumerate(lines) if i}
    # 40 shoplifting crimes spread over the last 30 months (every window's months)
    candidates = [i for i, row in rows.items() if row[code] == "46" and row[day] >= "2023-04-01"]
    reclassified, in_window = [], 0
    for i in candidates[:: max(1, len(candidates) // 40)][:40]:
        row = rows[i]
        row[code] = "49"
        lines[i] = ",".join(row) + "\n"
        reclassified.append(row[0])
        recorded = row[status].strip().lower() == "recorded"
        in_window += recorded and "2024-10-01" <= row[day] <= "2025-09-30"
    assert in_window > 0, "no shoplifting reclassified in the current window"
    path.write_text("".join(lines), encoding="utf-8")
    second = deployment.run()
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]

    previous = deployed_scorecard(deployment.published.parent / "previous" / "police.duckdb")
    current = deployed_scorecard(deployment.published)
    moved = {
        (kpi, mode, figure): (before[figure], after[figure])
        for (kpi, mode), after in current.items()
        for figure in ("baseline_value", "current_value")
        if (before := previous[(kpi, mode)])[figure] != after[figure]
        and before[figure.replace("value", "window")] == after[figure.replace("value", "window")]
    }
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        revisions = con.sql(
            "select kpi_id, comparison_mode, figure, previous_value, figure_value, difference "
            "from marts.kpi_revisions"
        ).fetchall()
        publishes = con.sql(
            "select count(distinct published_at), count(distinct delivery_id) "
            "from marts.kpi_scorecard_history"
        ).fetchone()
        as_at_first = con.sql(
            "select kpi_id, comparison_mode, current_value from marts.kpi_scorecard_history "
            "where published_at = (select min(published_at) from marts.kpi_scorecard_history)"
        ).fetchall()
        versions = con.sql(
            "select crime_id, offence_code, dbt_valid_to is null from snapshots.crime_history "
            f"where crime_id in ({', '.join(repr(c) for c in reclassified)})"
        ).fetchall()
    assert moved and {(k, m, f): (b, a) for k, m, f, b, a, _ in revisions} == moved
    assert all(
        d == pytest.approx(a - b)
        for _, _, _, b, a, d in revisions
        if a is not None and b is not None
    )
    assert moved[("shoplifting", "plan_baseline", "current_value")] == pytest.approx(
        (
            previous[("shoplifting", "plan_baseline")]["current_value"],
            previous[("shoplifting", "plan_baseline")]["current_value"] - in_window,
        )
    )
    assert publishes == (2, 2)
    assert {(k, m): v for k, m, v in as_at_first} == {
        key: row["current_value"] for key, row in previous.items()
    }
    assert sorted(versions) == sorted(
        [(c, "46", False) for c in reclassified] + [(c, "49", True) for c in reclassified]
    )


def deployed_scorecard(warehouse: Path) -> dict[tuple[str, str], dict[str, object]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.sql(
            "select kpi_id, comparison_mode, baseline_value, current_value, "
            "baseline_start || '/' || baseline_end, current_start || '/' || current_end "
            "from marts.kpi_scorecard"
        ).fetchall()
    return {
        (k, m): {"baseline_value": b, "current_value": c, "baseline_window": bw,
                 "current_window": cw}
        for k, m, b, c, bw, cw in rows
    }  # fmt: skip
