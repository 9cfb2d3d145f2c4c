"""Every figure the demo extracts are calibrated to, as data.

Sources: the November 2025 board report "Police and Crime Plan Performance"
(shared/reference/police-and-crime-plan-performance-2025-11.txt; paragraph numbers in
the comments) and the force press release of January 2024 (force-press-release-
2024-01.txt). Figures marked CHOICE are not in either document: they are values the
generator needs that the report implies only loosely (a rate's denominator, the LPAs it
does not name), chosen to be realistic and to keep every reported figure exact.

Windows are inclusive date ranges and must cover whole months. A new comparison (e.g.
year ending September 2023 against September 2022) is a new entry in WINDOWS and new
window keys in the measures below.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .periods import Window
from .reference import DEFAULT_SEED_DIR, codes
from .reported import released, reported

EXTRACT_START = date(2021, 10, 1)
EXTRACT_END = date(2025, 9, 30)

BASELINE = "baseline"
CURRENT = "current"
CURRENT_LAGGED_3M = "current_lagged_3m"
CURRENT_LAGGED_2M = "current_lagged_2m"
YE_SEP_2022 = "ye_sep_2022"
YE_SEP_2023 = "ye_sep_2023"

WINDOWS: Mapping[str, Window] = MappingProxyType(
    {
        # 1.3: baseline is the year ending March 2024.
        BASELINE: Window(date(2023, 4, 1), date(2024, 3, 31)),
        # 1.3: current period is the year ending September 2025.
        CURRENT: Window(date(2024, 10, 1), date(2025, 9, 30)),
        # 3.9: knife and gun crime lag by a quarter (year ending June 2025).
        CURRENT_LAGGED_3M: Window(date(2024, 7, 1), date(2025, 6, 30)),
        # 4.7: dashcam submissions lag by two months (12 months to July 2025).
        CURRENT_LAGGED_2M: Window(date(2024, 8, 1), date(2025, 7, 31)),
        # Press release, January 2024: year ending September 2023 against September 2022.
        YE_SEP_2022: Window(date(2021, 10, 1), date(2022, 9, 30)),
        YE_SEP_2023: Window(date(2022, 10, 1), date(2023, 9, 30)),
    }
)


@dataclass(frozen=True)
class Measure:
    """A figure by window.

    values: the figure in a window (a count, or a rate / share in percent).
    changes: (from_window, to_window) -> change in percent the pair must round to; a
        window whose value is missing is derived from the other and the change.
    exact: counts must come out exactly; False means "about" (the trend is shaped to
        pass near the value, nothing more).
    """

    values: Mapping[str, float] = field(default_factory=dict)
    changes: Mapping[tuple[str, str], float] = field(default_factory=dict)
    exact: bool = True


def measure(
    values: Mapping[str, float] | None = None,
    change: tuple[str, str, float] | None = None,
    exact: bool = True,
) -> Measure:
    changes = {} if change is None else {(change[0], change[1]): change[2]}
    return Measure(values=dict(values or {}), changes=changes, exact=exact)


def versus_baseline(current: float, change_pct: float) -> Measure:
    """A current count with its change on the baseline (the report's usual form)."""
    return measure({CURRENT: current}, (BASELINE, CURRENT, change_pct))


B, C = BASELINE, CURRENT


def _lpa_names() -> Mapping[str, str]:
    with (DEFAULT_SEED_DIR / "ref_local_policing_areas.csv").open(newline="") as handle:
        return MappingProxyType({r["lpa_code"]: r["lpa_name"] for r in csv.DictReader(handle)})


# LPA code -> the name the report uses (ref_local_policing_areas).
LPA_NAMES = _lpa_names()


def both(kpi_id: str) -> Measure:
    """The baseline and current counts the report states for a KPI."""
    return measure({B: reported(kpi_id, "baseline_value"), C: reported(kpi_id, "current_value")})


def versus(kpi_id: str) -> Measure:
    """The current count the report states with its change on the baseline."""
    return versus_baseline(reported(kpi_id, "current_value"), reported(kpi_id, "change_pct"))


def rates(kpi_id: str, window: str = CURRENT) -> Mapping[str, float]:
    """A rate's baseline and current values (percent) as the report states them."""
    return {B: reported(kpi_id, "baseline_value"), window: reported(kpi_id, "current_value")}


# --- Crime volumes: recorded crime by recorded_date ---------------------------------

CRIME_VOLUMES: Mapping[str, Measure] = MappingProxyType(
    {
        # 2.7: 299,579 against 328,153 (-8.7%).
        "total_recorded_crime": both("total_recorded_crime"),
        # Press release: "overall crime by 6% (22,573 offences)", year ending Sep 2023 on
        # Sep 2022. Exact: 376,173 -> 353,600 is 22,573 fewer, -6.0% (the levels are a
        # CHOICE; the release gives only the fall).
        "total_recorded_crime_trend": measure(
            {
                YE_SEP_2022: 376_173,
                YE_SEP_2023: 376_173
                + released("total_recorded_crime", "year_on_year", "change_value"),
            }
        ),
        # 3.5: sexual violence 10,739 -> 11,762; rape stable, other sexual +17.8%.
        "sexual_violence": both("sexual_violence"),
        "rape": measure({B: 4_990, C: 4_990}),  # CHOICE: "remained stable" (3.5)
        "other_sexual_offences": measure(
            change=(B, C, reported("other_sexual_offences", "change_pct"))
        ),
        # 3.7: 34 homicides, 9 fewer than the baseline.
        "homicides": measure(
            {
                B: reported("homicides", "current_value") - reported("homicides", "change_value"),
                C: reported("homicides", "current_value"),
            }
        ),
        # 3.13: 14,157 positive outcomes are an 11.8% rate, so about 119,975 violent
        # crimes; the baseline rate of 6.2% puts the baseline near 135,000. CHOICE.
        "violence_against_the_person": measure({B: 135_000, C: 119_975}),
        # CHOICE: violence with injury falls a little faster than violence overall
        # (domestic VWI -11.7% in 3.2, serious youth violence -16.8% in 3.6).
        "violence_with_injury": measure({B: 43_500, C: 38_600}),
        # 5.2 headline 59,141 -> 45,184 (-23.6%) and 5.3 parts. The parts in 5.3 cannot
        # add up to the headline: residential burglary, personal robbery and theft from
        # the person keep their counts and changes; vehicle offences absorb the rest
        # (27,108 rather than 27,109).
        "neighbourhood_crime": measure(
            {B: 59_141, C: reported("neighbourhood_crime", "current_value")}
        ),
        "residential_burglary": measure(
            {B: 14_021, C: reported("residential_burglary", "current_value")}
        ),
        "personal_robbery": measure({B: 7_425, C: reported("personal_robbery", "current_value")}),
        "theft_from_the_person": measure(
            {B: 3_536, C: reported("theft_from_person", "current_value")}
        ),
        "vehicle_offences": measure({B: 34_159, C: 27_108}),  # 5.3 (absorbs, see above)
        # 5.5: 32,450 shoplifting offences, +33.4%.
        "shoplifting": measure({B: 24_325, C: reported("shoplifting", "current_value")}),
    }
)

# Press release, January 2024 (year ending Sep 2023 on Sep 2022), exact in the
# warehouse's year_on_year mode with year_on_year_end 2023-09-30: violence against the
# person -11% (17,949 offences); most serious violence -10% (451); "rapes and sexual
# offence crimes" -5% (249); stalking and harassment -20% (11,462). The release gives
# the falls and percentages; the levels are CHOICES near the middle of each rounding.
# 249 is 5% of about 4,980, the volume of rape alone (all sexual offences are about
# 11,000 a year, report 3.5): the release's "rapes and sexual offence crimes" is rape.
# Most serious violence: the Home Office offences flagged in ref_offences (homicide,
# death by dangerous driving, attempted murder, GBH with intent, endangering life).
PRESS_RELEASE_TRENDS: Mapping[str, Measure] = MappingProxyType(
    {
        name: measure(
            {
                YE_SEP_2022: level,
                YE_SEP_2023: level + released(kpi_id, "year_on_year", "change_value"),
            }
        )
        for name, kpi_id, level in (
            ("violence_against_the_person", "violence_against_the_person", 163_170),
            ("most_serious_violence", "most_serious_violence", 4_510),
            ("stalking_and_harassment", "stalking_and_harassment", 57_310),
            ("rape", "rape_offences", 4_980),
        )
    }
)

# change_pct by LPA, baseline -> current.
LPA_CHANGES: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        # 2.8: every LPA's change in total recorded crime.
        "total_recorded_crime": {
            code: reported("total_recorded_crime", "change_pct", name)
            for code, name in LPA_NAMES.items()
        },
        # 5.2: largest reductions Coventry, Walsall, Solihull; all LPAs fall.
        # BH, DY, SW, WV are CHOICES (smaller falls than Solihull's 24.2%).
        "neighbourhood_crime": {
            **{
                code: reported("neighbourhood_crime", "change_pct", LPA_NAMES[code])
                for code in ("CV", "WS", "SH")
            },
            "BH": -20.5,
            "DY": -16.5,
            "SW": -19.0,
            "WV": -21.5,
        },
        # 5.5: all LPAs up, Walsall most at 51.5%. Other LPAs are CHOICES.
        "shoplifting": {
            "WS": reported("shoplifting", "change_pct", LPA_NAMES["WS"]),
            "BH": 29.0,
            "CV": 27.5,
            "DY": 36.0,
            "SW": 32.0,
            "SH": 40.0,
            "WV": 30.5,
        },
    }
)

