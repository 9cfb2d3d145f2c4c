"""The extract quality gate (scripts/quality) against the fault corpus (tests/faults).

A small clean demo set (scale 0.03) is generated once; each fault kind is a copy of it
with one thing broken. For each: the rule that must fire, whether the run stops (nothing
validated in the output folder, state unchanged) or quarantines (the rest published), and
for quarantines that rows in = validated + quarantined, with the faulty rows' source lines
in quarantine.csv and the validated file equal to the delivered one minus those lines.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

from conftest import PROJECT_DIR, generate_extracts

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
sys.path.insert(0, str(PROJECT_DIR / "tests"))

from faults.generate import (
    EXTRACTS,
    FAULTS,
    TODAY,
    Fault,
    Table,
    make_variant,
    previous_delivery,
)

from quality import GateConfig, GateResult, run_gate
from quality.checks import london_offset_ok
from quality.contracts import SPECS, ExtractSpec, load_contracts
from quality.files import compare_header

CONFIG = GateConfig(today=date.fromisoformat(TODAY), data_docs=False)
STATE_FILE = "accepted_deliveries.json"


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("clean")
    generate_extracts(landing, "--scale", "0.03")
    return landing


@pytest.fixture(scope="module")
def states(clean: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Gate state after yesterday's delivery ("previous"), then after the clean set
    ("clean"); the clean run itself (with Data Docs) is kept for the clean-set tests."""
    root = tmp_path_factory.mktemp("states")
    previous_delivery(clean, root / "previous_landing")
    first = run_gate(
        root / "previous_landing", root / "previous_out", root / "previous",
        config=CONFIG.with_overrides(window_end=date(2025, 8, 31)),  # delivered a month ago
    )  # fmt: skip
    assert first.passed, first.summary()
    shutil.copytree(root / "previous", root / "clean")
    result = run_gate(
        clean, root / "clean_out", root / "clean", config=CONFIG.with_overrides(data_docs=True)
    )
    return {"previous": root / "previous", "clean": root / "clean", "clean_result": result}


def specs_for(fault: Fault) -> tuple[ExtractSpec, ...]:
    """A row-level fault is checked on its extract and the extracts it involves (the
    crimes an outcome references, the cascade); the clean, previous-delivery and
    extract-level runs check all four. Keeps this file within its time budget."""
    if fault.stops or fault.state:
        return SPECS
    names = {fault.extract, *(name for name, _ in fault.cascade)}
    names |= {r.extract for s in SPECS if s.name in names for r in s.references}
    return tuple(s for s in SPECS if s.name in names)


def data_lines(path: Path) -> list[str]:
    """The delivered records, one per line (the corpus has no multi-line values), header
    dropped; a BOM is not part of the data."""
    text = path.read_bytes().decode("utf-8-sig")
    return text.splitlines()[1:]


