"""What the tests expect of the warehouse beyond the figures themselves.

Every number the November 2025 board report prints is a row of the report's inventory,
reports/reference/board_report_2025_11_figures.csv (checked figure by figure in
test_report_coverage.py), and every figure of the force's January 2024 press release a
row of reports/reference/force_press_release_2024_01_figures.csv: the demo generator's
calibration reads the same rows (scripts/demo_extracts/reported.py). Here: what the
report says in words (stable, in development, the largest, below the average), with the
figures those statements are about read from the inventory, never typed again.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from demo_extracts.reported import PRESS_RELEASE_FIGURES as PRESS_RELEASE_CSV
from demo_extracts.reported import board_report


def lpa_figures(kpi_id: str, field: str) -> dict[str, float]:
    """The report's figures of a KPI by LPA (or neighbourhood), in the inventory's order."""
    return {
        area: value
        for (kpi, measure, area, month), value in board_report().items()
        if kpi == kpi_id and measure == field and area != "FORCE" and not month
    }


# KPIs the report lists as in development or awaiting a measure (6.2, 6.3, 6.4, 7.20,
# 7.21, 8.7, 9.8): in the catalogue, in the scorecard with no value, never a figure.
IN_DEVELOPMENT_KPIS = [
    "victims_code_compliance",
    "victim_satisfaction",
    "commissioned_services_satisfaction",
    "investigations_grading",
    "public_confidence",
    "race_action_plan",
    "evidence_led_prosecutions",
]

# Paragraph 4.7: the dashcam current window is the 12 months to July 2025 (the
# catalogue lags it two months); the others in section 4 end September 2025.
DASHCAM_CURRENT_WINDOW = ("2024-08-01", "2025-07-31")

# KPIs the report calls stable against the baseline (a change under 1%, which the
# scorecard's test finds no significant change): (kpi_id, paragraph).
STABLE_AGAINST_BASELINE = [
    ("stops_firearm_recovered", "3.10"),
    ("stop_search_disproportionality_black", "8.6"),
    ("stop_search_disproportionality_asian", "8.6"),
    ("use_of_force_disproportionality_black", "8.6"),
    ("use_of_force_disproportionality_asian", "8.6"),
]

# The five neighbourhoods with most ASB incidents in the current window (paragraph 2.6).
ASB_TOP_NEIGHBOURHOODS = list(lpa_figures("asb_incidents", "current_value").items())

# September 2025: Birmingham's 15-minute emergency compliance, below the other LPAs'
# average (paragraph 7.13, Figure 4).
BIRMINGHAM_SEPTEMBER_15MIN_PCT = board_report()[
    ("emergency_attended_within_15min_pct", "month_value", "Birmingham", "2025-09-30")
]

# Neighbourhood crime by LPA (paragraph 5.2): the three largest reductions; all LPAs fall.
NEIGHBOURHOOD_CRIME_CHANGE_BY_LPA = lpa_figures("neighbourhood_crime", "change_pct")

# Shoplifting rose in every LPA, Walsall most (paragraph 5.5).
SHOPLIFTING_CHANGE_WALSALL = lpa_figures("shoplifting", "change_pct")["Walsall"]


@dataclass(frozen=True)
class Disagreement:
    """A figure the report states that contradicts its own other figures. The warehouse
    holds the value the other figures imply (the headline or the stated counts)."""

    kpi_id: str
    field: str
    report_value: float
    warehouse_value: float
    tolerance: float
    reason: str


DISAGREEMENTS_SEED = (
    Path(__file__).resolve().parents[2] / "seeds" / "kpi" / "kpi_report_disagreements.csv"
)


def load_report_disagreements(path: Path = DISAGREEMENTS_SEED) -> list[Disagreement]:
    """The report's own mistakes live in the seed kpi_report_disagreements (what BI users
    read in the warehouse); field is a kpi_scorecard column or months_between_period_ends."""
    with path.open(newline="", encoding="utf-8") as seed:
        return [
            Disagreement(
                row["kpi_id"],
                row["field"],
                float(row["report_value"]),
                float(row["warehouse_value"]),
                float(row["tolerance"]),
                row["reason"],
            )
            for row in csv.DictReader(seed)
        ]


REPORT_DISAGREEMENTS: list[Disagreement] = load_report_disagreements()


# --- The force's press release of January 2024 ------------------------------------
# ../shared/reference/force-press-release-2024-01.txt, reproduced by the same models with
# the comparison-mode vars below (tests/python/conftest.py builds the KPI models a second
# time with them). Year on year: the year ending September 2023 against the year before.
# Year to date: "since April", 1 April 2023 to 24 January 2024 (the day before the
# release), against the same days a year earlier.
PRESS_RELEASE_VARS = {
    "year_on_year_end": "2023-09-30",
    "year_to_date_start": "2023-04-01",
    "year_to_date_end": "2024-01-24",
}


@dataclass(frozen=True)
class PressReleaseFigure:
    kpi_id: str
    comparison_mode: str  # year_on_year or year_to_date
    field: str
    expected: float
    tolerance: float  # 0 for a count; 0.5 for a whole percent or whole seconds
    quote: str


def load_press_release(path: Path = PRESS_RELEASE_CSV) -> list[PressReleaseFigure]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            PressReleaseFigure(
                row["kpi_id"],
                row["comparison_mode"],
                row["field"],
                float(row["value"]),
                float(row["tolerance"]),
                row["quote"],
            )
            for row in csv.DictReader(handle)
        ]


PRESS_RELEASE_FIGURES: list[PressReleaseFigure] = load_press_release()
