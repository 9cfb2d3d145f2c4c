"""Figures 1-8 of the board report, drawn with matplotlib as inline SVG (text kept as
text, no external file, deterministic ids), from the rows of marts.kpi_trend_monthly and
marts.kpi_outcome_code_volumes.

How they are drawn, and why:
- one title: the figure's caption (the SVG carries it as <title> for screen readers, and a
  <desc> saying what the chart shows); the chart itself has none;
- a count's axis starts at zero, and so does a percentage's (0-100%);
- no second y-axis: two series of different units are two panels, or both indexed to
  the baseline (Figure 8);
- each month's point sits on its month (plotted mid-month, its tick labelled with it);
- legends sit below the plot, never over the data;
- PALETTE keeps at least 3:1 contrast against white (tests/python/test_report_wording.py
  measures it), and every series also has its own marker and line style, so a chart
  reads in greyscale and with any colour-vision deficiency;
- monthly series show their control limits and centre line (XmR, from the marts of
  issue 19, when the warehouse has them) and mark the months that show special cause.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

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
        "axes.axisbelow": True,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "axes.edgecolor": "#333333",
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "axes.labelcolor": "#1b1b1b",
    }
)

# At least 3:1 against white each (WCAG non-text contrast); with MARKERS and LINESTYLES
# no two series rely on hue alone. The force-wide line is always black and thicker.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#AA4499", "#8C6D00", "#332288", "#CC6677"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINESTYLES = ["-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2))]
FORCE_COLOUR = "#000000"
LIMIT_COLOUR = "#555555"  # control limits and centre line (7.5:1)
WINDOW_COLOURS = {"baseline": "#555555", "current": "#0B3D91"}
SPECIAL_CAUSE = {"improvement": "#0072B2", "concern": "#D55E00", "neutral": "#555555"}


@dataclass(frozen=True)
class Figure:
    """One figure of the report: its number, the name its title gives it, the KPIs it
    draws (the first places it in that KPI's plan priority) and how it draws them."""

    number: int
    name: str
    kpis: tuple[str, ...]
    kind: str  # trend | service_level | lpa_comparison | outcome_codes | panels | indexed
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
        "panels",
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
        "indexed",
    ),
]


def as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


def mid_month(day: date) -> date:
    """Where a month's point is drawn: the middle of its month, on its month's tick."""
    return date(day.year, day.month, 15)


def svg(fig: plt.Figure, title: str, desc: str, ident: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", text, count=1)
    text = text.replace("<svg ", '<svg role="img" aria-labelledby="{id}-t {id}-d" ', 1)
    text = text.replace("{id}", ident, 2)
    head_end = text.index(">") + 1
    return (
        text[:head_end]
        + f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + text[head_end:]
    )


def unit_axis(ax: plt.Axes, unit: str, label: str | None = None) -> None:
    if unit == "percent":
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_ylim(0, 100)
        ax.set_ylabel(label or "Per cent")
        return
    if unit == "harm_days":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1e6:.0f}m"))
        ax.set_ylabel(label or "Harm score (days, millions)")
    elif unit == "per_1000_population":
        ax.set_ylabel(label or "Crimes per 1,000 population")
    elif unit == "index":
        ax.set_ylabel(label or "Per cent of the baseline figure")
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_ylabel(label or "Count")
    ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1) * 1.05)


def month_axis(ax: plt.Axes, months: list[date]) -> None:
    quarterly = [mid_month(m) for m in months if m.month in (1, 4, 7, 10)]
    ax.set_xticks(quarterly)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonthday=15))
    ax.grid(axis="x", which="major", color="#eeeeee")
    if months:
        ax.set_xlim(mdates.date2num(mid_month(months[0])) - 20,
                    mdates.date2num(mid_month(months[-1])) + 20)  # fmt: skip
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)
        tick.set_ha("right")


def mark_windows(ax: plt.Axes, card: Row, rolling: bool, months: list[date]) -> None:
    """The baseline and current windows, as brackets along the top of the plot (text and
    line at 3:1 or more) over a light shading: a rolling 12-month series marks the month
    that is each window (its end), a monthly one the months each window covers."""
    if not months:
        return
    first, last = months[0], months[-1]
    for role, colour in WINDOW_COLOURS.items():
        start, end = as_date(card[f"{role}_start"]), as_date(card[f"{role}_end"])
        name = f"{role.capitalize()}: {wording.period_name(start, end)}"
        if rolling:
            if first <= end <= last:
                ax.axvline(mid_month(end), color=colour, linestyle=(0, (4, 2)), linewidth=1.2,
                           label=f"{name} (its point)")  # fmt: skip
            continue
        lo, hi = max(start, first), min(end, last)
        if lo > hi:
            continue
        x0 = mdates.date2num(mid_month(lo)) - 14
        x1 = mdates.date2num(mid_month(hi)) + 14
        ax.axvspan(x0, x1, color=colour, alpha=0.06, linewidth=0)
        transform = ax.get_xaxis_transform()
        ax.plot([x0, x1], [1.02, 1.02], color=colour, linewidth=3, transform=transform,
                clip_on=False, solid_capstyle="butt")  # fmt: skip
        ax.text((x0 + x1) / 2, 1.04, name, color=colour, fontsize=7, ha="center",
                va="bottom", transform=transform)  # fmt: skip


