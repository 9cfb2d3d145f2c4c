"""Coverage of the November 2025 board report: every number the report prints is a row of
reports/reference/board_report_2025_11_figures.csv, and every row is checked.

Each row has a class:
- kpi_figure: the warehouse reproduces it, rounded as the report rounds (`decimals`),
  from kpi_scorecard (grain force), kpi_scorecard_by_lpa (lpa),
  kpi_scorecard_by_neighbourhood (neighbourhood) or kpi_trend_monthly (lpa_month);
  where the report states a KPI's own periods, the windows' end months too;
- report_disagreement: the report's own figures contradict it; the seed
  kpi_report_disagreements (schema reference) holds it with the same reason, and
  test_reference_figures.py checks the scorecard holds what the other figures imply;
- not_a_kpi: a date, period length, threshold, unit or identifier, with the reason.

What counts as a figure: every number the report prints in its text, tables and
captions, except paragraph numbers, references to figures, tables and the appendix, and
names that contain a number (the 999 and 101 services, "Fatal 4", "Schedule 3", the
Online Safety Act 2023). A period given by its two ends ("between October 2024 and
September 2025") is one figure, and so is a duration ("2 minutes and 14 seconds", 134 s).
test_inventory_lists_every_number_in_the_report holds the inventory to that rule.

Run: .venv/bin/pytest tests/python/test_report_coverage.py (the summary prints at the end
of test_coverage_summary).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PROJECT_DIR
from reference_figures import DISAGREEMENTS_SEED

Query = Callable[[str], list[tuple]]

INVENTORY_PATH = PROJECT_DIR / "reports" / "reference" / "board_report_2025_11_figures.csv"
# The report's text travels with the tests (a copy of ../shared/reference/'s), so the
# inventory is checked against it wherever the repository is cloned.
REPORT_NAME = "police-and-crime-plan-performance-2025-11.txt"
REPORT_PATH = PROJECT_DIR / "reports" / "reference" / REPORT_NAME
SHARED_REPORT_PATH = PROJECT_DIR.parent / "shared" / "reference" / REPORT_NAME

# The inventory's totals: a figure dropped from (or added to) the inventory fails here.
FIGURES_STATED = 406
EXPECTED_CLASSES = {"kpi_figure": 256, "report_disagreement": 7, "not_a_kpi": 143}

CLASSES = set(EXPECTED_CLASSES)
GRAIN_FIELDS = {
    "force": {"baseline_value", "current_value", "change_value", "change_pct"},
    "lpa": {"baseline_value", "current_value", "change_value", "change_pct"},
    "neighbourhood": {"baseline_value", "current_value"},
    "lpa_month": {"month_value"},
}
DISAGREEMENT_FIELDS = GRAIN_FIELDS["force"] | {"months_between_period_ends"}

# Numbers in the report that are not figures (see the module docstring).
NOT_FIGURES = [
    r"\b(?:Figure|Table|Appendix) \d+",
    r"\b(?:999|101)(?= (?:calls|service|10s|3m)\b)",
    r"\bFatal 4\b",
    r"\bSchedule 3\b",
    r"\bOnline Safety Act 2023\b",
]
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
PARAGRAPH = re.compile(r"^(?:- )?(\d{1,2}\.\d{1,2})\.\s")
SECTION_HEADING = re.compile(r"^\d{1,2}\. [A-Z]")
CAPTION = re.compile(r"^((?:Figure|Table) \d+) \N{EN DASH} ")


def load_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


INVENTORY = load_csv(INVENTORY_PATH)
KPI_FIGURES = [row for row in INVENTORY if row["figure_class"] == "kpi_figure"]
DISAGREEMENTS = [row for row in INVENTORY if row["figure_class"] == "report_disagreement"]


def figure_id(row: dict[str, str]) -> str:
    return f"{row['figure_id']}:{row['kpi_id']}.{row['measure']}"


def report_paragraphs(text: str) -> dict[str, str]:
    """The report's text by paragraph ("2.6", "Figure 4", "Table 1", "Appendix 1",
    "header"); a table's cells belong to the table its caption names."""
    paragraphs: dict[str, list[str]] = {}
    current = "header"
    table_cells: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or SECTION_HEADING.match(line):
            continue
        if match := PARAGRAPH.match(line):
            current, line = match.group(1), line[match.end() :]
        elif match := CAPTION.match(line):
            current = match.group(1)
            if current.startswith("Table"):
                paragraphs.setdefault(current, []).extend(table_cells)
                table_cells = []
        elif line == "Appendix 1":
            current = line
            continue
        elif "\t" in line and current != "Appendix 1":
            table_cells.append(line)
            continue
        paragraphs.setdefault(current, []).append(line)
    return {key: " ".join(lines) for key, lines in paragraphs.items()}


