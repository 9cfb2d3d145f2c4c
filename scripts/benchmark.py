"""Speed and memory of the warehouse build on the current extracts.

Prints, for the extracts in POLICE_LANDING_DIR (default data/landing):
  - rows and size of each extract;
  - the median time DuckDB needs to read every extract once (all columns parsed);
  - the median wall time and peak memory (max RSS) of `dbt build`, and its ratio to
    the read time, measured in the same run; where that time goes (dbt start-up and
    parsing, then node time per kind from run_results.json);
  - the same for `dbt run` (seeds excluded, models only: no data or unit tests);
  - the median wall time and peak memory of the extract quality gate (a first delivery,
    Data Docs included), and its ratio to `dbt build`.

The build goes into a temporary warehouse, so the published one is not touched.

    python scripts/benchmark.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]


def extract_files(landing: Path) -> list[Path]:
    files = sorted(landing.glob("*.csv"))
    if not files:
        sys.exit(f"No extracts in {landing}: run `make extracts` first.")
    return files


def read_all_once(files: list[Path]) -> float:
    """Seconds for DuckDB to parse every column of every extract once."""
    with duckdb.connect() as con:
        started = time.perf_counter()
        for path in files:
            con.sql(
                f"create or replace temp table t as "
                f"select * from read_csv('{path}', header = true, all_varchar = true)"
            )
        return time.perf_counter() - started


def timed(command: list[str], env: dict[str, str], quiet: bool = False) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command (its own rusage, via wait4)."""
    started = time.perf_counter()
    stdout = subprocess.DEVNULL if quiet else None
    with subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=stdout) as process:
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"{' '.join(command[:2])} failed (exit {process.returncode})")
    return elapsed, usage.ru_maxrss / 1024


def quality_gate(landing: Path, workdir: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the gate on the extracts, as a first delivery."""
    out, state = workdir / "gate", workdir / f"gate-state-{time.monotonic_ns()}"
    command = [
        sys.executable,
        str(PROJECT_DIR / "scripts" / "quality_gate.py"),
        "--landing",
        str(landing),
        "--out",
        str(out),
        "--state",
        str(state),
    ]
    return timed(command, dict(os.environ), quiet=True)


# Where each `dbt build` spent its time: dbt's own elapsed time (the rest of the wall
# time is start-up and parsing) and node seconds per resource type (threads overlap).
BUILD_PROFILES: list[dict[str, float]] = []
NODE_KINDS = {
    "model": "models",
    "test": "data tests",
    "unit_test": "unit tests",
    "seed": "seeds",
}


def dbt_command(verb: str, landing: Path, workdir: Path, fresh: bool = True) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `dbt <verb>` (into a fresh warehouse)."""
    warehouse = workdir / "police.duckdb"
    if fresh:
        warehouse.unlink(missing_ok=True)
    env = dict(
        os.environ,
        DO_NOT_TRACK="1",
        POLICE_LANDING_DIR=str(landing),
        POLICE_BUILD_PATH=str(warehouse),
    )
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        verb,
        "--quiet",
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    return timed(command, env)


def dbt_build(landing: Path, workdir: Path) -> tuple[float, float]:
    elapsed, peak = dbt_command("build", landing, workdir)
    results = json.loads((workdir / "target" / "run_results.json").read_text(encoding="utf-8"))
    profile = {"wall": elapsed, "dbt elapsed": results["elapsed_time"]}
    for result in results["results"]:
        kind = result["unique_id"].split(".")[0]
        profile[kind] = profile.get(kind, 0.0) + result["execution_time"]
    BUILD_PROFILES.append(profile)
    return elapsed, peak


def dbt_run(landing: Path, workdir: Path) -> tuple[float, float]:
    """`dbt run` (models only) on a warehouse whose seeds were loaded untimed."""
    dbt_command("seed", landing, workdir)
    return dbt_command("run", landing, workdir, fresh=False)


def repeat(
    name: str, measure: Callable[[Path, Path], tuple[float, float]], landing: Path, runs: int
) -> float:
    """Run a measurement `runs` times in a scratch folder; print and return the median
    wall time (and the highest peak memory)."""
    seconds: list[float] = []
    peaks: list[float] = []
    with tempfile.TemporaryDirectory(prefix="police-benchmark-") as tmp:
        for _ in range(runs):
            elapsed, peak = measure(landing, Path(tmp))
            seconds.append(elapsed)
            peaks.append(peak)
    median = statistics.median(seconds)
    print(
        f"{name}: median {median:.1f} s wall over {runs} runs "
        f"(runs: {', '.join(f'{s:.1f}' for s in seconds)}), "
        f"peak memory {max(peaks):.0f} MiB (max RSS)"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions (median reported)")
    args = parser.parse_args()

    landing = Path(os.environ.get("POLICE_LANDING_DIR", PROJECT_DIR / "data" / "landing"))
    files = extract_files(landing)

    print(f"Extracts in {landing}")
    with duckdb.connect() as con:
        for path in files:
            (rows,) = con.sql(
                f"select count(*) from read_csv('{path}', header = true, all_varchar = true)"
            ).fetchone()
            print(f"  {path.name:<28} {rows:>12,} rows {path.stat().st_size / 2**20:>9.1f} MiB")

    reads = [read_all_once(files) for _ in range(args.runs)]
    read_median = statistics.median(reads)
    print(f"DuckDB reads every extract once: median {read_median:.2f} s over {args.runs} runs")

    build_median = repeat("dbt build", dbt_build, landing, args.runs)
    print(f"dbt build / DuckDB read ratio: {build_median / read_median:.1f}x")

    def median_of(part: Callable[[dict[str, float]], float]) -> float:
        return statistics.median(part(profile) for profile in BUILD_PROFILES)

    print(
        "  where it goes (medians): start-up and parsing "
        f"{median_of(lambda p: p['wall'] - p['dbt elapsed']):.1f} s, "
        f"graph {median_of(lambda p: p['dbt elapsed']):.1f} s wall; "
        "node seconds (threads overlap): "
        + ", ".join(
            f"{name} {median_of(lambda p, kind=kind: p.get(kind, 0.0)):.1f}"
            for kind, name in NODE_KINDS.items()
        )
    )
    run_median = repeat("dbt run (models only)", dbt_run, landing, args.runs)
    print(f"dbt run / DuckDB read ratio: {run_median / read_median:.1f}x")
    gate_median = repeat("quality gate", quality_gate, landing, args.runs)
    print(f"quality gate / dbt build ratio: {gate_median / build_median:.2f}x")
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Benchmark process peak memory (the DuckDB read): {self_peak:.0f} MiB")


if __name__ == "__main__":
    main()
