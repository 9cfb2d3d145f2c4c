"""Speed and memory of every stage of the pipeline, at the demo's scale and at ten times it.

    python scripts/benchmark.py [--runs 3] [--scale 10 | --scale 0]
    python scripts/benchmark.py --public [--runs 3]   # make run-public (make benchmark-public)
    python scripts/benchmark.py --increment [--runs 3]  # make benchmark-increment

For the extracts in POLICE_LANDING_DIR (default data/landing), in one run (ratios are
between figures measured in the same run; medians over --runs):
  - rows and size of each extract, and the time DuckDB needs to read every extract once
    (every column parsed): "the read", the yardstick of the other stages;
  - the extract gate (a first delivery, Data Docs included): wall time, peak memory
    (max RSS), and its ratio to dbt build;
  - dbt build on the gate's validated copies (what the pipeline runs: unit tests
    excluded), its ratio to the read, and where its time goes;
  - publishing (checkpoint, atomic copy) and the whole pipeline (scripts/run_pipeline.py:
    gate, build, publish), its ratio to the read;
  - queries a BI tool sends to the published warehouse: the plan-baseline scorecard, an
    LPA's scorecard, a month's trend by LPA (median of 20, milliseconds).
With --scale N (default 10; 0 skips it), the same once on N times the demo extracts
(generated into a scratch folder), side by side with scale 1 and the growth of each
stage. Everything runs in scratch folders: data/landing and the published warehouse are
not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
SCRIPTS = PROJECT_DIR / "scripts"
DBT = Path(sys.executable).with_name("dbt")
TODAY = "2025-11-01"  # the demo delivery's "today"

BI_QUERIES = {
    "scorecard, plan baseline": (
        "select * from marts.kpi_scorecard where comparison_mode = 'plan_baseline'"
    ),
    "one LPA's scorecard": (
        "select kpi_id, baseline_value, current_value, change_pct, status "
        "from marts.kpi_scorecard_by_lpa "
        "where comparison_mode = 'plan_baseline' and lpa_name = 'Birmingham'"
    ),
    "a month's trend by LPA": (
        "select kpi_id, area_name, kpi_value from marts.kpi_trend_monthly "
        "where month_end = date '2025-09-30' and area_code != 'FORCE'"
    ),
}


@dataclass
class Measured:
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)  # MiB

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peaks)

    def line(self, name: str) -> str:
        runs = ", ".join(f"{s:.1f}" for s in self.seconds)
        return f"{name}: median {self.median:.1f} s (runs {runs}), peak memory {self.peak:,.0f} MiB"


def timed(command: list[str], env: dict[str, str], into: Measured) -> None:
    """Run a command; record its wall seconds and peak RSS (its own and its children's:
    wait4's rusage)."""
    started = time.perf_counter()
    with subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as process:
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} failed (exit {process.returncode}):\n{errors[-3000:]}")
    into.seconds.append(time.perf_counter() - started)
    into.peaks.append(usage.ru_maxrss / 1024)


def environment(work: Path, landing: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DO_NOT_TRACK="1",
        POLICE_LANDING_DIR=str(landing),
        POLICE_VALIDATED_DIR=str(work / "gate" / "validated"),
        POLICE_GATE_DIR=str(work / "gate"),
        POLICE_BUILD_PATH=str(work / "build" / "police.duckdb"),
        POLICE_WAREHOUSE_PATH=str(work / "published" / "police.duckdb"),
        POLICE_ALERTS_DIR=str(work / "alerts"),
        DBT_TARGET_PATH=str(work / "target"),
        POLICE_GATE_CONFIG=str(work / "gate.json"),
    )


def read_all_once(files: list[Path]) -> float:
    """Seconds for DuckDB to parse every column of every extract once."""
    with duckdb.connect() as con:
        started = time.perf_counter()
        for path in files:
            con.sql(
                "create or replace temp table t as "
                f"select * from read_csv('{path}', header = true, all_varchar = true)"
            )
        return time.perf_counter() - started


