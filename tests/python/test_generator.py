"""The demo extract generator: deterministic, the contracted schema, coherent rows.

Small runs (--scale 0.02) keep this fast; the figures themselves are checked by the
warehouse tests on a full-scale run.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT_DIR / "scripts" / "generate_demo_extracts.py"
SEEDS = PROJECT_DIR / "seeds" / "reference"
sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from demo_extracts import targets as T  # noqa: E402
from demo_extracts.calibration import (  # noqa: E402
    CalibrationError,
    affine_through_order_statistics,
    largest_remainder,
    pct_change,
    plan_quotas,
    round_half_away,
    select_top_k,
    select_top_k_sorted,
    shaped_quota,
    split_with_changes,
)
from demo_extracts.context import Context  # noqa: E402
from demo_extracts.periods import day_number, london_hours, london_offsets  # noqa: E402
from demo_extracts.reference import load_reference  # noqa: E402
from demo_extracts.stops import group_counts  # noqa: E402
from quality.contracts import DEFAULT_SEEDS_DIR, SPECS, ExtractSpec  # noqa: E402

STOP_SEARCHES = next(s for s in SPECS if s.name == "stop_search")
USES_OF_FORCE = next(s for s in SPECS if s.name == "use_of_force")

SCALE = "0.02"
FILES = (
    "crimes.csv",
    "crime_outcomes.csv",
    "calls.csv",
    "incidents.csv",
    "periodic_returns.csv",
    "road_casualties.csv",
    "roads_enforcement.csv",
    "dashcam_submissions.csv",
    "vehicle_seizures.csv",
    "orders_and_civil_interventions.csv",
    "stop_search.csv",
    "use_of_force.csv",
)
LONDON = ZoneInfo("Europe/London")
TIMESTAMPS = {
    "calls": ("presented_at", "answered_at", "abandoned_at"),
    "incidents": ("created_at", "first_arrival_at"),
}


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
    for name in ("crimes", "crime_outcomes", "calls", "incidents", "stop_search", "use_of_force"):
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


def test_no_temporary_files_left_behind(small_run: Path) -> None:
    """Each file appears atomically (the headers are the contracts: test_contracts.py)."""
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


# --- calls and incidents ------------------------------------------------------------


def instant(column: str) -> str:
    """Seconds since the epoch of an ISO 8601 timestamp with its offset."""
    return f"epoch(cast({column} as timestamptz))"


def test_call_ids_are_unique_and_in_presented_order(con: duckdb.DuckDBPyConnection) -> None:
    assert scalar(con, "select count(*) from calls") > 50_000
    assert scalar(con, "select count(*) - count(distinct call_id) from calls") == 0
    assert (
        scalar(
            con,
            "select count(*) from (select call_id, row_number() over () as n, "
            f"{instant('presented_at')} - lag({instant('presented_at')}) over () as step "
            "from calls) where call_id <> printf('CALL-%09d', n) or step < 0",
        )
        == 0
    )
    assert scalar(con, "select count(*) from calls where channel not in ('999', '101')") == 0


def test_calls_are_answered_or_abandoned_after_they_are_presented(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert (
        scalar(
            con, "select count(*) from calls where (answered_at is null) = (abandoned_at is null)"
        )
        == 0
    )
    waited = f"{instant('coalesce(answered_at, abandoned_at)')} - {instant('presented_at')}"
    assert scalar(con, f"select min({waited}) from calls") >= 1  # type: ignore[operator]
    answered = scalar(con, "select avg((answered_at is not null)::int) from calls")
    assert 0.85 < float(answered) < 1.0  # type: ignore[arg-type]


def test_incidents_are_well_formed(con: duckdb.DuckDBPyConnection) -> None:
    assert scalar(con, "select count(*) from incidents") > 20_000
    checks = {
        "ids": "select count(*) - count(distinct incident_id) from incidents",
        "order": "select count(*) from (select incident_id, row_number() over () as n, "
        f"{instant('created_at')} - lag({instant('created_at')}) over () as step "
        "from incidents) where incident_id <> printf('INC-%08d', n) or step < 0",
        "grade": "select count(*) from incidents where grade not in "
        "('EMERGENCY', 'PRIORITY', 'SCHEDULED', 'RESOLVED_WITHOUT_DEPLOYMENT')",
        "category": "select count(*) from incidents where opening_category not in ("
        "'ASB_NUISANCE', 'ASB_PERSONAL', 'ASB_ENVIRONMENTAL', 'STREET_RACING', "
        "'CONCERN_FOR_SAFETY', 'DOMESTIC', 'CRIME_IN_PROGRESS', 'SUSPICIOUS_CIRCUMSTANCES', "
        "'ROAD_TRAFFIC_COLLISION', 'MISSING_PERSON', 'ALARM', 'TRAFFIC', 'OTHER')",
        "neighbourhood": "select count(*) from incidents anti join ref_neighbourhoods "
        "using (neighbourhood_code)",
        "resolved without deployment is never attended": "select count(*) from incidents "
        "where grade = 'RESOLVED_WITHOUT_DEPLOYMENT' and first_arrival_at is not null",
        "arrival after creation": "select count(*) from incidents where "
        f"{instant('first_arrival_at')} - {instant('created_at')} < 1",
    }
    for name, sql in checks.items():
        assert scalar(con, sql) == 0, name


def test_timestamps_are_london_wall_clock_with_their_offset(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Every local time exists in Europe/London (none in the skipped spring hour) and
    carries the offset zoneinfo gives it; the repeated autumn hour occurs with both.
    Offsets change on the hour, so the first and last time of each local hour and
    offset stand for all of them."""
    stamps = " union all ".join(
        f"select {column} as stamp from {table} where {column} is not null"
        for table, columns in TIMESTAMPS.items()
        for column in columns
    )
    pattern = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+0[01]:00"
    assert (
        scalar(
            con, f"select count(*) from ({stamps}) where not regexp_full_match(stamp, '{pattern}')"
        )
        == 0
    )
    hours = con.sql(
        f"select min(stamp), max(stamp) from ({stamps}) group by left(stamp, 13), right(stamp, 6)"
    ).fetchall()
    assert len(hours) > 30_000
    autumn_hour: set[str] = set()
    for text in (stamp for pair in hours for stamp in pair):
        stamped = datetime.fromisoformat(text)
        local = stamped.astimezone(LONDON)
        assert local.replace(tzinfo=None) == stamped.replace(tzinfo=None), text
        assert local.utcoffset() == stamped.utcoffset(), text
        # A wall-clock time of the repeated hour is ambiguous without its offset.
        if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
            autumn_hour.add(text[-6:])
    assert autumn_hour == {"+00:00", "+01:00"}


