"""Check, build and publish the warehouse BI tools read.

    python scripts/run_pipeline.py [--rebuild] [dbt build options, e.g. --vars '{...}']
    python scripts/run_pipeline.py --rollback

0. Inputs first, before anything runs: the dbt vars (--vars, or POLICE_DBT_VARS as `make
   VARS=...` passes them) are checked against dbt_project.yml (scripts/dbt_vars.py; a bad
   one: a message and exit 2); a landing file that is not a regular file inside the
   landing folder (a symbolic link to /etc/passwd) is refused by name, unread; an
   increment's files must hold exactly the months its delivery.json names.
   One run at a time: every writer (a run, a rebuild, a rollback) holds the run lock; a
   second one while one is in progress names it and exits 75 (nothing touched, no
   alert); a lock left by a killed run is taken over (scripts/run_lock.py). Every run
   removes a dead publish's scratch files. Extracts byte for byte the delivery already
   published: "The warehouse is up to date with the delivery of <time>, nothing to do.",
   exit 0.
1. Recover from a killed run (scratch files removed; the published warehouse is never
   scratch). Files the run writes have no access for other users (umask 027; the
   published BI file 0640 for the BI readers' group, the restricted file 0600).
2. The extract quality gate (scripts/quality) checks every extract in POLICE_LANDING_DIR
   (default data/landing) and writes validated copies, quarantine.csv, gate_result.json
   and GX Data Docs into POLICE_GATE_DIR/validated (default warehouse/gate/validated):
   the validated copies are typed Parquet, `<extract>.parquet`.
   A stopped gate: an alert, exit 1, nothing built, the published warehouse untouched.
3. `dbt build` reads the validated copies (typed Parquet, POLICE_VALIDATED_DIR) and the
   gate's quarantine and delivery log (dbt sources, built into schema `quality`) into
   the build database (POLICE_BUILD_PATH, default warehouse/build/police.duckdb): every
   model, seed and data test (unit tests run in `make test`).
4. If anything failed: an alert (stderr summary, JSON in POLICE_ALERTS_DIR, default
   warehouse/alerts/, webhook if POLICE_ALERT_WEBHOOK_URL is set), exit 1, and the
   published warehouse is untouched.
5. Otherwise the build is published atomically as two files, the BI file
   POLICE_WAREHOUSE_PATH (default warehouse/police.duckdb) and the restricted file
   POLICE_RESTRICTED_PATH (default warehouse/restricted/police.duckdb), keeping the
   deployment they replace (both files, the gate's state and the increment store) in
   warehouse/previous/; only then does the gate remember the deliveries as accepted
   (POLICE_GATE_DIR/state). Rows quarantined in a published run raise a notice (an alert
   that does not stop). `--rollback` puts the whole previous deployment back.

An increment (a landing folder whose delivery.json names its months) is first assembled
with the rows of the delivery last published (warehouse/deliveries/current, kept after
each publish) into a whole delivery, which the gate and dbt then check and build as any
other (scripts/deliveries.py).

Gate settings (window, threshold, volume band) come from the JSON file named by
POLICE_GATE_CONFIG, if set (see scripts/quality/config.py). An extract identical to an
older accepted delivery, or only some extracts identical to the published delivery,
stop the run (same_delivery: a stale extract job); `--rebuild` rebuilds and republishes
from the delivery already published (after a change of models or vars).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from alerts import Alert, Problem, raise_alert
from dbt_vars import VarsError, with_checked_vars
from deliveries import (
    DeliveryError,
    Manifest,
    already_applied,
    assemble,
    check_months,
    increment_window,
    read_manifest,
    sha256,
    store,
)
from publish import (
    Deployment,
    NothingToRollBack,
    carry_over,
    previous_path,
    publish,
    recover,
    remove_scratch,
    restricted_default,
    rollback,
)
from quality import SPECS, GateConfig, GateResult, record_accepted, run_gate
from quality.files import unsafe_file
from quality.state import DeliveryState
from run_lock import BUSY_EXIT, Busy, RunLock, lock_path

UMASK = 0o027  # files the warehouse writes: no access for other users
BAD_ARGUMENTS = 2

PROJECT_DIR = Path(__file__).resolve().parents[1]
FAILED = {"error", "fail", "runtime error"}


def from_env(name: str, default: str) -> Path:
    path = Path(os.environ.get(name, default))
    return path if path.is_absolute() else PROJECT_DIR / path


def paths() -> tuple[Path, Path, Path]:
    published = from_env("POLICE_WAREHOUSE_PATH", "warehouse/police.duckdb")
    build = from_env("POLICE_BUILD_PATH", "warehouse/build/police.duckdb")
    alerts = from_env("POLICE_ALERTS_DIR", "warehouse/alerts")
    return build, published, alerts


def deployment(published: Path) -> Deployment:
    """What a publish of the force warehouse changes, kept and rolled back together."""
    gate_dir = from_env("POLICE_GATE_DIR", "warehouse/gate")
    restricted = from_env("POLICE_RESTRICTED_PATH", str(restricted_default(published)))
    return Deployment(published, restricted, gate_dir / "state", store_path(published))


def private_dirs(*folders: Path) -> None:
    """Folders that hold delivered rows (the gate's, the store, the build): the owner's
    only."""
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)


def dbt_failures(target_dir: Path, build: Path) -> list[Problem]:
    """The failed nodes of the last dbt invocation, from its run_results.json: the node,
    the test or model that failed, how many rows, dbt's message and example rows."""
    results_file = target_dir / "run_results.json"
    if not results_file.exists():
        return []
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    return [
        Problem(
            where=result["unique_id"],
            rule=result["unique_id"].split(".")[2],
            level="stop",
            count=result.get("failures"),
            message=result.get("message") or "",
            # no example rows: an alert never carries a row's values (the failing rows
            # stay in the build database, schema test_failures, for the operator)
            examples=(
                [{"failing_rows": result.get("relation_name")}]
                if result["unique_id"].startswith("test.") and result.get("relation_name")
                else []
            ),
        )
        for result in results
        if result["status"] in FAILED
    ]


def gate_config(manifest: Manifest, store_dir: Path) -> GateConfig:
    """The gate's settings (POLICE_GATE_CONFIG), with the window the delivery declares:
    a full delivery's manifest, or the stored window an increment extends."""
    config_file = os.environ.get("POLICE_GATE_CONFIG")
    config = GateConfig.from_json(Path(config_file)) if config_file else GateConfig()
    if manifest.is_increment:
        start, end = increment_window(store_dir, manifest)
        return config.with_overrides(window_start=start, window_end=end)
    return config.with_overrides(window_start=manifest.window_start, window_end=manifest.window_end)


def gate(
    published: Path,
    alerts_dir: Path,
    rebuild: bool,
    landing: Path | None = None,
    config: GateConfig | None = None,
) -> GateResult | None:
    """Run the extract gate; None (after an alert) if it stopped the run."""
    gate_dir = from_env("POLICE_GATE_DIR", "warehouse/gate")
    config = config or gate_config(Manifest(), store_path(published))
    result = run_gate(
        landing or from_env("POLICE_LANDING_DIR", "data/landing"),
        gate_dir / "validated",
        gate_dir / "state",
        config=config.with_overrides(allow_rerun=rebuild),
        record_state=False,  # accepted only once the warehouse built from it is published
    )
    print(result.summary())
    if not result.passed:
        raise_alert(result.to_alert(str(published)), alerts_dir)
        return None
    return result


def dbt_build(
    dbt_args: list[str],
    build: Path,
    published: Path,
    validated_dir: str,
    alerts_dir: Path,
    target_dir: Path,
    env_extra: dict[str, str] | None = None,
) -> bool:
    """`dbt build` into the build database from the gate's validated copies; False
    (after an alert naming every failed model and test) if anything failed."""
    env = dict(
        os.environ,
        DO_NOT_TRACK="1",
        POLICE_BUILD_PATH=str(build),
        POLICE_VALIDATED_DIR=validated_dir,
        **(env_extra or {}),
    )
    dbt = Path(sys.executable).with_name("dbt")
    # --full-refresh: seeds are re-created, so a seed that gained a column (a new release
    # of the catalogue) loads; every model is a table or view, rebuilt anyway. Unit tests
    # check the models' logic on fixed rows, not the delivery: they run in `make test`
    # (as dbt recommends), not on every delivery (about 10 s of dbt's time).
    command = [
        str(dbt), "build", "--full-refresh", "--exclude-resource-type", "unit_test",
        "--target-path", str(target_dir), *dbt_args,
    ]  # fmt: skip
    # dbt's output is shown as it runs; its last lines are kept for the alert of a dbt
    # that failed before any node did (a locked database, a parse error)
    tail: deque[str] = deque(maxlen=20)
    (target_dir / "run_results.json").unlink(missing_ok=True)  # not the last run's
    with subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, bufsize=1,
    ) as process:  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            tail.append(line.rstrip())
    if process.returncode == 0:
        return True
    problems = dbt_failures(target_dir, build) or [
        Problem(
            where="dbt",
            rule="dbt_error",
            level="stop",
            message=f"dbt exited {process.returncode} before any model or test failed: "
            + " | ".join(line for line in tail if line.strip())[-1500:],
        )
    ]
    raise_alert(
        Alert(
            stage="dbt",
            summary=f"dbt build failed: {len(problems)} models or tests did not pass",
            problems=problems,
            published_warehouse=str(published),
            links={
                "run_results": str(target_dir / "run_results.json"),
                "failing_rows": f"{build} (schema test_failures)",
            },
        ),
        alerts_dir,
    )
    return False


