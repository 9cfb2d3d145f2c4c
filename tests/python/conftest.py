"""Shared fixtures: demo extracts generated into a temporary folder, checked by the
extract gate (validated Parquet copies), and a warehouse built from those by `dbt build`
(every dbt data test and unit test included).

Nothing here touches data/landing or warehouse/police.duckdb.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from quality import SPECS, GateConfig, GateResult, run_gate  # noqa: E402
from quality.checks import typed_columns  # noqa: E402
from quality.gate import (  # noqa: E402
    DELIVERIES_FILE,
    DELIVERY_COLUMNS,
    QUARANTINE_COLUMNS,
    QUARANTINE_FILE,
)

DEMO_SEED = 20251101
DEMO_TODAY = date(2025, 11, 1)  # the demo delivery's "today": after its last month


def dbt_env(validated_dir: Path, warehouse_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DO_NOT_TRACK="1",
        POLICE_VALIDATED_DIR=str(validated_dir),
        POLICE_BUILD_PATH=str(warehouse_path),
    )
    return env


def run_dbt(
    args: list[str], validated_dir: Path, warehouse_path: Path, project_dir: Path = PROJECT_DIR
) -> subprocess.CompletedProcess[str]:
    """Run dbt from the project folder (or a copy of it) with its own target and log
    folders, on the validated copies (Parquet) in validated_dir."""
    work = warehouse_path.parent
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run(
        [str(dbt), *args, "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=project_dir,
        env=dbt_env(validated_dir, warehouse_path),
        capture_output=True,
        text=True,
        check=False,
    )


def generate_extracts(out_dir: Path, *extra: str) -> None:
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "generate_demo_extracts.py"),
            "--out",
            str(out_dir),
            "--seed",
            str(DEMO_SEED),
            "--quiet",
            *extra,
        ],
        check=True,
    )


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("landing")
    generate_extracts(landing)
    return landing


# Small demo extracts for end-to-end runs of the pipeline (publishing, increments).
SMALL_SCALE = "0.03"


@pytest.fixture(scope="session")
def small_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("small_landing")
    generate_extracts(landing, "--scale", SMALL_SCALE)
    return landing


def gate(landing: Path, out: Path, **settings: object) -> GateResult:
    """The extract gate on a landing folder: validated copies (Parquet), quarantine and
    delivery log in `out`, as the pipeline runs it (no Data Docs)."""
    config = GateConfig(today=DEMO_TODAY, data_docs=False).with_overrides(**settings)
    result = run_gate(landing, out, out / ".state", config=config)
    assert result.passed, result.summary()
    return result


def unchecked_copies(landing: Path, out: Path) -> Path:
    """The extracts typed as the gate writes them, without its checks: for a test of
    what dbt does with rows the gate would have stopped or quarantined."""
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        for spec in SPECS:
            columns = ", ".join(f"'{c}': 'VARCHAR'" for c in spec.column_names)
            con.execute(
                f"copy (select {typed_columns(spec)} from read_csv('{landing / spec.file_name}', "
                f"header = true, columns = {{{columns}}})) "
                f"to '{out / spec.validated_name}' (format parquet)"
            )
    # An empty quarantine and delivery log, the gate's other two outputs dbt reads.
    (out / QUARANTINE_FILE).write_text(",".join(QUARANTINE_COLUMNS) + "\n", encoding="utf-8")
    (out / DELIVERIES_FILE).write_text(",".join(DELIVERY_COLUMNS) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def demo_validated(demo_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("validated")
    gate(demo_landing, out)
    return out


@pytest.fixture(scope="session")
def built_warehouse(demo_validated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("warehouse") / "police.duckdb"
    result = run_dbt(["build"], demo_validated, warehouse)
    assert result.returncode == 0, "dbt build failed:\n" + result.stdout[-6000:]
    return warehouse


def fetch_rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse)) as con:
        return con.sql(sql).fetchall()


@pytest.fixture(scope="session")
def query(built_warehouse: Path) -> Callable[[str], list[tuple]]:
    return lambda sql: fetch_rows(built_warehouse, sql)


@pytest.fixture(scope="session")
def press_release_warehouse(
    built_warehouse: Path, demo_validated: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The built warehouse, copied, with the KPI models (int_kpi_windows and everything
    downstream, their tests included) rebuilt with the press release's period vars."""
    from reference_figures import PRESS_RELEASE_VARS

    warehouse = tmp_path_factory.mktemp("press_release") / "police.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    result = run_dbt(
        ["build", "--select", "int_kpi_windows+", "--vars", json.dumps(PRESS_RELEASE_VARS)],
        demo_validated,
        warehouse,
    )
    assert result.returncode == 0, "dbt build (press vars) failed:\n" + result.stdout[-6000:]
    return warehouse


def run_public(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """scripts/run_public.py (make run-public) with every path under `work`."""
    env = dict(
        os.environ,
        DO_NOT_TRACK="1",
        POLICE_UK_DIR=str(work / "work"),
        POLICE_UK_WAREHOUSE_PATH=str(work / "police_uk.duckdb"),
        POLICE_UK_TARGET_PATH=str(work / "target"),
        POLICE_ALERTS_DIR=str(work / "alerts"),
    )
    return subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "run_public.py"), *args],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="session")
def public_sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public warehouse of the bundled samples, every force in them (make run-public
    with no ARCHIVE): built once for the public-data and the report tests."""
    work = tmp_path_factory.mktemp("public_all")
    done = run_public(work)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return work / "police_uk.duckdb"
