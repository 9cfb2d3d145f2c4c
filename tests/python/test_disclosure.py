"""Nothing disclosive in the file BI tools read.

The demo build is published as the pipeline publishes it (scripts/publish.py: the BI file
and the restricted file), and the BI file is opened read-only and scanned, every table of
every schema: no KPI figure resting on 1 to 4 events at a grain the disclosure policy
(reference.kpi_disclosure_policy) protects, no total that gives a withheld figure away,
and no record-level row that puts a victim's attributes beside a sensitive offence's day
or neighbourhood. The restricted file holds those records and only its owner can read it.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from publish import publish, restricted_default

# Columns that describe a victim (or a person searched, restrained, injured) as a person.
PERSON_ATTRIBUTES = {
    "victim_sex",
    "victim_age_band",
    "victim_ethnicity",
    "is_violence_against_women_and_girls",
    "is_serious_youth_violence",
}
# Columns that place a record finer than a month or an LPA.
FINE_PLACE_OR_DAY = {"neighbourhood_code", "lsoa_code", "recorded_date", "latitude", "longitude"}


@pytest.fixture(scope="module")
def published(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("disclosure")
    build = work / "build.duckdb"
    shutil.copyfile(built_warehouse, build)
    target = work / "published" / "police.duckdb"
    publish(build, target)
    return target


def tables(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "order by table_schema, table_name, ordinal_position"
    ).fetchall():
        out.setdefault((schema, table), []).append(column)
    return out


def test_the_bi_file_holds_no_small_count_at_a_protected_grain(published: Path) -> None:
    with duckdb.connect(str(published), read_only=True) as con:
        every = tables(con)
        assert not {s for s, _ in every} & {"restricted", "intermediate", "staging"}
        policy = dict(
            con.execute(
                "select area_level, minimum_count from reference.kpi_disclosure_policy"
            ).fetchall()
        )
        scanned = 0
        for (schema, table), columns in every.items():
            if "kpi_id" not in columns:
                continue
            grain = next(
                (c for c in ("neighbourhood_code", "lpa_code", "area_code") if c in columns), None
            )
            if grain is None:
                continue
            for value in ("baseline_value", "current_value", "kpi_value", "month_value"):
                if value not in columns:
                    continue
                scanned += 1
                level = (
                    "'neighbourhood'"
                    if grain == "neighbourhood_code"
                    else "case when t.area_code = 'FORCE' then 'force' else 'lpa' end"
                    if grain == "area_code"
                    else "'lpa'"
                )
                # a count KPI's figure at a level the policy protects, for the KPIs it covers
                found = con.execute(
                    f"select t.kpi_id, t.{grain}, t.{value} from {schema}.{table} as t "
                    "inner join marts.dim_kpis as k on t.kpi_id = k.kpi_id "
                    "inner join reference.kpi_disclosure_policy as p "
                    f"on p.area_level = {level} "
                    "and (p.applies_to = 'all_kpis' or k.sensitive_family is not null) "
                    f"where k.calculation = 'count' and t.{value} >= 1 "
                    f"and t.{value} < p.minimum_count limit 5"
                ).fetchall()
                assert not found, (f"{schema}.{table}.{value}", found)
        assert scanned >= 6, scanned
        assert policy == {"neighbourhood": 5, "lpa": 5}


def test_suppressed_cells_are_null_flagged_and_explained(published: Path) -> None:
    with duckdb.connect(str(published), read_only=True) as con:
        for table, area in (
            ("kpi_scorecard_by_neighbourhood", "neighbourhood_code"),
            ("kpi_scorecard_by_lpa", "lpa_code"),
        ):
            rows = con.execute(
                f"select kpi_id, {area}, baseline_value, current_value, change_value, "
                f"p_value, suppression_reason from marts.{table} where is_suppressed"
            ).fetchall()
            assert rows, table
            for kpi_id, code, baseline, current, change, p_value, reason in rows:
                assert baseline is None or current is None, (table, kpi_id, code)
                assert change is None and p_value is None, (table, kpi_id, code)
                assert reason and reason.split(":")[0] in (
                    "baseline",
                    "current",
                    "baseline and current",
                ), reason
            # nothing is withheld without saying so
            (unflagged,) = con.execute(
                f"select count(*) from marts.{table} where not is_suppressed "
                "and (suppression_reason is not null or baseline_value is null "
                "and current_value is not null and kpi_id not in "
                "(select kpi_id from marts.dim_kpis where kpi_status = 'in_development'))"
            ).fetchone()
            assert unflagged == 0


def test_no_neighbourhood_total_gives_a_withheld_count_away(published: Path) -> None:
    """Within each LPA and window the published neighbourhood counts never leave a
    single withheld one that the LPA's published count would reveal by subtraction."""
    with duckdb.connect(str(published), read_only=True) as con:
        recoverable = con.execute(
            """
            with parts as (
                select n.kpi_id, n.comparison_mode, d.lpa_code,
                    sum(case when n.current_value is null then 1 else 0 end) as withheld,
                    count(*) as parts
                from marts.kpi_scorecard_by_neighbourhood as n
                inner join marts.dim_neighbourhoods as d using (neighbourhood_code)
                group by all
            )
            select parts.* from parts
            inner join marts.kpi_scorecard_by_lpa as l
                on l.kpi_id = parts.kpi_id and l.comparison_mode = parts.comparison_mode
                and l.lpa_code = parts.lpa_code
            where parts.withheld = 1 and l.current_value is not null
            """
        ).fetchall()
        assert recoverable == []


def test_no_record_puts_a_victim_beside_a_sensitive_offences_day_or_place(
    published: Path,
) -> None:
    with duckdb.connect(str(published), read_only=True) as con:
        for (schema, table), columns in tables(con).items():
            personal = PERSON_ATTRIBUTES & set(columns)
            placed = FINE_PLACE_OR_DAY & set(columns)
            assert not (personal and placed), (f"{schema}.{table}", personal, placed)
        crimes = set(tables(con)[("marts", "fct_crimes")])
        assert {"recorded_date", "neighbourhood_code", "is_sexual_offence"} <= crimes
        # stop and search: to the hour, to about a kilometre
        (fine,) = con.execute(
            "select count(*) from marts.fct_stop_searches where "
            "date_part('minute', searched_at) != 0 or date_part('second', searched_at) != 0 "
            "or round(latitude, 2) != latitude or round(longitude, 2) != longitude"
        ).fetchone()
        assert fine == 0


def test_the_restricted_file_holds_the_victims_and_only_its_owner_reads_it(
    published: Path, built_warehouse: Path
) -> None:
    restricted = restricted_default(published)
    assert stat.S_IMODE(os.stat(restricted).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(published).st_mode) & 0o007 == 0
    with duckdb.connect(str(restricted), read_only=True) as con:
        (victims,) = con.execute("select count(*) from restricted.fct_crime_victims").fetchone()
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        (crimes,) = con.execute("select count(*) from marts.fct_crimes").fetchone()
    assert victims == crimes > 1_000_000
