"""The board paper's words (scripts/report/wording.py, reports/wording/): fast unit tests
of the formats and the grammar, then every KPI row of every comparison mode rendered
through every template, the whole paper once per mode, each sentence held to its row as
the marts hold it (read here with SQL, not through the report's code): no direction its
change contradicts, no comparison of a figure with itself, no subject-verb disagreement,
no internal name, no digit without a source.

The rendering tests use the test warehouse (conftest's built_warehouse), or, for a quick
run, the one REPORT_TEST_WAREHOUSE names (e.g. warehouse/police.duckdb).
"""

from __future__ import annotations

import csv
import os
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import yaml
from markupsafe import Markup

from conftest import PROJECT_DIR
from report import charts, paper, wording
from report.data import Row, load
from report_text import disagreements, internal_names, is_plural, parse, stated_number

MODES = ["plan_baseline", "year_on_year", "year_to_date"]


# ---------------------------------------------------------------------------------------
# Formats and grammar (no warehouse)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (299579.0, "count", "299,579"),
        (97.64, "percent", "97.6%"),
        (4157.0, "seconds", "1 hour, 9 minutes and 17 seconds"),
        (134.0, "seconds", "2 minutes and 14 seconds"),
        (60.0, "seconds", "1 minute"),
        (23.4, "seconds", "23 seconds"),
        (41.4e6, "harm_days", "41.4 million"),
        (82.2e6, "gbp", "£82.2 million"),
        (2.8003, "ratio", "2.8"),
        (27.2, "working_days", "27"),
    ],
)
def test_figures_are_written_as_the_paper_writes_them(value: float, unit: str, text: str) -> None:
    assert wording.figure(value, unit) == text
    parsed, tolerance = stated_number(text)
    assert abs(parsed - value) <= tolerance


def test_changes_are_in_the_kpis_own_terms() -> None:
    assert wording.change(-8.66, "count") == "-8.7%"
    assert wording.change(4.7, "percent") == "+4.7pp"
    assert wording.change(-4.7, "percent", signed=False) == "4.7 percentage points"
    assert wording.change(0.0, "count") == "0.0%"
    assert wording.change_field("percent") == "change_value"
    assert wording.change_field("seconds") == "change_pct"


def test_the_direction_comes_from_the_sign_alone() -> None:
    assert wording.direction(-3.2) == "fell"
    assert wording.direction(0.8) == "rose"
    assert wording.direction(0.04) == "unchanged"
    assert wording.direction(None) == "unchanged"


def test_periods_are_named_as_the_paper_names_them() -> None:
    assert wording.period_name(date(2024, 10, 1), date(2025, 9, 30)) == "year ending September 2025"
    assert wording.period_name(date(2025, 9, 1), date(2025, 9, 30)) == "September 2025"
    assert wording.period_name(date(2025, 4, 1), date(2025, 9, 30)) == "April to September 2025"
    assert wording.period_name(date(2024, 10, 1), date(2025, 3, 31)) == "October 2024 to March 2025"


def test_articles_and_capitals() -> None:
    assert [wording.article(t) for t in ("8.7%", "11.0%", "18,000", "4.9%", "180%", "1.8%")] == [
        "an", "an", "an", "a", "a", "a",
    ]  # fmt: skip
    assert wording.capitalise("the PCSO headcount") == "The PCSO headcount"
    assert wording.capitalise("Action Fraud reports") == "Action Fraud reports"
    marked = Markup('<span class="kpi-label">total recorded crime</span>')
    assert wording.capitalise(marked) == Markup(
        '<span class="kpi-label">Total recorded crime</span>'
    )
    assert wording.be(True) == "were" and wording.be(False) == "was"


