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

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .periods import Window

EXTRACT_START = date(2021, 10, 1)
EXTRACT_END = date(2025, 9, 30)

BASELINE = "baseline"
CURRENT = "current"
CURRENT_LAGGED_3M = "current_lagged_3m"
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

# --- Crime volumes: recorded crime by recorded_date ---------------------------------

CRIME_VOLUMES: Mapping[str, Measure] = MappingProxyType(
    {
        # 2.7: 299,579 against 328,153 (-8.7%).
        "total_recorded_crime": measure({B: 328_153, C: 299_579}),
        # Press release: "overall crime by 6% (22,573 offences)", year ending Sep 2023 on
        # Sep 2022. Exact: 376,173 -> 353,600 is 22,573 fewer, -6.0% (the levels are a
        # CHOICE; the release gives only the fall).
        "total_recorded_crime_trend": measure({YE_SEP_2022: 376_173, YE_SEP_2023: 353_600}),
        # 3.5: sexual violence 10,739 -> 11,762; rape stable, other sexual +17.8%.
        "sexual_violence": measure({B: 10_739, C: 11_762}),
        "rape": measure({B: 4_990, C: 4_990}),  # CHOICE: "remained stable" (3.5)
        "other_sexual_offences": measure(change=(B, C, 17.8)),  # 3.5; = sexual - rape
        # 3.7: 34 homicides, 9 fewer than the baseline.
        "homicides": measure({B: 43, C: 34}),
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
        "neighbourhood_crime": measure({B: 59_141, C: 45_184}),
        "residential_burglary": measure({B: 14_021, C: 10_502}),  # 5.3: -25.1%
        "personal_robbery": measure({B: 7_425, C: 4_982}),  # 5.3: -32.9%
        "theft_from_the_person": measure({B: 3_536, C: 2_592}),  # 5.3: -26.7%
        "vehicle_offences": measure({B: 34_159, C: 27_108}),  # 5.3 (absorbs, see above)
        # 5.5: 32,450 shoplifting offences, +33.4%.
        "shoplifting": measure({B: 24_325, C: 32_450}),
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
        "violence_against_the_person": measure({YE_SEP_2022: 163_170, YE_SEP_2023: 145_221}),
        "most_serious_violence": measure({YE_SEP_2022: 4_510, YE_SEP_2023: 4_059}),
        "stalking_and_harassment": measure({YE_SEP_2022: 57_310, YE_SEP_2023: 45_848}),
        "rape": measure({YE_SEP_2022: 4_980, YE_SEP_2023: 4_731}),
    }
)