# CHOICE: baseline shares of each LPA (Birmingham about 44% of recorded crime). The
# split tilts these until every LPA's change rounds to LPA_CHANGES.
LPA_BASELINE_SHARES: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "total_recorded_crime": {
            "BH": 0.44,
            "CV": 0.12,
            "DY": 0.065,
            "SW": 0.115,
            "SH": 0.05,
            "WS": 0.09,
            "WV": 0.12,
        },
        "neighbourhood_crime": {
            "BH": 0.46,
            "CV": 0.12,
            "DY": 0.07,
            "SW": 0.11,
            "SH": 0.05,
            "WS": 0.08,
            "WV": 0.11,
        },
        "shoplifting": {
            "BH": 0.40,
            "CV": 0.12,
            "DY": 0.08,
            "SW": 0.11,
            "SH": 0.07,
            "WS": 0.09,
            "WV": 0.13,
        },
    }
)

# Harm score (10.2): 47.1 million -> 41.4 million, -12.0%. 41.4 / 47.1 alone is -12.1%,
# so the targets sit inside both roundings with a change of exactly -12.0%.
HARM_SCORE_DAYS: Mapping[str, float] = MappingProxyType({B: 47_075_000, C: 41_426_000})
HARM_SCORE_MILLIONS_REPORTED: Mapping[str, float] = MappingProxyType(
    {B: reported("harm_score", "baseline_value"), C: reported("harm_score", "current_value")}
)

