"""Shared fixtures: demo extracts generated into a temporary folder, and a warehouse
built from them by `dbt build` (every dbt data test and unit test included).

Nothing here touches data/landing or warehouse/police.duckdb.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEMO_SEED = 20251101


def dbt_env(landing_dir: Path, warehouse_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DO_NOT_TRACK="1",
        POLICE_LANDING_DIR=str(landing_dir),
        POLICE_BUILD_PATH=str(warehouse_path),
    )
    return env


def run_dbt(
    args: list[str], landing_dir: Path, warehouse_path: Path
) -> subprocess.CompletedProcess[str]:
    """Run dbt from the project folder with its own target and log folders."""
    work = warehouse_path.parent
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run(
        [str(dbt), *args, "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=PROJECT_DIR,
        env=dbt_env(landing_dir, warehouse_path),
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


@pytest.fixture(scope="session")
def built_warehouse(demo_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("warehouse") / "police.duckdb"
    result = run_dbt(["build"], demo_landing, warehouse)
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
    built_warehouse: Path, demo_landing: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The built warehouse, copied, with the KPI models (int_kpi_windows and everything
    downstream, their tests included) rebuilt with the press release's period vars."""
    from reference_figures import PRESS_RELEASE_VARS

    warehouse = tmp_path_factory.mktemp("press_release") / "police.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    result = run_dbt(
        ["build", "--select", "int_kpi_windows+", "--vars", json.dumps(PRESS_RELEASE_VARS)],
        demo_landing,
        warehouse,
    )
    assert result.returncode == 0, "dbt build (press vars) failed:\n" + result.stdout[-6000:]
    return warehouse