def test_every_status_has_a_shape_and_a_word_and_no_shape_points_up_or_down() -> None:
    statuses = ["improving", "deteriorating", "no_significant_change", "too_few_to_assess",
                "not_a_sample", "not_assessed", "in_development"]  # fmt: skip
    shapes = [wording.status(s).shape for s in statuses]
    words = [wording.status(s).word for s in statuses]
    assert len(set(shapes)) == len(shapes) and all(words)
    assert not {"▲", "▼", "↑", "↓"} & set(shapes)


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio, computed here from the sRGB definition."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_charts_palette_keeps_three_to_one_and_never_relies_on_hue() -> None:
    colours = [*charts.PALETTE, charts.FORCE_COLOUR, charts.LIMIT_COLOUR,
               *charts.WINDOW_COLOURS.values(), *charts.SPECIAL_CAUSE.values()]  # fmt: skip
    assert {c: round(contrast(c), 2) for c in colours if contrast(c) < 3.0} == {}
    series = list(zip(charts.PALETTE, charts.MARKERS, charts.LINESTYLES, strict=False))
    assert len({m for _, m, _ in series}) == len(series) == len(charts.PALETTE)
    assert len({str(s) for _, _, s in series}) == len(series)


def test_the_wording_table_names_every_kpi_and_only_kpis() -> None:
    with (PROJECT_DIR / "seeds" / "kpi" / "kpi_catalogue.csv").open(encoding="utf-8") as handle:
        catalogue = {row["kpi_id"]: row["kpi_name"] for row in csv.DictReader(handle)}
    words = wording.load_kpi_words()
    assert set(catalogue) - set(words) == set(), "KPIs with no subject in reports/wording/kpis.csv"
    assert set(words) - set(catalogue) == set(), "subjects of no KPI"
    for kpi_id, said in words.items():
        # a subject's numbers are its KPI's name's ("999 calls"), never a figure
        assert set(re.findall(r"\d+", said.subject)) <= set(re.findall(r"\d+", catalogue[kpi_id]))
        assert is_plural(said.subject) == said.plural, (kpi_id, said.subject)


def test_the_editable_paragraphs_type_no_figure() -> None:
    """Every number the paper prints comes from a row: the prose of paragraphs.yml has
    none (but a reference such as ref('Appendix 1'))."""
    texts = yaml.safe_load(
        (PROJECT_DIR / "reports" / "wording" / "paragraphs.yml").read_text(encoding="utf-8")
    )

    def prose(node: object) -> list[str]:
        if isinstance(node, dict):
            return [t for key, value in node.items() if key != "derived" for t in prose(value)]
        return [node] if isinstance(node, str) else []

    figures = [t for t in prose(texts) if re.search(r"\d", re.sub(r"ref\('[^']*'\)", "", t))]
    assert figures == []


# ---------------------------------------------------------------------------------------
# Every row through every template


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    named = os.environ.get("REPORT_TEST_WAREHOUSE")
    return Path(named) if named else request.getfixturevalue("built_warehouse")


@pytest.fixture(scope="module")
def rendered(warehouse: Path) -> dict[str, str]:
    """The whole paper, once per comparison mode."""
    return {mode: paper.render(load(warehouse, mode)) for mode in MODES}


@pytest.fixture(scope="module")
def rows(warehouse: Path) -> dict[tuple[str, str], dict[str, object]]:
    """The scorecard as the mart holds it, with each KPI's polarity and calculation."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relation = con.sql(
            "select s.*, k.calculation from marts.kpi_scorecard as s "
            "inner join marts.dim_kpis as k using (kpi_id)"
        )
        columns = relation.columns
        return {
            (r["kpi_id"], r["comparison_mode"]): r
            for r in (dict(zip(columns, values, strict=True)) for values in relation.fetchall())
        }


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def contradictions(text: str, row: dict[str, object]) -> list[str]:
    """What a KPI's sentence says that its row contradicts."""
    unit = str(row["unit"])
    change = row["change_value"] if unit == "percent" else row["change_pct"]
    out = []
    says_down = re.search(r"\b(fell|reduction|decrease)\b|\d fewer\)", text)
    says_up = re.search(r"\b(rose|increase)\b|\d more\)", text)
    if change is not None and row["status"] != "in_development":
        if says_down and change > 0:
            out.append("a fall with a positive change")
        if says_up and change < 0:
            out.append("a rise with a negative change")
    if "unchanged" in text and row["baseline_value"] != row["current_value"]:
        out.append("'unchanged' between different figures")
    same_window = (row["baseline_start"], row["baseline_end"]) == (
        row["current_start"],
        row["current_end"],
    )
    if same_window and "compared with" in text:
        out.append("a figure compared with itself")
    polarity = row["polarity"]
    better = change is not None and (
        (change > 0 and polarity == "higher_is_better")
        or (change < 0 and polarity == "lower_is_better")
    )
    if "improvement" in text and not better:
        out.append("an improvement against the KPI's polarity")
    if "deterioration" in text and better:
        out.append("a deterioration against the KPI's polarity")
    if "improvement" in text and row["status"] != "improving":
        out.append("an improvement the status does not give")
    if "deterioration" in text and row["status"] != "deteriorating":
        out.append("a deterioration the status does not give")
    return out