# --- Crime flags: exact counts among recorded crime by recorded_date ----------------

CRIME_FLAGS: Mapping[str, Measure] = MappingProxyType(
    {
        "domestic_abuse_crimes": versus("domestic_abuse_crimes"),  # 3.2
        "domestic_abuse_violence_with_injury": versus("domestic_abuse_violence_with_injury"),
        # 3.7: 4, down 3
        "domestic_homicides": measure(
            {
                B: reported("domestic_homicides", "current_value")
                - reported("domestic_homicides", "change_value"),
                C: reported("domestic_homicides", "current_value"),
            }
        ),
        "vawg_crimes": both("vawg_crimes"),  # 3.3
        "serious_youth_violence": versus("serious_youth_violence"),  # 3.6
        # 3.9: knife and gun crime, year ending June 2025 against the baseline.
        "knife_crime": measure(rates("knife_crime", CURRENT_LAGGED_3M)),
        "gun_crime": measure(rates("gun_crime", CURRENT_LAGGED_3M)),
        "violence_against_business_workers": versus("violence_against_business_workers"),
        "violence_against_emergency_workers": both("violence_against_emergency_workers"),
        "bus_crime": versus("bus_crime"),  # 4.9
        "train_crime": versus("train_crime"),  # 4.9
        "metro_crime": versus("metro_crime"),  # 4.9
        "business_crime": both("business_crime"),  # 5.4
    }
)

# --- Outcomes: counted (latest) outcomes by outcome_date ----------------------------

OUTCOME_COUNTS: Mapping[str, Measure] = MappingProxyType(
    {
        # 9.2 (+72.6%); the baseline is a CHOICE inside the rounding
        "positive_outcomes": measure(
            {B: 25_850, C: reported("positive_outcomes", "current_value")}
        ),
        "violence_positive_outcomes": measure(
            {C: reported("violence_positive_outcomes", "current_value")}
        ),  # 3.13
        "shoplifting_positive_outcomes": measure(
            {C: reported("shoplifting_positive_outcomes", "current_value")}
        ),  # 5.7
        "out_of_court_resolutions": both("out_of_court_resolutions"),  # 10.5
    }
)

# Rates in percent: numerator outcomes in the window / crimes recorded in the window.
OUTCOME_RATES: Mapping[str, Measure] = MappingProxyType(
    {
        # 3.4: VAWG positive outcome rate 13.5%, up 6.8 points (baseline 6.7%).
        "vawg_positive_outcome_rate": measure(
            {B: 6.7, C: reported("vawg_positive_outcome_rate", "current_value")}
        ),
        # 3.13: violence positive outcome rate 11.8%, up 5.6 points (baseline 6.2%).
        "violence_positive_outcome_rate": measure(
            {B: 6.2, C: reported("violence_positive_outcome_rate", "current_value")}
        ),
        # 5.7: shoplifting 26.1%, up 12.2 points (baseline 13.9%).
        "shoplifting_positive_outcome_rate": measure(
            {B: 13.9, C: reported("shoplifting_positive_outcome_rate", "current_value")}
        ),
        # 9.3: positive outcome rate over all recorded crime, 7.9% -> 14.9%.
        "positive_outcome_rate": measure(rates("positive_outcome_rate")),
    }
)

# Shares in percent of all counted outcomes in the window.
OUTCOME_SHARES: Mapping[str, Measure] = MappingProxyType(
    {
        "outcome_code_16_share": measure(rates("outcome_code_16_share")),  # 9.5
        "outcome_code_15_share": measure(rates("outcome_code_15_share")),  # 9.6
    }
)

# CHOICE: positive outcome rate (percent of counted outcomes) of sexual offences against
# women and girls; splits the VAWG positives (3.4) between violence and sexual offences.
SEXUAL_FEMALE_POSITIVE_SHARE: Mapping[str, float] = MappingProxyType({B: 5.0, C: 9.0})

# CHOICE (about, not exact): share of recorded crime records later cancelled or
# transferred (extra rows, not recorded crime).
NOT_RECORDED_SHARE = 0.025
# CHOICE (about): share of crimes with an outcome that also have an earlier, superseded
# outcome.
SUPERSEDED_OUTCOME_SHARE = 0.04

# --- Contact centre: calls by local date presented ----------------------------------
# Rates are percentages of the window's calls (answered pct of presented; within the
# service level of answered); means are of answered calls' answer seconds, rounded to
# whole seconds. "within" means answer_seconds <= the channel's service level;
# "abandoned after" means abandon_seconds > it.

CALL_CHANNELS = codes("call_channel")
CALL_SERVICE_LEVEL_SECONDS: Mapping[str, int] = MappingProxyType({"999": 10, "101": 180})

