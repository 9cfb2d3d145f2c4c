"""The public-data path: data.police.uk archives and DfT road safety tables.

Real files only (samples/, unedited, Open Government Licence): the gate's treatment of
each habit of real files, then the public warehouse built by scripts/run_public.py
(what `make run-public` runs) and checked against counts taken from the files
themselves with Python's csv module, independently of DuckDB and dbt.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, run_public
from police_uk.archive import list_archive
from police_uk.assemble import assemble
from police_uk.store import Store
from quality import run_gate
from quality.contracts import PUBLIC_SPECS
from run_public import GATE_CONFIG, month_ranges, revision_problems, windows

SAMPLES = PROJECT_DIR / "samples"
POLICE_UK = SAMPLES / "data.police.uk"
STATS19 = SAMPLES / "stats19" / "west-yorkshire-2024"
CITY = "city-of-london"


def street_file(month: str, force: str = CITY) -> Path:
    return POLICE_UK / month / f"{month}-{force}-street.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_file(archive: Path, relative: str, text: str | bytes) -> Path:
    path = archive / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def copy_file(archive: Path, source: Path, relative: str | None = None) -> Path:
    target = archive / (relative or source.relative_to(POLICE_UK).as_posix())
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def gate_archive(archive: Path, work: Path, force: str | None = None):
    """Assemble an archive and run the public gate on it: (assembled, gate result)."""
    listing = list_archive(archive, force)
    assembled = assemble(listing.files, work / "landing")
    if assembled.stopped:
        return assembled, None
    result = run_gate(
        work / "landing", work / "validated", work / "state",
        config=GATE_CONFIG.with_overrides(data_docs=False), specs=PUBLIC_SPECS,
        record_state=False,
    )  # fmt: skip
    return assembled, result


def rules(problems, level: str | None = None) -> set[str]:
    return {p.rule for p in problems if level is None or p.level == level}


# --- the gate on each habit of real files ------------------------------------------


def test_a_normal_real_month_passes_with_every_row(tmp_path: Path) -> None:
    """CRLF line ends, ASB rows without a crime id or outcome, one crime id on several
    rows of a month, rows with no location and an empty Context column: all accepted,
    every row kept."""
    source = street_file("2024-01")
    data = source.read_bytes()
    assert b"\r\n" in data
    rows = read_rows(source)
    asb = [r for r in rows if r["Crime type"] == "Anti-social behaviour"]
    assert asb and all(r["Crime ID"] == "" and r["Last outcome category"] == "" for r in asb)
    ids = Counter(r["Crime ID"] for r in rows if r["Crime ID"])
    assert max(ids.values()) > 1  # the same crime id on two rows of one month
    assert any(r["LSOA code"] == "" for r in rows)
    assert all(r["Context"] == "" for r in rows)
    archive = tmp_path / "archive"
    copy_file(archive, source)
    assembled, result = gate_archive(archive, tmp_path)
    assert result is not None and result.passed, result.summary()
    street = result.extracts["street"]
    assert (street.rows_in, street.validated, street.quarantined) == (len(rows), len(rows), 0)
    assert assembled.files[source.relative_to(POLICE_UK).as_posix()]["crlf"] is True


def test_utc_search_times_before_the_month_are_in_the_file_month(tmp_path: Path) -> None:
    """A June file's searches at 23:xx UTC on 31 May are June in London: accepted."""
    source = POLICE_UK / "2017-06" / "2017-06-west-midlands-stop-and-search.csv"
    rows = read_rows(source)
    assert any(r["Date"].startswith("2017-05-31T23") for r in rows)
    archive = tmp_path / "archive"
    copy_file(archive, source)
    _, result = gate_archive(archive, tmp_path)
    assert result is not None and result.passed, result.summary()
    assert result.extracts["stop_and_search"].quarantined == 0


