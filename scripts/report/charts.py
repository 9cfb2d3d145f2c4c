"""Figures 1-8 of the board report, drawn with matplotlib as inline SVG (text kept as
text, no external file, deterministic ids), from the rows of marts.kpi_trend_monthly and
marts.kpi_outcome_code_volumes. Each chart marks the windows it is read against.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("svg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, PercentFormatter

from report import wording
from report.data import ReportData, Row

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "police-performance",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
    }
)

# Colour-blind-safe (Okabe-Ito); lines also differ by marker, so no chart relies on colour.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


@dataclass(frozen=True)
class Figure:
    """One figure of the report: its number, the name its title gives it, the KPIs it
    draws (the first places it in that KPI's plan priority) and how it draws them."""

    number: int
    name: str
    kpis: tuple[str, ...]
    kind: str  # trend | service_level | lpa_comparison | outcome_codes | dual_trend
    top: int = 0


# The November 2025 report's figures, by its own titles.
FIGURES = [
    Figure(1, "ASB Incident {months} Month Trend", ("asb_incidents",), "trend"),
    Figure(
        2,
        "999 10s Service Level Agreement and Abandoned After 10s Trend",
        ("calls_999_answered_within_10s_pct", "calls_999_abandoned_after_10s"),
        "service_level",
    ),
    Figure(
        3,
        "101 3m Service Level Agreement and Abandoned After 3m Trend",
        ("calls_101_answered_within_3min_pct", "calls_101_abandoned_after_3min"),
        "service_level",
    ),
    Figure(
        4,
        "Emergency Incidents 15-Minute Compliance LPA Comparison",
        ("emergency_attended_within_15min_pct",),
        "lpa_comparison",
    ),
    Figure(
        5,
        "Priority Incidents 1-Hour Compliance LPA Comparison",
        ("priority_attended_within_1h_pct",),
        "lpa_comparison",
    ),
    Figure(
        6,
        "Positive Outcomes and Rate {months} Month Trend",
        ("positive_outcomes", "positive_outcome_rate"),
        "dual_trend",
    ),
    Figure(
        7,
        "Highest 10 Outcome Code Volumes {period}",
        ("outcome_code_16_share",),
        "outcome_codes",
        top=10,
    ),
    Figure(
        8,
        "Harm Score and Crime Per 1,000 Population",
        ("harm_score", "crimes_per_1000_population"),
        "dual_trend",
    ),
]


def as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


def svg(fig: plt.Figure, label: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", text, count=1)
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def unit_axis(ax: plt.Axes, unit: str) -> None:
    if unit == "percent":
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_ylabel("Per cent")
    elif unit == "harm_days":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1e6:.0f}m"))
        ax.set_ylabel("Harm score (days, millions)")
    elif unit == "per_1000_population":
        ax.set_ylabel("Crimes per 1,000 population")
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_ylabel("Count")


def month_axis(ax: plt.Axes) -> None:
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.set_xlabel("Month")
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)
        tick.set_ha("right")


def mark_windows(ax: plt.Axes, card: Row, rolling: bool) -> None:
    """The baseline and current windows: for a rolling 12-month series the point that is
    each window (its end), for a monthly one the months each window covers."""
    for role, colour in (("baseline", "#999999"), ("current", "#0072B2")):
        start, end = as_date(card[f"{role}_start"]), as_date(card[f"{role}_end"])
        label = f"{role.capitalize()}: {wording.period_name(start, end)}"
        lo, hi = (mdates.num2date(x).date() for x in ax.get_xlim())
        if rolling:
            if lo <= end <= hi:
                ax.axvline(end, color=colour, linestyle="--", linewidth=1, label=label)
        elif end >= lo and start <= hi:
            ax.axvspan(
                max(start, lo), min(end, hi), color=colour, alpha=0.08, label=label, hatch=None
            )