CALLS: Mapping[str, Mapping[str, Measure]] = MappingProxyType(
    {
        "999": {
            "presented": both("calls_999"),  # 7.2 (-11.0%)
            "answered_pct": measure(rates("calls_999_answered_pct")),  # 7.2
            "answered_within_service_level_pct": measure(
                rates("calls_999_answered_within_10s_pct")
            ),  # 7.3
            "mean_answer_seconds": measure(rates("calls_999_mean_answer_seconds")),  # 7.4
            "abandoned_after_service_level": both("calls_999_abandoned_after_10s"),  # 7.5
            # CHOICE: all abandoned calls, so that 99.9% are answered; most callers
            # who give up do so within seconds.
            "abandoned": measure({B: 1_000, C: 560}),
        },
        "101": {
            "presented": both("calls_101"),  # 7.6 (+23.1%)
            "answered_pct": measure(rates("calls_101_answered_pct")),  # 7.6
            "answered_within_service_level_pct": measure(
                rates("calls_101_answered_within_3min_pct")
            ),  # 7.7
            # 7.8: 2m 14s -> 23s
            "mean_answer_seconds": measure(rates("calls_101_mean_answer_seconds")),
            "abandoned_after_service_level": both("calls_101_abandoned_after_3min"),  # 7.9
        },
    }
)

# CHOICE (about): calls before the baseline, years ending September 2022 and 2023.
CALL_TRENDS: Mapping[str, Measure] = MappingProxyType(
    {
        "999": measure({YE_SEP_2022: 782_000, YE_SEP_2023: 803_000}, exact=False),
        "101": measure({YE_SEP_2022: 712_000, YE_SEP_2023: 674_000}, exact=False),
    }
)

# Press release, January 2024 ("since April ... nearly 674,000 emergency calls (999s),
# 92 per-cent answered in under ten seconds, the average call taken at five seconds";
# the 101 wait "over 29 minutes" a year earlier, "under 50 seconds" last month).
# Exact in the warehouse's year_to_date mode from 1 April 2023 to 24 January 2024 (the
# day before the release; the window ends mid-month): answered 673,958 (CHOICE: "nearly
# 674,000"), answered within 10 seconds 92.0% to one decimal (620,041 calls, 91.99994%),
# mean answer rounding to 5 seconds; the baseline year's 999 figures stay exact.
PRESS_RELEASE_999_WINDOW = Window(date(2023, 4, 1), date(2024, 1, 24))
PRESS_RELEASE_999: Mapping[str, float] = MappingProxyType(
    {
        "answered": released("calls_999_answered", "year_to_date", "current_value"),
        "answered_within_service_level_pct": released(
            "calls_999_answered_within_10s_pct", "year_to_date", "current_value"
        ),
        "mean_answer_seconds": released(
            "calls_999_mean_answer_seconds", "year_to_date", "current_value"
        ),
    }
)
PRESS_RELEASE_101_MEAN_ANSWER_SECONDS: Mapping[str, float] = MappingProxyType(
    {"2023-01": 29 * 60, "2023-12": 50}
)

# --- Command and control: incidents by local date created ---------------------------

INCIDENT_GRADES = codes("incident_grade")
# Response time targets (seconds) of the graded response policy.
RESPONSE_TARGET_SECONDS: Mapping[str, int] = MappingProxyType(
    {"EMERGENCY": 15 * 60, "PRIORITY": 60 * 60}
)

INCIDENTS: Mapping[str, Measure] = MappingProxyType(
    {
        "emergency_incidents": versus("emergency_incidents"),  # 7.10
        "emergency_incidents_attended": both("emergency_incidents_attended"),  # 7.10
        # 7.11: 12m 29s -> 10m 25s (median of attended, response seconds).
        "emergency_median_response_seconds": both("emergency_median_response_seconds"),
        "emergency_attended_within_target_pct": measure(
            rates("emergency_attended_within_15min_pct")
        ),  # 7.12
        "priority_incidents": versus("priority_incidents"),  # 7.14
        "priority_incidents_attended": both("priority_incidents_attended"),  # 7.14
        # 7.15: 1h 9m 17s -> 40m 27s.
        "priority_median_response_seconds": both("priority_median_response_seconds"),
        "priority_attended_within_target_pct": measure(
            rates("priority_attended_within_1h_pct")
        ),  # 7.16
        # CHOICE: the grades the report does not give, so that all incidents come to
        # about 570,000-600,000 a year.
        "scheduled_incidents": measure({B: 131_000, C: 126_500}),
        "resolved_without_deployment_incidents": measure({B: 176_000, C: 165_000}),
        "street_racing_incidents": versus("street_racing_incidents"),  # 4.5
        # 2.5: 26,613 against 26,405 (+0.8%), opening category ASB_*.
        "asb_incidents": both("asb_incidents"),
    }
)

# CHOICE (about): the trend before the baseline, year ending September 2022 and 2023.
INCIDENT_TRENDS: Mapping[str, Measure] = MappingProxyType(
    {
        "emergency_incidents": measure({YE_SEP_2022: 171_000, YE_SEP_2023: 175_500}, exact=False),
        "priority_incidents": measure({YE_SEP_2022: 84_000, YE_SEP_2023: 86_500}, exact=False),
        "scheduled_incidents": measure({YE_SEP_2022: 137_000, YE_SEP_2023: 133_500}, exact=False),
        "resolved_without_deployment_incidents": measure(
            {YE_SEP_2022: 181_000, YE_SEP_2023: 178_000}, exact=False
        ),
        "street_racing_incidents": measure({YE_SEP_2022: 4_650, YE_SEP_2023: 4_300}, exact=False),
        "asb_incidents": measure({YE_SEP_2022: 31_500, YE_SEP_2023: 28_300}, exact=False),
    }
)