@dataclass
class Stages:
    read: list[float] = field(default_factory=list)
    gate: Measured = field(default_factory=Measured)
    build: Measured = field(default_factory=Measured)
    publish: Measured = field(default_factory=Measured)
    pipeline: Measured = field(default_factory=Measured)
    profiles: list[dict[str, float]] = field(default_factory=list)
    queries: dict[str, float] = field(default_factory=dict)


def gate_once(work: Path, env: dict[str, str], stages: Stages) -> None:
    shutil.rmtree(work / "gate", ignore_errors=True)
    command = [
        sys.executable, str(SCRIPTS / "quality_gate.py"), "--landing", env["POLICE_LANDING_DIR"],
        "--out", env["POLICE_VALIDATED_DIR"], "--state", str(work / "gate" / "state"),
        "--today", TODAY,
    ]  # fmt: skip
    timed(command, env, stages.gate)


def build_once(work: Path, env: dict[str, str], stages: Stages) -> None:
    build = Path(env["POLICE_BUILD_PATH"])
    build.parent.mkdir(parents=True, exist_ok=True)
    build.unlink(missing_ok=True)
    command = [
        str(DBT), "build", "--quiet", "--exclude-resource-type", "unit_test",
        "--target-path", env["DBT_TARGET_PATH"], "--log-path", str(work / "logs"),
    ]  # fmt: skip
    timed(command, env, stages.build)
    results = json.loads((Path(env["DBT_TARGET_PATH"]) / "run_results.json").read_text())
    profile = {"wall": stages.build.seconds[-1], "graph": results["elapsed_time"]}
    for result in results["results"]:
        kind = result["unique_id"].split(".")[0]
        profile[kind] = profile.get(kind, 0.0) + result["execution_time"]
        profile[f"n_{kind}"] = profile.get(f"n_{kind}", 0) + 1
    stages.profiles.append(profile)