def figures_only(text: str) -> str:
    for pattern in NOT_FIGURES:
        text = re.sub(pattern, " ", text)
    return text


def number_tokens(text: str) -> Counter[str]:
    return Counter(token.rstrip(",") for token in NUMBER.findall(text))


# Where each grain's figures are, the columns that key a figure, and the figures.
MARTS = {
    "force": ("kpi_scorecard", ["kpi_id"]),
    "lpa": ("kpi_scorecard_by_lpa", ["kpi_id", "lpa_name"]),
    "neighbourhood": ("kpi_scorecard_by_neighbourhood", ["kpi_id", "neighbourhood_name"]),
    "lpa_month": ("kpi_trend_monthly", ["kpi_id", "area_name", "month_end"]),
}
WINDOW_ENDS = ["baseline_end", "current_end"]


class Figures(dict[str, dict[tuple[str, ...], list[dict[str, object]]]]):
    """grain -> key -> mart rows; a short repr keeps failure reports readable."""

    def __repr__(self) -> str:
        return f"<figures of {', '.join(f'{g}: {len(k)} keys' for g, k in self.items())}>"


@pytest.fixture(scope="module")
def marts(query: Query) -> Figures:
    """Every figure of the KPI marts, by grain and key, read once. Report figures compare
    with the plan baseline: where a mart has comparison_mode (issue 4 adds year on year
    and year to date), only its plan_baseline rows."""
    columns: dict[str, list[str]] = {}
    for table, column in query(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' order by ordinal_position"
    ):
        columns.setdefault(table, []).append(column)
    figures = Figures()
    for grain, (table, key) in MARTS.items():
        wanted = [*key, *sorted(GRAIN_FIELDS[grain] - {"month_value"})]
        wanted += [c for c in [*WINDOW_ENDS, "kpi_value"] if c in columns[table]]
        where = (
            " where comparison_mode = 'plan_baseline'"
            if ("comparison_mode" in columns[table])
            else ""
        )
        select = ", ".join(f"cast({c} as varchar)" if c in key else c for c in wanted)
        figures[grain] = {}
        for values in query(f"select {select} from marts.{table}{where}"):
            record = dict(zip(wanted, values, strict=True))
            record["month_value"] = record.get("kpi_value")
            record_key = tuple(str(record[c]) for c in key)
            figures[grain].setdefault(record_key, []).append(record)
    return figures


@pytest.fixture(scope="module")
def catalogue(query: Query) -> dict[str, tuple[str, str]]:
    """kpi_id -> (unit, kpi_status)."""
    rows = query("select kpi_id, unit, kpi_status from marts.dim_kpis")
    return {kpi: (unit, status) for kpi, unit, status in rows}


def figure_key(row: dict[str, str]) -> tuple[str, ...]:
    if row["grain"] == "force":
        return (row["kpi_id"],)
    if row["grain"] == "lpa_month":
        return (row["kpi_id"], row["area"], row["month_end"])
    return (row["kpi_id"], row["area"])