def series(data: ReportData, kpi_id: str, area: str = "FORCE") -> tuple[list[date], list[float]]:
    points = [p for p in data.trend.get((kpi_id, area), []) if p["kpi_value"] is not None]
    return [as_date(p["month_end"]) for p in points], [p["kpi_value"] for p in points]


def unit_of(data: ReportData, kpi_id: str) -> str:
    return next(str(k["unit"]) for k in data.kpis if k["kpi_id"] == kpi_id)


def name(data: ReportData, kpi_id: str) -> str:
    return next(str(k["kpi_name"]) for k in data.kpis if k["kpi_id"] == kpi_id)


def has_limits(data: ReportData, kpi_id: str, area: str = "FORCE") -> bool:
    rows = data.trend.get((kpi_id, area), [])
    return any(r.get("upper_process_limit") is not None for r in rows)


def draw_limits(ax: plt.Axes, data: ReportData, kpi_id: str, area: str = "FORCE") -> None:
    """XmR control limits and centre line of a monthly series, and its special-cause
    months (a ring in the direction's colour), when the warehouse has them."""
    rows = [r for r in data.trend.get((kpi_id, area), []) if r["kpi_value"] is not None]
    if not has_limits(data, kpi_id, area):
        return
    x = [mid_month(as_date(r["month_end"])) for r in rows]
    for column, style, text in (
        ("centre_line", "-", "Centre line (baseline mean)"),
        ("upper_process_limit", (0, (2, 2)), "Control limits"),
        ("lower_process_limit", (0, (2, 2)), None),
    ):
        ax.plot(x, [r.get(column) for r in rows], color=LIMIT_COLOUR, linewidth=0.9,
                linestyle=style, label=text, zorder=2)  # fmt: skip
    flagged = [r for r in rows if r.get("special_cause")]
    for direction, colour in SPECIAL_CAUSE.items():
        points = [
            r for r in flagged if (r.get("special_cause_direction") or "neutral") == direction
        ]
        if points:
            ax.scatter([mid_month(as_date(r["month_end"])) for r in points],
                       [r["kpi_value"] for r in points], s=70, facecolors="none",
                       edgecolors=colour, linewidths=1.6, zorder=5,
                       label=f"Special cause ({direction})")  # fmt: skip


def legend_below(ax: plt.Axes, columns: int = 2) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, fontsize=7, ncol=columns, loc="upper center",
                  bbox_to_anchor=(0.5, -0.28), frameon=False)  # fmt: skip


def top_outcome_codes(data: ReportData, top: int) -> list[Row]:
    return [
        r for r in data.outcome_codes if r["window_role"] == "current" and r["volume_rank"] <= top
    ]


DESCRIPTIONS = {
    "trend": "Line chart, by month",
    "service_level": (
        "Two panels by month: the service level (line) above, calls abandoned (bars) below"
    ),
    "lpa_comparison": (
        "Line chart by month, one line per local policing area and a thicker black line "
        "for the force"
    ),
    "panels": "Two panels by month, one per series",
    "indexed": (
        "Line chart by month of both series, each as a percentage of its value at the end "
        "of the baseline"
    ),
}
LIMITS_DESCRIPTION = (
    " Dashed grey lines are control limits, the solid grey line the centre line; rings "
    "mark special cause."
)


def describe(figure: Figure, data: ReportData) -> str:
    """The figure in a sentence or two, for a screen reader (its data table has every
    value)."""
    if figure.kind == "outcome_codes":
        top = top_outcome_codes(data, figure.top)
        if not top:
            return "Bar chart of outcome codes: no outcomes in the window."
        first = top[0]
        return (
            f"Horizontal bar chart of the {len(top)} outcome codes assigned most often in the "
            f"current window, largest first: OC{first['outcome_code']} with "
            f"{wording.figure(first['outcomes'], 'count')} outcomes. Positive outcomes are "
            "solid bars, other outcomes hatched. The data table below gives every bar."
        )
    parts = []
    for kpi in figure.kpis:
        x, y = series(data, kpi)
        if x:
            unit = unit_of(data, kpi)
            parts.append(
                f"{name(data, kpi)}: {wording.figure(y[0], unit)} in {wording.month_name(x[0])}, "
                f"{wording.figure(y[-1], unit)} in {wording.month_name(x[-1])}"
            )
    kind = DESCRIPTIONS[figure.kind]
    limits = LIMITS_DESCRIPTION if any(has_limits(data, k) for k in figure.kpis) else ""
    return (
        f"{kind}. " + "; ".join(parts) + "." + limits + " The data table below gives every value."
    )


