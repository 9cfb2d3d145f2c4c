"""The board report (scripts/build_report.py) built from the demo warehouse: every
number it prints has a source row and equals it; the November 2025 report's headline
figures appear as that report prints them; headless Chromium, with every network request
refused, draws each figure and prints a PDF with the report's sections; other windows
change periods, figures and sentences together."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from PIL import Image
from pypdf import PdfReader

import build_report
from conftest import PROJECT_DIR
from report import charts, wording

INVENTORY = PROJECT_DIR / "reports" / "reference" / "board_report_2025_11_figures.csv"
JUNE_VARS = {"current_start": "2024-07-01", "current_end": "2025-06-30"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Page(HTMLParser):
    """The report's sourced values, dates and any digit printed without a source."""

    data: list[Element] = field(default_factory=list)
    times: list[Element] = field(default_factory=list)
    unsourced: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    stack: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "br", "link", "img", "input"):
            return
        self.stack.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            element = self.stack.pop()
            if element.tag == "data":
                self.data.append(element)
            elif element.tag == "time":
                self.times.append(element)
            if element.tag == tag:
                break

    def handle_data(self, text: str) -> None:
        tags = {e.tag for e in self.stack}
        if tags & {"svg", "style", "title", "head"} and "body" not in tags:
            return
        if "svg" in tags or "style" in tags:
            return
        for element in self.stack:
            if element.tag in ("data", "time"):
                element.text += text
        self.text.append(text)
        sourced = any(
            e.tag in ("data", "time") or "ref" in e.attrs.get("class", "").split()
            for e in self.stack
        )
        if not sourced and re.search(r"\d", text):
            self.unsourced.append(text.strip())


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def source_value(con: duckdb.DuckDBPyConnection, element: Element) -> object:
    attrs = element.attrs
    key = json.loads(attrs["data-key"])
    where = " and ".join(f'cast("{k}" as varchar) = ?' for k in key) or "true"
    column = f'"{attrs["data-field"]}"'
    select = {
        "count": "count(*)",
        "count_distinct": f"count(distinct {column})",
    }.get(attrs.get("data-agg", ""), column)
    rows = con.execute(
        f"select {select} from {attrs['data-source']} where {where}", list(key.values())
    ).fetchall()
    assert len(rows) == 1, f"{attrs} matches {len(rows)} rows"
    return rows[0][0]


def key_as_text(value: str) -> str:
    return value[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value) else value


def check_sources(page: Page, warehouse: Path) -> None:
    """Every <data> equals its source row's value and reads as the report writes it;
    every <time> names its own date; no digit is printed outside them."""
    assert not page.unsourced, f"numbers without a source: {page.unsourced[:10]}"
    assert page.data
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for element in page.data:
            attrs = element.attrs
            stored = source_value(con, element)
            shown = attrs["value"]
            if isinstance(stored, float):
                assert float(shown) == pytest.approx(stored, rel=1e-12), attrs
            elif isinstance(stored, bool):
                assert shown == str(stored), attrs
            elif hasattr(stored, "isoformat"):
                assert shown == stored.isoformat()[:10], attrs
            else:
                assert shown == str(stored), attrs
            form, unit, text = attrs["data-form"], attrs["data-unit"], element.text
            if form == "figure":
                assert text == wording.figure(float(shown), unit), (text, attrs)
            elif form in ("change", "magnitude"):
                assert text == wording.change(float(shown), unit, signed=form == "change"), attrs
            elif isinstance(stored, bool):
                assert text == ("Yes" if stored else "No"), attrs
            elif isinstance(stored, float):
                assert text == f"{stored:,}", attrs
            else:
                assert str(stored).lower() in text.lower(), (text, attrs)
    for element in page.times:
        day = date.fromisoformat(element.attrs["datetime"])
        assert element.text == wording.month_name(day), element