# 2.6: ASB by opening category. The report's categories (19,480 nuisance, 4,785
# personal, 2,583 environmental) add up to 26,848, not its total of 26,613 (2.5). We
# keep the total and the two smaller categories; nuisance absorbs the difference
# (19,245 rather than 19,480). Baseline split: CHOICE, near the current shares.
ASB_CATEGORIES: Mapping[str, Measure] = MappingProxyType(
    {
        "ASB_PERSONAL": measure({B: 4_690, C: reported("asb_personal_incidents", "current_value")}),
        "ASB_ENVIRONMENTAL": measure(
            {B: 2_640, C: reported("asb_environmental_incidents", "current_value")}
        ),
        # = asb_incidents - the others
        "ASB_NUISANCE": measure(
            {
                B: 19_075,
                C: reported("asb_incidents", "current_value")
                - reported("asb_personal_incidents", "current_value")
                - reported("asb_environmental_incidents", "current_value"),
            }
        ),
    }
)

# 2.6: the five neighbourhoods with most ASB incidents in the current period, with
# their names as the report gives them (checked against ref_neighbourhoods); every
# other neighbourhood has fewer than the fifth.
ASB_TOP_NEIGHBOURHOODS: tuple[tuple[str, str, int], ...] = tuple(
    (code, name, int(reported("asb_incidents", "current_value", name)))
    for code, name in (
        ("CV01", "St Michael's"),
        ("BH01", "Birmingham City Centre"),
        ("WS01", "St Matthew's"),
        ("BH04", "Aston"),
        ("BH36", "Lozells and East Handsworth"),
    )
)

# 7.13: emergency 15-minute compliance of Birmingham in September 2025 (incidents
# created in the month, attended): 71.0%, below the simple average of the other LPAs'
# compliance in the same month. 7.17: priority compliance follows a comparable pattern
# with minor variation between LPAs.
EMERGENCY_LPA_MONTH_WINDOW = Window(date(2025, 9, 1), date(2025, 9, 30))
EMERGENCY_LPA_MONTH_WITHIN_TARGET_PCT: Mapping[str, float] = MappingProxyType(
    {
        "BH": reported(
            "emergency_attended_within_15min_pct", "month_value", "Birmingham", "2025-09-30"
        )
    }
)

# --- Periodic returns: periodic_returns.csv, one row per return, period end and measure
# Figures a force collects as returns rather than records (report 2.2-2.3, 5.9, 7.18-7.19,
# 8.2-8.4, 9.7, 9.9-9.10, 10.4). Knots are (period end "YYYY-MM", value): a snapshot or
# rate holds exactly at its knots and moves linearly (with a little noise) between them;
# flows (complaints, CDI audits, Action Fraud) hit their window totals exactly. The
# measures a return may carry are the seed seeds/reference/ref_return_measures.csv.

Knots = tuple[tuple[str, float], ...]

# First and last period end of each return (a return starts when the force began
# collecting it; the last is the latest available in November 2025).
RETURN_PERIODS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "workforce": ("2021-10", "2025-09"),
        # CHOICE: ethics modules 1-3 launched in 2023; returns from April 2023.
        "ethics_training": ("2023-04", "2025-09"),
        "complaints": ("2021-10", "2025-09"),
        "cdi_audit": ("2021-12", "2025-09"),  # quarterly
        # Rolling-year statistics published quarterly, a quarter behind.
        "crown_court": ("2021-12", "2025-06"),  # quarterly
        # 9.10: "as of August 2025", the latest month the CPS has assessed.
        "cps_case_quality": ("2023-04", "2025-08"),
        # 10.4: year ending March 2024 is "the latest available data".
        "drug_treatment": ("2022-03", "2024-03"),  # annual, year ending March
        "action_fraud": ("2021-10", "2025-09"),
    }
)

WORKFORCE_GROUPS = ("officers", "pcsos", "specials", "staff")

# Headcount at the month end. 2.2: officers 8,102 (April 2024) -> 8,124 (September 2025);
# 2.3: PCSOs 310 -> 317. CHOICE: the earlier knots (the officer uplift to 2023, PCSOs
# falling), special constables (351 and 340: 18.8% women both times, Table 2) and staff:
# 4,190 in September 2025, so that officers, PCSOs and staff make the 12,631 personnel
# of the ethics training headcount (8.2): 8,124 + 317 + 4,190 = 12,631.
WORKFORCE_HEADCOUNT: Mapping[str, Knots] = MappingProxyType(
    {
        "officers": (
            ("2021-10", 7_540),
            ("2023-03", 8_060),
            ("2024-04", reported("officer_headcount", "baseline_value")),
            ("2025-09", reported("officer_headcount", "current_value")),
        ),
        "pcsos": (
            ("2021-10", 452),
            ("2023-03", 352),
            ("2024-04", reported("pcso_headcount", "baseline_value")),
            ("2025-09", reported("pcso_headcount", "current_value")),
        ),
        "specials": (("2021-10", 398), ("2024-04", 351), ("2025-09", 340)),
        "staff": (
            ("2021-10", 3_880),
            ("2024-04", 4_060),
            (
                "2025-09",
                reported("ethics_training_headcount", "current_value")
                - reported("officer_headcount", "current_value")
                - reported("pcso_headcount", "current_value"),
            ),
        ),
    }
)