def series(data: ReportData, kpi_id: str, area: str = "FORCE") -> tuple[list[date], list[float]]:
    points = data.trend.get((kpi_id, area), [])
    return [as_date(p["month_end"]) for p in points], [p["kpi_value"] for p in points]


def unit_of(data: ReportData, kpi_id: str) -> str:
    return next(str(k["unit"]) for k in data.kpis if k["kpi_id"] == kpi_id)


def draw(figure: Figure, data: ReportData, title: str) -> str:
    card = data.scorecard[figure.kpis[0]]
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    if figure.kind == "trend":
        x, y = series(data, figure.kpis[0])
        ax.plot(x, y, color=COLOURS[0], marker="o", markersize=3, label="Rolling 12 months")
        unit_axis(ax, unit_of(data, figure.kpis[0]))
        month_axis(ax)
        mark_windows(ax, card, rolling=True)
    elif figure.kind in ("service_level", "dual_trend"):
        first, second = figure.kpis
        x2, y2 = series(data, second)
        x1, y1 = series(data, first)
        bars = figure.kind == "service_level"
        other = ax.twinx()
        other.spines["right"].set_visible(True)
        if bars:
            other.bar(x2, y2, width=20, color=COLOURS[1], alpha=0.6, label=name(data, second))
            ax.set_zorder(other.get_zorder() + 1)
            ax.patch.set_visible(False)
        else:
            other.plot(x2, y2, color=COLOURS[1], marker="s", markersize=3, label=name(data, second))
        ax.plot(x1, y1, color=COLOURS[0], marker="o", markersize=3, label=name(data, first))
        unit_axis(ax, unit_of(data, first))
        unit_axis(other, unit_of(data, second))
        other.grid(False)
        month_axis(ax)
        mark_windows(ax, card, rolling=not bars)
        handles = ax.get_legend_handles_labels()
        more = other.get_legend_handles_labels()
        ax.legend(handles[0] + more[0], handles[1] + more[1], fontsize=7, loc="best")
    elif figure.kind == "lpa_comparison":
        for i, lpa in enumerate(data.lpas):
            x, y = series(data, figure.kpis[0], str(lpa["lpa_code"]))
            ax.plot(
                x, y, color=COLOURS[i % len(COLOURS)], marker=MARKERS[i % len(MARKERS)],
                markersize=3, linewidth=1, label=str(lpa["lpa_name"]),
            )  # fmt: skip
        x, y = series(data, figure.kpis[0])
        ax.plot(x, y, color="#000000", linewidth=2.2, label="Force")
        unit_axis(ax, unit_of(data, figure.kpis[0]))
        month_axis(ax)
        mark_windows(ax, card, rolling=False)
        ax.legend(fontsize=7, ncol=3, loc="lower right")
    elif figure.kind == "outcome_codes":
        top = [
            r
            for r in data.outcome_codes
            if r["window_role"] == "current" and r["volume_rank"] <= figure.top
        ]
        labels = [f"OC{r['outcome_code']}" for r in top][::-1]
        values = [r["outcomes"] for r in top][::-1]
        colours = [COLOURS[2] if r["is_positive"] else COLOURS[0] for r in top][::-1]
        ax.barh(labels, values, color=colours)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_xlabel("Outcomes assigned in the window")
        ax.set_ylabel("Outcome code")
        ax.legend(
            handles=[
                plt.Rectangle((0, 0), 1, 1, color=COLOURS[2], label="Positive outcome"),
                plt.Rectangle((0, 0), 1, 1, color=COLOURS[0], label="Other outcome"),
            ],
            fontsize=7,
            loc="lower right",
        )
    if figure.kind in ("trend", "lpa_comparison"):
        ax.legend(fontsize=7, ncol=3 if figure.kind == "lpa_comparison" else 1, loc="best")
    ax.set_title(title, fontsize=10, loc="left")
    return svg(fig, title)


def name(data: ReportData, kpi_id: str) -> str:
    return next(str(k["kpi_name"]) for k in data.kpis if k["kpi_id"] == kpi_id)