def test_london_hours_skip_and_repeat_the_changed_hour() -> None:
    spring = london_hours(day_number(date(2025, 3, 30)), day_number(date(2025, 3, 30)))
    autumn = london_hours(day_number(date(2024, 10, 27)), day_number(date(2024, 10, 27)))
    assert len(spring) == 23 and 1 not in spring.local_hour.tolist()
    assert len(autumn) == 25 and autumn.local_hour.tolist().count(1) == 2
    rng = np.random.default_rng(3)
    instants = rng.integers(1_600_000_000, 1_800_000_000, 2_000)
    expected = [datetime.fromtimestamp(int(t), LONDON).utcoffset() for t in instants]
    got = london_offsets(instants).tolist()
    assert [timedelta(seconds=s) for s in got] == expected


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


def test_select_top_k_sorted_takes_exact_counts() -> None:
    rng = np.random.default_rng(2)
    segment = np.repeat(np.arange(4), 250)
    weight = rng.random(1000)
    weight[5] = 0.0
    chosen = select_top_k_sorted(segment, weight, np.array([249, 0, 10, 250]), rng)
    assert np.bincount(segment[chosen], minlength=4).tolist() == [249, 0, 10, 250]
    assert not chosen[5]


def test_shaped_quota_meets_window_targets() -> None:
    months = 24
    eligible = np.full(months, 500, dtype=np.int64)
    masks = np.zeros((2, months), dtype=bool)
    masks[0, 0:12] = True
    masks[1, 12:24] = True
    rate = np.linspace(0.3, 0.05, months)
    quota = shaped_quota(
        eligible, rate, masks, np.array([1500.0, 400.0]), np.array([6.0, 18.0]), np.arange(24) + 0.5
    )
    assert quota[:12].sum() == 1500 and quota[12:].sum() == 400
    assert (quota >= 0).all() and (quota <= eligible).all()


def test_order_statistic_map_pins_a_median_and_a_rank() -> None:
    values = np.log(np.random.default_rng(4).lognormal(6.6, 0.6, 10_000))
    alpha, beta = affine_through_order_statistics(
        values, [((10_000 - 1) / 2, np.log(749.5)), (5_869.5, np.log(901.0))]
    )
    seconds = np.floor(np.exp(alpha + beta * values))
    assert np.median(seconds) == 749.0
    assert int((seconds <= 900).sum()) == 5_870


