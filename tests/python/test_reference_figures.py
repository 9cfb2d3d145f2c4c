"""The warehouse, built by dbt from the demo extracts, says what the board report says.

Each figure the report prints is checked by test_report_coverage.py against its
inventory; here, what the report states in words about those figures (every LPA fell,
the five largest, below the average, stable, in development) and how the warehouse keeps
its figures consistent where the report does not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reference_figures import (
    ASB_TOP_NEIGHBOURHOODS,
    BIRMINGHAM_SEPTEMBER_15MIN_PCT,
    DASHCAM_CURRENT_WINDOW,
    IN_DEVELOPMENT_KPIS,
    NEIGHBOURHOOD_CRIME_CHANGE_BY_LPA,
    REPORT_DISAGREEMENTS,
    SHOPLIFTING_CHANGE_WALSALL,
    STABLE_AGAINST_BASELINE,
    Disagreement,
)

Query = Callable[[str], list[tuple]]
# The board report compares the plan baseline with the current period.
PLAN = "plan_baseline"


# Figures a disagreement may be about that are not a kpi_scorecard column.
DERIVED_FIELDS = {"months_between_period_ends": "date_diff('month', baseline_end, current_end)"}


def scorecard_value(query: Query, kpi_id: str, field: str) -> float:
    column = DERIVED_FIELDS.get(field, field)
    rows = query(
        f"select {column} from marts.kpi_scorecard "
        f"where kpi_id = '{kpi_id}' and comparison_mode = '{PLAN}'"
    )
    assert len(rows) == 1, f"{kpi_id} is not exactly one row of kpi_scorecard ({PLAN})"
    return rows[0][0]


def lpa_change(query: Query, kpi_id: str) -> dict[str, float]:
    rows = query(
        f"select lpa_name, change_pct from marts.kpi_scorecard_by_lpa "
        f"where kpi_id = '{kpi_id}' and comparison_mode = '{PLAN}'"
    )
    return dict(rows)


def test_lpa_counts_add_up_to_force(query: Query) -> None:
    """The engine's LPA counts add up to the force's; the published ones too, except
    where the disclosure policy withholds some (then the withheld LPAs hold the rest)."""
    rows = query(
        """
        select force.kpi_id, force.comparison_mode, force.current_value,
            sum(lpa.current_value), sum(engine.current_value),
            count(*) filter (where lpa.is_suppressed)
        from marts.kpi_scorecard as force
        inner join marts.kpi_scorecard_by_lpa as lpa
            on force.kpi_id = lpa.kpi_id and force.comparison_mode = lpa.comparison_mode
        inner join intermediate.int_kpi_comparisons as engine
            on lpa.kpi_id = engine.kpi_id and lpa.comparison_mode = engine.comparison_mode
            and lpa.lpa_code = engine.area_code
        where force.unit = 'count'
        group by force.kpi_id, force.comparison_mode, force.current_value
        """
    )
    assert len(rows) > 20
    withheld = 0
    for kpi_id, mode, force_value, published_sum, engine_sum, suppressed in rows:
        assert force_value == engine_sum, (kpi_id, mode)
        if suppressed:
            withheld += 1
            assert (published_sum or 0) <= force_value, (kpi_id, mode)
        else:
            assert force_value == published_sum, (kpi_id, mode)
    assert withheld >= 1  # homicides by LPA


def test_neighbourhood_crime_falls_everywhere_most_in_three_lpas(query: Query) -> None:
    changes = lpa_change(query, "neighbourhood_crime")
    for lpa, expected in NEIGHBOURHOOD_CRIME_CHANGE_BY_LPA.items():
        assert abs(changes[lpa] - expected) <= 0.05, (lpa, changes[lpa], expected)
    assert all(change < 0 for change in changes.values())
    three_largest = sorted(changes, key=changes.get)[:3]
    assert set(three_largest) == set(NEIGHBOURHOOD_CRIME_CHANGE_BY_LPA)


def test_shoplifting_rises_everywhere_most_in_walsall(query: Query) -> None:
    changes = lpa_change(query, "shoplifting")
    assert all(change > 0 for change in changes.values())
    assert max(changes, key=changes.get) == "Walsall"
    assert abs(changes["Walsall"] - SHOPLIFTING_CHANGE_WALSALL) <= 0.05


def test_neighbourhood_crime_is_its_four_parts(query: Query) -> None:
    """The report's parts and headline disagree; the warehouse keeps them consistent."""
    parts = ["vehicle_offences", "residential_burglary", "personal_robbery", "theft_from_person"]
    for field in ("baseline_value", "current_value"):
        total = scorecard_value(query, "neighbourhood_crime", field)
        assert total == sum(scorecard_value(query, part, field) for part in parts)