@pytest.mark.parametrize("mode", MODES)
def test_every_kpi_sentence_agrees_with_its_row(
    mode: str, warehouse: Path, rows: dict, rendered: dict[str, str]
) -> None:
    data = load(warehouse, mode)
    words = wording.Words()
    kpis = {str(k["kpi_id"]): k for k in data.kpis}
    problems = []
    for kpi_id, card in data.scorecard.items():
        html = str(
            paper.sentence(
                card, words, str(kpis[kpi_id]["calculation"]), kpi_id in data.same_return
            )
        )
        text = plain(html)
        row = rows[(kpi_id, mode)]
        found = contradictions(text, row) + disagreements(html) + internal_names(text)
        if row["status"] == "in_development":
            found += [] if "in development" in text else ["an in-development KPI with no word"]
        problems += [(kpi_id, p, text) for p in found]
    assert problems == []


@pytest.mark.parametrize("mode", MODES)
def test_lpa_sentences_list_falls_as_falls_and_rises_as_rises(mode: str, warehouse: Path) -> None:
    data = load(warehouse, mode)
    words = wording.Words()
    problems = []
    for kpi_id in data.by_lpa:
        text = plain(str(paper.lpa_changes(data, words, kpi_id) or ""))
        for clause in re.split(r"(?=\b(?:fell|rose)\b)", text):
            signs = re.findall(r"\(([+-])\d", clause)
            if (clause.startswith("fell") and "+" in signs) or (
                clause.startswith("rose") and "-" in signs
            ):
                problems.append((kpi_id, clause))
    assert problems == []


@pytest.mark.parametrize("mode", MODES)
def test_the_whole_paper_has_no_contradiction_disagreement_or_internal_name(
    mode: str, rendered: dict[str, str]
) -> None:
    html = rendered[mode]
    page = parse(html)
    assert page.unsourced == [], f"numbers without a source: {page.unsourced[:10]}"
    body = html[html.index("<main>") :]
    visible = plain(re.sub(r"<svg.*?</svg>", " ", body, flags=re.S))
    assert internal_names(visible) == []
    assert disagreements(body) == []
    meeting = date.fromisoformat(wording.load_config()["meeting"] + "-01")
    later = [
        t.attrs["datetime"] for t in page.times if date.fromisoformat(t.attrs["datetime"]) > meeting
    ]
    assert later == [], "dates after the paper's meeting (a machine's clock, not a period)"


# ---------------------------------------------------------------------------------------
# Since the last paper


def history_row(published: datetime, kpi_id: str, **values: object) -> Row:
    base = {
        "published_at": published, "kpi_id": kpi_id, "comparison_mode": "plan_baseline",
        "kpi_name": "Total recorded crime", "unit": "count", "status": "improving",
        "baseline_start": date(2023, 4, 1), "baseline_end": date(2024, 3, 31),
        "current_start": date(2024, 10, 1), "current_end": date(2025, 9, 30),
        "baseline_value": 328153.0, "current_value": 299579.0,
    }  # fmt: skip
    base.update(values)
    return Row("marts.kpi_scorecard_history", {"published_at": published, "kpi_id": kpi_id,
               "comparison_mode": "plan_baseline"}, base)  # fmt: skip