def test_outcomes_of_crimes_of_earlier_months_are_accepted(tmp_path: Path) -> None:
    source = POLICE_UK / "2013-06" / "2013-06-city-of-london-outcomes.csv"
    rows = read_rows(source)
    crimes_of_the_month = {r["Crime ID"] for r in read_rows(street_file("2013-06"))}
    assert any(r["Crime ID"] not in crimes_of_the_month for r in rows)
    archive = tmp_path / "archive"
    copy_file(archive, source)
    _, result = gate_archive(archive, tmp_path)
    assert result is not None and result.passed
    assert result.extracts["outcomes"].validated == len(rows)


def _rewrite(source: Path, change) -> str:
    """The file's text with each data line passed through change(fields) (CRLF kept)."""
    lines = source.read_bytes().decode("utf-8").split("\r\n")
    out = [lines[0]]
    for line in lines[1:]:
        out.append(",".join(change(line.split(","))) if line else line)
    return "\r\n".join(out)


def test_a_file_whose_rows_are_of_another_month_stops(tmp_path: Path) -> None:
    source = street_file("2024-02")
    archive = tmp_path / "archive"
    write_file(
        archive, "2024-02/2024-02-city-of-london-street.csv",
        _rewrite(source, lambda f: [f[0], "2024-01", *f[2:]]),
    )  # fmt: skip
    _, result = gate_archive(archive, tmp_path)
    assert result is not None and not result.passed
    stopping = [p for p in result.problems if p.rule == "month_mismatch"]
    assert stopping and stopping[0].count == len(read_rows(source))


def test_a_file_of_another_force_stops(tmp_path: Path) -> None:
    """City of London's rows in a file named for Essex: every row's Falls within is not
    Essex Police."""
    archive = tmp_path / "archive"
    copy_file(archive, street_file("2024-03"), "2024-03/2024-03-essex-street.csv")
    _, result = gate_archive(archive, tmp_path)
    assert result is not None and not result.passed
    assert "force_mismatch" in rules(result.problems)


@pytest.mark.parametrize(
    ("relative", "rule"),
    [
        ("2024-04/2024-05-city-of-london-street.csv", "misplaced_file"),
        ("2024-04/2024-04-city-of-londinium-street.csv", "unknown_force"),
    ],
)
def test_a_misnamed_file_stops(tmp_path: Path, relative: str, rule: str) -> None:
    archive = tmp_path / "archive"
    copy_file(archive, street_file("2024-04"), relative)
    assembled, _ = gate_archive(archive, tmp_path)
    assert assembled.stopped and rule in rules(assembled.problems, "stop")


def test_a_renamed_column_stops(tmp_path: Path) -> None:
    text = street_file("2024-05").read_bytes().decode("utf-8").replace("LSOA code", "LSOA", 1)
    archive = tmp_path / "archive"
    write_file(archive, "2024-05/2024-05-city-of-london-street.csv", text)
    assembled, _ = gate_archive(archive, tmp_path)
    assert assembled.stopped
    assert rules(assembled.problems, "stop") & {"renamed_column", "missing_column"}


def test_text_that_is_not_utf8_stops_and_a_bom_is_a_warning(tmp_path: Path) -> None:
    data = street_file("2024-06").read_bytes()
    archive = tmp_path / "archive"
    write_file(archive, "2024-06/2024-06-city-of-london-street.csv", b"\xef\xbb\xbf" + data)
    assembled, result = gate_archive(archive, tmp_path)
    assert "utf8_bom" in rules(assembled.problems, "warning")
    assert result is not None and result.passed
    broken = data.replace(b"On or near", "On or n\u00e9ar".encode("cp1252"), 1)
    write_file(archive, "2024-06/2024-06-city-of-london-street.csv", broken)
    assembled, _ = gate_archive(archive, tmp_path)
    assert "undecodable_text" in rules(assembled.problems, "stop")


def test_a_line_that_is_not_a_row_is_quarantined_by_its_line(tmp_path: Path) -> None:
    source = street_file("2024-07")
    lines = source.read_bytes().decode("utf-8").split("\r\n")
    lines.insert(5, "this line is not a row")
    archive = tmp_path / "archive"
    write_file(archive, "2024-07/2024-07-city-of-london-street.csv", "\r\n".join(lines))
    _, result = gate_archive(archive, tmp_path)
    assert result is not None and result.passed, result.summary()  # 1 row of ~800
    street = result.extracts["street"]
    assert street.quarantined == 1 and street.validated == len(read_rows(source))
    quarantine = read_rows(Path(result.quarantine_file))
    assert len(quarantine) == 1 and "2024-07-city-of-london-street.csv" in quarantine[0]["row"]


