"""Safe publishing: dbt never writes the published warehouse; only a build that passed
every test replaces it, atomically; a failed or killed run leaves it byte-for-byte as it
was, with an alert; readers and builds never block each other."""

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
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, generate_extracts

PIPELINE = PROJECT_DIR / "scripts" / "run_pipeline.py"
SMALL_SCALE = "0.03"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Warehouse:
    """One deployment in a temporary folder: landing, build, published, alerts."""

    def __init__(self, root: Path, landing: Path) -> None:
        self.root = root
        self.landing = landing
        self.published = root / "warehouse" / "police.duckdb"
        self.build = root / "warehouse" / "build" / "police.duckdb"
        self.alerts = root / "warehouse" / "alerts"

    def env(self, **extra: str) -> dict[str, str]:
        return dict(
            os.environ,
            DO_NOT_TRACK="1",
            POLICE_LANDING_DIR=str(self.landing),
            POLICE_BUILD_PATH=str(self.build),
            POLICE_WAREHOUSE_PATH=str(self.published),
            POLICE_ALERTS_DIR=str(self.alerts),
            DBT_TARGET_PATH=str(self.root / "target"),
            **extra,
        )

    def command(self) -> list[str]:
        return [sys.executable, str(PIPELINE), "--log-path", str(self.root / "logs")]

    def run(self, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(),
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


@pytest.fixture(scope="module")
def small_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("small_landing")
    generate_extracts(landing, "--scale", SMALL_SCALE)
    return landing


@pytest.fixture(scope="module")
def deployed(small_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A deployment with one published warehouse."""
    warehouse = Warehouse(tmp_path_factory.mktemp("deployment"), small_landing)
    result = warehouse.run()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert warehouse.published.exists()
    return warehouse


def test_dbt_builds_elsewhere_and_publish_keeps_the_previous(deployed: Warehouse) -> None:
    first = sha256(deployed.published)
    result = deployed.run()
    assert result.returncode == 0, result.stderr[-3000:]
    previous = deployed.published.parent / "previous" / "police.duckdb"
    assert sha256(previous) == first
    assert not deployed.published.with_name("police.duckdb.wal").exists()
    assert deployed.total_crime() > 0


def test_failed_build_alerts_and_leaves_published_unchanged(
    deployed: Warehouse, tmp_path: Path
) -> None:
    bad_landing = tmp_path / "landing"
    shutil.copytree(deployed.landing, bad_landing)
    crimes = bad_landing / "crimes.csv"
    lines = crimes.read_text(encoding="utf-8").splitlines(keepends=True)
    crimes.write_text("".join([*lines, lines[1]]), encoding="utf-8")  # a duplicated record

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
    failing = Warehouse(deployed.root, bad_landing)
    webhook = f"http://127.0.0.1:{server.server_address[1]}/alerts"
    try:
        result = failing.run(POLICE_ALERT_WEBHOOK_URL=webhook)
    finally:
        server.shutdown()
        server.server_close()
        listener.join(timeout=10)

    assert result.returncode == 1
    assert sha256(deployed.published) == before
    assert "ALERT" in result.stderr
    assert "unique_stg_police_records__crimes_crime_id" in result.stderr

    alert_files = sorted(deployed.alerts.glob("*-dbt-*.json"))
    assert alert_files
    alert = json.loads(alert_files[-1].read_text(encoding="utf-8"))
    failed = {problem["where"]: problem for problem in alert["problems"]}
    unique_test = next(name for name in failed if "unique_stg_police_records__crimes" in name)
    assert failed[unique_test]["count"] == 1
    assert alert["published_unchanged"] is True
    assert received and json.loads(received[0]) == alert


def test_reader_holding_the_warehouse_never_blocks_a_publish(deployed: Warehouse) -> None:
    reader = duckdb.connect(str(deployed.published), read_only=True)
    try:
        before = reader.sql("select count(*) from marts.fct_crimes").fetchone()
        result = deployed.run()
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
        deployed.command(),
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

    result = deployed.run()
    assert result.returncode == 0, result.stderr[-3000:]
    assert deployed.total_crime() > 0


def test_rollback_restores_the_previous_warehouse(deployed: Warehouse) -> None:
    previous = deployed.published.parent / "previous" / "police.duckdb"
    assert previous.exists()
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
