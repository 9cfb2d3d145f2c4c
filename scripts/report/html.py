"""The board report as one self-contained HTML page: sections per plan priority with
their KPIs' sentences and table, Figures 1-8, the LPA comparisons, the annexes (data
quality of the delivery, the reproduced report's disagreements) and the outcome-code
glossary.

Provenance: every figure is printed inside a `<data>` element naming the table, key
and column it was read from (`data-source`, `data-key`, `data-field`; `data-agg` when it
is a count of rows) and holding the value itself; every date inside a `<time>`;
paragraph and figure numbers inside `class="ref"`. tests/python/test_report.py reads
each back from the warehouse, and finds no other digit in the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from report import charts, wording
from report.data import ReportData, Row, is_paragraph, section_order

TEMPLATES = Path(__file__).with_name("templates")

# KPIs whose LPA breakdown the report compares (paragraphs 2.8, 5.2, 5.5, 7.13, 7.17).
LPA_COMPARISONS = [
    "total_recorded_crime",
    "neighbourhood_crime",
    "shoplifting",
    "emergency_attended_within_15min_pct",
    "priority_attended_within_1h_pct",
]

Html = Markup


def value_attr(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value)


def key_attr(key: dict[str, object]) -> str:
    return json.dumps({k: value_attr(v) for k, v in key.items()}, sort_keys=True)


def sourced(
    row: Row, field: str, text: str, *, unit: str = "", form: str = "text", value: object = None
) -> Html:
    """A value printed from `row`: the element names where it came from. `form` says how
    `text` was written from the value (figure, change, magnitude, text)."""
    shown = row[field] if value is None else value
    return Markup(
        '<data value="{v}" data-source="{s}" data-key="{k}" data-field="{f}" '
        'data-unit="{u}" data-form="{form}">{t}</data>'
    ).format(
        v=value_attr(shown),
        s=row.source,
        k=key_attr(row.key),
        f=field,
        u=unit,
        form=form,
        t=text,
    )


def counted(source: str, key: dict[str, object], field: str, value: int, text: str) -> Html:
    """A count of rows of `source` matching `key` (distinct values of `field`)."""
    return Markup(
        '<data value="{v}" data-source="{s}" data-key="{k}" data-field="{f}" '
        'data-agg="count_distinct" data-form="figure" data-unit="count">{t}</data>'
    ).format(v=value, s=source, k=key_attr(key), f=field, t=text)


def when(day: object) -> Html:
    day = charts.as_date(day)
    return Markup('<time datetime="{d}">{t}</time>').format(
        d=day.isoformat(), t=wording.month_name(day)
    )


def period(start: object, end: object) -> Html:
    parts = wording.period_parts(charts.as_date(start), charts.as_date(end))
    return Markup("").join(when(day) if day is not None else escape(text) for text, day in parts)


def ref(text: str) -> Html:
    return Markup('<span class="ref">{}</span>').format(text)


def figure_text(row: Row, field: str, unit: str) -> Html:
    return sourced(row, field, wording.figure(row[field], unit), unit=unit, form="figure")


def change_text(row: Row, unit: str, signed: bool = True) -> Html:
    field = wording.change_field(unit)
    form = "change" if signed else "magnitude"
    return sourced(
        row, field, wording.change(row[field], unit, signed=signed), unit=unit, form=form
    )


def subject(row: Row) -> Html:
    """The KPI's name as a sentence's subject (first letter lower-cased unless it is an
    acronym or a number)."""
    name = str(row["kpi_name"])
    first = name.split(" ")[0]
    shown = name if first.isupper() or first[0].isdigit() else name[0].lower() + name[1:]
    return sourced(row, "kpi_name", shown, form="text")


SNAPSHOTS = {"latest", "latest_percent_of"}  # a return at a month end, not a window's sum


def window(card: Row, role: str, calculation: str = "") -> Html:
    """A window as the report names it: "year ending September 2025", or for a snapshot
    (the latest monthly return in the window) the month of the return."""
    if calculation in SNAPSHOTS:
        return when(card[f"{role}_end"])
    return period(card[f"{role}_start"], card[f"{role}_end"])


def sentence(card: Row, unit: str, calculation: str = "") -> Html:
    """One KPI in the report's register, every number, direction and period from the
    scorecard row."""
    name = subject(card)
    if card["status"] == "in_development":
        return Markup(
            "{} is in development: it will be reported once its measure and baseline are agreed."
        ).format(sourced(card, "kpi_name", str(card["kpi_name"])))
    current = Markup("{}{}").format(
        figure_text(card, "current_value", unit), wording.unit_suffix(unit)
    )
    if calculation in SNAPSHOTS:
        opening = Markup("As of {}, ").format(window(card, "current", calculation))
    else:
        opening = Markup("For the {}, ").format(window(card, "current"))
    if card["current_value"] is None:
        return opening + Markup("{} has no figure.").format(name)
    change_value = card[wording.change_field(unit)]
    if card["baseline_value"] is None or change_value is None:
        return opening + Markup("{} was {}.").format(name, current)
    baseline = Markup("{}{}").format(
        figure_text(card, "baseline_value", unit), wording.unit_suffix(unit)
    )
    base_period = window(card, "baseline", calculation)
    verb = wording.direction(change_value, str(card["status"]))
    if verb == "was stable":
        return opening + Markup(
            "{} was stable at {} ({} against the baseline {}, when it was {})."
        ).format(name, current, change_text(card, unit), base_period, baseline)
    magnitude = change_text(card, unit, signed=False)
    if unit in wording.POINTS_UNITS:
        changed = Markup("{} {}").format(wording.change_noun(change_value, unit), magnitude)
    else:
        text = wording.change(change_value, unit, signed=False)
        changed = Markup("{} {} {}").format(
            wording.article(text), magnitude, wording.change_noun(change_value, unit)
        )
    return opening + Markup("{} {} to {}, {} compared to the baseline {}, when it was {}.").format(
        name, verb, current, changed, base_period, baseline
    )


def status(card: Row) -> Html:
    shape, word = wording.status_marker(str(card["status"]))
    return Markup(
        '<span class="status status-{s}"><span aria-hidden="true">{shape}</span> {w}</span>'
    ).format(s=card["status"], shape=shape, w=word)


def kpi_row(
    card: Row, unit: str, label: Html | None = None, calculation: str = ""
) -> dict[str, Html]:
    live = card["status"] != "in_development"

    def cell(field: str) -> Html:
        return figure_text(card, field, unit) if live and card[field] is not None else Markup("")

    change_value = card[wording.change_field(unit)]
    return {
        "name": label or sourced(card, "kpi_name", str(card["kpi_name"])),
        "period": Markup("{} <span class=\"vs\">against</span> {}").format(
            window(card, "current", calculation),
            window(card, "baseline", calculation),
        ) if live else Markup(""),
        "baseline": cell("baseline_value"),
        "current": cell("current_value"),
        "change": change_text(card, unit) if live and change_value is not None else Markup(""),
        "status": status(card),
    }  # fmt: skip


def neighbourhood_sentence(data: ReportData, card: Row) -> Html | None:
    top = data.by_neighbourhood.get(str(card["kpi_id"]), [])
    if not top:
        return None
    listed = Markup(", ").join(
        Markup("{} ({})").format(
            sourced(r, "neighbourhood_name", str(r["neighbourhood_name"])),
            figure_text(r, "current_value", "count"),
        )
        for r in top
    )
    return Markup("The neighbourhoods with most {} were: {}.").format(subject(card), listed)


def figure_block(figure: charts.Figure, data: ReportData) -> dict[str, object]:
    first = figure.kpis[0]
    card = data.scorecard[first]
    months = len(data.trend.get((first, "FORCE"), []))
    months_html = counted(
        "marts.kpi_trend_monthly", {"kpi_id": first, "area_code": "FORCE"}, "month_end", months,
        str(months),
    )  # fmt: skip
    period_html = period(card["current_start"], card["current_end"])
    plain = figure.name.format(
        months=months, period=wording.period_name(
            charts.as_date(card["current_start"]), charts.as_date(card["current_end"])
        ).title(),
    )  # fmt: skip
    name = escape(figure.name)
    caption = Markup(
        str(name).replace("{months}", str(months_html)).replace("{period}", str(period_html))
    )
    # the static words of a title ("999 10s", "Highest 10") are labels, not figures
    caption = Markup(
        "".join(
            part if part.startswith("<") or not any(c.isdigit() for c in part) else str(ref(part))
            for part in split_markup(str(caption))
        )
    )
    return {
        "number": figure.number,
        "caption": caption,
        "svg": Markup(charts.draw(figure, data, f"Figure {figure.number} – {plain}")),  # noqa: RUF001 (the report's dash)
        "anchor": f"figure-{figure.number}",
    }


def split_markup(html: str) -> Iterable[str]:
    """Text and whole `<data>…</data>`/`<time>…</time>` elements of a caption, in order."""
    out, i = [], 0
    while i < len(html):
        start = html.find("<", i)
        if start < 0:
            out.append(html[i:])
            break
        if start > i:
            out.append(html[i:start])
        tag = html[start + 1 : html.index(" ", start)]
        end = html.index(f"</{tag}>", start) + len(tag) + 3
        out.append(html[start:end])
        i = end
    return out


def lpa_block(data: ReportData, kpi_id: str) -> dict[str, object] | None:
    rows = data.by_lpa.get(kpi_id)
    card = data.scorecard.get(kpi_id)
    if not rows or card is None:
        return None
    unit = str(card["unit"])
    field = wording.change_field(unit)
    changed = [r for r in rows if r[field] is not None]
    summary = None
    if changed:
        low = min(changed, key=lambda r: r[field])
        high = max(changed, key=lambda r: r[field])
        summary = Markup("Largest fall: {} ({}); largest rise or smallest fall: {} ({}).").format(
            sourced(low, "lpa_name", str(low["lpa_name"])), change_text(low, unit),
            sourced(high, "lpa_name", str(high["lpa_name"])), change_text(high, unit),
        )  # fmt: skip
    return {
        "title": sourced(card, "kpi_name", str(card["kpi_name"])),
        "period": kpi_row(card, unit)["period"],
        "summary": summary,
        "rows": [kpi_row(r, unit, label=sourced(r, "lpa_name", str(r["lpa_name"]))) for r in rows],
        "force": kpi_row(card, unit, label=Markup("Force")),
    }


def priorities(data: ReportData) -> list[dict[str, object]]:
    """Plan priorities in the report's order, each with its paragraphs (KPIs sharing a
    paragraph number share a paragraph), figures and KPI table."""
    by_priority: dict[str, list[Row]] = {}
    for kpi in data.kpis:
        if kpi["kpi_id"] in data.scorecard:
            by_priority.setdefault(str(kpi["plan_priority"]), []).append(kpi)
    figures_at = {}
    for figure in charts.FIGURES:
        owner = next(k for k in data.kpis if k["kpi_id"] == figure.kpis[0])
        figures_at.setdefault(str(owner["plan_priority"]), []).append(figure)
    out = []
    ordered = sorted(by_priority.items(), key=lambda item: section_order(item[1][0]["section"]))
    for priority, kpis in ordered:
        paragraphs: dict[str, list[Html]] = {}
        rows = []
        for kpi in kpis:
            card, unit = data.scorecard[kpi["kpi_id"]], str(kpi["unit"])
            calculation = str(kpi["calculation"])
            paragraphs.setdefault(str(kpi["section"]), []).append(sentence(card, unit, calculation))
            extra = neighbourhood_sentence(data, card)
            if extra is not None:
                paragraphs[str(kpi["section"])].append(extra)
            rows.append(kpi_row(card, unit, calculation=calculation))
        number = str(kpis[0]["section"]).split(".")[0]  # kpis are in section order
        out.append(
            {
                "number": ref(f"{number}."),
                "anchor": f"section-{number}",
                "title": priority,
                "paragraphs": [
                    {
                        "ref": ref(section) if is_paragraph(section) else Markup(""),
                        "text": Markup(" ").join(texts),
                    }
                    for section, texts in sorted(
                        paragraphs.items(), key=lambda i: section_order(i[0])
                    )
                ],
                "figures": [figure_block(f, data) for f in figures_at.get(priority, [])],
                "rows": rows,
            }
        )
    return out


def main_window(data: ReportData) -> tuple[date, date, date, date]:
    """The windows most KPIs are measured over (the vars' plan baseline and current
    period): baseline start and end, current start and end."""
    windows: dict[tuple[date, ...], int] = {}
    for c in data.scorecard.values():
        if c["status"] != "in_development" and c["current_end"] is not None:
            window = tuple(
                charts.as_date(c[f])
                for f in ("baseline_start", "baseline_end", "current_start", "current_end")
            )
            windows[window] = windows.get(window, 0) + 1
    return max(windows, key=windows.__getitem__)  # type: ignore[return-value]


def introduction(data: ReportData) -> list[Html]:
    base_start, base_end, cur_start, cur_end = main_window(data)
    names = sorted({str(k["plan_priority"]) for k in data.kpis}, key=lambda p: min(
        section_order(k["section"]) for k in data.kpis if k["plan_priority"] == p
    ))  # fmt: skip
    gated = data.published_at
    return [
        Markup(
            "This report presents performance against the priorities of the Police and Crime "
            "Plan: {}. Each priority's KPIs are measured by the warehouse from the force's "
            "extracts; no figure in it was typed."
        ).format(", ".join(n[0].lower() + n[1:] for n in names)),
        Markup(
            "Unless otherwise specified, the data covers the {}. Performance is assessed "
            "against the plan baseline, the {}. A KPI measured over other windows (a lag "
            "for data entered late, a return at a month end) states its own in the tables."
        ).format(period(cur_start, cur_end), period(base_start, base_end)),
        Markup(
            "Each KPI's change is in its own terms: percentage points for a rate, per cent "
            "for a count, a sum or a time. Its status follows the KPI's polarity (whether "
            "higher is better); a change too small to matter is stable, and a KPI still in "
            "development is listed without a figure."
        ),
        Markup(
            "The figures are those of the delivery the quality gate accepted in {}, as "
            "published; data is largely sourced from live systems and may be revised "
            "(Annex A; every revision is listed in marts.kpi_revisions)."
        ).format(when(gated) if gated is not None else Markup("an earlier run")),
    ]


def annex_quality(data: ReportData) -> dict[str, object]:
    deliveries = [
        {
            "extract": sourced(d, "extract", str(d["extract"])),
            "status": sourced(d, "status", str(d["status"])),
            "rows_in": figure_text(d, "rows_in", "count"),
            "rows_validated": figure_text(d, "rows_validated", "count"),
            "rows_quarantined": figure_text(d, "rows_quarantined", "count"),
        }
        for d in data.deliveries
    ]
    quarantine = [
        {
            "extract": sourced(q, "extract", str(q["extract"])),
            "rule": sourced(q, "rule", str(q["rule"])),
            "rows": Markup(
                '<data value="{v}" data-source="quality.extract_quarantine" data-key="{k}" '
                'data-field="line" data-agg="count" data-form="figure" data-unit="count">{t}</data>'
            ).format(v=q["rows"], k=key_attr(q.key), t=wording.figure(q["rows"], "count")),
        }
        for q in data.quarantine
    ]
    return {"deliveries": deliveries, "quarantine": quarantine}


def annex_disagreements(data: ReportData) -> list[dict[str, Html]]:
    return [
        {
            "paragraph": sourced(d, "paragraph", str(d["paragraph"])),
            "kpi": sourced(d, "kpi_id", str(d["kpi_id"])),
            "stated": sourced(d, "stated", str(d["stated"])),
            "warehouse": sourced(d, "warehouse_value", f"{d['warehouse_value']:,}"),
            "reason": sourced(d, "reason", str(d["reason"])),
        }
        for d in data.disagreements
    ]


def glossary(data: ReportData) -> list[dict[str, Html]]:
    return [
        {
            "code": sourced(g, "outcome_code", f"OC{g['outcome_code']}"),
            "description": sourced(g, "outcome_description", str(g["outcome_description"])),
            "positive": sourced(g, "is_positive", "Yes" if g["is_positive"] else "No"),
        }
        for g in data.glossary
    ]


def render(data: ReportData) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    sections = priorities(data)
    _, _, current_start, current_end = main_window(data)
    lpa = [block for kpi in LPA_COMPARISONS if (block := lpa_block(data, kpi))]
    return env.get_template("report.html.j2").render(
        period=period(current_start, current_end),
        introduction=introduction(data),
        sections=sections,
        lpa=lpa,
        quality=annex_quality(data),
        disagreements=annex_disagreements(data),
        glossary=glossary(data),
        lpa_number=ref(f"{len(sections) + 2}."),
    )