# Table 2 (8.3-8.4): women as a percentage of the headcount, racially minoritised
# communities as a percentage of those who stated their ethnicity, baseline (CHOICE:
# April 2024, the date of the headcount baseline in 2.2) and current (September 2025).
# The 2021 knots are CHOICES.
def _table_knots(kpi_id: str, first: float) -> Knots:
    """A CHOICE for October 2021, then Table 1 or 2's baseline (April 2024) and current
    (September 2025) values."""
    return (
        ("2021-10", first),
        ("2024-04", reported(kpi_id, "baseline_value")),
        ("2025-09", reported(kpi_id, "current_value")),
    )


WORKFORCE_WOMEN_PCT: Mapping[str, Knots] = MappingProxyType(
    {
        group: _table_knots(f"workforce_{group}_women_pct", first)
        for group, first in (
            ("officers", 34.9),
            ("pcsos", 50.9),
            ("specials", 19.6),
            ("staff", 62.0),
        )
    }
)
# 8.4's text says staff minoritised fell by 2.9 points; Table 2 (18.5 -> 21.4) is a rise.
WORKFORCE_MINORITISED_PCT: Mapping[str, Knots] = MappingProxyType(
    {
        group: _table_knots(f"workforce_{group}_minoritised_pct", first)
        for group, first in (
            ("officers", 12.4),
            ("pcsos", 12.9),
            ("specials", 29.0),
            ("staff", 17.6),
        )
    }
)
# CHOICE: share of each group who have stated their ethnicity (HR records).
WORKFORCE_ETHNICITY_STATED_SHARE: Mapping[str, float] = MappingProxyType(
    {"officers": 0.975, "pcsos": 0.95, "specials": 0.91, "staff": 0.955}
)

# Table 1 (8.2): completion of each ethics module, percent of the training headcount,
# baseline (CHOICE: April 2024, as the workforce baseline) and current (September 2025).
# CHOICE: modules 1-3 from April 2023, modules 4-7 "released at a later stage" (their
# first knot is their first return).
ETHICS_MODULE_PCT: Mapping[int, Knots] = MappingProxyType(
    {
        module: (
            first,
            ("2024-04", reported(f"ethics_module_{module}_completion_pct", "baseline_value")),
            ("2025-09", reported(f"ethics_module_{module}_completion_pct", "current_value")),
        )
        for module, first in (
            (1, ("2023-04", 71.0)),
            (2, ("2023-04", 64.0)),
            (3, ("2023-04", 60.0)),
            (4, ("2023-09", 6.0)),
            (5, ("2023-11", 4.0)),
            (6, ("2024-01", 5.0)),
            (7, ("2024-01", 4.0)),
        )
    }
)

# 7.18-7.19: average working days to finalise a complaint, complaints finalised in the
# window: non-Schedule 3 29 -> 27, Schedule 3 126 -> 183 (baseline and current windows).
# Exact: the window's working days are the average times the complaints finalised.
COMPLAINT_AVERAGE_DAYS: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        kind: {B: reported(kpi_id, "baseline_value"), C: reported(kpi_id, "current_value")}
        for kind, kpi_id in (
            ("non_schedule_3", "complaints_non_schedule_3_days"),
            ("schedule_3", "complaints_schedule_3_days"),
        )
    }
)
# CHOICE: the trend of the average (working days, about) and complaints finalised a month.
COMPLAINT_DAYS_KNOTS: Mapping[str, Knots] = MappingProxyType(
    {
        "non_schedule_3": (
            ("2021-10", 33.0),
            ("2023-09", float(reported("complaints_non_schedule_3_days", "baseline_value"))),
            ("2025-03", float(reported("complaints_non_schedule_3_days", "current_value"))),
        ),
        "schedule_3": (
            ("2021-10", 104.0),
            ("2023-09", float(reported("complaints_schedule_3_days", "baseline_value"))),
            ("2025-03", float(reported("complaints_schedule_3_days", "current_value"))),
        ),
    }
)
COMPLAINTS_FINALISED_A_MONTH: Mapping[str, float] = MappingProxyType(
    {"non_schedule_3": 265.0, "schedule_3": 58.0}
)

# 9.7: crime data integrity compliance, percent of audited incidents, audits in the
# window. Baseline "2024": the plan baseline, year ending March 2024 (1.3) (a reading:
# the report does not say which 2024). Current: year ending September 2025.
CDI_COMPLIANCE_PCT: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {kind: rates(f"cdi_{kind}_pct") for kind in ("violence", "sexual_offences", "other")}
)
# CHOICE: incidents audited a quarter, and compliance in the quarters before the baseline.
CDI_AUDITED_A_QUARTER: Mapping[str, float] = MappingProxyType(
    {"violence": 420.0, "sexual_offences": 180.0, "other": 380.0}
)
CDI_EARLY_PCT: Mapping[str, float] = MappingProxyType(
    {"violence": 90.5, "sexual_offences": 93.0, "other": 93.5}
)

# 9.9: median days from charge to completion at the Crown Court, 220 in the year ending
# March 2024 -> 183 in the year ending March 2025. Other quarters: CHOICE.
CROWN_COURT_MEDIAN_DAYS: Knots = (
    ("2021-12", 188.0),
    ("2023-03", 204.0),
    ("2024-03", reported("crown_court_charge_to_completion_days", "baseline_value")),
    ("2025-03", reported("crown_court_charge_to_completion_days", "current_value")),
    ("2025-06", 179.0),
)