def test_an_unknown_crime_type_is_a_named_warning_and_keeps_its_row(tmp_path: Path) -> None:
    source = street_file("2024-08")
    text = source.read_bytes().decode("utf-8").replace(",Shoplifting,", ",Retail theft,")
    archive = tmp_path / "archive"
    write_file(archive, "2024-08/2024-08-city-of-london-street.csv", text)
    _, result = gate_archive(archive, tmp_path)
    assert result is not None and result.passed
    warning = next(p for p in result.problems if p.rule == "unknown_code")
    shoplifting = sum(r["Crime type"] == "Shoplifting" for r in read_rows(source))
    assert warning.level == "warning" and warning.column == "crime_type"
    assert warning.count == shoplifting and "'Retail theft'" in warning.message
    assert result.extracts["street"].validated == len(read_rows(source))


def test_an_empty_stop_and_search_file_is_a_warning(tmp_path: Path) -> None:
    header = (
        (POLICE_UK / "2020-01" / "2020-01-essex-stop-and-search.csv")
        .read_bytes()
        .decode("utf-8")
        .split("\r\n")[0]
    )
    archive = tmp_path / "archive"
    write_file(archive, "2020-01/2020-01-essex-stop-and-search.csv", header + "\r\n")
    assembled, result = gate_archive(archive, tmp_path)
    assert "header_only" in rules(assembled.problems, "warning")
    assert result is not None and result.passed