# --- Periodic returns --------------------------------------------------------------


@pytest.fixture(scope="module")
def returns(small_run: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.sql(
        "create table returns as select * from read_csv("
        f"'{small_run / 'periodic_returns.csv'}', header = true, all_varchar = true)"
    )
    connection.sql(
        "create table measures as select * from read_csv("
        f"'{SEEDS / 'ref_return_measures.csv'}', header = true, all_varchar = true)"
    )
    return connection


def test_returns_are_the_contract(small_run: Path, returns: duckdb.DuckDBPyConnection) -> None:
    # Every row a (return, measure) of the seed, one value per measure per period, a
    # month-end period inside the extract, a non-negative whole number.
    assert (
        scalar(
            returns, "select count(*) from returns anti join measures using (return_id, measure)"
        )
        == 0
    )
    assert (
        scalar(
            returns,
            "select count(*) from (select return_id, period_end, measure from returns "
            "group by all having count(*) > 1)",
        )
        == 0
    )
    assert (
        scalar(
            returns,
            "select count(*) from returns where day(period_end::date + interval 1 day) <> 1 "
            "or period_end::date not between date '2021-10-31' and date '2025-09-30' "
            "or not regexp_full_match(value, '\\d+')",
        )
        == 0
    )
    cadence = dict(
        returns.sql(
            "select return_id, count(distinct period_end) from returns group by all"
        ).fetchall()
    )
    assert cadence["workforce"] == 48  # monthly, October 2021 to September 2025
    assert cadence["cdi_audit"] == 16  # quarterly
    assert cadence["drug_treatment"] == 3  # years ending March 2022-2024
    assert cadence["cps_case_quality"] == 29  # April 2023 to August 2025


def test_return_parts_are_not_above_their_whole(returns: duckdb.DuckDBPyConnection) -> None:
    above = scalar(
        returns,
        """
        select count(*)
        from returns as part
        inner join measures using (return_id, measure)
        inner join returns as whole
            on part.return_id = whole.return_id and part.period_end = whole.period_end
            and whole.measure = measures.not_above_measure
        where part.value::bigint > whole.value::bigint
        """,
    )
    assert above == 0


def test_return_figures_are_coherent(returns: duckdb.DuckDBPyConnection) -> None:
    """The ethics training headcount is the workforce's officers, PCSOs and staff that
    month; Action Fraud's fraud and cyber reports add up to its reports."""
    mismatched = scalar(
        returns,
        """
        with wf as (
            select period_end, sum(value::bigint) as people from returns
            where return_id = 'workforce'
                and measure in ('officers_headcount', 'pcsos_headcount', 'staff_headcount')
            group by period_end
        )
        select count(*) from returns inner join wf using (period_end)
        where return_id = 'ethics_training' and measure = 'headcount'
            and value::bigint <> people
        """,
    )
    assert mismatched == 0
    assert (
        scalar(
            returns,
            """
        select count(*) from (
            select period_end,
                sum(case when measure = 'reports' then value::bigint else 0 end) as reports,
                sum(case when measure in ('fraud_reports', 'cyber_reports')
                    then value::bigint else 0 end) as parts
            from returns where return_id = 'action_fraud' group by period_end
        ) where reports <> parts
        """,
        )
        == 0
    )
    # 8.2: 12,631 personnel in September 2025 (returns are not scaled).
    assert (
        scalar(
            returns,
            "select value from returns where return_id = 'ethics_training' "
            "and measure = 'headcount' and period_end = '2025-09-30'",
        )
        == "12631"
    )


# --- stop and search, use of force --------------------------------------------------


def _outside_code_sets(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> dict[str, int]:
    """Rows per code column whose value is filled but not in the gate contract's set."""
    out = {}
    for column in spec.columns:
        if column.kind != "code" or column.name == "neighbourhood_code":
            continue
        known = column.code_set(DEFAULT_SEEDS_DIR)
        codes = ", ".join("'" + c.replace("'", "''") + "'" for c in known)
        out[column.name] = scalar(
            con,
            f"select count(*) from {spec.name} where {column.name} is not null "
            f"and {column.name} not in ({codes})",
        )
    return out


def test_stop_searches_are_well_formed(con: duckdb.DuckDBPyConnection) -> None:
    assert 1_000 < scalar(con, "select count(*) from stop_search") < 4_000  # 2% of ~88,000
    assert _outside_code_sets(con, STOP_SEARCHES) == dict.fromkeys(
        _outside_code_sets(con, STOP_SEARCHES), 0
    )
    checks = {
        "ids in time order": "select count(*) from (select stop_search_id, "
        f"row_number() over () as n, {instant('searched_at')} - "
        f"lag({instant('searched_at')}) over () as step from stop_search) "
        "where stop_search_id <> printf('SS-%08d', n) or step < 0",
        "window": "select count(*) from stop_search where substr(searched_at, 1, 10) "
        "not between '2021-10-01' and '2025-09-30'",
        "neighbourhood": "select count(*) from stop_search anti join ref_neighbourhoods "
        "using (neighbourhood_code)",
        "a vehicle search has no person": "select count(*) from stop_search "
        "where search_type = 'Vehicle search' and (gender is not null or age_range is not null "
        "or self_defined_ethnicity is not null or officer_defined_ethnicity is not null)",
        "an operation is named when part of one": "select count(*) from stop_search "
        "where (part_of_policing_operation = 'True') <> (policing_operation is not null)",
        "a point in the West Midlands, both or neither": "select count(*) from stop_search "
        "where (latitude is null) <> (longitude is null) or cast(latitude as double) "
        "not between 52.3 and 52.7 or cast(longitude as double) not between -2.3 and -1.4",
        "nothing found is never a linked outcome": "select count(*) from stop_search "
        "where item_found = 'NOTHING' and outcome_linked_to_object_of_search = 'True'",
    }
    for name, sql in checks.items():
        assert scalar(con, sql) == 0, name
    # Knives are found far more often by searches for weapons than for drugs.
    rate = (
        "select avg((item_found = 'KNIFE_OR_BLADED_ARTICLE')::int) from stop_search "
        "where object_of_search = '{}'"
    )
    assert scalar(con, rate.format("Offensive weapons")) > 3 * scalar(  # type: ignore[operator]
        con, rate.format("Controlled drugs")
    )
    arrested = scalar(
        con,
        "select avg((outcome = 'Arrest')::int) from stop_search "
        "where item_found in ('FIREARM', 'KNIFE_OR_BLADED_ARTICLE')",
    )
    assert float(arrested) > 0.7  # type: ignore[arg-type]


def test_uses_of_force_are_well_formed(con: duckdb.DuckDBPyConnection) -> None:
    assert 1_500 < scalar(con, "select count(*) from use_of_force") < 4_500  # 2% of ~114,000
    assert _outside_code_sets(con, USES_OF_FORCE) == dict.fromkeys(
        _outside_code_sets(con, USES_OF_FORCE), 0
    )
    checks = {
        "ids in date order": "select count(*) from (select use_of_force_id, "
        "row_number() over () as n, cast(incident_date as date) - "
        "lag(cast(incident_date as date)) over () as step from use_of_force) "
        "where use_of_force_id <> printf('UOF-%08d', n) or step < 0",
        "window": "select count(*) from use_of_force where cast(incident_date as date) "
        "not between date '2021-10-01' and date '2025-09-30'",
        "neighbourhood": "select count(*) from use_of_force anti join ref_neighbourhoods "
        "using (neighbourhood_code)",
    }
    for name, sql in checks.items():
        assert scalar(con, sql) == 0, name


def test_disproportionality_counts_follow_the_census() -> None:
    """At full scale, Black and Asian counts give the report's ratio over White (to 0.1)
    against the 2021 Census populations, within 1% of the baseline's; a baseline too far
    from the current ratio cannot be calibrated."""
    ctx = Context(load_reference(SEEDS), 1.0)
    population = ctx.ref.ethnic_group_population
    assert sum(population.values()) == 2_919_664
    for groups, ratios in (
        (T.STOP_SEARCH_GROUPS, T.STOP_SEARCH_DISPROPORTIONALITY),
        (T.USE_OF_FORCE_GROUPS, T.USE_OF_FORCE_DISPROPORTIONALITY),
    ):
        counts = group_counts(ctx, groups, ratios, "test")
        for group, by_window in ratios.items():
            ratio = {
                w: counts[group][w]
                / population[group.lower()]
                / (counts["WHITE"][w] / population["white"])
                for w in by_window
            }
            assert round_half_away(ratio[T.CURRENT]) == by_window[T.CURRENT]
            assert abs(pct_change(ratio[T.BASELINE], ratio[T.CURRENT])) < 1.0
    with pytest.raises(CalibrationError):
        group_counts(ctx, T.STOP_SEARCH_GROUPS, {"BLACK": {T.BASELINE: 2.0, T.CURRENT: 2.8}}, "x")
