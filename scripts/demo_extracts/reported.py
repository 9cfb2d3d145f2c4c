"""The figures the documents state, read from their inventories in reports/reference/:
every number the November 2025 board report prints (board_report_2025_11_figures.csv)
and the force press release of January 2024 (force_press_release_2024_01_figures.csv).

The demo generator's calibration (targets.py) and the tests read the same rows, so a
report figure is typed once. Figures the generator needs that the documents do not
state (a rate's denominator, an LPA the report does not name) are CHOICES in
targets.py, never rows here.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
REFERENCE_DIR = PROJECT_DIR / "reports" / "reference"
BOARD_REPORT_FIGURES = REFERENCE_DIR / "board_report_2025_11_figures.csv"
PRESS_RELEASE_FIGURES = REFERENCE_DIR / "force_press_release_2024_01_figures.csv"

Number = int | float
FORCE = "FORCE"


def _number(text: str, decimals: str) -> Number:
    value = float(text)
    return int(value) if decimals == "0" and value.is_integer() else value


@cache
def board_report() -> dict[tuple[str, str, str, str], Number]:
    """(kpi_id, field, area, month_end) -> the figure the board report states, for every
    kpi_figure row (a row stating one value for two fields gives both)."""
    figures: dict[tuple[str, str, str, str], Number] = {}
    with BOARD_REPORT_FIGURES.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["figure_class"] != "kpi_figure":
                continue
            value = _number(row["value"], row["decimals"])
            for field in row["measure"].split("|"):
                key = (row["kpi_id"], field, row["area"], row["month_end"])
                if figures.setdefault(key, value) != value:
                    raise ValueError(f"{key}: the inventory states {figures[key]} and {value}")
    return figures


def reported(kpi_id: str, field: str, area: str = FORCE, month_end: str = "") -> Number:
    """A board report figure: kpi_scorecard's `field` (baseline_value, current_value,
    change_value, change_pct) of the KPI, force-wide or for an LPA or neighbourhood named
    as the report names it, or a month's value."""
    try:
        return board_report()[(kpi_id, field, area, month_end)]
    except KeyError:
        raise KeyError(f"the board report states no {field} of {kpi_id} for {area}") from None


@cache
def press_release() -> dict[tuple[str, str, str], Number]:
    """(kpi_id, comparison_mode, field) -> the figure the press release states."""
    with PRESS_RELEASE_FIGURES.open(newline="", encoding="utf-8") as handle:
        return {
            (row["kpi_id"], row["comparison_mode"], row["field"]): _number(
                row["value"], "0" if "." not in row["value"] else "1"
            )
            for row in csv.DictReader(handle)
        }


def released(kpi_id: str, comparison_mode: str, field: str) -> Number:
    """A press release figure, in the KPI's unit."""
    return press_release()[(kpi_id, comparison_mode, field)]