def note(figure: Figure, data: ReportData) -> str:
    """A line under a figure's caption, in words (no figure)."""
    if figure.kind == "indexed":
        return (
            "Both series are shown as a percentage of their own value at the end of the "
            "baseline year, so that equal falls look equal; the data table gives the figures."
        )
    if figure.kind in ("service_level", "lpa_comparison") and not any(
        has_limits(data, k) for k in figure.kpis
    ):
        return "Control limits will be shown once the warehouse computes them."
    return ""


def line(ax: plt.Axes, x: list[date], y: list[float], i: int, text: str, **extra: object) -> None:
    ax.plot([mid_month(d) for d in x], y, color=PALETTE[i % len(PALETTE)],
            marker=MARKERS[i % len(MARKERS)], linestyle=LINESTYLES[i % len(LINESTYLES)],
            markersize=3.5, linewidth=1.4, label=text, zorder=3, **extra)  # fmt: skip


def draw(figure: Figure, data: ReportData, title: str) -> str:
    card = data.scorecard[figure.kpis[0]]
    desc = describe(figure, data)
    if figure.kind in ("service_level", "panels"):
        fig, axes = plt.subplots(2, 1, figsize=(7.5, 6.8), sharex=False,
                                 gridspec_kw={"hspace": 1.05})  # fmt: skip
        for i, (ax, kpi) in enumerate(zip(axes, figure.kpis, strict=True)):
            x, y = series(data, kpi)
            unit = unit_of(data, kpi)
            if figure.kind == "service_level" and unit != "percent":
                ax.bar([mid_month(d) for d in x], y, width=20, color=PALETTE[1],
                       edgecolor="#7a3300", hatch="///", label=name(data, kpi),
                       zorder=3)  # fmt: skip
            else:
                line(ax, x, y, i, name(data, kpi))
            draw_limits(ax, data, kpi)
            unit_axis(ax, unit)
            month_axis(ax, x)
            ax.tick_params(labelbottom=True)
            mark_windows(ax, data.scorecard[kpi], rolling=figure.kind == "panels", months=x)
            legend_below(ax)
        return svg(fig, title, desc, f"figure-{figure.number}-svg")
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    if figure.kind == "trend":
        x, y = series(data, figure.kpis[0])
        line(ax, x, y, 0, "Rolling 12 months")
        unit_axis(ax, unit_of(data, figure.kpis[0]))
        month_axis(ax, x)
        mark_windows(ax, card, rolling=True, months=x)
        legend_below(ax)
    elif figure.kind == "indexed":
        months: list[date] = []
        for i, kpi in enumerate(figure.kpis):
            x, y = series(data, kpi)
            base_end = as_date(data.scorecard[kpi]["baseline_end"])
            base = next((v for d, v in zip(x, y, strict=True) if d == base_end), None)
            if base:
                line(ax, x, [100 * v / base for v in y], i, name(data, kpi))
                months = months or x
        unit_axis(ax, "index")
        month_axis(ax, months)
        mark_windows(ax, card, rolling=True, months=months)
        legend_below(ax)
    elif figure.kind == "lpa_comparison":
        months = []
        for i, lpa in enumerate(data.lpas):
            x, y = series(data, figure.kpis[0], str(lpa["lpa_code"]))
            line(ax, x, y, i, str(lpa["lpa_name"]))
            months = months or x
        x, y = series(data, figure.kpis[0])
        ax.plot([mid_month(d) for d in x], y, color=FORCE_COLOUR, linewidth=2.6, label="Force",
                zorder=4)  # fmt: skip
        draw_limits(ax, data, figure.kpis[0])
        unit_axis(ax, unit_of(data, figure.kpis[0]))
        month_axis(ax, x or months)
        mark_windows(ax, card, rolling=False, months=x or months)
        legend_below(ax, columns=4)
    elif figure.kind == "outcome_codes":
        top = top_outcome_codes(data, figure.top)
        labels = [f"OC{r['outcome_code']}" for r in top][::-1]
        values = [r["outcomes"] for r in top][::-1]
        positive = [bool(r["is_positive"]) for r in top][::-1]
        bars = ax.barh(labels, values, color=[PALETTE[2] if p else "#ffffff" for p in positive],
                       edgecolor=[PALETTE[2] if p else PALETTE[0] for p in positive],
                       linewidth=1.2, zorder=3)  # fmt: skip
        for bar, p in zip(bars, positive, strict=True):
            if not p:
                bar.set_hatch("////")
        for bar, v in zip(bars, values, strict=True):
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {v:,.0f}",
                    va="center", fontsize=7)  # fmt: skip
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_xlim(0, max(values, default=1) * 1.15)
        ax.set_xlabel("Outcomes assigned in the window")
        ax.set_ylabel("Outcome code")
        ax.grid(axis="y", visible=False)
        ax.legend(
            handles=[
                plt.Rectangle((0, 0), 1, 1, facecolor=PALETTE[2], edgecolor=PALETTE[2],
                              label="Positive outcome"),
                plt.Rectangle((0, 0), 1, 1, facecolor="#ffffff", edgecolor=PALETTE[0],
                              hatch="////", label="Other outcome"),
            ],
            fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False,
        )  # fmt: skip
    return svg(fig, title, desc, f"figure-{figure.number}-svg")
