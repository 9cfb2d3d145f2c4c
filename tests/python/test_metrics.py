"""The semantic layer (models/marts/_semantic_models.yml) through MetricFlow, as a BI
tool queries it: every metric that names a KPI (meta kpi_id) equals, over the current
window, that KPI's scorecard figure; the configs validate.

MetricFlow reads target/semantic_manifest.json under the project root, so the test
parses into a project folder of its own (links to this project's files) and queries a
copy of the demo warehouse.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR

PROJECT_FILES = [
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "snapshots",
    "tests",
]
# The KPIs the semantic layer must serve (issue: the main KPIs).
REQUIRED_KPIS = {
    "total_recorded_crime",
    "positive_outcomes",
    "positive_outcome_rate",
    "calls_999",
    "calls_999_answered_within_10s_pct",
    "emergency_incidents",
    "emergency_attended_within_15min_pct",
}


@pytest.fixture(scope="module")
def semantic_project(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("semantic_project")
    for name in PROJECT_FILES:
        (root / name).symlink_to(PROJECT_DIR / name)
    warehouse = root / "warehouse" / "police.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built_warehouse, warehouse)
    env = dict(os.environ, DO_NOT_TRACK="1", POLICE_BUILD_PATH=str(warehouse))
    dbt = Path(sys.executable).with_name("dbt")
    parsed = subprocess.run(
        [str(dbt), "parse"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert parsed.returncode == 0, parsed.stdout[-3000:]
    manifest = json.loads((root / "target" / "semantic_manifest.json").read_text())
    return {"root": root, "env": env, "manifest": manifest, "warehouse": warehouse}


def mf(project: dict, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("mf")), *args],
        cwd=project["root"],
        env=project["env"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_semantic_layer_covers_the_main_kpis(semantic_project: dict) -> None:
    models = {m["name"] for m in semantic_project["manifest"]["semantic_models"]}
    assert {"crimes", "standing_outcomes", "calls", "incidents"} <= models
    kpis = {
        m["config"]["meta"].get("kpi_id")
        for m in semantic_project["manifest"]["metrics"]
        if m.get("config") and m["config"].get("meta")
    }
    assert kpis >= REQUIRED_KPIS


def test_configs_validate(semantic_project: dict) -> None:
    result = mf(semantic_project, "validate-configs", "--skip-dw")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_each_metric_over_the_current_window_equals_the_scorecard(
    semantic_project: dict, tmp_path: Path
) -> None:
    metrics = {
        m["name"]: m["config"]["meta"]["kpi_id"]
        for m in semantic_project["manifest"]["metrics"]
        if m.get("config") and (m["config"].get("meta") or {}).get("kpi_id")
    }
    with duckdb.connect(str(semantic_project["warehouse"]), read_only=True) as con:
        scorecard = {
            kpi: (start, end, value)
            for kpi, start, end, value in con.sql(
                "select kpi_id, current_start, current_end, current_value "
                "from marts.kpi_scorecard where comparison_mode = 'plan_baseline'"
            ).fetchall()
        }
    windows = {scorecard[kpi][:2] for kpi in metrics.values()}
    assert len(windows) == 1, windows  # the main KPIs share the current window
    (start, end) = windows.pop()
    out = tmp_path / "metrics.csv"
    result = mf(
        semantic_project,
        "query",
        "--metrics", ",".join(sorted(metrics)),
        "--start-time", start.isoformat()[:10],
        "--end-time", end.isoformat()[:10],
        "--csv", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with out.open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    differences = {
        metric: (float(row[metric]), scorecard[kpi][2])
        for metric, kpi in metrics.items()
        if float(row[metric]) != pytest.approx(scorecard[kpi][2], rel=1e-9)
    }
    assert not differences, differences