def publish_once(work: Path, env: dict[str, str], stages: Stages) -> None:
    """Checkpoint a copy of the build and publish it (the last step of the pipeline)."""
    build = Path(env["POLICE_BUILD_PATH"])
    copy = work / "publish-test" / "build.duckdb"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(build, copy)
    code = (
        "import sys; sys.path.insert(0, sys.argv[3]); from publish import publish; "
        "from pathlib import Path; publish(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    target = work / "publish-test" / "police.duckdb"
    timed([sys.executable, "-c", code, str(copy), str(target), str(SCRIPTS)], env, stages.publish)


def pipeline_once(work: Path, env: dict[str, str], stages: Stages) -> None:
    """scripts/run_pipeline.py from nothing: gate, dbt build, publish."""
    for folder in ("gate", "build", "published", "alerts", "target"):
        shutil.rmtree(work / folder, ignore_errors=True)
    timed([sys.executable, str(SCRIPTS / "run_pipeline.py")], env, stages.pipeline)


def bi_queries(published: Path, stages: Stages, repeats: int = 20) -> None:
    """Milliseconds a reader needs for each query on the published file (median)."""
    with duckdb.connect(str(published), read_only=True) as con:
        for name, sql in BI_QUERIES.items():
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                con.sql(sql).fetchall()
                times.append(1000 * (time.perf_counter() - started))
            stages.queries[name] = statistics.median(times)


def measure(landing: Path, work: Path, runs: int) -> Stages:
    files = sorted(landing.glob("*.csv"))
    if not files:
        sys.exit(f"No extracts in {landing}: run `make extracts` first.")
    work.mkdir(parents=True, exist_ok=True)
    (work / "gate.json").write_text(json.dumps({"today": TODAY}))
    env = environment(work, landing)
    stages = Stages()
    for _ in range(runs):
        stages.read.append(read_all_once(files))
        gate_once(work, env, stages)
        build_once(work, env, stages)
        publish_once(work, env, stages)
    for _ in range(runs):
        pipeline_once(work, env, stages)
    bi_queries(Path(env["POLICE_WAREHOUSE_PATH"]), stages)
    return stages


def describe(landing: Path) -> tuple[int, float]:
    rows_total, size_total = 0, 0.0
    with duckdb.connect() as con:
        for path in sorted(landing.glob("*.csv")):
            (rows,) = con.sql(  # type: ignore[misc]
                f"select count(*) from read_csv('{path}', header = true, all_varchar = true)"
            ).fetchone()
            size = path.stat().st_size / 2**20
            rows_total, size_total = rows_total + rows, size_total + size
            print(f"  {path.name:<36} {rows:>12,} rows {size:>9.1f} MiB")
    print(f"  {'all':<36} {rows_total:>12,} rows {size_total:>9.1f} MiB")
    return rows_total, size_total


def report(stages: Stages) -> None:
    read = statistics.median(stages.read)
    runs = ", ".join(f"{s:.2f}" for s in stages.read)
    print(f"DuckDB reads every extract once: median {read:.2f} s (runs {runs})")
    print(stages.gate.line("extract gate"))
    print(stages.build.line("dbt build"))
    print(stages.publish.line("publish"))
    print(stages.pipeline.line("whole pipeline (run_pipeline.py)"))
    print(
        f"ratios: gate / dbt build {stages.gate.median / stages.build.median:.2f}x; "
        f"dbt build / read {stages.build.median / read:.1f}x; "
        f"whole pipeline / read {stages.pipeline.median / read:.1f}x"
    )

    def median_of(key: str) -> float:
        return statistics.median(p.get(key, 0.0) for p in stages.profiles)

    print(
        f"  dbt build: start-up and parsing {median_of('wall') - median_of('graph'):.1f} s, "
        f"graph {median_of('graph'):.1f} s; node seconds (two threads overlap): models "
        f"{median_of('model'):.1f} ({median_of('n_model'):.0f}), data tests "
        f"{median_of('test'):.1f} ({median_of('n_test'):.0f}), seeds "
        f"{median_of('seed'):.1f} ({median_of('n_seed'):.0f})"
    )
    for name, ms in stages.queries.items():
        print(f"  BI query, {name}: {ms:.1f} ms (median of 20, published file)")


def generate(out: Path, scale: float) -> Measured:
    measured = Measured()
    command = [
        sys.executable, str(SCRIPTS / "generate_demo_extracts.py"), "--out", str(out),
        "--scale", str(scale), "--quiet",
    ]  # fmt: skip
    timed(command, dict(os.environ), measured)
    return measured


def compare(small: Stages, large: Stages, scale: float, generation: Measured) -> None:
    print(f"\nScale 1 against scale {scale:g} (one run each at scale {scale:g}):")
    print(f"  {'stage':<32} {'scale 1':>10} {f'scale {scale:g}':>12} {'growth':>8} {'peak':>12}")
    rows = [
        ("DuckDB read", statistics.median(small.read), statistics.median(large.read), None),
        ("extract gate", small.gate.median, large.gate.median, large.gate.peak),
        ("dbt build", small.build.median, large.build.median, large.build.peak),
        ("publish", small.publish.median, large.publish.median, large.publish.peak),
        ("whole pipeline", small.pipeline.median, large.pipeline.median, large.pipeline.peak),
    ]
    for name, one, many, peak in rows:
        peak_text = "" if peak is None else f"{peak:>9,.0f} MiB"
        print(f"  {name:<32} {one:>8.1f} s {many:>10.1f} s {many / one:>7.1f}x {peak_text}")
    print(f"  generating the extracts at scale {scale:g}: {generation.median:.0f} s, "
          f"peak {generation.peak:,.0f} MiB")  # fmt: skip
    for name, ms in large.queries.items():
        print(f"  BI query at scale {scale:g}, {name}: {ms:.1f} ms")


def public_environment(work: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DO_NOT_TRACK="1",
        POLICE_UK_DIR=str(work / "police_uk"),
        POLICE_UK_WAREHOUSE_PATH=str(work / "police_uk.duckdb"),
        POLICE_UK_TARGET_PATH=str(work / "target"),
        POLICE_ALERTS_DIR=str(work / "alerts"),
    )


def public(runs: int, tmp: Path) -> None:
    """make run-public (scripts/run_public.py): a first load of the bundled sample and of
    a synthetic archive of one large force for three years (scripts/police_uk/synthetic.py:
    300,000 street rows, 240,000 outcomes and 36,000 searches a year), then the same
    archive again (a no-op)."""
    command = [sys.executable, str(SCRIPTS / "run_public.py"), "--archive"]
    synthetic, generation = tmp / "synthetic-archive", Measured()
    generator = [sys.executable, "-m", "police_uk.synthetic", "--out", str(synthetic)]
    started = time.perf_counter()
    subprocess.run(generator, cwd=SCRIPTS, check=True, stdout=subprocess.DEVNULL)
    generation.seconds.append(time.perf_counter() - started)
    print("\nThe public warehouse (make run-public), first load into an empty store:")
    for name, archive in (("the sample (samples/)", PROJECT_DIR / "samples"),
                          ("one large force, 36 months", synthetic)):  # fmt: skip
        first, again = Measured(), Measured()
        for run in range(runs):
            work = tmp / f"public-{run}"
            shutil.rmtree(work, ignore_errors=True)
            timed([*command, str(archive)], public_environment(work), first)
            timed([*command, str(archive)], public_environment(work), again)
        print("  " + first.line(name))
        print("  " + again.line(f"{name}, loaded again (no-op)"))
    print(f"  (generating the synthetic archive: {generation.median:.0f} s)")


def increment(landing: Path, runs: int, tmp: Path) -> None:
    """A one-month increment against a full build (scripts/deliveries.py): publish the
    delivery through August 2025, then apply the September increment, and time that run
    against the whole delivery (through September) built at once."""
    from deliveries import cut

    parts = {"august": {"through": "2025-08"}, "september": {"months": ("2025-09",)}}
    for name, kwargs in parts.items():
        shutil.copytree(landing, tmp / name)
        cut(tmp / name, **kwargs)  # type: ignore[arg-type]
    whole, first, step = Measured(), Measured(), Measured()
    pipeline = [sys.executable, str(SCRIPTS / "run_pipeline.py")]
    for run in range(runs):
        for name, into in (("whole", whole), ("incremental", None)):
            work = tmp / f"{name}-{run}"
            work.mkdir()
            (work / "gate.json").write_text(json.dumps({"today": TODAY}))
            if into is not None:
                timed(pipeline, environment(work, landing), into)
                continue
            timed(pipeline, environment(work, tmp / "august"), first)
            timed(pipeline, environment(work, tmp / "september"), step)
            shutil.rmtree(work)
        shutil.rmtree(tmp / f"whole-{run}")
    print("\nDeliveries: the whole window at once against a one-month increment")
    print("  " + whole.line("whole delivery, full build (run_pipeline.py)"))
    print("  " + first.line("delivery through August 2025, full build"))
    print("  " + step.line("September 2025 increment applied to it"))
    print(f"  increment / full build: {step.median / whole.median:.2f} (target at most 0.25)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions (median reported)")
    parser.add_argument("--scale", type=float, default=10, help="a larger force (0: skip)")
    parser.add_argument("--public", action="store_true", help="the public warehouse only")
    parser.add_argument(
        "--increment", action="store_true", help="a one-month increment against a full build"
    )
    args = parser.parse_args()
    if args.public:
        with tempfile.TemporaryDirectory(prefix="police-benchmark-") as tmp:
            public(args.runs, Path(tmp))
        return
    landing = Path(os.environ.get("POLICE_LANDING_DIR", PROJECT_DIR / "data" / "landing"))
    if args.increment:
        with tempfile.TemporaryDirectory(prefix="police-benchmark-") as tmp:
            increment(landing, args.runs, Path(tmp))
        return
    load = os.getloadavg()
    print(f"Machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f}")
    print(f"Extracts in {landing}")
    describe(landing)
    with tempfile.TemporaryDirectory(prefix="police-benchmark-") as tmp:
        small = measure(landing, Path(tmp) / "scale-1", args.runs)
        report(small)
        if args.scale > 1:
            large_landing = Path(tmp) / f"landing-{args.scale:g}"
            generation = generate(large_landing, args.scale)
            shutil.rmtree(Path(tmp) / "scale-1")
            print(f"\nExtracts at scale {args.scale:g} ({large_landing})")
            describe(large_landing)
            large = measure(large_landing, Path(tmp) / "scale-n", 1)
            report(large)
            compare(small, large, args.scale, generation)


if __name__ == "__main__":
    main()
