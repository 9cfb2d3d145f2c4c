"""Figures the November 2025 board report states (../shared/reference/
police-and-crime-plan-performance-2025-11.txt), which the warehouse must reproduce from
the demo extracts. Report paragraph in the comment; counts are exact, rates to 0.1,
a change given alone is the change_pct rounded to 0.1.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    kpi_id: str
    field: str  # baseline_value, current_value, change_pct or change_value
    expected: float
    tolerance: float  # 0 for an exact count; 0.05 for a figure given to 0.1
    paragraph: str
    scale: float = 1.0  # the report's unit in the KPI's unit (1e6: pounds given in millions)


def count(kpi_id: str, field: str, expected: int, paragraph: str) -> Figure:
    return Figure(kpi_id, field, expected, 0.0, paragraph)


def one_dp(kpi_id: str, field: str, expected: float, paragraph: str) -> Figure:
    return Figure(kpi_id, field, expected, 0.05, paragraph)


def whole(kpi_id: str, field: str, expected: float, paragraph: str) -> Figure:
    """A figure the report gives to the whole unit (mean answer seconds)."""
    return Figure(kpi_id, field, expected, 0.5, paragraph)


# A row of the report's Tables 1 and 2: baseline, current, change (points).
TABLE_FIELDS = ("baseline_value", "current_value", "change_value")


def millions_one_dp(kpi_id: str, field: str, expected: float, paragraph: str) -> Figure:
    """A figure the report gives in millions to one decimal place (£82.2 million)."""
    return Figure(kpi_id, field, expected, 0.05, paragraph, scale=1e6)


FORCE_FIGURES: list[Figure] = [
    count("total_recorded_crime", "baseline_value", 328_153, "2.7"),
    count("total_recorded_crime", "current_value", 299_579, "2.7"),
    one_dp("total_recorded_crime", "change_pct", -8.7, "2.7"),
    count("domestic_abuse_crimes", "current_value", 53_405, "3.2"),
    one_dp("domestic_abuse_crimes", "change_pct", -4.9, "3.2"),
    count("domestic_abuse_violence_with_injury", "current_value", 11_036, "3.2"),
    one_dp("domestic_abuse_violence_with_injury", "change_pct", -11.7, "3.2"),
    count("vawg_crimes", "baseline_value", 61_978, "3.3"),
    count("vawg_crimes", "current_value", 50_734, "3.3"),
    one_dp("vawg_crimes", "change_pct", -18.1, "3.3"),
    one_dp("vawg_positive_outcome_rate", "current_value", 13.5, "3.4"),
    one_dp("vawg_positive_outcome_rate", "change_value", 6.8, "3.4"),
    count("sexual_violence", "baseline_value", 10_739, "3.5"),
    count("sexual_violence", "current_value", 11_762, "3.5"),
    one_dp("sexual_violence", "change_pct", 9.5, "3.5"),
    count("serious_youth_violence", "current_value", 6_148, "3.6"),
    one_dp("serious_youth_violence", "change_pct", -16.8, "3.6"),
    count("homicides", "baseline_value", 43, "3.7"),
    count("homicides", "current_value", 34, "3.7"),
    count("domestic_homicides", "baseline_value", 7, "3.7"),
    count("domestic_homicides", "current_value", 4, "3.7"),
    count("knife_crime", "baseline_value", 5_268, "3.9"),
    count("knife_crime", "current_value", 4_309, "3.9"),
    one_dp("knife_crime", "change_pct", -18.2, "3.9"),
    count("gun_crime", "baseline_value", 576, "3.9"),
    count("gun_crime", "current_value", 434, "3.9"),
    one_dp("gun_crime", "change_pct", -24.7, "3.9"),
    count("stops_knife_recovered", "current_value", 930, "3.10"),
    one_dp("stops_knife_recovered", "change_pct", 4.6, "3.10"),
    count("stops_firearm_recovered", "current_value", 104, "3.10"),
    count("violence_against_business_workers", "current_value", 469, "3.11"),
    one_dp("violence_against_business_workers", "change_pct", -10.8, "3.11"),
    count("violence_against_emergency_workers", "baseline_value", 3_034, "3.12"),
    count("violence_against_emergency_workers", "current_value", 2_934, "3.12"),
    one_dp("violence_against_emergency_workers", "change_pct", -3.3, "3.12"),
    count("violence_positive_outcomes", "current_value", 14_157, "3.13"),
    one_dp("violence_positive_outcome_rate", "current_value", 11.8, "3.13"),
    one_dp("violence_positive_outcome_rate", "change_value", 5.6, "3.13"),
    count("bus_crime", "current_value", 4_057, "4.9"),
    one_dp("bus_crime", "change_pct", -3.8, "4.9"),
    count("train_crime", "current_value", 2_905, "4.9"),
    one_dp("train_crime", "change_pct", 13.0, "4.9"),
    count("metro_crime", "current_value", 132, "4.9"),
    one_dp("metro_crime", "change_pct", 15.8, "4.9"),
    count("neighbourhood_crime", "current_value", 45_184, "5.2"),
    one_dp("neighbourhood_crime", "change_pct", -23.6, "5.2"),
    count("residential_burglary", "current_value", 10_502, "5.3"),
    one_dp("residential_burglary", "change_pct", -25.1, "5.3"),
    count("personal_robbery", "current_value", 4_982, "5.3"),
    one_dp("personal_robbery", "change_pct", -32.9, "5.3"),
    count("theft_from_person", "current_value", 2_592, "5.3"),
    one_dp("theft_from_person", "change_pct", -26.7, "5.3"),
    count("business_crime", "baseline_value", 53_886, "5.4"),
    count("business_crime", "current_value", 56_258, "5.4"),
    one_dp("business_crime", "change_pct", 4.4, "5.4"),
    count("shoplifting", "current_value", 32_450, "5.5"),
    one_dp("shoplifting", "change_pct", 33.4, "5.5"),
    count("shoplifting_positive_outcomes", "current_value", 8_480, "5.7"),
    one_dp("shoplifting_positive_outcome_rate", "current_value", 26.1, "5.7"),
    one_dp("shoplifting_positive_outcome_rate", "change_value", 12.2, "5.7"),
    one_dp("stop_search_disproportionality_black", "current_value", 2.8, "8.5"),
    one_dp("stop_search_disproportionality_asian", "current_value", 1.8, "8.5"),
    one_dp("use_of_force_disproportionality_black", "current_value", 1.7, "8.6"),
    one_dp("use_of_force_disproportionality_asian", "current_value", 0.7, "8.6"),
    count("positive_outcomes", "current_value", 44_613, "9.2"),
    one_dp("positive_outcomes", "change_pct", 72.6, "9.2"),
    one_dp("positive_outcome_rate", "baseline_value", 7.9, "9.3"),
    one_dp("positive_outcome_rate", "current_value", 14.9, "9.3"),
    one_dp("outcome_code_16_share", "baseline_value", 27.8, "9.5"),
    one_dp("outcome_code_16_share", "current_value", 26.9, "9.5"),
    one_dp("outcome_code_15_share", "baseline_value", 11.9, "9.6"),
    one_dp("outcome_code_15_share", "current_value", 15.5, "9.6"),
    count("out_of_court_resolutions", "baseline_value", 8_721, "10.5"),
    count("out_of_court_resolutions", "current_value", 14_051, "10.5"),
    one_dp("out_of_court_resolutions", "change_pct", 61.1, "10.5"),
    one_dp("harm_score", "change_pct", -12.0, "10.2"),
    # Contact and response (section 7), anti-social behaviour (2.5-2.6), street racing (4.5)
    count("calls_999", "baseline_value", 810_868, "7.2"),
    count("calls_999", "current_value", 721_453, "7.2"),
    one_dp("calls_999", "change_pct", -11.0, "7.2"),
    one_dp("calls_999_answered_pct", "baseline_value", 99.9, "7.2"),
    one_dp("calls_999_answered_pct", "current_value", 99.9, "7.2"),
    one_dp("calls_999_answered_within_10s_pct", "baseline_value", 92.9, "7.3"),
    one_dp("calls_999_answered_within_10s_pct", "current_value", 97.6, "7.3"),
    whole("calls_999_mean_answer_seconds", "baseline_value", 5, "7.4"),
    whole("calls_999_mean_answer_seconds", "current_value", 2, "7.4"),
    count("calls_999_abandoned_after_10s", "baseline_value", 651, "7.5"),
    count("calls_999_abandoned_after_10s", "current_value", 68, "7.5"),
    count("calls_101", "baseline_value", 655_829, "7.6"),
    count("calls_101", "current_value", 807_116, "7.6"),
    one_dp("calls_101", "change_pct", 23.1, "7.6"),
    one_dp("calls_101_answered_pct", "baseline_value", 87.1, "7.6"),
    one_dp("calls_101_answered_pct", "current_value", 97.2, "7.6"),
    one_dp("calls_101_answered_within_3min_pct", "baseline_value", 75.5, "7.7"),
    one_dp("calls_101_answered_within_3min_pct", "current_value", 96.8, "7.7"),
    whole("calls_101_mean_answer_seconds", "baseline_value", 134, "7.8"),
    whole("calls_101_mean_answer_seconds", "current_value", 23, "7.8"),
    count("calls_101_abandoned_after_3min", "baseline_value", 36_091, "7.9"),
    count("calls_101_abandoned_after_3min", "current_value", 3_232, "7.9"),
    one_dp("calls_101_abandoned_after_3min", "change_pct", -91.0, "7.9"),
    count("emergency_incidents", "current_value", 185_824, "7.10"),
    one_dp("emergency_incidents", "change_pct", 4.2, "7.10"),
    count("emergency_incidents_attended", "baseline_value", 171_507, "7.10"),
    count("emergency_incidents_attended", "current_value", 185_425, "7.10"),
    one_dp("emergency_incidents_attended", "change_pct", 8.1, "7.10"),
    count("emergency_median_response_seconds", "baseline_value", 749, "7.11"),
    count("emergency_median_response_seconds", "current_value", 625, "7.11"),
    one_dp("emergency_median_response_seconds", "change_pct", -16.6, "7.11"),
    one_dp("emergency_attended_within_15min_pct", "baseline_value", 58.7, "7.12"),
    one_dp("emergency_attended_within_15min_pct", "current_value", 74.8, "7.12"),
    count("priority_incidents", "current_value", 118_183, "7.14"),
    one_dp("priority_incidents", "change_pct", 33.7, "7.14"),
    count("priority_incidents_attended", "baseline_value", 78_892, "7.14"),
    count("priority_incidents_attended", "current_value", 106_273, "7.14"),
    count("priority_median_response_seconds", "baseline_value", 4_157, "7.15"),
    count("priority_median_response_seconds", "current_value", 2_427, "7.15"),
    one_dp("priority_median_response_seconds", "change_pct", -41.6, "7.15"),
    one_dp("priority_attended_within_1h_pct", "baseline_value", 41.1, "7.16"),
    one_dp("priority_attended_within_1h_pct", "current_value", 64.0, "7.16"),
    count("asb_incidents", "baseline_value", 26_405, "2.5"),
    count("asb_incidents", "current_value", 26_613, "2.5"),
    one_dp("asb_incidents", "change_pct", 0.8, "2.5"),
    count("asb_personal_incidents", "current_value", 4_785, "2.6"),
    count("asb_environmental_incidents", "current_value", 2_583, "2.6"),
    count("street_racing_incidents", "current_value", 2_918, "4.5"),
    one_dp("street_racing_incidents", "change_pct", -27.9, "4.5"),
    # Periodic returns: headcounts (2.2-2.3), Action Fraud (5.9), complaints (7.18-7.19),
    # ethics training (8.2, Table 1), workforce representation (8.3-8.4, Table 2), crime
    # data integrity (9.7), Crown Court (9.9), CPS case quality (9.10), drug treatment (10.4)
    count("officer_headcount", "baseline_value", 8_102, "2.2"),
    count("officer_headcount", "current_value", 8_124, "2.2"),
    one_dp("officer_headcount", "change_pct", 0.3, "2.2"),
    count("pcso_headcount", "baseline_value", 310, "2.3"),
    count("pcso_headcount", "current_value", 317, "2.3"),
    one_dp("pcso_headcount", "change_pct", 2.3, "2.3"),
    count("action_fraud_reports", "baseline_value", 15_877, "5.9"),
    count("action_fraud_reports", "current_value", 17_206, "5.9"),
    one_dp("action_fraud_reports", "change_pct", 8.4, "5.9"),
    one_dp("action_fraud_fraud_share_pct", "current_value", 83.0, "5.9"),
    one_dp("action_fraud_cyber_share_pct", "current_value", 17.0, "5.9"),
    millions_one_dp("action_fraud_losses", "current_value", 82.2, "5.9"),
    whole("complaints_non_schedule_3_days", "baseline_value", 29, "7.18"),
    whole("complaints_non_schedule_3_days", "current_value", 27, "7.18"),
    one_dp("complaints_non_schedule_3_days", "change_pct", -6.9, "7.18"),
    whole("complaints_schedule_3_days", "baseline_value", 126, "7.19"),
    whole("complaints_schedule_3_days", "current_value", 183, "7.19"),
    one_dp("complaints_schedule_3_days", "change_pct", 45.2, "7.19"),
    count("ethics_training_headcount", "current_value", 12_631, "8.2"),
    *[
        one_dp(f"ethics_module_{module}_completion_pct", field, value, "8.2")
        for module, values in {
            1: (96.0, 99.0, 3.0),
            2: (94.0, 99.0, 5.0),
            3: (94.0, 99.0, 5.0),
            4: (63.0, 84.0, 21.0),
            5: (53.0, 89.0, 36.0),
            6: (50.0, 87.0, 37.0),
            7: (49.0, 87.0, 38.0),
        }.items()
        for field, value in zip(TABLE_FIELDS, values, strict=True)
    ],
    *[
        one_dp(f"workforce_{group}_{kind}_pct", field, value, "8.3")
        for (group, kind), values in {
            ("officers", "women"): (36.2, 37.0, 0.8),
            ("officers", "minoritised"): (14.1, 15.0, 0.9),
            ("pcsos", "women"): (49.4, 46.4, -3.0),
            ("pcsos", "minoritised"): (13.6, 17.4, 3.8),
            ("specials", "women"): (18.8, 18.8, 0.0),
            ("specials", "minoritised"): (30.2, 29.7, -0.5),
            ("staff", "women"): (61.4, 60.9, -0.5),
            ("staff", "minoritised"): (18.5, 21.4, 2.9),  # Table 2; 8.4's text disagrees
        }.items()
        for field, value in zip(TABLE_FIELDS, values, strict=True)
    ],
    one_dp("cdi_violence_pct", "baseline_value", 92.0, "9.7"),
    one_dp("cdi_violence_pct", "current_value", 84.6, "9.7"),
    one_dp("cdi_sexual_offences_pct", "baseline_value", 95.2, "9.7"),
    one_dp("cdi_sexual_offences_pct", "current_value", 91.5, "9.7"),
    one_dp("cdi_other_pct", "baseline_value", 94.1, "9.7"),
    one_dp("cdi_other_pct", "current_value", 92.5, "9.7"),
    count("crown_court_charge_to_completion_days", "baseline_value", 220, "9.9"),
    count("crown_court_charge_to_completion_days", "current_value", 183, "9.9"),
    one_dp("crown_court_charge_to_completion_days", "change_pct", -16.8, "9.9"),
    one_dp("cps_case_quality_pct", "baseline_value", 59.5, "9.10"),
    one_dp("cps_case_quality_pct", "current_value", 68.9, "9.10"),
    one_dp("cps_case_quality_pct", "change_value", 9.4, "9.10"),
    count("drug_treatment_entries", "current_value", 9_390, "10.4"),
    one_dp("drug_treatment_entries", "change_pct", 14.2, "10.4"),
    # Roads and travel safety (section 4) and orders and civil interventions (10.6)
    count("road_fatalities", "baseline_value", 57, "4.2"),
    count("road_fatalities", "current_value", 54, "4.2"),
    one_dp("road_fatalities", "change_pct", -5.3, "4.2"),
    count("road_seriously_injured", "current_value", 1_016, "4.2"),
    one_dp("road_seriously_injured", "change_pct", -10.2, "4.2"),
    count("fatal_4_enforcement", "baseline_value", 3_488, "4.4"),
    count("fatal_4_enforcement", "current_value", 4_292, "4.4"),
    one_dp("fatal_4_enforcement", "change_pct", 23.1, "4.4"),
    count("drink_drug_driving_arrests", "baseline_value", 2_936, "4.4"),
    count("drink_drug_driving_arrests", "current_value", 2_843, "4.4"),
    one_dp("drink_drug_driving_arrests", "change_pct", -3.2, "4.4"),
    count("dashcam_submissions", "current_value", 21_672, "4.7"),
    one_dp("dashcam_submissions", "change_pct", 176.4, "4.7"),
    one_dp("dashcam_positive_outcome_rate", "baseline_value", 81.0, "4.7"),
    one_dp("dashcam_positive_outcome_rate", "current_value", 72.0, "4.7"),
    count("vehicle_seizures", "baseline_value", 11_854, "4.8"),
    count("vehicle_seizures", "current_value", 13_782, "4.8"),
    one_dp("vehicle_seizures", "change_pct", 16.3, "4.8"),
    count("orders_and_civil_interventions", "baseline_value", 6_248, "10.6"),
    count("orders_and_civil_interventions", "current_value", 7_534, "10.6"),
    one_dp("orders_and_civil_interventions", "change_pct", 20.6, "10.6"),
]

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

# KPIs the report calls stable against the baseline (scorecard status stable: a change
# under 1%): (kpi_id, paragraph).
STABLE_AGAINST_BASELINE = [
    ("stops_firearm_recovered", "3.10"),
    ("stop_search_disproportionality_black", "8.6"),
    ("stop_search_disproportionality_asian", "8.6"),
    ("use_of_force_disproportionality_black", "8.6"),
    ("use_of_force_disproportionality_asian", "8.6"),
]

# The five neighbourhoods with most ASB incidents in the current window (paragraph 2.6).
ASB_TOP_NEIGHBOURHOODS = [
    ("St Michael's", 958),
    ("Birmingham City Centre", 685),
    ("St Matthew's", 436),
    ("Aston", 421),
    ("Lozells and East Handsworth", 369),
]

# September 2025: Birmingham's 15-minute emergency compliance, below the other LPAs'
# average (paragraph 7.13, Figure 4).
BIRMINGHAM_SEPTEMBER_15MIN_PCT = 71.0

# Harm score is reported in millions to one decimal place (paragraph 10.2).
HARM_SCORE_MILLIONS = {"baseline_value": 47.1, "current_value": 41.4}

# change_pct of total recorded crime by LPA (paragraph 2.8).
TOTAL_CRIME_CHANGE_BY_LPA = {
    "Wolverhampton": -14.6,
    "Coventry": -13.3,
    "Walsall": -9.0,
    "Sandwell": -8.7,
    "Solihull": -7.9,
    "Dudley": -6.8,
    "Birmingham": -5.8,
}

# Neighbourhood crime by LPA (paragraph 5.2): the three largest reductions; all LPAs fall.
NEIGHBOURHOOD_CRIME_CHANGE_BY_LPA = {"Coventry": -36.3, "Walsall": -29.3, "Solihull": -24.2}

# Shoplifting rose in every LPA, Walsall most (paragraph 5.5).
SHOPLIFTING_CHANGE_WALSALL = 51.5


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


PRESS_RELEASE_FIGURES: list[PressReleaseFigure] = [
    PressReleaseFigure(
        "total_recorded_crime",
        "year_on_year",
        "change_value",
        -22_573,
        0,
        "overall crime ... (22,573 offences)",
    ),
    PressReleaseFigure(
        "total_recorded_crime", "year_on_year", "change_pct", -6, 0.5, "overall crime by 6%"
    ),
    PressReleaseFigure(
        "violence_against_the_person",
        "year_on_year",
        "change_value",
        -17_949,
        0,
        "violence against a person of 11% (17,949 offences)",
    ),
    PressReleaseFigure(
        "violence_against_the_person",
        "year_on_year",
        "change_pct",
        -11,
        0.5,
        "violence against a person of 11%",
    ),
    PressReleaseFigure(
        "most_serious_violence",
        "year_on_year",
        "change_value",
        -451,
        0,
        "most serious violence dropped by 10% (451 offences)",
    ),
    PressReleaseFigure(
        "most_serious_violence",
        "year_on_year",
        "change_pct",
        -10,
        0.5,
        "most serious violence dropped by 10%",
    ),
    # The release says "rapes and sexual offence crimes", but 249 is 5% of about 4,980,
    # the volume of rape alone (all sexual offences are about 11,000 a year, report 3.5).
    PressReleaseFigure(
        "rape_offences",
        "year_on_year",
        "change_value",
        -249,
        0,
        "five-per-cent in the number of rapes and sexual offence crimes (249)",
    ),
    PressReleaseFigure(
        "rape_offences", "year_on_year", "change_pct", -5, 0.5, "five-per-cent ... rapes"
    ),
    PressReleaseFigure(
        "stalking_and_harassment",
        "year_on_year",
        "change_value",
        -11_462,
        0,
        "20 per-cent in those of stalking and harassment (11,462 offences)",
    ),
    PressReleaseFigure(
        "stalking_and_harassment",
        "year_on_year",
        "change_pct",
        -20,
        0.5,
        "20 per-cent in those of stalking and harassment",
    ),
    # "nearly 674,000": 673,958 is a CHOICE (scripts/demo_extracts/targets.py).
    PressReleaseFigure(
        "calls_999_answered",
        "year_to_date",
        "current_value",
        673_958,
        0,
        "answered nearly 674,000 emergency calls (999s)",
    ),
    # "92 per-cent": 92.0 to one decimal too (620,041 of 673,958 = 91.99994%).
    PressReleaseFigure(
        "calls_999_answered_within_10s_pct",
        "year_to_date",
        "current_value",
        92.0,
        0.05,
        "92 per-cent of these calls have been answered in under ten seconds",
    ),
    PressReleaseFigure(
        "calls_999_mean_answer_seconds",
        "year_to_date",
        "current_value",
        5,
        0.5,
        "the average call taken at five seconds",
    ),
]