@pytest.mark.parametrize(
    "disagreement", REPORT_DISAGREEMENTS, ids=lambda d: f"{d.kpi_id}.{d.field}"
)
def test_report_disagreements_follow_the_other_figures(
    query: Query, disagreement: Disagreement
) -> None:
    """Where the report contradicts itself, the warehouse holds what its other figures imply."""
    value = scorecard_value(query, disagreement.kpi_id, disagreement.field)
    assert abs(value - disagreement.warehouse_value) <= disagreement.tolerance + 1e-9, value
    assert abs(value - disagreement.report_value) > disagreement.tolerance


def test_asb_top_five_neighbourhoods(query: Query) -> None:
    rows = query(
        """
        select neighbourhood_name, current_value
        from marts.kpi_scorecard_by_neighbourhood
        where kpi_id = 'asb_incidents' and comparison_mode = 'plan_baseline'
            and current_rank <= 6
        order by current_rank
        """
    )
    assert rows[:5] == ASB_TOP_NEIGHBOURHOODS
    assert rows[5][1] < ASB_TOP_NEIGHBOURHOODS[-1][1]  # every other has fewer


def test_birmingham_september_emergency_compliance(query: Query) -> None:
    rows = dict(
        query(
            """
            select area_name, kpi_value
            from marts.kpi_trend_monthly
            where kpi_id = 'emergency_attended_within_15min_pct'
                and month_end = date '2025-09-30' and area_code != 'FORCE'
            """
        )
    )
    birmingham = rows.pop("Birmingham")
    assert abs(birmingham - BIRMINGHAM_SEPTEMBER_15MIN_PCT) <= 0.05
    assert len(rows) == 6
    assert birmingham < sum(rows.values()) / len(rows)


def test_calls_are_force_wide_only(query: Query) -> None:
    rows = query("select count(*) from marts.kpi_scorecard_by_lpa where kpi_id like 'calls%'")
    assert rows == [(0,)]


def test_trend_mart_has_24_monthly_points(query: Query) -> None:
    rows = query(
        """
        select kpi_id, count(*), min(month_end), max(month_end)
        from marts.kpi_trend_monthly
        where area_code = 'FORCE'
        group by kpi_id
        """
    )
    assert {row[0] for row in rows} >= {
        "positive_outcomes",
        "positive_outcome_rate",
        "harm_score",
        "asb_incidents",
        "calls_999_answered_within_10s_pct",
        "emergency_attended_within_15min_pct",
    }
    for _kpi, points, first, last in rows:
        assert points == 24
        assert str(last) == "2025-09-30"
        assert str(first) == "2023-10-31"


def test_trend_last_point_is_the_current_window(query: Query) -> None:
    rows = query(
        """
        select trend.kpi_id, trend.kpi_value, scorecard.current_value
        from marts.kpi_trend_monthly as trend
        inner join marts.kpi_scorecard as scorecard on trend.kpi_id = scorecard.kpi_id
        where scorecard.comparison_mode = 'plan_baseline'
            and trend.area_code = 'FORCE' and trend.month_end = scorecard.current_end
            and trend.trend_window = 'rolling_12_months'
        """
    )
    assert rows
    for kpi_id, trend_value, current_value in rows:
        assert trend_value == pytest.approx(current_value), kpi_id