# 9.10: case files meeting the CPS standard, 59.5% in April 2024 -> 68.9% in August 2025.
# The first knot, and about 420 files assessed a month, are CHOICES.
CPS_MEETING_STANDARD_PCT: Knots = (
    ("2023-04", 56.8),
    ("2024-04", reported("cps_case_quality_pct", "baseline_value")),
    ("2025-08", reported("cps_case_quality_pct", "current_value")),
)
CPS_FILES_ASSESSED_A_MONTH = 420.0

# 10.4: 9,390 people entered treatment in the year ending March 2024, a 14.2% rise on the
# year ending March 2023 (8,222, the count nearest the middle of the range that rounds to
# 14.2%). The year ending March 2022 is a CHOICE.
DRUG_TREATMENT_ENTRIES: Mapping[str, int] = MappingProxyType(
    {"2022-03": 7_905, "2024-03": reported("drug_treatment_entries", "current_value")}
)
DRUG_TREATMENT_CHANGE: tuple[str, str, float] = (
    "2023-03",
    "2024-03",
    reported("drug_treatment_entries", "change_pct"),
)

# 5.9: Action Fraud reports 15,877 (baseline) -> 17,206 (October 2024 to September 2025,
# +8.4%); 83.0% fraud and 17.0% cybercrime; losses £82.2 million. CHOICE: the baseline
# fraud share and losses, the current losses to the pound, and the years before.
ACTION_FRAUD_REPORTS: Mapping[str, int] = MappingProxyType(
    {
        B: reported("action_fraud_reports", "baseline_value"),
        C: reported("action_fraud_reports", "current_value"),
    }
)
ACTION_FRAUD_FRAUD_PCT: Mapping[str, float] = MappingProxyType(
    {B: 84.6, C: reported("action_fraud_fraud_share_pct", "current_value")}
)
ACTION_FRAUD_LOSSES_GBP: Mapping[str, int] = MappingProxyType({B: 74_380_512, C: 82_196_347})
ACTION_FRAUD_LOSSES_MILLIONS_REPORTED = reported("action_fraud_losses", "current_value")
ACTION_FRAUD_REPORTS_A_MONTH_EARLY = 1_240.0  # CHOICE: October 2021
# --- Roads and travel safety (section 4) and orders (10.6) --------------------------
# Each is a population of rows counted by its date; "exact" populations are what a KPI
# counts, "about" ones (CHOICE) are the rows around them that the KPI leaves out.
L2 = CURRENT_LAGGED_2M

# 4.2: road casualties by STATS19 casualty severity, counted by collision date.
ROAD_CASUALTIES: Mapping[str, Measure] = MappingProxyType(
    {
        "fatal": both("road_fatalities"),  # 4.2: 54, down 5.3% from 57
        "serious": versus("road_seriously_injured"),  # 4.2: 1,016, down 10.2%
        # CHOICE (about): slight casualties, a few thousand a year (DfT STATS19 has
        # West Midlands slight casualties of about 4,500-5,500 a year).
        "slight": measure({B: 4_950, C: 4_650}, exact=False),
    }
)
ROAD_CASUALTY_TRENDS: Mapping[str, Measure] = MappingProxyType(
    {
        "fatal": measure({YE_SEP_2022: 61, YE_SEP_2023: 58}, exact=False),
        "serious": measure({YE_SEP_2022: 1_190, YE_SEP_2023: 1_160}, exact=False),
        "slight": measure({YE_SEP_2022: 5_300, YE_SEP_2023: 5_100}, exact=False),
    }
)

# 4.4: officer enforcement of the Fatal 4 (camera enforcement excluded) and drink or
# drug driving arrests. The two are separate figures: actions are traffic offence
# reports (fixed penalty, driver education, report for summons), arrests are arrests.
ROADS_ENFORCEMENT: Mapping[str, Measure] = MappingProxyType(
    {
        "fatal_4_officer_actions": both("fatal_4_enforcement"),  # 4.4: +23.1%
        "drink_drug_driving_arrests": both("drink_drug_driving_arrests"),  # 4.4: -3.2%
        # CHOICE (about): officer actions for other motoring offences (careless driving,
        # no insurance ...) and arrests for other driving offences; not Fatal 4.
        "other_officer_actions": measure({B: 2_700, C: 3_000}, exact=False),
        # CHOICE (about): camera detections (fixed and average-speed safety cameras),
        # which the extract holds and the KPI leaves out (4.4).
        "camera_detections": measure({B: 58_000, C: 61_000}, exact=False),
    }
)
ROADS_ENFORCEMENT_TRENDS: Mapping[str, Measure] = MappingProxyType(
    {
        "fatal_4_officer_actions": measure({YE_SEP_2022: 3_900, YE_SEP_2023: 3_600}, exact=False),
        "drink_drug_driving_arrests": measure(
            {YE_SEP_2022: 2_800, YE_SEP_2023: 2_900}, exact=False
        ),
        "other_officer_actions": measure({YE_SEP_2022: 2_900, YE_SEP_2023: 2_750}, exact=False),
        "camera_detections": measure({YE_SEP_2022: 52_000, YE_SEP_2023: 56_000}, exact=False),
    }
)