def quarantine_rows(out: Path) -> list[dict[str, str]]:
    with (out / "quarantine.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def validated_text(out: Path, name: str) -> list[tuple[str, ...]]:
    """The validated copy's rows in file order, each text-kind column (ids, codes, text,
    dates) as text: what the delivered file holds for them."""
    spec = next(s for s in SPECS if s.name == name)
    columns = [c.name for c in spec.columns if c.kind not in ("timestamp", "number")]
    listed = ", ".join(f"coalesce(cast(\"{c}\" as varchar), '')" for c in columns)
    with duckdb.connect() as con:
        return con.sql(f"select {listed} from '{out / spec.validated_name}'").fetchall()


def delivered_text(landing: Path, name: str, skip: set[int]) -> list[tuple[str, ...]]:
    """The delivered rows, less the lines in `skip`, as validated_text shows them."""
    spec = next(s for s in SPECS if s.name == name)
    keep = [i for i, c in enumerate(spec.columns) if c.kind not in ("timestamp", "number")]
    rows = []
    for number, text in enumerate(data_lines(landing / f"{name}.csv"), start=2):
        if number not in skip:
            values = next(csv.reader([text]))
            rows.append(tuple(values[i] for i in keep))
    return rows


def assert_nothing_lost(landing: Path, out: Path, result: GateResult) -> None:
    """Per extract: rows in = validated + quarantined; the validated copy is the
    delivered file without the quarantined lines (same rows, same order, each in its
    contract type); each quarantine record carries its original row."""
    records = quarantine_rows(out)
    for name in result.extracts:
        delivered = data_lines(landing / f"{name}.csv")
        mine = [r for r in records if r["extract"] == name]
        lines = {int(r["line"]) for r in mine}
        assert len(lines) == len(mine), f"{name}: a line quarantined twice"
        report = result.extracts[name]
        assert report.rows_in == len(delivered)
        assert report.quarantined == len(mine)
        validated = validated_text(out, name)
        assert report.validated == len(validated)
        assert len(delivered) == len(validated) + len(mine)
        kept = delivered_text(landing, name, lines)
        assert validated == kept, f"{name}: validated rows differ from the delivered ones"
        for record in mine:
            original = delivered[int(record["line"]) - 2]
            row = json.loads(record["row"])
            if record["rule"] == "malformed_row":
                assert row == {"raw_line": original}
            else:
                assert [v or "" for v in row.values()] == next(csv.reader([original]))
                assert list(row) == list(next(s for s in SPECS if s.name == name).column_names)


def test_clean_set_passes_with_zero_quarantine(clean: Path, states: dict[str, object]) -> None:
    result = states["clean_result"]
    assert isinstance(result, GateResult)
    assert result.passed, result.summary()
    out = Path(result.output_dir)
    assert quarantine_rows(out) == []
    for name in EXTRACTS:
        report = result.extracts[name]
        assert report.status == "accepted"
        assert report.quarantined == 0 and report.rows_in == report.validated > 0
        assert report.previous_rows is not None  # volume compared with yesterday's delivery
        assert validated_text(out, name) == delivered_text(clean, name, set())
    assert {p.level for p in result.problems} <= {"warning"}
    assert not [p for p in result.problems if p.rule == "first_delivery"]
    # GX Data Docs: one validation per extract, index in the result.
    assert result.data_docs and Path(result.data_docs).is_file()
    pages = list((out / "data_docs" / "validations").rglob("*.html"))
    assert len(pages) == len(EXTRACTS)
    # JSON-serialisable, the same as gate_result.json.
    assert json.loads(result.to_json()) == json.loads((out / "gate_result.json").read_text())
    state = json.loads((Path(states["clean"]) / STATE_FILE).read_text())  # type: ignore[arg-type]
    assert all(len(state["extracts"][name]) == 2 for name in EXTRACTS)


@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_fault(kind: str, clean: Path, states: dict[str, object], tmp_path: Path) -> None:
    fault = FAULTS[kind]
    landing, out, state = tmp_path / "landing", tmp_path / "out", tmp_path / "state"
    manifest = make_variant(clean, landing, kind)
    if fault.state:
        shutil.copytree(states[fault.state], state)  # type: ignore[arg-type]
    state_before = (state / STATE_FILE).read_bytes() if fault.state else None

    result = run_gate(landing, out, state, config=CONFIG, specs=specs_for(fault))

    file = f"{fault.extract}.csv"
    fired = [p for p in result.problems if p.where == file and p.rule == fault.rule]
    assert fired, f"{fault.rule} did not fire:\n{result.summary()}"
    problem = fired[0]
    assert problem.stops is fault.stops
    assert len(problem.examples) <= 3
    json.dumps(result.to_dict())
    lines = set(manifest["lines"])  # type: ignore[arg-type]

    if fault.stops:
        assert not result.passed
        assert not list(out.glob("*.parquet")), "validated output"
        assert not (out / ".gate-staging").exists()
        if fault.state:
            assert (state / STATE_FILE).read_bytes() == state_before
        else:
            assert not (state / STATE_FILE).exists()
        quarantined = {int(r["line"]) for r in quarantine_rows(out) if r["extract"] == file[:-4]}
        example_lines = {e.get("line") for e in problem.examples}
        if fault.rule == "quarantine_over_threshold":  # counted exactly, listed as a sample
            report = result.extracts[fault.extract]
            assert report.quarantined == problem.count == len(lines)
            assert report.quarantine_complete is False
            assert quarantined and quarantined <= lines
        elif lines - {1}:  # the lines at fault are in the examples
            assert example_lines and example_lines <= lines
        return

    assert result.passed, result.summary()
    assert_nothing_lost(landing, out, result)
    records = quarantine_rows(out)
    mine = [r for r in records if r["extract"] == fault.extract]
    if fault.rule in ("utf8_bom",):
        assert records == []
        return
    assert {int(r["line"]) for r in mine} == lines
    assert all(fault.rule in r["all_rules"] for r in mine)
    assert result.extracts[fault.extract].quarantine_complete is True
    if kind == "future_dates":  # also outside the window: one record, the first rule, both kept
        assert {r["rule"] for r in mine} == {"future_date"}
        assert {r["all_rules"] for r in mine} == {
            "future_date:recorded_date;outside_window:recorded_date"
        }
        assert {p.rule for p in result.problems if p.level == "quarantine"} == {
            "future_date",
            "outside_window",
        }
    assert problem.count == len(lines)
    assert {e["line"] for e in problem.examples} <= lines
    cascaded = {name for name, _ in fault.cascade}
    for name, rule in fault.cascade:
        assert {r["rule"] for r in records if r["extract"] == name} == {rule}
    for name in set(result.extracts) - {fault.extract} - cascaded:
        assert result.extracts[name].quarantined == 0
    assert state.joinpath(STATE_FILE).exists()  # a passed run records the deliveries


def test_same_delivery_can_be_allowed_for_a_rerun(
    clean: Path, states: dict[str, object], tmp_path: Path
) -> None:
    shutil.copytree(states["clean"], tmp_path / "state")  # type: ignore[arg-type]
    config = CONFIG.with_overrides(allow_same_delivery=True)
    result = run_gate(clean, tmp_path / "out", tmp_path / "state", config=config)
    assert result.passed
    same = [p for p in result.problems if p.rule == "same_delivery"]
    assert len(same) == len(EXTRACTS) and not any(p.stops for p in same)


def test_a_rebuild_passes_only_if_every_extract_is_the_latest_delivery(
    clean: Path, states: dict[str, object], tmp_path: Path
) -> None:
    """allow_rerun (run_pipeline.py --rebuild): the whole accepted delivery again is a
    re-run; with one extract changed it is a new delivery, and the others, unchanged
    since the last one, are warnings (a stale extract job shows as a missing month)."""
    shutil.copytree(states["clean"], tmp_path / "state")  # type: ignore[arg-type]
    config = CONFIG.with_overrides(allow_rerun=True)
    rerun = run_gate(clean, tmp_path / "out", tmp_path / "state", config=config)
    assert rerun.passed and rerun.settings["rerun_of_latest_delivery"]

    make_variant(clean, tmp_path / "landing", "utf8_bom")  # crimes.csv changes
    partial = run_gate(tmp_path / "landing", tmp_path / "out", tmp_path / "state", config=config)
    assert partial.passed and not partial.settings["rerun_of_latest_delivery"]
    unchanged = {p.where for p in partial.problems if p.rule == "unchanged_extract"}
    assert unchanged == {f"{name}.csv" for name in EXTRACTS if name != "crimes"}
    assert not any(p.stops for p in partial.problems)


def test_stop_raises_an_alert_with_the_problems(clean: Path, tmp_path: Path) -> None:
    make_variant(clean, tmp_path / "landing", "renamed_column")
    result = run_gate(tmp_path / "landing", tmp_path / "out", tmp_path / "state", config=CONFIG)
    alert = result.to_alert("warehouse/police.duckdb")
    assert alert.stage == "gate"
    assert alert.links["gate_result"] == str(tmp_path / "out" / "gate_result.json")
    assert alert.problems[0].where == "crime_outcomes.csv"
    assert alert.problems[0].rule.startswith("renamed_column")
    assert "renamed_column" in alert.human()
    json.loads(alert.to_json())


def test_cli_exit_codes_and_config_file(clean: Path, tmp_path: Path) -> None:
    make_variant(clean, tmp_path / "landing", "missing_file")
    config = tmp_path / "gate.json"
    config.write_text(
        json.dumps({"window_start": "2021-10-01", "window_end": "2025-09-30", "today": TODAY})
    )
    command = [
        sys.executable,
        str(PROJECT_DIR / "scripts" / "quality_gate.py"),
        "--landing",
        str(tmp_path / "landing"),
        "--out",
        str(tmp_path / "out"),
        "--state",
        str(tmp_path / "state"),
        "--config",
        str(config),
        "--json",
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stderr
    payload = json.loads(run.stdout)
    assert payload["settings"]["today"] == TODAY
    assert [p["rule"] for p in payload["problems"] if p["level"] == "stop"] == ["missing_file"]


READINGS_SOURCES = """
version: 2
sources:
  - name: meters
    tables:
      - name: readings
        config:
          meta:
            contract:
              key: [id]
        columns:
          - name: id
            data_type: varchar
            config: {meta: {kind: id, pattern: 'R\\d+'}}
          - name: value
            data_type: double
            config: {meta: {kind: number}}
          - name: kind
            data_type: varchar
            config: {meta: {kind: code, codes: reading_kind}}
          - name: day
            data_type: date
            config: {meta: {kind: date, in_window: true}}
"""


def test_a_new_extract_is_one_source_table_in_yml(tmp_path: Path) -> None:
    """An extract the demo does not have, declared as a dbt source table (its code list a
    seed of its own), and a file with a blank line and a line break inside a quoted
    value: source lines still point at the right rows, the copy is typed."""
    (tmp_path / "_meters__sources.yml").write_text(READINGS_SOURCES)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ref_code_lists.csv").write_text(
        "code_list,code,label\nreading_kind,A,A\nreading_kind,B,B\n"
    )
    (readings,) = load_contracts([tmp_path / "_meters__sources.yml"])
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "readings.csv").write_text(
        "id,value,kind,day\n"
        "R1,1.5,A,2024-01-01\n"
        "R2,abc,A,2024-01-02\n"
        "\n"
        'R3,"2",B,2024-01-03\n'
        'R4,3,"B\n",2024-01-04\n'
        "R5,4,C,2024-13-01\n"
    )
    config = CONFIG.with_overrides(seeds_dir=seeds)
    result = run_gate(
        landing, tmp_path / "out", tmp_path / "state", config=config, threshold=0.9,
        specs=(readings,),
    )  # fmt: skip
    assert result.passed, result.summary()
    records = {int(r["line"]): r for r in quarantine_rows(tmp_path / "out")}
    assert {n: r["rule"] for n, r in records.items()} == {
        3: "wrong_type",
        6: "unknown_code",
        8: "unknown_code",  # kind comes before day: the first failing rule in column order
    }
    assert records[8]["all_rules"] == "unknown_code:kind;wrong_type:day"
    assert json.loads(records[6]["row"])["kind"] == "B\n"
    with duckdb.connect() as con:
        rows = con.sql(f"select * from '{tmp_path / 'out' / 'readings.parquet'}'").fetchall()
        types = con.sql(f"describe select * from '{tmp_path / 'out' / 'readings.parquet'}'")
        assert [row[1] for row in types.fetchall()] == ["VARCHAR", "DOUBLE", "VARCHAR", "DATE"]
    assert rows == [("R1", 1.5, "A", date(2024, 1, 1)), ("R3", 2.0, "B", date(2024, 1, 3))]
    report = result.extracts["readings"]
    assert (report.rows_in, report.validated, report.quarantined) == (5, 2, 3)