def test_descriptions_reach_the_warehouse(query: Query) -> None:
    """persist_docs: every model and seed has its description, every mart column too."""
    undocumented_columns = query(
        """
        select table_name, column_name
        from duckdb_columns()
        where schema_name = 'marts' and coalesce(comment, '') = ''
        """
    )
    assert undocumented_columns == []
    relations = query(
        """
        select schema_name, table_name, comment from duckdb_tables()
        union all
        select schema_name, view_name, comment from duckdb_views() where not internal
        """
    )
    # test_failures holds dbt's failing-row audit tables: build-only, never published.
    relations = [relation for relation in relations if relation[0] != "test_failures"]
    schemas = {schema for schema, _name, _comment in relations}
    assert schemas >= {"staging", "intermediate", "marts", "reference"}
    assert [(s, n) for s, n, comment in relations if not comment] == []


@pytest.mark.parametrize("kpi_id", IN_DEVELOPMENT_KPIS)
def test_in_development_kpis_are_listed_without_a_figure(query: Query, kpi_id: str) -> None:
    assert query(f"select kpi_status from marts.dim_kpis where kpi_id = '{kpi_id}'") == [
        ("in_development",)
    ]
    rows = query(
        "select comparison_mode, status, baseline_value, current_value, change_value, "
        f"change_pct from marts.kpi_scorecard where kpi_id = '{kpi_id}' order by 1"
    )
    # One row in every comparison mode, and never a figure in any of them.
    assert rows == [
        (mode, "in_development", None, None, None, None)
        for mode in ("plan_baseline", "year_on_year", "year_to_date")
    ]


@pytest.mark.parametrize("kpi_id", ["dashcam_submissions", "dashcam_positive_outcome_rate"])
def test_dashcam_current_window_is_the_12_months_to_july_2025(query: Query, kpi_id: str) -> None:
    rows = query(
        "select cast(current_start as varchar), cast(current_end as varchar) "
        f"from marts.kpi_scorecard where kpi_id = '{kpi_id}' and comparison_mode = '{PLAN}'"
    )
    assert rows == [DASHCAM_CURRENT_WINDOW]


@pytest.mark.parametrize("kpi_id,paragraph", STABLE_AGAINST_BASELINE)
def test_stable_against_baseline(query: Query, kpi_id: str, paragraph: str) -> None:
    status = scorecard_value(query, kpi_id, "status")
    change = scorecard_value(query, kpi_id, "change_pct")
    assert status == "no_significant_change" and abs(change) < 1.0, (kpi_id, paragraph, status)


def test_disproportionality_is_searches_per_resident_over_white(query: Query) -> None:
    """8.5-8.6: each ratio is the group's events per resident over White people's, from
    the facts and the 2021 Census seed (officer-defined / perceived ethnicity)."""
    facts = {
        "stop_search": ("fct_stop_searches", "searched_date", "officer_defined_ethnic_group"),
        "use_of_force": ("fct_uses_of_force", "incident_date", "subject_perceived_ethnic_group"),
    }
    for prefix, (fact, date_column, group_column) in facts.items():
        rows = query(
            f"select f.{group_column}, count(*) / any_value(p.population_2021) "
            f"from marts.{fact} as f inner join reference.ref_population_by_ethnicity as p "
            f"on f.{group_column} = p.ethnic_group "
            f"where f.{date_column} between date '2024-10-01' and date '2025-09-30' "
            "group by all"
        )
        rate = dict(rows)
        for group in ("black", "asian"):
            expected = rate[group] / rate["white"]
            value = scorecard_value(query, f"{prefix}_disproportionality_{group}", "current_value")
            assert abs(value - expected) < 1e-9, (prefix, group, value, expected)