# 4.7: dashcam (third-party video) submissions, 12 months to July 2025 against the year
# ending March 2024; the positive outcome rate is over submissions with a decision.
DASHCAM_SUBMISSIONS = measure(
    {L2: reported("dashcam_submissions", "current_value")},
    (B, L2, reported("dashcam_submissions", "change_pct")),
)  # 4.7: +176.4%
DASHCAM_POSITIVE_OUTCOME_RATE: Mapping[str, float] = MappingProxyType(
    rates("dashcam_positive_outcome_rate", L2)
)
# CHOICE (about): the portal's take-up before the baseline.
DASHCAM_TRENDS = measure({YE_SEP_2022: 2_600, YE_SEP_2023: 5_200}, exact=False)

# 4.8: vehicles seized for unlawful use (no insurance, no licence, no tax, anti-social use).
VEHICLE_SEIZURES: Mapping[str, Measure] = MappingProxyType(
    {
        "unlawful_use": both("vehicle_seizures"),  # 4.8: +16.3%
        # CHOICE (about): other removals in the same log (evidence, recovered stolen,
        # abandoned or obstructing), not seizures for unlawful use.
        "other_removals": measure({B: 3_900, C: 4_100}, exact=False),
    }
)
VEHICLE_SEIZURE_TRENDS: Mapping[str, Measure] = MappingProxyType(
    {
        "unlawful_use": measure({YE_SEP_2022: 10_600, YE_SEP_2023: 11_300}, exact=False),
        "other_removals": measure({YE_SEP_2022: 3_800, YE_SEP_2023: 3_850}, exact=False),
    }
)

# 10.6: orders and civil interventions issued or granted.
ORDERS: Mapping[str, Measure] = MappingProxyType(
    {
        "issued_or_granted": both("orders_and_civil_interventions"),  # 10.6: +20.6%
        # CHOICE (about): applications for court orders refused or withdrawn.
        "refused_or_withdrawn": measure({B: 310, C: 350}, exact=False),
    }
)
ORDER_TRENDS: Mapping[str, Measure] = MappingProxyType(
    {
        "issued_or_granted": measure({YE_SEP_2022: 5_600, YE_SEP_2023: 5_950}, exact=False),
        "refused_or_withdrawn": measure({YE_SEP_2022: 290, YE_SEP_2023: 300}, exact=False),
    }
)
# --- Stop and search and use of force (3.10, 8.5-8.6) -------------------------------
# Searches count on their local date, uses of force on their incident date. Ethnic
# groups are the officer's: officer-defined ethnicity of the person searched, perceived
# ethnicity of the person force was used on ("" = not recorded). Populations come from
# seeds/reference/ref_population_by_ethnicity.csv (2021 Census).

# 3.10: stops where a knife or bladed article was found, 930 in the year ending
# September 2025, +4.6% on the baseline: 889 is the only baseline that rounds to +4.6%.
# Firearms: 104, "stable" (a change under 1%); the baseline of 104 is a CHOICE.
STOP_SEARCH_FINDS: Mapping[str, Measure] = MappingProxyType(
    {
        "KNIFE_OR_BLADED_ARTICLE": versus("stops_knife_recovered"),
        # CHOICE: the baseline equals the current (the report calls it stable)
        "FIREARM": measure(
            {
                B: reported("stops_firearm_recovered", "current_value"),
                C: reported("stops_firearm_recovered", "current_value"),
            }
        ),
    }
)

# Disproportionality: (events of the group / its population) / (events of White people /
# the White population). Current: 8.5 (stop and search) and 8.6 (use of force); each is
# "stable" against the baseline (a change under 1%): the baselines are CHOICES inside 1%.
STOP_SEARCH_DISPROPORTIONALITY: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "BLACK": {B: 2.78, C: reported("stop_search_disproportionality_black", "current_value")},
        "ASIAN": {B: 1.79, C: reported("stop_search_disproportionality_asian", "current_value")},
    }
)
USE_OF_FORCE_DISPROPORTIONALITY: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "BLACK": {B: 1.71, C: reported("use_of_force_disproportionality_black", "current_value")},
        "ASIAN": {B: 0.704, C: reported("use_of_force_disproportionality_asian", "current_value")},
    }
)

# CHOICE: volumes. West Midlands Police searches about 20,000 people a year and records
# about 30,000 uses of force (one report per officer per person, Home Office use of force
# statistics). White, Mixed, Other and not recorded are CHOICES; Black and Asian follow
# from White and the ratios above. About 22,000 searches and 30,000 uses of force in the
# current year; the year ending September 2022 had more searches (about +12%).
STOP_SEARCH_GROUPS: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        "WHITE": {B: 9_650, C: 10_000},
        "MIXED": {B: 700, C: 730},
        "OTHER": {B: 480, C: 510},
        "": {B: 260, C: 240},
    }
)
STOP_SEARCH_TREND_YE_SEP_2022 = 1.12  # CHOICE (about): that year's volume / the baseline's
USE_OF_FORCE_GROUPS: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        "WHITE": {B: 17_400, C: 18_000},
        "MIXED": {B: 1_050, C: 1_100},
        "OTHER": {B: 560, C: 600},
        "": {B: 1_500, C: 1_350},
    }
)
USE_OF_FORCE_TREND_YE_SEP_2022 = 0.93  # CHOICE (about)
