"""Figures are computed from the extract rows and the period vars, nothing else."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from conftest import fetch_rows, gate, run_dbt

MODELS_ONLY = ["build", "--exclude", "test_type:data", "test_type:unit"]
REMOVED = 37


def scorecard(warehouse: Path) -> dict[str, tuple]:
    rows = fetch_rows(
        warehouse,
        "select kpi_id, baseline_value, current_value, change_value, status "
        "from marts.kpi_scorecard where comparison_mode = 'plan_baseline'",
    )
    return {row[0]: row[1:] for row in rows}


@pytest.fixture(scope="module")
def thinned_validated(demo_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo extracts less REMOVED recorded Birmingham crimes of the current window
    (and their outcomes), the other extracts unchanged, through the gate."""
    out = tmp_path_factory.mktemp("thinned")
    for extract in demo_landing.glob("*.csv"):  # hard links: the gate refuses symlinks
        os.link(extract, out / extract.name)
    (out / "crimes.csv").unlink()
    (out / "crime_outcomes.csv").unlink()
    options = "header = true, all_varchar = true"
    crimes = f"read_csv('{demo_landing / 'crimes.csv'}', {options})"
    outcomes = f"read_csv('{demo_landing / 'crime_outcomes.csv'}', {options})"
    with duckdb.connect() as con:
        con.sql(
            f"""
            create table removed as
            select crime_reference from {crimes}
            where record_status = 'RECORDED'
                and neighbourhood_code like 'BH%'
                and cast(recorded_date as date) between date '2024-10-01' and date '2025-09-30'
            order by crime_reference
            limit {REMOVED}
            """
        )
        con.sql(
            f"copy (select * from {crimes} where crime_reference not in "
            f"(select crime_reference from removed)) to '{out / 'crimes.csv'}' (header)"
        )
        con.sql(
            f"copy (select * from {outcomes} where crime_reference not in "
            f"(select crime_reference from removed)) to '{out / 'crime_outcomes.csv'}' (header)"
        )
    validated = tmp_path_factory.mktemp("thinned_validated")
    gate(out, validated)
    return validated


def test_removing_crimes_lowers_the_figures_by_exactly_that_many(
    built_warehouse: Path, thinned_validated: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "thinned.duckdb"
    result = run_dbt(MODELS_ONLY, thinned_validated, warehouse)
    assert result.returncode == 0, result.stdout[-4000:]

    before, after = scorecard(built_warehouse), scorecard(warehouse)
    assert after["total_recorded_crime"][0] == before["total_recorded_crime"][0]
    assert after["total_recorded_crime"][1] == before["total_recorded_crime"][1] - REMOVED

    by_lpa = (
        "select lpa_name, current_value from marts.kpi_scorecard_by_lpa "
        "where kpi_id = 'total_recorded_crime' and comparison_mode = 'plan_baseline'"
    )
    lpa_before, lpa_after = (
        dict(fetch_rows(built_warehouse, by_lpa)),
        dict(fetch_rows(warehouse, by_lpa)),
    )
    assert lpa_after["Birmingham"] == lpa_before["Birmingham"] - REMOVED
    assert {k: v for k, v in lpa_after.items() if k != "Birmingham"} == {
        k: v for k, v in lpa_before.items() if k != "Birmingham"
    }


def test_period_vars_recompute_every_figure(demo_validated: Path, tmp_path: Path) -> None:
    """With the current window set to the baseline window, every live KPI whose windows
    are not lagged equals its baseline."""
    warehouse = tmp_path / "same_window.duckdb"
    same_window = {"current_start": "2023-04-01", "current_end": "2024-03-31"}
    result = run_dbt([*MODELS_ONLY, "--vars", json.dumps(same_window)], demo_validated, warehouse)
    assert result.returncode == 0, result.stdout[-4000:]

    rows = fetch_rows(
        warehouse,
        "select kpi_id, current_start, current_end, baseline_value, current_value, status, "
        "kpi_scorecard.polarity, kpi_scorecard.measure_type from marts.kpi_scorecard "
        "inner join marts.dim_kpis using (kpi_id) where window_lag_months = 0 "
        "and baseline_lag_months = 0 and kpi_status = 'live' "
        "and comparison_mode = 'plan_baseline'",
    )
    assert len(rows) > 30
    for kpi_id, start, end, baseline, current, status, polarity, measure_type in rows:
        assert (str(start), str(end)) == ("2023-04-01", "2024-03-31"), kpi_id
        assert current == pytest.approx(baseline), kpi_id
        if measure_type == "return":
            assert status == "not_a_sample", kpi_id
        elif polarity == "neutral":
            assert status == "not_assessed", kpi_id
        else:  # a window against itself: never a change the test can see
            assert status in ("no_significant_change", "too_few_to_assess"), (kpi_id, status)
