"""Inputs are checked before anything runs (issue 25): a crafted dbt var, a quote in
VARS or FORCE, a landing file that is a symbolic link to a system file. Each is refused
with a message naming it, and nothing is built, locked or published; no command of the
Makefile re-parses VARS, ARCHIVE or FORCE with the shell."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import PROJECT_DIR
from dbt_vars import VarsError, check_vars
from quality import GateConfig, run_gate

PIPELINE = PROJECT_DIR / "scripts" / "run_pipeline.py"
CRAFTED = "2024-10-01' union all select * from read_csv('/etc/passwd') --"


def env_for(root: Path, landing: Path, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        DO_NOT_TRACK="1",
        POLICE_LANDING_DIR=str(landing),
        POLICE_BUILD_PATH=str(root / "warehouse" / "build" / "police.duckdb"),
        POLICE_WAREHOUSE_PATH=str(root / "warehouse" / "police.duckdb"),
        POLICE_ALERTS_DIR=str(root / "warehouse" / "alerts"),
        POLICE_GATE_DIR=str(root / "warehouse" / "gate"),
        POLICE_UK_DIR=str(root / "police_uk"),
        POLICE_UK_WAREHOUSE_PATH=str(root / "warehouse" / "police_uk.duckdb"),
        DBT_TARGET_PATH=str(root / "target"),
        **extra,
    )


def test_vars_are_checked_against_dbt_project() -> None:
    assert check_vars('{current_start: "2025-01-01", current_end: "2025-12-31"}') == {
        "current_start": "2025-01-01",
        "current_end": "2025-12-31",
    }
    assert check_vars("{trend_months: 12, calendar_end: 2025-12-31}") == {
        "trend_months": 12,
        "calendar_end": "2025-12-31",
    }
    assert check_vars(None) == {} and check_vars("") == {}
    for given, says in (
        ({"current_start": CRAFTED}, "is not an ISO date"),
        ({"current_start": "2025-02-30"}, "is not a date"),
        ({"current_start": "2026-01-01"}, "window current_start..current_end is not ordered"),
        ({"trend_months": "12; drop table x"}, "is not an integer"),
        ({"trend_months": 0}, "is outside [1, 120]"),
        ({"windows_from_coverage": "yes"}, "is not true or false"),
        ({"population_force": "x' or 1=1 --"}, "is not a lower-case name"),
        ({"kpi_series": {}}, "cannot be set at run time"),
        ({"current_strat": "2025-01-01"}, "is not one dbt_project.yml declares"),
        ("[1, 2]", "is a mapping"),
        ("{current_start: [", "is not YAML or JSON"),
    ):
        with pytest.raises(VarsError, match=says.replace("[", r"\[")):
            check_vars(given)  # type: ignore[arg-type]


def test_a_crafted_var_is_refused_before_anything_runs(small_landing: Path, tmp_path: Path) -> None:
    for args, extra in (
        (["--vars", json.dumps({"current_start": CRAFTED})], {}),
        ([], {"POLICE_DBT_VARS": json.dumps({"current_start": CRAFTED})}),
        (["--rebuild", "--vars", "{baseline_start: 2024-04-01, baseline_end: 2024-03-31}"], {}),
    ):
        result = subprocess.run(
            [sys.executable, str(PIPELINE), *args], cwd=PROJECT_DIR,
            env=env_for(tmp_path, small_landing, **extra), capture_output=True, text=True,
            check=False,
        )  # fmt: skip
        assert result.returncode == 2, result.stdout + result.stderr
        assert "nothing was run" in result.stderr
        assert "current_start" in result.stderr or "baseline_start" in result.stderr
        assert not (tmp_path / "warehouse").exists()  # no lock, no gate, no build


def test_make_passes_vars_and_force_without_a_shell_re_parse(
    small_landing: Path, tmp_path: Path
) -> None:
    """A quote in VARS or FORCE cannot break out of the Makefile's quoting (nor a $(...)
    be expanded by make): the text reaches the script, which refuses it."""
    pwned = tmp_path / "pwned"
    env = env_for(tmp_path, small_landing)
    for target, assignment in (
        ("build", f"""VARS={{"current_start": "x'; touch {pwned}; echo '"}}"""),
        ("build", f"VARS={{current_start: $(shell touch {pwned})}}"),
        ("run-public", f'''FORCE=x"; touch {pwned}; echo "'''),
        ("run-public", f"FORCE=$(shell touch {pwned})"),
    ):
        made = subprocess.run(
            ["make", "--no-print-directory", target, assignment], cwd=PROJECT_DIR, env=env,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert made.returncode == 2, made.stdout + made.stderr
        assert "nothing was run" in made.stderr, made.stderr
        assert not pwned.exists(), assignment
    assert not (tmp_path / "warehouse").exists()
    assert not (tmp_path / "police_uk").exists()


@pytest.fixture
def linked_landing(small_landing: Path, tmp_path: Path) -> Path:
    """The small delivery with crimes.csv a symbolic link to /etc/passwd."""
    landing = tmp_path / "landing"
    landing.mkdir()
    for path in small_landing.glob("*.csv"):
        os.link(path, landing / path.name) if path.stat().st_dev == landing.stat().st_dev else (
            shutil.copyfile(path, landing / path.name)
        )
    (landing / "crimes.csv").unlink()
    (landing / "crimes.csv").symlink_to("/etc/passwd")
    return landing


def test_a_landing_file_that_is_a_link_is_refused_unread(
    linked_landing: Path, tmp_path: Path
) -> None:
    first_line = Path("/etc/passwd").read_text().splitlines()[0]
    result = subprocess.run(
        [sys.executable, str(PIPELINE)], cwd=PROJECT_DIR, env=env_for(tmp_path, linked_landing),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "crimes.csv" in result.stderr and "is a symbolic link (to /etc/passwd)" in result.stderr
    alerts = list((tmp_path / "warehouse" / "alerts").glob("*.json"))
    assert len(alerts) == 1
    text = alerts[0].read_text()
    assert json.loads(text)["problems"][0]["rule"] == "not_a_regular_file"
    assert first_line not in text and first_line not in result.stderr
    assert not (tmp_path / "warehouse" / "police.duckdb").exists()

    # The gate alone refuses it the same way.
    gated = run_gate(
        linked_landing, tmp_path / "out", tmp_path / "state",
        config=GateConfig(today=date(2025, 11, 1), data_docs=False),
    )  # fmt: skip
    stop = next(p for p in gated.problems if p.where == "crimes.csv")
    assert not gated.passed and stop.rule == "not_a_regular_file"
    assert first_line not in gated.to_json()