def publish_and_accept(
    gated: GateResult, build: Path, published: Path | Deployment, alerts_dir: Path
) -> Path | None:
    """Publish the passed build, then let the gate remember its deliveries; a notice
    (an alert that does not stop) if rows were quarantined. Returns the kept previous
    warehouse, if any."""
    d = published if isinstance(published, Deployment) else Deployment(
        published, restricted_default(published), gate_state=Path(gated.settings["state_dir"])
    )  # fmt: skip
    published = d.published
    kept = publish(build, d)
    print(
        f"Published {published} and {d.restricted}"
        + (f" (the deployment they replace kept in {kept.parent})" if kept else "")
    )
    if not gated.settings["rerun_of_latest_delivery"]:
        record_accepted(gated.settings["state_dir"], gated.extracts)
    quarantined = sum(r.quarantined or 0 for r in gated.extracts.values())
    if quarantined:
        notice = gated.to_alert(str(published))
        notice.summary = (
            f"published, with {quarantined:,} rows quarantined (see quality.extract_quarantine)"
        )
        notice.published_unchanged = False
        raise_alert(notice, alerts_dir)
    return kept


def up_to_date(landing: Path, state_dir: Path, published: Path) -> str | None:
    """When the published warehouse was built from exactly the extracts in the landing
    folder (each byte for byte the delivery the gate last accepted): that delivery's
    time. Sizes are compared first, so a new delivery is seen without hashing it."""
    if not published.exists():
        return None
    state = DeliveryState.load(state_dir)
    latest = {spec.name: state.previous(spec.name) for spec in SPECS}
    files = {spec.name: landing / spec.file_name for spec in SPECS}
    if any(d is None or not files[n].exists() or files[n].stat().st_size != d.bytes
           for n, d in latest.items()):  # fmt: skip
        return None
    for name, delivery in latest.items():
        if delivery is None or sha256(files[name]) != delivery.sha256:
            return None
    return max(d.accepted_at for d in latest.values() if d is not None)