def test_since_the_last_paper_says_what_changed_and_why(warehouse: Path) -> None:
    data = load(warehouse)
    words = wording.Words()
    earlier, later = datetime(2025, 10, 3), datetime(2025, 11, 2)
    data.history = [
        history_row(earlier, "total_recorded_crime", current_value=299500.0),
        history_row(later, "total_recorded_crime"),
        history_row(earlier, "shoplifting", kpi_name="Shoplifting", status="no_significant_change",
                    current_start=date(2024, 9, 1), current_end=date(2025, 8, 31)),
        history_row(later, "shoplifting", kpi_name="Shoplifting", status="deteriorating"),
    ]  # fmt: skip
    data.revisions = [
        Row("marts.kpi_revisions", {"published_at": later, "kpi_id": "total_recorded_crime",
            "comparison_mode": "plan_baseline", "figure": "current_value"},
            {"published_at": later, "kpi_id": "total_recorded_crime",
             "kpi_name": "Total recorded crime", "figure": "current_value",
             "window_start": date(2024, 10, 1), "window_end": date(2025, 9, 30),
             "previous_value": 299500.0, "figure_value": 299579.0})
    ]  # fmt: skip
    text = " ".join(plain(str(t)) for t in paper.since_last_paper(data, words))
    assert "previous publication of these figures was in October 2025" in text
    revised = "Total recorded crime for the year ending September 2025 was revised from 299,500"
    assert f"{revised} to 299,579" in text
    assert "Shoplifting changed status from ◆ No significant change to ✖ Deteriorating" in text
    assert internal_names(text) == []
    data.history = data.history[1:2]
    first = plain(str(paper.since_last_paper(data, words)[0]))
    assert first.startswith("This is the first publication")


# ---------------------------------------------------------------------------------------
# Issue 19's statuses, tests and withheld figures, before the warehouse has them


def synthetic_card(status: str, change: float | None, **extra: object) -> Row:
    values = {
        "kpi_id": "homicides", "comparison_mode": "plan_baseline", "kpi_name": "Homicides",
        "section": "3.7", "unit": "count", "polarity": "lower_is_better", "status": status,
        "baseline_start": date(2023, 4, 1), "baseline_end": date(2024, 3, 31),
        "current_start": date(2024, 10, 1), "current_end": date(2025, 9, 30),
        "baseline_value": 43.0, "current_value": None if change is None else 43.0 + change,
        "change_value": change, "change_pct": None if change is None else 100 * change / 43,
        "test_method": "poisson_exact_conditional", "is_significant": status in (
            "improving", "deteriorating"),
    }  # fmt: skip
    values.update(extra)
    return Row("marts.kpi_scorecard", {"kpi_id": "homicides", "comparison_mode": "plan_baseline"},
               values)  # fmt: skip


@pytest.mark.parametrize(
    ("status", "change", "says"),
    [
        ("improving", -9.0, "statistically significant improvement"),
        ("deteriorating", 9.0, "statistically significant deterioration"),
        ("no_significant_change", -2.0, "not statistically significant"),
        ("too_few_to_assess", 1.0, "too few cases to judge"),
        ("not_assessed", 3.0, "homicides rose to 46"),
        ("not_a_sample", -1.0, "homicides fell to 42"),
    ],
)
def test_the_statuses_of_tested_changes_read_right(status: str, change: float, says: str) -> None:
    words = wording.Words()
    card = synthetic_card(status, change)
    html = str(paper.sentence(card, words, "count", same_return=False))
    text = plain(html)
    assert says in text
    row = {**card.values}
    assert contradictions(text, row) == [] and disagreements(html) == []
    assert internal_names(text) == []
    marker = plain(str(paper.status(card)))
    assert marker == f"{wording.status(status).shape} {wording.status(status).word}"


def test_a_withheld_figure_reads_fewer_than_five_not_published() -> None:
    words = wording.Words()
    card = synthetic_card(
        "not_assessed", None, is_suppressed=True, suppression_reason="fewer than 5",
        baseline_value=None,
    )  # fmt: skip
    text = plain(str(paper.sentence(card, words, "count", same_return=False)))
    assert "(fewer than 5; not published)" in text
    cells = paper.kpi_row(card, "count", "window")
    assert plain(str(cells["current"])) == "fewer than 5; not published"


@pytest.mark.parametrize("cause", ["beyond_limit", "shift", "trend"])
@pytest.mark.parametrize("direction", ["improvement", "concern", "neutral"])
def test_every_control_chart_signal_has_words(cause: str, direction: str) -> None:
    text = plain(
        str(wording.Words().sentence("summary_signal", "Homicides", "Birmingham", "September 2025",
                                     cause, direction))
    )  # fmt: skip
    assert text.startswith("Homicides, Birmingham, September 2025: a ")
    assert "special cause" not in text and internal_names(text) == []