@pytest.fixture(scope="module")
def report(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("report")
    written = build_report.build(built_warehouse, out, pdf=True, screenshots=out / "shots")
    return {**written, "warehouse": built_warehouse}


@pytest.fixture(scope="module")
def june_report(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("report_vars")
    before = hashlib.sha256(built_warehouse.read_bytes()).hexdigest()
    warehouse = build_report.with_vars(built_warehouse, json.dumps(JUNE_VARS), work)
    written = build_report.build(warehouse, work / "out", pdf=False)
    after = hashlib.sha256(built_warehouse.read_bytes()).hexdigest()
    return {**written, "warehouse": warehouse, "source_unchanged": before == after}


def test_the_report_is_named_after_its_current_end(report: dict) -> None:
    assert report["html"].name == "police-and-crime-plan-performance-2025-09-30.html"
    assert report["pdf"].name == "police-and-crime-plan-performance-2025-09-30.pdf"


def test_every_number_printed_has_a_source_row_and_equals_it(report: dict) -> None:
    check_sources(parse(report["html"]), report["warehouse"])


def headline_rows() -> list[dict[str, str]]:
    with INVENTORY.open(encoding="utf-8") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if row["figure_class"] == "kpi_figure"
            and row["grain"] == "force"
            and row["measure"] in ("current_value", "baseline_value", "change_pct", "change_value")
        ]


def test_headline_figures_appear_as_the_november_2025_report_prints_them(report: dict) -> None:
    """Each force figure of the report's inventory is printed, for its KPI and measure
    in the plan-baseline comparison, as the report prints it (sign aside: the report
    writes "an 8.7% reduction", a table "-8.7%")."""
    page = parse(report["html"])
    printed: dict[tuple[str, str], set[str]] = {}
    for element in page.data:
        key = json.loads(element.attrs["data-key"])
        if key.get("comparison_mode") == "plan_baseline" and "lpa_code" not in key:
            printed.setdefault((key["kpi_id"], element.attrs["data-field"]), set()).add(
                element.text.lstrip("+-")
            )
    rows = headline_rows()
    missing = []
    for row in rows:
        stated = re.sub(r"^(an? |by |of )", "", row["stated"]).lstrip("+-")
        stated = stated.replace(" percentage point", "pp").replace("ppoints", "pp")
        if row["measure"] == "change_value" and not stated.endswith("pp"):
            continue  # a count's change in units: the report's own arithmetic, not a KPI field
        shown = printed.get((row["kpi_id"], row["measure"]), set())
        if not any(stated in text or text in stated for text in shown):
            missing.append((row["paragraph"], row["kpi_id"], row["measure"], row["stated"], shown))
    assert len(rows) > 150
    assert not missing, missing


def test_in_development_kpis_are_listed_without_a_figure(report: dict) -> None:
    page = parse(report["html"])
    with duckdb.connect(str(report["warehouse"]), read_only=True) as con:
        in_development = {
            r[0]
            for r in con.sql(
                "select kpi_id from marts.dim_kpis where kpi_status = 'in_development'"
            ).fetchall()
        }
    assert in_development
    figures = {
        json.loads(e.attrs["data-key"]).get("kpi_id")
        for e in page.data
        if e.attrs["data-field"]
        in ("baseline_value", "current_value", "change_pct", "change_value")
    }
    assert not in_development & figures
    text = "".join(page.text)
    assert text.count("In development") >= len(in_development)


def test_the_page_makes_no_network_request(report: dict) -> None:
    html = report["html"].read_text(encoding="utf-8")
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']|url\(([^)]*)\)""", html)
    external = [r for pair in references for r in pair if r and not r.startswith(("#", "data:"))]
    assert not external, external[:5]
    assert "<script src" not in html and "<link" not in html


def test_chromium_draws_every_figure(report: dict) -> None:
    """A screenshot of each figure, Chromium refusing every network request: each has
    ink (not blank) and colour (its series, not just axes)."""
    shots = report["screenshots"]
    assert [p.name for p in shots] == [f"figure-{f.number}.png" for f in charts.FIGURES]
    for shot in shots:
        image = Image.open(shot).convert("RGB")
        pixels = list(image.get_flattened_data())
        ink = sum(1 for p in pixels if sum(p) < 600) / len(pixels)
        coloured = {p for p in pixels if max(p) - min(p) > 60}
        assert ink > 0.02, f"{shot.name}: {ink:.1%} ink"
        assert len(coloured) > 20, f"{shot.name}: {len(coloured)} colours"


def test_the_pdf_has_the_report_sections(report: dict) -> None:
    reader = PdfReader(report["pdf"])
    text = " ".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # ligatures: "ﬁ" -> "fi"
    with duckdb.connect(str(report["warehouse"]), read_only=True) as con:
        priorities = [
            r[0] for r in con.sql("select distinct plan_priority from marts.dim_kpis").fetchall()
        ]
    expected = [
        "Introduction", "Local policing area comparisons", "Annex A", "Annex B",
        "Appendix 1", "Outcome codes glossary", *priorities,
        *(f"Figure {f.number}" for f in charts.FIGURES),
    ]  # fmt: skip
    assert [s for s in expected if s not in text] == []
    assert len(reader.pages) >= 10


def test_other_windows_change_periods_figures_and_sentences(
    report: dict, june_report: dict
) -> None:
    assert june_report["html"].name == "police-and-crime-plan-performance-2025-06-30.html"
    assert june_report["source_unchanged"], "the vars rebuild wrote to the warehouse it copied"
    june = parse(june_report["html"])
    check_sources(june, june_report["warehouse"])
    text = re.sub(r"\s+", " ", "".join(june.text))
    assert "the data covers the year ending June 2025" in text
    with duckdb.connect(str(june_report["warehouse"]), read_only=True) as con:
        current, baseline, change = con.sql(
            "select current_value, baseline_value, change_pct from marts.kpi_scorecard "
            "where kpi_id = 'total_recorded_crime' and comparison_mode = 'plan_baseline'"
        ).fetchone()
    with duckdb.connect(str(report["warehouse"]), read_only=True) as con:
        september = con.sql(
            "select current_value from marts.kpi_scorecard "
            "where kpi_id = 'total_recorded_crime' and comparison_mode = 'plan_baseline'"
        ).fetchone()[0]
    assert current != september
    word = "fell" if change < 0 else "rose"
    noun = "reduction" if change < 0 else "increase"
    assert (
        f"For the year ending June 2025, total recorded crime {word} to {current:,.0f}, "
        f"a{'n' if f'{abs(change):.1f}'.startswith('8') else ''} {abs(change):.1f}% {noun} "
        f"compared to the baseline year ending March 2024, when it was {baseline:,.0f}."
    ) in text


def test_make_report_needs_a_published_warehouse(tmp_path: Path) -> None:
    result = build_report.main(
        ["--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "out"), "--no-pdf"]
    )
    assert result == 1
    assert not (tmp_path / "out").exists()