def test_header_comparison_names_the_difference() -> None:
    expected = ("a", "b", "c")

    def rules(found: list[str]) -> list[str]:
        return [p.rule for p in compare_header(found, expected)]

    assert rules(["a", "b", "c"]) == []
    assert rules(["a", "c"]) == ["missing_column"]
    assert rules(["a", "b", "c", "d"]) == ["extra_column"]
    assert rules(["a", "x", "c"]) == ["renamed_column"]
    assert rules(["b", "a", "c"]) == ["column_order"]
    assert rules(["a", "b", "b"]) == ["missing_column", "duplicate_column"]


def test_london_offset_rule_matches_the_tz_database() -> None:
    """Every hour of the weeks around each clock change, 2000-2037, in both offsets: the
    gate accepts exactly the offsets Europe/London has."""
    london = ZoneInfo("Europe/London")
    cases = []
    for year in range(2000, 2038):
        for month in (3, 10):
            start = datetime(year, month, 20, tzinfo=UTC)
            for hour in range(0, 14 * 24):
                instant = start + timedelta(hours=hour, minutes=30)
                local = instant.astimezone(london)
                right = int((local.utcoffset() or timedelta(0)).total_seconds() // 60)
                for offset in (0, 60):
                    wall = (instant + timedelta(minutes=offset)).replace(tzinfo=None)
                    text = f"{wall:%Y-%m-%d %H:%M:%S}+{offset // 60:02d}:00"
                    cases.append((text, wall, offset, offset == right))
    frame = pd.DataFrame(cases, columns=["ts", "__l_ts", "__o_ts", "expected"])
    with duckdb.connect() as con:
        con.register("t", frame)
        wrong = con.execute(
            f"select count(*) from t where ({london_offset_ok('ts')}) <> expected"
        ).fetchone()
    assert wrong == (0,)


def test_fault_corpus_covers_the_brief() -> None:
    required = {
        "missing_column", "renamed_column", "extra_column", "reordered_columns", "wrong_type",
        "truncated_file", "empty_file", "header_only", "utf8_bom", "windows_1252",
        "duplicate_rows", "duplicate_keys", "null_keys", "unknown_offence", "unknown_outcome",
        "unknown_neighbourhood", "future_dates", "outside_window", "answered_before_presented",
        "negative_duration", "absurd_duration", "volume_collapse", "same_delivery",
    }  # fmt: skip
    assert required <= set(FAULTS)
    # And every extract the gate checks has at least one fault of its own.
    assert {fault.extract for fault in FAULTS.values()} == set(EXTRACTS)


def test_generator_round_trips_the_clean_files(clean: Path) -> None:
    for name in EXTRACTS:
        table = Table(clean, name)
        assert table.text().encode() == (clean / f"{name}.csv").read_bytes()
        assert io.StringIO(table.text()).readline().rstrip("\n").split(",") == table.header


def test_a_change_acknowledged_in_the_exceptions_file_is_a_warning_kept_in_the_log(
    clean: Path, tmp_path: Path
) -> None:
    """The 29%-short month, acknowledged as real (the reviewed exceptions file): the run
    passes with an acknowledged_change warning quoting the reason, and the delivery log
    keeps it; an entry without a reviewer is refused."""
    make_variant(clean, tmp_path / "landing", "crimes_short_month")
    exceptions = tmp_path / "acknowledged.yml"
    exceptions.write_text(
        "acknowledged:\n"
        "  - extract: crimes\n"
        "    months: 2025-09\n"
        "    reason: New recording system merges duplicate reports (FCR-2025-031)\n"
        "    reviewed_by: Force Crime Registrar\n"
        "    reviewed_on: 2025-10-06\n"
    )
    config = CONFIG.with_overrides(exceptions_file=exceptions)
    result = run_gate(tmp_path / "landing", tmp_path / "out", tmp_path / "state", config=config)
    assert result.passed, result.summary()
    (ack,) = [p for p in result.problems if p.rule == "acknowledged_change"]
    assert ack.level == "warning" and ack.where == "crimes.csv"
    assert "2025-09" in ack.message and "FCR-2025-031" in ack.message
    with (tmp_path / "out" / "deliveries.csv").open(newline="") as handle:
        log = {row["extract"]: row for row in csv.DictReader(handle)}
    assert "2025-09" in log["crimes"]["acknowledged"]
    assert "Force Crime Registrar" in log["crimes"]["acknowledged"]
    assert log["calls"]["acknowledged"] == ""

    exceptions.write_text(
        "acknowledged:\n  - extract: crimes\n    months: 2025-09\n    reason: x\n"
    )
    with pytest.raises(ValueError, match="lacks reviewed_by, reviewed_on"):
        run_gate(tmp_path / "landing", tmp_path / "out2", tmp_path / "state2", config=config)
