"""Build, check and publish the warehouse BI tools read.

    python scripts/run_pipeline.py [dbt build options, e.g. --vars '{...}']
    python scripts/run_pipeline.py --rollback

1. Recover from a killed run (scratch files removed; the published warehouse is never
   scratch).
2. `dbt build` into the build database (POLICE_BUILD_PATH, default
   warehouse/build/police.duckdb): every model, seed, data test and unit test.
3. If anything failed: an alert (stderr summary, JSON in warehouse/alerts/, webhook if
   POLICE_ALERT_WEBHOOK_URL is set), exit 1, and the published warehouse is untouched.
4. Otherwise publish atomically to POLICE_WAREHOUSE_PATH (default
   warehouse/police.duckdb), keeping the one it replaces in warehouse/previous/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from alerts import Alert, Problem, raise_alert
from publish import previous_path, publish, recover, rollback

PROJECT_DIR = Path(__file__).resolve().parents[1]
FAILED = {"error", "fail", "runtime error"}


def paths() -> tuple[Path, Path, Path]:
    def from_env(name: str, default: str) -> Path:
        path = Path(os.environ.get(name, default))
        return path if path.is_absolute() else PROJECT_DIR / path

    published = from_env("POLICE_WAREHOUSE_PATH", "warehouse/police.duckdb")
    build = from_env("POLICE_BUILD_PATH", "warehouse/build/police.duckdb")
    alerts = from_env("POLICE_ALERTS_DIR", "warehouse/alerts")
    return build, published, alerts


def failing_rows(build: Path, relation: str | None, limit: int = 3) -> list[dict[str, object]]:
    """A few of the rows a failed test stored (store_failures), as examples."""
    if not relation or not build.exists():
        return []
    try:
        with duckdb.connect(str(build), read_only=True) as con:
            result = con.sql(f"select * from {relation} limit {limit}")
            return [dict(zip(result.columns, row, strict=True)) for row in result.fetchall()]
    except duckdb.Error:
        return []


def dbt_failures(target_dir: Path, build: Path) -> list[Problem]:
    """The failed nodes of the last dbt invocation, from its run_results.json: the node,
    the test or model that failed, how many rows, dbt's message and example rows."""
    results_file = target_dir / "run_results.json"
    if not results_file.exists():
        return [Problem(where="dbt", rule="dbt did not run", message="no run_results.json")]
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    return [
        Problem(
            where=result["unique_id"],
            rule=result["unique_id"].split(".")[2],
            count=result.get("failures"),
            message=result.get("message") or "",
            examples=failing_rows(build, result.get("relation_name")),
        )
        for result in results
        if result["status"] in FAILED
    ]


def run(dbt_args: list[str]) -> int:
    build, published, alerts_dir = paths()
    removed = recover(build, published)
    if removed:
        print(f"Removed scratch files of the last run: {', '.join(p.name for p in removed)}")
    build.parent.mkdir(parents=True, exist_ok=True)

    target_dir = Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
    env = dict(os.environ, DO_NOT_TRACK="1", POLICE_BUILD_PATH=str(build))
    dbt = Path(sys.executable).with_name("dbt")
    # --full-refresh: seeds are re-created, so a seed that gained a column (a new release
    # of the catalogue) loads; every model is a table or view, rebuilt anyway.
    command = [str(dbt), "build", "--full-refresh", "--target-path", str(target_dir), *dbt_args]
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
    if completed.returncode != 0:
        problems = dbt_failures(target_dir, build)
        raise_alert(
            Alert(
                stage="dbt",
                summary=f"dbt build failed: {len(problems)} models or tests did not pass",
                problems=problems,
                published_warehouse=str(published),
            ),
            alerts_dir,
        )
        return 1

    kept = publish(build, published)
    print(f"Published {published}" + (f" (previous kept at {kept})" if kept else ""))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--rollback"]:
        _build, published, _alerts = paths()
        rollback(published)
        print(f"Rolled back {published} to {previous_path(published)}")
        return 0
    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
