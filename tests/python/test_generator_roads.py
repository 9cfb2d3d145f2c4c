"""The demo generator's roads and orders extracts (scripts/demo_extracts/roads.py):
deterministic, the contracted schema, coherent STATS19 codes and records.

A small run (--scale 0.02) keeps this fast; the figures are checked by the warehouse
tests on a full-scale run (tests/python/reference_figures.py).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest

from test_generator import PROJECT_DIR, SEEDS, generate

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from demo_extracts.roads import age_bands

# The roads and orders extracts (their headers are the contracts: test_contracts.py).
EXTRACTS = (
    "road_casualties",
    "roads_enforcement",
    "dashcam_submissions",
    "vehicle_seizures",
    "orders_and_civil_interventions",
)
DATE_COLUMNS = {
    "road_casualties": "collision_date",
    "roads_enforcement": "action_date",
    "dashcam_submissions": "submitted_date",
    "vehicle_seizures": "seized_date",
    "orders_and_civil_interventions": "order_date",
}


def digests(folder: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((folder / f"{name}.csv").read_bytes()).hexdigest() for name in EXTRACTS
    }


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("small_roads"), 20251101)


@pytest.fixture(scope="module")
def con(small_run: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    options = "header = true, all_varchar = true"
    for name in EXTRACTS:
        connection.sql(
            f"create table {name} as select * from read_csv('{small_run / name}.csv', {options})"
        )
    for seed in SEEDS.glob("ref_*.csv"):
        connection.sql(f"create table {seed.stem} as select * from read_csv('{seed}', {options})")
    return connection


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.sql(sql).fetchone()
    assert row is not None
    return row[0]


def test_same_seed_gives_identical_roads_files(small_run: Path, tmp_path: Path) -> None:
    assert digests(generate(tmp_path / "again", 20251101)) == digests(small_run)


def test_roads_rows_fall_in_the_extract_and_the_force(con: duckdb.DuckDBPyConnection) -> None:
    for name, column in DATE_COLUMNS.items():
        assert scalar(con, f"select count(*) from {name}") > 100, name
        outside = scalar(
            con,
            f"select count(*) from {name} where cast({column} as date) "
            "not between date '2021-10-01' and date '2025-09-30'",
        )
        assert outside == 0, name
        if name != "road_casualties":
            unknown = scalar(
                con,
                f"select count(*) from {name} anti join ref_neighbourhoods using "
                "(neighbourhood_code)",
            )
            assert unknown == 0, name
    districts = scalar(
        con,
        "select count(*) from road_casualties anti join ref_local_authority_districts "
        "using (local_authority_ons_district)",
    )
    assert districts == 0


def test_casualties_are_coherent_stats19_records(con: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "key": "select count(*) - count(distinct (collision_index, vehicle_reference, "
        "casualty_reference)) from road_casualties",
        "index": "select count(*) from road_casualties where not regexp_full_match("
        r"collision_index, '\d{4}20\d{7}') or left(collision_index, 4) <> "
        "left(collision_date, 4)",
        "one date, time and place per collision": "select count(*) from (select "
        "collision_index from road_casualties group by collision_index having "
        "count(distinct (collision_date, collision_time, local_authority_ons_district)) > 1)",
        "casualty references 1..n": "select count(*) from (select collision_index from "
        "road_casualties group by collision_index having max(casualty_reference::int) "
        "<> count(*))",
        "severity": "select count(*) from road_casualties where casualty_severity "
        "not in ('1', '2', '3')",
        "pedestrians are class 3 and type 0": "select count(*) from road_casualties "
        "where (casualty_class = '3') <> (casualty_type = '0')",
        "time": "select count(*) from road_casualties "
        r"where not regexp_full_match(collision_time, '([01]\d|2[0-3]):[0-5]\d')",
        "sex": "select count(*) from road_casualties where sex_of_casualty not in ('1', '2', '9')",
    }
    for name, sql in checks.items():
        assert scalar(con, sql) == 0, name
    ages = con.sql(
        "select age_of_casualty::int, age_band_of_casualty::int from road_casualties"
    ).fetchall()
    age, band = (np.array(column) for column in zip(*ages, strict=True))
    assert (age_bands(age) == band).all()
    per_collision = scalar(
        con, "select count(*) / count(distinct collision_index) from road_casualties"
    )
    # About 1.2 casualties per collision at full scale; a small run has fewer casualties
    # on the same day in the same district to share one, but still some.
    assert 1.0 < float(per_collision) < 1.5  # type: ignore[arg-type]


def test_stats19_age_bands() -> None:
    ages = np.array([-1, 0, 5, 6, 15, 16, 20, 21, 25, 26, 35, 75, 76, 99])
    assert age_bands(ages).tolist() == [-1, 1, 1, 2, 3, 4, 4, 5, 5, 6, 6, 10, 11, 11]


def test_enforcement_rows_are_coherent(con: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "cameras detect speeding only and never arrest": "select count(*) from "
        "roads_enforcement where detection_method = 'CAMERA' and (offence_category <> "
        "'SPEEDING' or action_type = 'ARREST')",
        "arrests are for drink, drug or dangerous driving": "select count(*) from "
        "roads_enforcement where action_type = 'ARREST' and offence_category not in "
        "('DRINK_DRIVING', 'DRUG_DRIVING', 'DANGEROUS_DRIVING')",
        "no driver education for mobile phones": "select count(*) from roads_enforcement "
        "where offence_category = 'MOBILE_PHONE' and action_type = 'DRIVER_EDUCATION'",
    }
    for name, sql in checks.items():
        assert scalar(con, sql) == 0, name
    for method in ("OFFICER", "CAMERA"):
        assert scalar(
            con, f"select count(*) from roads_enforcement where detection_method = '{method}'"
        )


def test_dashcam_outcomes_are_dated_once_decided(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        scalar(
            con,
            "select count(*) from dashcam_submissions where (outcome = 'PENDING') <> "
            "(outcome_date is null) or cast(outcome_date as date) < cast(submitted_date as date) "
            "or cast(outcome_date as date) > date '2025-09-30'",
        )
        == 0
    )
    # Pending submissions are recent ones: every submission is decided within 180 days.
    assert scalar(
        con,
        "select coalesce(min(submitted_date) > '2025-04-03', true) from dashcam_submissions "
        "where outcome = 'PENDING'",
    )


def test_orders_and_seizures_are_coherent(con: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "notices are issued, court orders decided": "select count(*) from "
        "orders_and_civil_interventions where (order_status = 'ISSUED') <> (order_type in "
        "('COMMUNITY_PROTECTION_WARNING', 'COMMUNITY_PROTECTION_NOTICE', "
        "'DISPERSAL_DIRECTION', 'CLOSURE_NOTICE', 'DOMESTIC_VIOLENCE_PROTECTION_NOTICE'))",
        "serious violence reduction orders from the pilot's start": "select count(*) from "
        "orders_and_civil_interventions where order_type = 'SERIOUS_VIOLENCE_REDUCTION_ORDER' "
        "and order_date < '2023-04-19'",
        "e-scooters are not taxed": "select count(*) from vehicle_seizures "
        "where vehicle_type = 'E_SCOOTER' and seizure_reason = 'NO_VEHICLE_TAX'",
    }
    for name, sql in checks.items():
        assert scalar(con, sql) == 0, name
