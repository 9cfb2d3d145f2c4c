"""The force's January 2024 press release comes out of the same models: year on year
for the year ending September 2023, and year to date from 1 April 2023 to 24 January
2024 (a window that ends mid-month)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import fetch_rows
from reference_figures import PRESS_RELEASE_FIGURES, PRESS_RELEASE_VARS, PressReleaseFigure


@pytest.mark.parametrize(
    "figure",
    PRESS_RELEASE_FIGURES,
    ids=lambda f: f"{f.kpi_id}.{f.comparison_mode}.{f.field}",
)
def test_press_release_figure(press_release_warehouse: Path, figure: PressReleaseFigure) -> None:
    rows = fetch_rows(
        press_release_warehouse,
        f"select {figure.field} from marts.kpi_scorecard "
        f"where kpi_id = '{figure.kpi_id}' and comparison_mode = '{figure.comparison_mode}'",
    )
    assert len(rows) == 1, figure.kpi_id
    value = rows[0][0]
    assert value is not None
    assert abs(value - figure.expected) <= figure.tolerance + 1e-9, (
        f"{figure.kpi_id} ({figure.comparison_mode}) {figure.field}: warehouse {value}, "
        f"press release {figure.expected} ({figure.quote!r})"
    )


def test_press_release_windows(press_release_warehouse: Path) -> None:
    """Year ending September 2023 against the year before; 1 April 2023 to 24 January
    2024 against 1 April 2022 to 24 January 2023."""
    rows = fetch_rows(
        press_release_warehouse,
        "select comparison_mode, baseline_start, baseline_end, current_start, current_end "
        "from marts.kpi_scorecard where kpi_id = 'total_recorded_crime' "
        "and comparison_mode != 'plan_baseline' order by comparison_mode",
    )
    assert [tuple(str(v) for v in row) for row in rows] == [
        ("year_on_year", "2021-10-01", "2022-09-30", "2022-10-01", "2023-09-30"),
        ("year_to_date", "2022-04-01", "2023-01-24", "2023-04-01", "2024-01-24"),
    ]
    assert PRESS_RELEASE_VARS["year_to_date_end"] == "2024-01-24"


def test_press_release_mode_leaves_the_plan_figures(
    built_warehouse: Path, press_release_warehouse: Path
) -> None:
    """Changing the year-on-year and year-to-date vars recomputes only those modes."""
    sql = (
        "select kpi_id, baseline_value, current_value from marts.kpi_scorecard "
        "where comparison_mode = 'plan_baseline' order by kpi_id"
    )
    assert fetch_rows(press_release_warehouse, sql) == fetch_rows(built_warehouse, sql)


def test_one_decimal_within_10s(press_release_warehouse: Path) -> None:
    """The whole-percent 92 holds at one decimal too: 620,041 of 673,958 answered."""
    rows = fetch_rows(
        press_release_warehouse,
        "select numerator_count, denominator_count, kpi_value from intermediate.int_kpi_values "
        "where kpi_id = 'calls_999_answered_within_10s_pct' "
        "and window_kind = 'year_to_date_current' and area_code = 'FORCE'",
    )
    assert rows == [(620_041, 673_958, pytest.approx(100.0 * 620_041 / 673_958))]