def figure_problems(
    marts: Figures, catalogue: dict[str, tuple[str, str]], row: dict[str, str]
) -> list[str]:
    """Why the warehouse does not reproduce this kpi_figure row (empty: it does)."""
    kpi, where = row["kpi_id"], f"paragraph {row['paragraph']}, {row['figure_id']}"
    if kpi not in catalogue:
        return [f"{kpi} ({where}) is not in the KPI catalogue yet: report states {row['stated']}"]
    unit, status = catalogue[kpi]
    if status != "live":
        return [f"{kpi} ({where}) is {status}, but the report states {row['stated']}"]
    records = marts[row["grain"]].get(figure_key(row), [])
    if len(records) != 1:
        return [f"{kpi} [{row['area']}] ({where}): {len(records)} rows in {row['grain']} mart"]
    record = records[0]
    scale = 1e6 if row["scale"] == "million" and "million" not in unit else 1.0
    decimals = int(row["decimals"])
    expected = float(row["value"])
    problems = []
    for field in row["measure"].split("|"):
        value = record[field]
        if value is None:
            problems.append(f"{kpi}.{field} [{row['area']}] ({where}): null")
        elif abs(value / scale - expected) > 0.5 * 10**-decimals + 1e-9:
            problems.append(
                f"{kpi}.{field} [{row['area']}] ({where}): warehouse "
                f"{round(value / scale, decimals)} ({value / scale:.4f}), "
                f"report states {row['stated']} ({expected})"
            )
    for window in WINDOW_ENDS:
        if row[window] and str(record[window])[:7] != row[window][:7]:
            problems.append(
                f"{kpi}.{window} ({where}): warehouse {record[window]}, report {row[window][:7]}"
            )
    return problems


def test_inventory_is_well_formed() -> None:
    ids = [row["figure_id"] for row in INVENTORY]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for row in INVENTORY:
        assert row["figure_class"] in CLASSES, row
        assert row["paragraph"] and row["phrase"] and row["stated"], row
        if row["figure_class"] == "not_a_kpi":
            assert row["note"] and not row["kpi_id"], row
            continue
        assert row["kpi_id"] and row["value"] and row["decimals"], row
        float(row["value"])
        if row["figure_class"] == "report_disagreement":
            assert row["grain"] == "force" and row["measure"] in DISAGREEMENT_FIELDS, row
            assert row["note"], row
        else:
            fields = set(row["measure"].split("|"))
            assert fields <= GRAIN_FIELDS[row["grain"]], row
            assert (row["grain"] == "force") == (row["area"] == "FORCE"), row
            assert bool(row["month_end"]) == (row["grain"] == "lpa_month"), row
            if row["grain"] != "force":
                assert not (row["baseline_end"] or row["current_end"]), row


def test_inventory_totals() -> None:
    """A figure silently dropped from the inventory, or reclassified, fails here."""
    assert len(INVENTORY) == FIGURES_STATED
    assert Counter(row["figure_class"] for row in INVENTORY) == EXPECTED_CLASSES


def test_inventory_lists_every_number_in_the_report() -> None:
    """Paragraph by paragraph, the numbers the report prints are the numbers the
    inventory's `stated` column holds: none missing, none extra."""
    paragraphs = report_paragraphs(REPORT_PATH.read_text(encoding="utf-8"))
    in_report = {key: number_tokens(figures_only(body)) for key, body in paragraphs.items()}
    in_inventory: dict[str, Counter[str]] = {}
    for row in INVENTORY:
        in_inventory.setdefault(row["paragraph"], Counter()).update(number_tokens(row["stated"]))
    differences = {}
    for paragraph in in_report.keys() | in_inventory.keys():
        printed = in_report.get(paragraph, Counter())
        listed = in_inventory.get(paragraph, Counter())
        if printed != listed:
            differences[paragraph] = {
                "missing": dict(printed - listed),
                "extra": dict(listed - printed),
            }
    assert differences == {}