# change_pct by LPA, baseline -> current.
LPA_CHANGES: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        # 2.8: every LPA's change in total recorded crime.
        "total_recorded_crime": {
            "WV": -14.6,
            "CV": -13.3,
            "WS": -9.0,
            "SW": -8.7,
            "SH": -7.9,
            "DY": -6.8,
            "BH": -5.8,
        },
        # 5.2: largest reductions Coventry, Walsall, Solihull; all LPAs fall.
        # BH, DY, SW, WV are CHOICES (smaller falls than Solihull's 24.2%).
        "neighbourhood_crime": {
            "CV": -36.3,
            "WS": -29.3,
            "SH": -24.2,
            "BH": -20.5,
            "DY": -16.5,
            "SW": -19.0,
            "WV": -21.5,
        },
        # 5.5: all LPAs up, Walsall most at 51.5%. Other LPAs are CHOICES.
        "shoplifting": {
            "WS": 51.5,
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
HARM_SCORE_MILLIONS_REPORTED: Mapping[str, float] = MappingProxyType({B: 47.1, C: 41.4})

# --- Crime flags: exact counts among recorded crime by recorded_date ----------------

CRIME_FLAGS: Mapping[str, Measure] = MappingProxyType(
    {
        "domestic_abuse_crimes": versus_baseline(53_405, -4.9),  # 3.2
        "domestic_abuse_violence_with_injury": versus_baseline(11_036, -11.7),  # 3.2
        "domestic_homicides": measure({B: 7, C: 4}),  # 3.7: 4, down 3
        "vawg_crimes": measure({B: 61_978, C: 50_734}),  # 3.3
        "serious_youth_violence": versus_baseline(6_148, -16.8),  # 3.6
        # 3.9: knife and gun crime, year ending June 2025 against the baseline.
        "knife_crime": measure({B: 5_268, CURRENT_LAGGED_3M: 4_309}),
        "gun_crime": measure({B: 576, CURRENT_LAGGED_3M: 434}),
        "violence_against_business_workers": versus_baseline(469, -10.8),  # 3.11
        "violence_against_emergency_workers": measure({B: 3_034, C: 2_934}),  # 3.12
        "bus_crime": versus_baseline(4_057, -3.8),  # 4.9
        "train_crime": versus_baseline(2_905, 13.0),  # 4.9
        "metro_crime": versus_baseline(132, 15.8),  # 4.9
        "business_crime": measure({B: 53_886, C: 56_258}),  # 5.4
    }
)

# --- Outcomes: counted (latest) outcomes by outcome_date ----------------------------

OUTCOME_COUNTS: Mapping[str, Measure] = MappingProxyType(
    {
        "positive_outcomes": measure({B: 25_850, C: 44_613}),  # 9.2 (+72.6%)
        "violence_positive_outcomes": measure({C: 14_157}),  # 3.13
        "shoplifting_positive_outcomes": measure({C: 8_480}),  # 5.7
        "out_of_court_resolutions": measure({B: 8_721, C: 14_051}),  # 10.5
    }
)

# Rates in percent: numerator outcomes in the window / crimes recorded in the window.
OUTCOME_RATES: Mapping[str, Measure] = MappingProxyType(
    {
        # 3.4: VAWG positive outcome rate 13.5%, up 6.8 points (baseline 6.7%).
        "vawg_positive_outcome_rate": measure({B: 6.7, C: 13.5}),
        # 3.13: violence positive outcome rate 11.8%, up 5.6 points (baseline 6.2%).
        "violence_positive_outcome_rate": measure({B: 6.2, C: 11.8}),
        # 5.7: shoplifting 26.1%, up 12.2 points (baseline 13.9%).
        "shoplifting_positive_outcome_rate": measure({B: 13.9, C: 26.1}),
        # 9.3: positive outcome rate over all recorded crime, 7.9% -> 14.9%.
        "positive_outcome_rate": measure({B: 7.9, C: 14.9}),
    }
)

# Shares in percent of all counted outcomes in the window.
OUTCOME_SHARES: Mapping[str, Measure] = MappingProxyType(
    {
        "outcome_code_16_share": measure({B: 27.8, C: 26.9}),  # 9.5
        "outcome_code_15_share": measure({B: 11.9, C: 15.5}),  # 9.6
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

CALL_CHANNELS = ("999", "101")
CALL_SERVICE_LEVEL_SECONDS: Mapping[str, int] = MappingProxyType({"999": 10, "101": 180})

CALLS: Mapping[str, Mapping[str, Measure]] = MappingProxyType(
    {
        "999": {
            "presented": measure({B: 810_868, C: 721_453}),  # 7.2 (-11.0%)
            "answered_pct": measure({B: 99.9, C: 99.9}),  # 7.2
            "answered_within_service_level_pct": measure({B: 92.9, C: 97.6}),  # 7.3
            "mean_answer_seconds": measure({B: 5, C: 2}),  # 7.4
            "abandoned_after_service_level": measure({B: 651, C: 68}),  # 7.5
            # CHOICE: all abandoned calls, so that 99.9% are answered; most callers
            # who give up do so within seconds.
            "abandoned": measure({B: 1_000, C: 560}),
        },
        "101": {
            "presented": measure({B: 655_829, C: 807_116}),  # 7.6 (+23.1%)
            "answered_pct": measure({B: 87.1, C: 97.2}),  # 7.6
            "answered_within_service_level_pct": measure({B: 75.5, C: 96.8}),  # 7.7
            "mean_answer_seconds": measure({B: 134, C: 23}),  # 7.8: 2m 14s -> 23s
            "abandoned_after_service_level": measure({B: 36_091, C: 3_232}),  # 7.9
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
    {"answered": 673_958, "answered_within_service_level_pct": 92.0, "mean_answer_seconds": 5}
)
PRESS_RELEASE_101_MEAN_ANSWER_SECONDS: Mapping[str, float] = MappingProxyType(
    {"2023-01": 29 * 60, "2023-12": 50}
)

# --- Command and control: incidents by local date created ---------------------------

INCIDENT_GRADES = ("EMERGENCY", "PRIORITY", "SCHEDULED", "RESOLVED_WITHOUT_DEPLOYMENT")
# Response time targets (seconds) of the graded response policy.
RESPONSE_TARGET_SECONDS: Mapping[str, int] = MappingProxyType(
    {"EMERGENCY": 15 * 60, "PRIORITY": 60 * 60}
)

INCIDENTS: Mapping[str, Measure] = MappingProxyType(
    {
        "emergency_incidents": versus_baseline(185_824, 4.2),  # 7.10
        "emergency_incidents_attended": measure({B: 171_507, C: 185_425}),  # 7.10
        # 7.11: 12m 29s -> 10m 25s (median of attended, response seconds).
        "emergency_median_response_seconds": measure({B: 749, C: 625}),
        "emergency_attended_within_target_pct": measure({B: 58.7, C: 74.8}),  # 7.12
        "priority_incidents": versus_baseline(118_183, 33.7),  # 7.14
        "priority_incidents_attended": measure({B: 78_892, C: 106_273}),  # 7.14
        # 7.15: 1h 9m 17s -> 40m 27s.
        "priority_median_response_seconds": measure({B: 4_157, C: 2_427}),
        "priority_attended_within_target_pct": measure({B: 41.1, C: 64.0}),  # 7.16
        # CHOICE: the grades the report does not give, so that all incidents come to
        # about 570,000-600,000 a year.
        "scheduled_incidents": measure({B: 131_000, C: 126_500}),
        "resolved_without_deployment_incidents": measure({B: 176_000, C: 165_000}),
        "street_racing_incidents": versus_baseline(2_918, -27.9),  # 4.5
        # 2.5: 26,613 against 26,405 (+0.8%), opening category ASB_*.
        "asb_incidents": measure({B: 26_405, C: 26_613}),
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
        "ASB_PERSONAL": measure({B: 4_690, C: 4_785}),
        "ASB_ENVIRONMENTAL": measure({B: 2_640, C: 2_583}),
        "ASB_NUISANCE": measure({B: 19_075, C: 19_245}),  # = asb_incidents - the others
    }
)

# 2.6: the five neighbourhoods with most ASB incidents in the current period, with
# their names as the report gives them (checked against ref_neighbourhoods); every
# other neighbourhood has fewer than the fifth.
ASB_TOP_NEIGHBOURHOODS: tuple[tuple[str, str, int], ...] = (
    ("CV01", "St Michael's", 958),
    ("BH01", "Birmingham City Centre", 685),
    ("WS01", "St Matthew's", 436),
    ("BH04", "Aston", 421),
    ("BH36", "Lozells and East Handsworth", 369),
)

# 7.13: emergency 15-minute compliance of Birmingham in September 2025 (incidents
# created in the month, attended): 71.0%, below the simple average of the other LPAs'
# compliance in the same month. 7.17: priority compliance follows a comparable pattern
# with minor variation between LPAs.
EMERGENCY_LPA_MONTH_WINDOW = Window(date(2025, 9, 1), date(2025, 9, 30))
EMERGENCY_LPA_MONTH_WITHIN_TARGET_PCT: Mapping[str, float] = MappingProxyType({"BH": 71.0})
