"""The demo extract generator: deterministic, the contracted schema, coherent rows.

Small runs (--scale 0.02) keep this fast; the figures themselves are checked by the
warehouse tests on a full-scale run.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT_DIR / "scripts" / "generate_demo_extracts.py"
SEEDS = PROJECT_DIR / "seeds" / "reference"
sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from demo_extracts.calibration import (  # noqa: E402
    largest_remainder,
    pct_change,
    plan_quotas,
    round_half_away,
    select_top_k,
    split_with_changes,
)

SCALE = "0.02"
FILES = ("crimes.csv", "crime_outcomes.csv")
CRIMES_HEADER = (
    "crime_reference,recorded_date,ho_offence_code,neighbourhood_code,record_status,"
    "domestic_abuse_flag,victim_sex,victim_age_band,business_victim_flag,"
    "emergency_worker_victim_flag,business_worker_victim_flag,knife_sharp_instrument_flag,"
    "firearm_flag,transport_location"
)
OUTCOMES_HEADER = "crime_reference,outcome_code,outcome_date"


def generate(out: Path, seed: int) -> Path:
    subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--out",
            str(out),
            "--seed",
            str(seed),
            "--scale",
            SCALE,
            "--quiet",
        ],
        check=True,
    )
    return out


def digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("small"), 20251101)


@pytest.fixture(scope="module")
def con(small_run: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    options = "header = true, all_varchar = true"
    for name in ("crimes", "crime_outcomes"):
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


def test_same_seed_gives_identical_files(small_run: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", 20251101)
    assert digests(again) == digests(small_run)


def test_another_seed_gives_other_files(small_run: Path, tmp_path: Path) -> None:
    other = digests(generate(tmp_path / "other", 7))
    assert all(other[name] != digest for name, digest in digests(small_run).items())


def test_headers_are_the_contract(small_run: Path) -> None:
    with (small_run / "crimes.csv").open() as handle:
        assert handle.readline().rstrip("\n") == CRIMES_HEADER
    with (small_run / "crime_outcomes.csv").open() as handle:
        assert handle.readline().rstrip("\n") == OUTCOMES_HEADER
    assert not list(small_run.glob(".*.tmp")), "temporary files left behind"


def test_crime_references_are_unique_and_well_formed(con: duckdb.DuckDBPyConnection) -> None:
    assert scalar(con, "select count(*) from crimes") > 10_000
    assert scalar(con, "select count(*) - count(distinct crime_reference) from crimes") == 0
    assert (
        scalar(
            con,
            "select count(*) from crimes where not regexp_full_match(crime_reference, "
            r"'20/\d{6}/\d{2}') or right(crime_reference, 2) <> substr(recorded_date, 3, 2)",
        )
        == 0
    )


def test_values_come_from_the_seeds_and_the_contract(con: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "offence": "select count(*) from crimes anti join ref_offences "
        "on offence_code = ho_offence_code",
        "neighbourhood": "select count(*) from crimes anti join ref_neighbourhoods "
        "using (neighbourhood_code)",
        "outcome code": "select count(*) from crime_outcomes anti join ref_outcome_codes "
        "using (outcome_code)",
        "dates": "select count(*) from crimes where not regexp_full_match(recorded_date, "
        r"'\d{4}-\d{2}-\d{2}') or cast(recorded_date as date) "
        "not between date '2021-10-01' and date '2025-09-30'",
        "status": "select count(*) from crimes "
        "where record_status not in ('RECORDED', 'CANCELLED', 'TRANSFERRED')",
        "flags": "select count(*) from crimes where not ("
        + " and ".join(
            f"{flag} in ('Y', 'N')"
            for flag in (
                "domestic_abuse_flag",
                "business_victim_flag",
                "emergency_worker_victim_flag",
                "business_worker_victim_flag",
                "knife_sharp_instrument_flag",
                "firearm_flag",
            )
        )
        + ")",
        "victim": "select count(*) from crimes where victim_sex not in ('F', 'M', 'U') or "
        "victim_age_band not in ('0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+')",
        "transport": "select count(*) from crimes "
        "where transport_location not in ('BUS', 'TRAIN', 'METRO')",
    }
    for name, sql in checks.items():
        assert scalar(con, sql) == 0, name
    share = scalar(con, "select avg((record_status <> 'RECORDED')::int) from crimes")
    assert 0.015 < float(share) < 0.035  # type: ignore[arg-type]


def test_outcomes_belong_to_recorded_crimes_in_order(con: duckdb.DuckDBPyConnection) -> None:
    joined = (
        "select o.*, c.recorded_date, c.record_status from crime_outcomes o "
        "left join crimes c using (crime_reference)"
    )
    assert scalar(con, f"select count(*) from ({joined}) where record_status is null") == 0
    assert scalar(con, f"select count(*) from ({joined}) where record_status <> 'RECORDED'") == 0
    assert (
        scalar(
            con,
            f"select count(*) from ({joined}) where cast(outcome_date as date) < "
            "cast(recorded_date as date) or cast(outcome_date as date) > date '2025-09-30'",
        )
        == 0
    )
    assert (
        scalar(
            con,
            "select count(*) from (select crime_reference, outcome_date from crime_outcomes "
            "group by all having count(*) > 1)",
        )
        == 0
    )
    superseded = scalar(
        con,
        "select avg((n > 1)::int) from (select count(*) as n from crime_outcomes "
        "group by crime_reference)",
    )
    assert 0.02 < float(superseded) < 0.06  # type: ignore[arg-type]


def test_attributes_are_coherent(con: duckdb.DuckDBPyConnection) -> None:
    crimes = (
        "select c.*, o.offence_group, o.offence_subgroup from crimes c "
        "join ref_offences o on o.offence_code = c.ho_offence_code"
    )
    rules = {
        "business offences have a business victim and no person": (
            "(offence_subgroup in ('Shoplifting', 'Robbery of business property', "
            "'Burglary - business and community')) and (business_victim_flag <> 'Y' "
            "or victim_sex is not null or victim_age_band is not null)"
        ),
        "business victims are not people": "business_victim_flag = 'Y' and victim_sex is not null",
        "domestic abuse is never against a business": (
            "domestic_abuse_flag = 'Y' and business_victim_flag = 'Y'"
        ),
        "worker victims are of violence": (
            "(emergency_worker_victim_flag = 'Y' or business_worker_victim_flag = 'Y') "
            "and offence_group <> 'Violence against the person'"
        ),
        "transport crime is not domestic or against a business": (
            "transport_location is not null and "
            "(domestic_abuse_flag = 'Y' or business_victim_flag = 'Y')"
        ),
        "violence and sexual offences have a victim": (
            "offence_group in ('Violence against the person', 'Sexual offences') "
            "and victim_sex is null"
        ),
    }
    for rule, condition in rules.items():
        assert scalar(con, f"select count(*) from ({crimes}) where {condition}") == 0, rule


# --- calibration helpers ------------------------------------------------------------


def test_largest_remainder_is_exact() -> None:
    counts = largest_remainder(1001, [1, 1, 1])
    assert counts.sum() == 1001
    assert sorted(counts.tolist()) == [333, 334, 334]


def test_split_with_changes_hits_every_rounded_change() -> None:
    changes = [-14.6, -13.3, -9.0, -8.7, -7.9, -6.8, -5.8]
    base, cur = split_with_changes(
        328_153, 299_579, [0.12, 0.12, 0.09, 0.115, 0.05, 0.065, 0.44], changes
    )
    assert base.sum() == 328_153 and cur.sum() == 299_579
    for b, c, expected in zip(base, cur, changes, strict=True):
        assert round_half_away(pct_change(b, c)) == expected


def test_select_top_k_takes_exact_counts_and_forced_rows() -> None:
    rng = np.random.default_rng(1)
    segment = np.repeat(np.arange(3), 100)
    weight = rng.random(300)
    weight[[0, 150]] = np.inf
    weight[[1, 2]] = 0.0
    chosen = select_top_k(segment, weight, np.array([10, 0, 98]), rng)
    assert np.bincount(segment[chosen], minlength=3).tolist() == [10, 0, 98]
    assert chosen[0] and not chosen[150] and not chosen[1] and not chosen[2]


def test_plan_quotas_meets_window_targets() -> None:
    months = 24
    eligible = np.full(months, 1000, dtype=np.int64)
    forced = np.full(months, 5, dtype=np.int64)
    masks = np.zeros((2, months), dtype=bool)
    masks[0, 0:12] = True
    masks[1, 12:24] = True
    quota, _rate = plan_quotas(
        eligible,
        forced,
        masks,
        np.array([1234.0, 2345.0]),
        np.array([6.0, 18.0]),
        np.arange(months) + 0.5,
    )
    assert quota[:12].sum() == 1234 and quota[12:].sum() == 2345
    assert (quota >= forced).all() and (quota <= eligible).all()