def test_report_copy_is_the_reference() -> None:
    """Where the shared reference folder is beside the repository, the copy is the same."""
    if not SHARED_REPORT_PATH.exists():
        pytest.skip(f"no shared reference at {SHARED_REPORT_PATH} to compare the copy with")
    assert REPORT_PATH.read_bytes() == SHARED_REPORT_PATH.read_bytes()


@pytest.mark.parametrize("row", KPI_FIGURES, ids=figure_id)
def test_kpi_figure_is_reproduced(
    marts: Figures, catalogue: dict[str, tuple[str, str]], row: dict[str, str]
) -> None:
    problems = figure_problems(marts, catalogue, row)
    assert problems == [], "; ".join(problems)


@pytest.mark.parametrize("row", DISAGREEMENTS, ids=figure_id)
def test_report_disagreement_is_in_the_seed(row: dict[str, str]) -> None:
    seed = {(d["kpi_id"], d["paragraph"], d["field"]): d for d in load_csv(DISAGREEMENTS_SEED)}
    key = (row["kpi_id"], row["paragraph"], row["measure"])
    assert key in seed, f"{key} is not in {DISAGREEMENTS_SEED.name}"
    assert float(seed[key]["report_value"]) == float(row["value"])
    assert seed[key]["reason"] == row["note"]


def test_every_seeded_disagreement_is_in_the_inventory() -> None:
    seeded = {(d["kpi_id"], d["paragraph"], d["field"]) for d in load_csv(DISAGREEMENTS_SEED)}
    listed = {(r["kpi_id"], r["paragraph"], r["measure"]) for r in DISAGREEMENTS}
    assert seeded == listed


def test_disagreement_seed_reaches_the_warehouse(query: Query) -> None:
    rows = query(
        "select kpi_id, paragraph, field, report_value, warehouse_value "
        "from reference.kpi_report_disagreements"
    )
    seed = [
        (
            d["kpi_id"],
            d["paragraph"],
            d["field"],
            float(d["report_value"]),
            float(d["warehouse_value"]),
        )
        for d in load_csv(DISAGREEMENTS_SEED)
    ]
    assert sorted(rows) == sorted(seed)


def test_coverage_summary(
    marts: Figures,
    catalogue: dict[str, tuple[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Prints how many figures the report states and how many the warehouse reproduces;
    fails if a figure of a KPI already in the catalogue is not reproduced."""
    failing = {row["figure_id"]: figure_problems(marts, catalogue, row) for row in KPI_FIGURES}
    failing = {key: problems for key, problems in failing.items() if problems}
    not_built = Counter(
        row["kpi_id"]
        for row in KPI_FIGURES
        if row["figure_id"] in failing and row["kpi_id"] not in catalogue
    )
    kpi_of = {row["figure_id"]: row["kpi_id"] for row in KPI_FIGURES}
    wrong = {key: problems for key, problems in failing.items() if kpi_of[key] in catalogue}
    counts = Counter(row["figure_class"] for row in INVENTORY)
    lines = [
        "",
        f"Board report November 2025: {len(INVENTORY)} figures stated",
        f"  KPI figures:            {counts['kpi_figure']}",
        f"    reproduced:           {counts['kpi_figure'] - len(failing)}",
        f"    KPI not built yet:    {sum(not_built.values())} ({len(not_built)} KPIs)",
        f"    built, not reproduced: {len(wrong)}",
        f"  report disagreements:   {counts['report_disagreement']}"
        " (seeds/kpi/kpi_report_disagreements.csv)",
        *(
            f"    {row['paragraph']} {row['kpi_id']}.{row['measure']}: {row['note']}"
            for row in DISAGREEMENTS
        ),
        f"  not a KPI figure:       {counts['not_a_kpi']}",
    ]
    if not_built:
        lines.append(
            "  KPIs not in the catalogue yet: "
            + ", ".join(f"{kpi} ({n})" for kpi, n in sorted(not_built.items()))
        )
    lines += [f"  NOT REPRODUCED {'; '.join(problems)}" for problems in wrong.values()]
    with capsys.disabled():
        print("\n".join(lines))
    assert wrong == {}
