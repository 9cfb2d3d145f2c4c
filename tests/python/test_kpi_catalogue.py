"""Adding a KPI is a catalogue row (and, for a population no series covers, one series
line under its fact), nothing else; a catalogue row naming a series no fact declares
fails the build, naming the KPI. Each case builds a copy of the project."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, fetch_rows, gate, run_dbt

PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/dbt")
CATALOGUE = Path("seeds") / "kpi" / "kpi_catalogue.csv"


def project_copy(root: Path) -> Path:
    for part in PROJECT_PARTS:
        source, target = PROJECT_DIR / part, root / part
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return root


def add_catalogue_row(project: Path, **values: str) -> None:
    path = project / CATALOGUE
    with path.open(newline="", encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    row = {
        "section": "test",
        "plan_priority": "test",
        "unit": "count",
        "polarity": "lower_is_better",
        "calculation": "count",
        "measure_type": "count",  # the statistic its status is tested by (issue 19)
        "denominator_series": "",
        "window_lag_months": "0",
        "baseline_lag_months": "0",
        "trend_window": "",
        "has_lpa_breakdown": "true",
        "has_neighbourhood_breakdown": "false",
        "kpi_status": "live",
        "definition": "A KPI added by the test.",
        **values,
    }
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerow([row.get(c, "") for c in columns])


def add_crime_series(project: Path, series_id: str, condition: str) -> None:
    """One line under fct_crimes in dbt_project.yml (vars: kpi_series)."""
    path = project / "dbt_project.yml"
    text = path.read_text(encoding="utf-8")
    anchor = '        recorded_crime: "true"\n'
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + f'        {series_id}: "{condition}"\n'))


@pytest.fixture(scope="module")
def small_validated(small_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's small delivery (conftest), gated. (At --scale 0.02 a minor outcome
    group has 16 to 40 rows a month, and the gate's plausibility band stops a month of
    it: too small a delivery for the gate, not a fault of the catalogue.)"""
    validated = tmp_path_factory.mktemp("catalogue_validated")
    gate(small_landing, validated)
    return validated


def test_new_kpis_are_a_row_and_a_series_line(small_validated: Path, tmp_path: Path) -> None:
    """bicycle_theft: a new crime population, one catalogue row and one series line;
    neighbourhood_crime_per_1000: an existing series, one catalogue row."""
    project = project_copy(tmp_path / "project")
    add_crime_series(project, "bicycle_theft_crime", "offence_subgroup = 'Bicycle theft'")
    add_catalogue_row(
        project, kpi_id="bicycle_theft", kpi_name="Bicycle theft",
        numerator_series="bicycle_theft_crime",
    )  # fmt: skip
    add_catalogue_row(
        project, kpi_id="neighbourhood_crime_per_1000", kpi_name="Neighbourhood crime rate",
        unit="per_1000_population", calculation="per_1000_population",
        numerator_series="neighbourhood_crime",
    )  # fmt: skip
    warehouse = tmp_path / "police.duckdb"
    result = run_dbt(
        ["build", "--exclude", "test_type:unit"],
        small_validated, warehouse, project,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    [(value, start, end)] = fetch_rows(
        warehouse,
        "select current_value, current_start, current_end from marts.kpi_scorecard "
        "where kpi_id = 'bicycle_theft' and comparison_mode = 'plan_baseline'",
    )
    [(expected,)] = fetch_rows(
        warehouse,
        "select count(*) from marts.fct_crimes where offence_subgroup = 'Bicycle theft' "
        f"and recorded_date between date '{start}' and date '{end}'",
    )
    assert value == expected > 0
    [(rate, crimes, population)] = fetch_rows(
        warehouse,
        "select s.current_value, n.current_value, (select sum(population_2021) from "
        "marts.dim_local_policing_areas) from marts.kpi_scorecard s join marts.kpi_scorecard n "
        "on n.kpi_id = 'neighbourhood_crime' and n.comparison_mode = s.comparison_mode "
        "where s.kpi_id = 'neighbourhood_crime_per_1000' and s.comparison_mode = 'plan_baseline'",
    )
    assert rate == pytest.approx(1000.0 * crimes / population)


def test_a_misspelt_series_fails_naming_the_kpi(small_validated: Path, tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    add_catalogue_row(project, kpi_id="bicycle_theft", numerator_series="bicycle_theft_crimes")
    warehouse = tmp_path / "police.duckdb"
    result = run_dbt(
        ["build", "--select", "kpi_catalogue", "int_kpi_series", "kpi_series_populations",
         "ref_return_measures", "assert_catalogue_series_are_declared"],
        small_validated, warehouse, project,
    )  # fmt: skip
    assert result.returncode == 1
    assert "assert_catalogue_series_are_declared" in result.stdout
    rows = fetch_rows(
        warehouse,
        "select kpi_id, catalogue_column, series_id, problem "
        "from test_failures.assert_catalogue_series_are_declared",
    )
    assert rows == [
        (
            "bicycle_theft",
            "numerator_series",
            "bicycle_theft_crimes",
            "no fact declares this series (dbt_project.yml, vars: kpi_series)",
        )
    ]