def test_a_cut_month_among_normal_ones_stops(tmp_path: Path) -> None:
    """Six normal months and one with a tenth of its rows (a cut download)."""
    archive = tmp_path / "archive"
    months = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    for month in months:
        copy_file(archive, street_file(month))
    lines = street_file("2024-07").read_bytes().decode("utf-8").split("\r\n")
    write_file(
        archive, "2024-07/2024-07-city-of-london-street.csv",
        "\r\n".join(lines[: len(lines) // 10]) + "\r\n",
    )  # fmt: skip
    assembled, _ = gate_archive(archive, tmp_path)
    stops = [p for p in assembled.problems if p.rule == "file_volume"]
    assert [p.where for p in stops] == ["2024-07/2024-07-city-of-london-street.csv"]


def test_a_revision_with_far_fewer_rows_stops(tmp_path: Path) -> None:
    archive, store = tmp_path / "archive", Store(tmp_path / "store")
    copy_file(archive, street_file("2024-09"))
    first = store.plan(list_archive(archive).files)
    assembled = assemble(store.candidate(first), tmp_path / "landing")
    store.commit(first, {p: int(f["rows"]) for p, f in assembled.files.items()})
    lines = street_file("2024-09").read_bytes().decode("utf-8").split("\r\n")
    write_file(
        archive, "2024-09/2024-09-city-of-london-street.csv", "\r\n".join(lines[:100]) + "\r\n"
    )
    second = store.plan(list_archive(archive).files)
    assert second.revised == [f"{CITY}/2024-09/street"]
    assembled = assemble(store.candidate(second), tmp_path / "landing")
    problems = revision_problems(second, store, assembled)
    assert [p.rule for p in problems] == ["revision_collapse"]


def test_dft_tables_of_a_force_keep_that_forces_rows(tmp_path: Path) -> None:
    """DfT's own tables, -1 as missing: every West Yorkshire casualty accepted; with
    another force given, none kept."""
    archive = tmp_path / "archive"
    for name in ("accidents.csv", "casualties.csv"):
        target = archive / "dft" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STATS19 / name, target)
    _, result = gate_archive(archive, tmp_path / "all")
    assert result is not None and result.passed, result.summary()
    assert result.extracts["casualties"].validated == len(read_rows(STATS19 / "casualties.csv"))
    assert result.extracts["collisions"].validated == len(read_rows(STATS19 / "accidents.csv"))
    assembled, result = gate_archive(archive, tmp_path / "other", force="essex")
    assert result is not None
    assert result.extracts["casualties"].rows_in == 0
    assert "other_forces" in rules(assembled.problems, "warning")


def test_windows_are_the_latest_twelve_months_against_the_twelve_before(tmp_path: Path) -> None:
    assembled = assemble(list_archive(POLICE_UK, CITY).files, tmp_path / "landing")
    expected = {
        "current_start": "2025-01-01",
        "current_end": "2025-12-31",
        "baseline_start": "2024-01-01",
        "baseline_end": "2024-12-31",
        "year_on_year_end": "2025-12-31",
        "year_to_date_start": "2025-04-01",
    }
    assert expected.items() <= windows(assembled).items()
    assert month_ranges(["2013-06", "2024-01", "2024-02", "2024-03"]) == (
        "2013-06, 2024-01..2024-03"
    )


# --- the public warehouse -----------------------------------------------------------


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def file_counts(kind: str, force: str | None = None) -> Counter:
    """(month, force, crime type) of every row of the sample's street files, by csv."""
    counts: Counter = Counter()
    for path in sorted(POLICE_UK.glob(f"*/*-{kind}.csv")):
        month, file_force = path.name[:7], path.name[8 : -len(f"-{kind}.csv")]
        if force and file_force != force:
            continue
        for row in read_rows(path):
            counts[(month, file_force, row.get("Crime type"))] += 1
    return counts


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("public_city")
    done = run_public(work, "--archive", str(SAMPLES), "--force", CITY)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return work, done.stdout


@pytest.fixture(scope="module")
def everything(public_sample_warehouse: Path) -> Path:
    """The bundled sample, every force in it (make run-public with no ARCHIVE)."""
    return public_sample_warehouse


def test_fct_street_crimes_has_one_row_per_street_file_row(city: tuple[Path, str]) -> None:
    warehouse = city[0] / "police_uk.duckdb"
    expected = file_counts("street", CITY)
    got = query(
        warehouse,
        "select strftime(month, '%Y-%m'), force, crime_type, count(*) "
        "from marts.fct_street_crimes group by all",
    )
    assert Counter({(m, f, t): n for m, f, t, n in got}) == expected
    (rows, ids) = query(
        warehouse, "select count(*), count(distinct street_row_id) from marts.fct_street_crimes"
    )[0]
    assert rows == ids == sum(expected.values()) == 18_867 + 574


def test_every_public_kpi_has_a_figure_on_the_city_of_london_sample(
    city: tuple[Path, str],
) -> None:
    """Every KPI but the road casualties' (no DfT tables of City of London) has a current
    figure in every comparison mode."""
    warehouse = city[0] / "police_uk.duckdb"
    missing = query(
        warehouse,
        "select kpi_id, comparison_mode from marts.kpi_scorecard where current_value is null "
        "and kpi_id not like 'road_%'",
    )
    assert missing == []
    kpis = {k for (k,) in query(warehouse, "select kpi_id from marts.kpi_scorecard")}
    assert {"total_crime", "anti_social_behaviour_incidents", "neighbourhood_crime",
            "shoplifting", "violence_and_sexual_offences", "positive_outcome_share",
            "stop_searches", "stop_search_arrest_rate", "stop_search_find_rate",
            "crime_type_bicycle_theft"} <= kpis  # fmt: skip


def test_public_figures_equal_counts_of_the_files(city: tuple[Path, str]) -> None:
    """Total crime and ASB over the latest 12 months, and the find rate over the months
    of searches, against the files counted with csv."""
    warehouse = city[0] / "police_uk.duckdb"
    street = file_counts("street", CITY)
    latest = {f"2025-{m:02d}" for m in range(1, 13)}
    crimes = sum(
        n for (m, _, t), n in street.items() if m in latest and t != "Anti-social behaviour"
    )
    asb = sum(n for (m, _, t), n in street.items() if m in latest and t == "Anti-social behaviour")
    figures = dict(
        query(
            warehouse,
            "select kpi_id, current_value from marts.kpi_scorecard "
            "where comparison_mode = 'year_on_year'",
        )
    )
    assert (figures["total_crime"], figures["anti_social_behaviour_incidents"]) == (crimes, asb)
    files = sorted(POLICE_UK.glob(f"*/*-{CITY}-stop-and-search.csv"))
    searches = [r for path in files for r in read_rows(path)]
    finds = sum(r["Outcome linked to object of search"] == "True" for r in searches)
    assert figures["stop_searches"] == len(searches)
    assert figures["stop_search_find_rate"] == pytest.approx(100 * finds / len(searches))
    window = query(
        warehouse,
        "select current_start, current_end from marts.kpi_scorecard "
        "where kpi_id = 'stop_searches' and comparison_mode = 'year_on_year'",
    )[0]
    assert [d.isoformat() for d in window] == ["2019-12-01", "2020-02-29"]


def test_rows_with_no_location_count_force_wide_and_are_listed(city: tuple[Path, str]) -> None:
    warehouse = city[0] / "police_uk.duckdb"
    by_area = query(
        warehouse,
        "select lpa_code, current_value from marts.kpi_scorecard_by_lpa "
        "where kpi_id = 'total_crime' and comparison_mode = 'year_on_year'",
    )
    force = query(
        warehouse,
        "select current_value from marts.kpi_scorecard "
        "where kpi_id = 'total_crime' and comparison_mode = 'year_on_year'",
    )[0][0]
    assert sum(v for _, v in by_area) == force
    no_location = dict(by_area)["NO_LOCATION"]
    rows = [
        r for p in POLICE_UK.glob(f"2025-*/2025-*-{CITY}-street.csv") for r in read_rows(p)
        if r["LSOA code"] == "" and r["Crime type"] != "Anti-social behaviour"
    ]  # fmt: skip
    assert no_location == len(rows) > 0


def test_loading_the_same_archive_again_changes_nothing(city: tuple[Path, str]) -> None:
    work = city[0]
    published = work / "police_uk.duckdb"
    before = (published.stat().st_mtime_ns, published.read_bytes())
    again = run_public(work, "--archive", str(SAMPLES), "--force", CITY)
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout
    assert (published.stat().st_mtime_ns, published.read_bytes()) == before


def test_a_revised_month_replaces_the_old_one(city: tuple[Path, str], tmp_path: Path) -> None:
    """A newer archive re-publishes 2025-12 with an outcome changed and a crime
    reclassified: the month's rows are replaced, and the run says what moved."""
    work = city[0]
    archive = tmp_path / "newer"
    source = street_file("2025-12")
    rows = source.read_bytes().decode("utf-8").split("\r\n")
    fields = rows[1].split(",")
    reclassified = fields[9]
    fields[9] = "Other crime" if reclassified != "Other crime" else "Drugs"
    rows[1] = ",".join(fields)
    write_file(archive, "2025-12/2025-12-city-of-london-street.csv", "\r\n".join(rows))
    done = run_public(work, "--archive", str(archive), "--force", CITY)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "0 new, 1 revised" in done.stdout
    assert "Figures moved:" in done.stdout
    got = dict(
        query(
            work / "police_uk.duckdb",
            "select crime_type, count(*) from marts.fct_street_crimes "
            "where month = date '2025-12-01' group by all",
        )
    )
    expected = Counter(r["Crime type"] for r in read_rows(archive / "2025-12" / source.name))
    assert got == dict(expected)
    months = query(
        work / "police_uk.duckdb", "select count(distinct month) from marts.fct_street_crimes"
    )
    assert months == [(25,)]  # the other months kept from the store


def test_dft_tables_give_the_west_yorkshire_casualties(everything: Path) -> None:
    counts = dict(
        query(
            everything,
            "select casualty_severity_name, count(*) from marts.fct_road_casualties group by all",
        )
    )
    assert counts == {"fatal": 40, "serious": 1_278, "slight": 3_922}
    figures = dict(
        query(
            everything,
            "select kpi_id, current_value from marts.kpi_scorecard "
            "where comparison_mode = 'year_on_year' and kpi_id like 'road_%'",
        )
    )
    assert figures == {"road_fatalities": 40, "road_seriously_injured": 1_278}


def test_every_sample_file_row_is_in_the_public_warehouse(everything: Path) -> None:
    street = query(
        everything,
        "select strftime(month, '%Y-%m'), force, crime_type, count(*) "
        "from marts.fct_street_crimes group by all",
    )
    assert Counter({(m, f, t): n for m, f, t, n in street}) == file_counts("street")
    searches = query(
        everything,
        "select strftime(searched_month, '%Y-%m'), force, count(*) "
        "from marts.fct_stop_searches group by all",
    )
    expected = Counter({(m, f): n for (m, f, _), n in file_counts("stop-and-search").items()})
    assert Counter({(m, f): n for m, f, n in searches}) == expected
    outcomes = query(everything, "select count(*) from marts.fct_street_outcomes")[0][0]
    assert outcomes == sum(file_counts("outcomes").values()) == 346


# --- rates per resident, peers and stop and search by ethnicity (issue 24) -----------

# The 2011 Census by force area and ethnic group, as shared/real-data has it (beside the
# project, as CI lays it out); the seed is the same figures one row per area and group.
POPULATION_CSV = PROJECT_DIR.parent / "shared" / "real-data" / "population" / (
    "pfa_ethnic_group_census_2011.csv"
)
POPULATION_SEED = PROJECT_DIR / "seeds" / "police_uk" / "ref_force_area_populations.csv"
CENSUS_COLUMNS = {
    "White": "white", "Black (or Black British)": "black", "Asian (or Asian British)": "asian",
    "Chinese": "chinese", "Mixed": "mixed", "Other": "other",
}  # fmt: skip
SAMPLE_FORCES = {"city-of-london", "derbyshire", "essex", "west-midlands"}


def census() -> dict[str, dict[str, int]]:
    """Residents by force area and census group: the shared CSV where it is beside the
    project, else the seed (checked equal to it where both are)."""
    seed: dict[str, dict[str, int]] = {}
    for row in read_rows(POPULATION_SEED):
        seed.setdefault(row["force_area"], {})[row["census_ethnic_group"]] = int(row["population"])
    if not POPULATION_CSV.exists():
        return seed
    source = {
        row["Police force"]: {group: int(row[column]) for column, group in CENSUS_COLUMNS.items()}
        for row in read_rows(POPULATION_CSV)
    }
    assert source == seed and sum(sum(g.values()) for g in source.values()) == 56_075_912
    return source


def self_defined_group(wording: str) -> str | None:
    """A self-defined ethnicity as the 2011 Census groups count it (written here from the
    wordings, not read from the seed): Chinese is Asian; not stated is no group."""
    if "Not stated" in wording or "Not Stated" in wording or not wording:
        return None
    if "Chinese (O1)" in wording or wording.startswith("Asian"):
        return "asian"
    for prefix, group in (("White", "white"), ("Black", "black"), ("Mixed", "mixed")):
        if wording.startswith(prefix):
            return group
    return "other"


def log_rate_ratio(a: int, pa: int, b: int, pb: int) -> tuple[float, float, float]:
    """(a / pa) / (b / pb) and its 95% interval, exp(ln r -+ 1.959964 sqrt(1/a + 1/b))."""
    ratio = (a / pa) / (b / pb)
    half = 1.959963984540054 * math.sqrt(1 / a + 1 / b)
    return ratio, ratio * math.exp(-half), ratio * math.exp(half)


@pytest.mark.parametrize("force", ["derbyshire", "essex"])
def test_searches_per_1000_and_the_black_white_ratio_match_the_files(
    everything: Path, force: str
) -> None:
    """Two forces' latest 12 months (their files: December 2019 to February 2020), both
    views, recomputed from the raw files and the census with csv and math: searches per
    1,000 residents of each group and the Black/White ratio with its interval."""
    area = {"derbyshire": "Derbyshire", "essex": "Essex"}[force]
    residents = census()[area]
    files = sorted(POLICE_UK.glob(f"*/*-{force}-stop-and-search.csv"))
    assert [f.name[:7] for f in files] == ["2019-12", "2020-01", "2020-02"]
    rows = [r for path in files for r in read_rows(path)]
    views = {
        # officer-defined codes: Chinese residents are Other, not Asian
        "officer_defined": (
            Counter(r["Officer-defined ethnicity"].lower() or None for r in rows),
            {"white": residents["white"], "black": residents["black"],
             "asian": residents["asian"], "other": residents["other"] + residents["chinese"]},
        ),
        # 2011 Census categories: Chinese residents are Asian
        "self_defined": (
            Counter(self_defined_group(r["Self-defined ethnicity"]) for r in rows),
            {"white": residents["white"], "black": residents["black"],
             "asian": residents["asian"] + residents["chinese"], "other": residents["other"]},
        ),
    }  # fmt: skip
    mart = {
        (view, group): (searches, rate, low, high, ratio, ratio_low, ratio_high)
        for view, group, searches, rate, low, high, ratio, ratio_low, ratio_high in query(
            everything,
            "select ethnicity_view, ethnic_group, searches, searches_per_1000_residents, "
            "searches_per_1000_ci_low, searches_per_1000_ci_high, ratio_to_white, ratio_ci_low, "
            "ratio_ci_high from marts.kpi_stop_search_ethnicity "
            f"where force = '{force}' and period_kind = 'latest_12_months' "
            "and window_start = date '2019-12-01' and window_end = date '2020-02-29'",
        )
    }
    for view, (searched, population) in views.items():
        for group, people in population.items():
            got = mart[(view, group)]
            assert got[0] == searched[group], (view, group)
            assert got[1] == pytest.approx(1000 * searched[group] / people), (view, group)
            assert got[2] <= got[1] <= got[3]
        ratio, low, high = log_rate_ratio(
            searched["black"], population["black"], searched["white"], population["white"]
        )
        assert mart[(view, "black")][4:] == pytest.approx((ratio, low, high)), view
    assert mart[("self_defined", "not_stated")][0] == views["self_defined"][0][None]


def test_west_midlands_has_no_officer_defined_ratio_in_june_2017(everything: Path) -> None:
    """The 2017-06 West Midlands file records no officer-defined White or Black person
    (a real habit): its latest month has a self-defined ratio and no officer-defined one."""
    rows = read_rows(POLICE_UK / "2017-06" / "2017-06-west-midlands-stop-and-search.csv")
    assert not {"White", "Black"} & {r["Officer-defined ethnicity"] for r in rows}
    got = dict(
        ((view, window.isoformat()), ratio)
        for view, window, ratio in query(
            everything,
            "select ethnicity_view, window_start, ratio_to_white "
            "from marts.kpi_stop_search_ethnicity where force = 'west-midlands' "
            "and ethnic_group = 'black' and period_kind = 'latest_12_months'",
        )
    )
    residents = census()["West Midlands"]
    group = Counter(self_defined_group(r["Self-defined ethnicity"]) for r in rows)
    expected = log_rate_ratio(
        group["black"], residents["black"], group["white"], residents["white"]
    )
    assert got[("self_defined", "2017-06-01")] == pytest.approx(expected[0])
    assert got[("officer_defined", "2017-06-01")] is None


def test_every_force_present_has_a_peer_comparison_row(everything: Path) -> None:
    """make run-public on the samples: each force in the files has its peer comparison
    rows (one per KPI its data covers), its peers declared; West Midlands' are the paper's."""
    present = {
        f for (f,) in query(everything, "select force from marts.dim_police_forces where has_data")
    }
    compared = {
        f for (f,) in query(everything, "select distinct force from marts.kpi_peer_comparison")
    }
    assert present == compared == SAMPLE_FORCES | {"west-yorkshire"}  # DfT: West Yorkshire
    rows = query(
        everything,
        "select force, kpi_id, peers_declared, comparison from marts.kpi_peer_comparison "
        "where kpi_id = 'stop_searches'",
    )
    assert {f for f, *_ in rows} == SAMPLE_FORCES and all(n > 0 for _, _, n, _ in rows)
    peers = query(
        everything,
        "select peer_forces, peer_group from marts.dim_police_forces where force = 'west-midlands'",
    )
    assert peers == [("greater-manchester, merseyside, west-yorkshire", "most_similar_forces")]


def test_rates_per_resident_are_counts_over_the_census(everything: Path) -> None:
    """Total crime per 1,000 City of London residents over 2025, and every published
    rate with its interval, no window beyond the months the files hold."""
    crimes = sum(
        n for (m, _, t), n in file_counts("street", CITY).items()
        if m.startswith("2025-") and t != "Anti-social behaviour"
    )  # fmt: skip
    residents = sum(census()["City of London"].values())
    (events, rate, low, high) = query(
        everything,
        "select events, rate_per_1000_residents, rate_ci_low, rate_ci_high "
        "from marts.kpi_rates_by_force where force = 'city-of-london' and kpi_id = 'total_crime' "
        "and period_kind = 'latest_12_months'",
    )[0]
    assert (events, residents) == (crimes, 7_375)
    assert rate == pytest.approx(1000 * crimes / residents) and low < rate < high
    missing = query(
        everything,
        "select count(*) from marts.kpi_rates_by_force where residents is not null "
        "and (rate_per_1000_residents is null or rate_ci_low is null or rate_ci_high is null)",
    )
    assert missing == [(0,)]
    months = {(m, f) for (m, f, _) in file_counts("street") | file_counts("stop-and-search")}
    beyond = [
        (f, m.isoformat()[:7])
        for f, m in query(
            everything,
            "select force, window_start from marts.kpi_rates_by_force "
            "where period_kind = 'month' and kpi_id in ('total_crime', 'stop_searches')",
        )
        if (m.isoformat()[:7], f) not in months
    ]
    assert beyond == []


def test_nothing_below_the_disclosure_threshold_is_published(everything: Path) -> None:
    """No group's searches, arrests or finds of 1 to 4 in any force, view and period, and
    no withheld count that the others and the force's total would give away."""
    small = query(
        everything,
        "select force, ethnicity_view, ethnic_group, window_start, searches, arrests, finds "
        "from marts.kpi_stop_search_ethnicity where searches between 1 and minimum_count - 1 "
        "or arrests between 1 and minimum_count - 1 or finds between 1 and minimum_count - 1",
    )
    assert small == []
    for measure in ("searches", "arrests", "finds"):
        alone = query(
            everything,
            f"select force, ethnicity_view, period_kind, window_start from "
            "marts.kpi_stop_search_ethnicity group by all "
            f"having count(*) filter (where {measure} is null) = 1",
        )
        assert alone == [], measure
    withheld = query(
        everything,
        "select count(*) filter (where is_suppressed), count(*) filter (where is_suppressed "
        "and suppression_reason is null) from marts.kpi_stop_search_ethnicity",
    )[0]
    assert withheld[0] > 0 and withheld[1] == 0
    # every published ratio has its interval
    assert query(
        everything,
        "select count(*) from marts.kpi_stop_search_ethnicity where ratio_to_white is not null "
        "and (ratio_ci_low is null or ratio_ci_high is null or ratio_p_value is null)",
    ) == [(0,)]


def test_the_peer_comparison_unit_test_passes(everything: Path, tmp_path: Path) -> None:
    """The public models' dbt unit tests (the peer comparison's test and rank), which the
    public build leaves out, against a copy of the sample warehouse."""
    copy = tmp_path / "police_uk.duckdb"
    shutil.copyfile(everything, copy)
    env = dict(os.environ, DO_NOT_TRACK="1", POLICE_WAREHOUSE="police_uk",
               POLICE_BUILD_PATH=str(copy))  # fmt: skip
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run(
        [str(dbt), "test", "--select", "test_type:unit,path:models/police_uk",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert "PASS=1 " in done.stdout