def locked(published: Path, work: Callable[[], int]) -> int:
    """Run `work` holding the run lock of the warehouse; exit 75 if another holds it."""
    try:
        with RunLock(lock_path(published)) as lock:
            if lock.stale:
                print(f"Took over the lock of a run that is no longer running: "
                      f"{lock.stale.describe()}")  # fmt: skip
            return work()
    except Busy as busy:
        print(f"Another run is in progress ({busy.holder.describe()}; lock {busy.path}): "
              "nothing done.", file=sys.stderr)  # fmt: skip
        return BUSY_EXIT


def run(dbt_args: list[str], rebuild: bool = False) -> int:
    build, published, alerts_dir = paths()
    return locked(published, lambda: _run(dbt_args, rebuild, build, published, alerts_dir))


def unsafe_landing(landing: Path) -> list[Problem]:
    """Landing files that must not be read (not regular files inside the folder)."""
    names = [spec.file_name for spec in SPECS] + ["delivery.json"]
    return [
        Problem(where=name, rule="not_a_regular_file", message=why + ": refused, not read")
        for name in names
        if (why := unsafe_file(landing, name))
    ]


def store_path(published: Path) -> Path:
    """Where the rows of the published delivery are kept for the next increment."""
    return published.parent / "deliveries" / "current"


def _run(dbt_args: list[str], rebuild: bool, build: Path, published: Path, alerts_dir: Path) -> int:
    gate_dir = from_env("POLICE_GATE_DIR", "warehouse/gate")
    landing = from_env("POLICE_LANDING_DIR", "data/landing")
    store_dir = store_path(published)
    d = deployment(published)
    removed = remove_scratch(d)  # a dead publish's scratch, whatever this run does
    if removed:
        print(f"Removed scratch files of the last run: {', '.join(p.name for p in removed)}")
    unsafe = unsafe_landing(landing)
    if unsafe:
        raise_alert(
            Alert(
                stage="gate",
                summary=f"landing files refused: {', '.join(p.where for p in unsafe)}",
                problems=unsafe,
                published_warehouse=str(published),
            ),
            alerts_dir,
        )
        return 1
    try:
        manifest = read_manifest(landing)
        check_months(landing, manifest)
        if manifest.is_increment:
            done = (
                not rebuild and published.exists()
                and already_applied(landing, store_dir, manifest)
            )  # fmt: skip
            delivered = f"the increment of {', '.join(manifest.months)}" if done else None
        else:
            delivered = None if rebuild else up_to_date(landing, gate_dir / "state", published)
        if delivered:
            print(f"The warehouse is up to date with the delivery of {delivered}, nothing to do.")
            return 0
        config = gate_config(manifest, store_dir)
        gate_landing = landing
        if manifest.is_increment:
            gate_landing = gate_dir / "assembled"
            for line in assemble(landing, store_dir, gate_landing, manifest):
                print(f"Increment {line}")
    except DeliveryError as error:
        raise_alert(
            Alert(
                stage="gate",
                summary="the delivery could not be assembled",
                problems=[Problem(where=str(landing), rule="delivery", message=str(error))],
                published_warehouse=str(published),
            ),
            alerts_dir,
        )
        return 1
    removed = recover(build, d)
    if removed:
        print(f"Removed scratch files of the last run: {', '.join(p.name for p in removed)}")
    private_dirs(build.parent, gate_dir)

    gated = gate(published, alerts_dir, rebuild, gate_landing, config)
    if gated is None:
        return 1

    target_dir = Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
    carry_over(published, build)
    env = publish_env(gated)
    if not dbt_build(dbt_args, build, published, gated.output_dir, alerts_dir, target_dir, env):
        return 1
    publish_and_accept(gated, build, d, alerts_dir)
    try:  # the rows the next increment is applied to
        private_dirs(store_dir.parent)
        store(
            gate_landing,
            store_dir,
            (config.window_start, config.window_end),
            applied=landing if manifest.is_increment else None,
            digests={name: r.sha256 for name, r in gated.extracts.items() if r.sha256},
            manifest=manifest,
        )
    except (duckdb.Error, OSError) as error:
        print(
            f"Published, but the delivery's rows were not kept for the next increment "
            f"({error}): the next delivery must be the whole window.",
            file=sys.stderr,
        )
    return 0


def publish_env(gated: GateResult) -> dict[str, str]:
    """What the build stamps on its scorecard history (kpi_scorecard_history): when it
    is published (now: a build that fails is never published), the delivery and when the
    gate accepted it."""
    digests = "".join(r.sha256 or "" for _, r in sorted(gated.extracts.items()))
    return {
        "POLICE_PUBLISHED_AT": datetime.now(UTC).isoformat(timespec="seconds"),
        "POLICE_DELIVERY_ID": hashlib.sha256(digests.encode()).hexdigest()[:16],
        "POLICE_GATED_AT": str(gated.settings.get("ran_at", "")),
    }


def roll_back() -> int:
    """Put the previous deployment back (under the run lock): the BI and restricted
    files, the gate's state and the increment store together."""
    _build, published, _alerts = paths()

    def work() -> int:
        try:
            restored = rollback(deployment(published))
        except NothingToRollBack as error:
            print(f"Nothing rolled back: {error}", file=sys.stderr)
            return 1
        others = [f"{part.replace('_', ' ')} ({path})" for part, path in restored.items()]
        print(f"Rolled back {published} to {previous_path(published)}: " + ", ".join(others))
        return 0

    return locked(published, work)


def main(argv: list[str]) -> int:
    os.umask(UMASK)
    if argv[:1] == ["--rollback"]:
        return roll_back()
    rebuild = "--rebuild" in argv
    try:
        dbt_args = with_checked_vars([a for a in argv if a != "--rebuild"])
    except VarsError as error:
        print(f"run_pipeline: {error}; nothing was run.", file=sys.stderr)
        return BAD_ARGUMENTS
    return run(dbt_args, rebuild=rebuild)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
