"""The board paper's structure, as the November 2025 paper has it: cover, summary, since
the last paper, 1 Introduction, a section per plan priority (its introduction, a
paragraph per KPI in the paper's numbering, context paragraphs, paragraphs written from
LPA and trend rows, figures, the KPI table and LPA tables), Equality Implications, Next
Steps, the author, and the annexes (data quality, disagreements, definitions, the
figures' data) and the outcome codes glossary.

Every sentence is a macro of reports/wording/sentences.j2 or a paragraph of
reports/wording/paragraphs.yml (see scripts/report/wording.py); this module only decides
which sentence a row calls for and hands it the row's values, each printed with its
source (scripts/report/html.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from report import charts, wording
from report.data import PublicData, ReportData, Row, is_paragraph, section_order
from report.html import (
    as_date,
    change_text,
    counted,
    figure_ref,
    figure_text,
    is_suppressed,
    kpi_name,
    label,
    period,
    ref,
    sourced,
    status,
    when,
    with_suffix,
    withheld,
)

TEMPLATES = Path(__file__).with_name("templates")
Html = Markup


@dataclass
class Kpi:
    """What the sentence macros get for one scorecard row (reports/wording/sentences.j2
    lists the fields)."""

    id: str
    name: Html
    subject: Html
    plural: bool
    form: str
    opening: Html
    period: Html
    current: Html
    baseline: Html
    base_period: Html
    direction: str
    points: bool
    magnitude: Html
    magnitude_text: str
    signed: Html
    difference: Html
    same_printed: bool
    tiny: bool
    status: str
    tested: bool
    in_development: bool
    suppressed: Html | None
    has_current: bool
    has_baseline: bool
    same_return: bool


def tested(card: Row) -> bool:
    """Whether the status came from a significance test (issue 19's columns)."""
    return card.get("is_significant") is not None or card.get("test_method") not in (
        None,
        "none",
    )


def kpi_context(
    card: Row, words: wording.Words, calculation: str, *, same_return: bool = False
) -> Kpi:
    kpi_id = str(card["kpi_id"])
    unit = str(card["unit"])
    said = words.kpis.get(kpi_id)
    subject_text = said.subject if said else str(card["kpi_name"])
    form = wording.period_form(said, calculation)
    live = card["status"] != "in_development"
    if form == "as_of":
        opening = Markup("As of {}").format(when(card["current_end"]))
        base_period = Markup("{}, the baseline").format(when(card["baseline_end"]))
        own_period = when(card["current_end"])
    else:
        opening = Markup("For {}").format(
            period(card["current_start"], card["current_end"], article=True)
        )
        base_period = Markup("the baseline {}").format(
            period(card["baseline_start"], card["baseline_end"])
            if wording.months_between(
                as_date(card["baseline_start"]), as_date(card["baseline_end"])
            )
            == 12
            else Markup("period, {}").format(period(card["baseline_start"], card["baseline_end"]))
        )
        own_period = period(card["current_start"], card["current_end"], article=True)
    field = wording.change_field(unit)
    change = card[field]
    has = {role: live and card[f"{role}_value"] is not None for role in ("current", "baseline")}
    return Kpi(
        id=kpi_id,
        name=kpi_name(card),
        subject=label(kpi_id, subject_text),
        plural=said.plural if said else False,
        form=form,
        opening=opening,
        period=own_period,
        current=with_suffix(card, "current_value", unit) if has["current"] else Markup(""),
        baseline=with_suffix(card, "baseline_value", unit) if has["baseline"] else Markup(""),
        base_period=base_period,
        direction=direction_of(card, unit),
        points=unit in wording.POINTS_UNITS,
        magnitude=change_text(card, unit, signed=False) if change is not None else Markup(""),
        magnitude_text=wording.change(change, unit, signed=False) if change is not None else "",
        signed=change_text(card, unit) if change is not None else Markup(""),
        difference=sourced(
            card,
            "change_value",
            wording.figure(abs(card["change_value"]), "count"),
            unit="count",
            form="magnitude",
        )
        if unit == "count" and card["change_value"] is not None
        else Markup(""),
        same_printed=has["current"]
        and has["baseline"]
        and change is not None
        and card["current_value"] != card["baseline_value"]
        and wording.figure(card["current_value"], unit)
        == wording.figure(card["baseline_value"], unit),
        tiny=change is not None and change != 0 and round(abs(change), 1) == 0,
        status=str(card["status"]),
        tested=tested(card),
        in_development=not live,
        suppressed=withheld_reason(card),
        has_current=has["current"],
        has_baseline=has["baseline"] and change is not None,
        same_return=same_return,
    )


def direction_of(card: Row, unit: str) -> str:
    """rose / fell / unchanged, from the sign of the change in the KPI's terms; a change
    whose printed figures are equal is unchanged."""
    change = card[wording.change_field(unit)]
    if change is None or card["current_value"] is None or card["baseline_value"] is None:
        return "unchanged"
    if card["current_value"] == card["baseline_value"] or change == 0:
        return "unchanged"
    return "rose" if change > 0 else "fell"


def withheld_reason(card: Row) -> Html | None:
    if not is_suppressed(card) or card["current_value"] is not None:
        return None
    reason = card.get("suppression_reason")
    return sourced(card, "suppression_reason", str(reason)) if reason else Markup("withheld")


def sentence(card: Row, words: wording.Words, calculation: str, same_return: bool) -> Html:
    return words.sentence("kpi", kpi_context(card, words, calculation, same_return=same_return))


# ---------------------------------------------------------------------------------------
# Tables


def window(card: Row, role: str, form: str) -> Html:
    if form == "as_of":
        return when(card[f"{role}_end"])
    return period(card[f"{role}_start"], card[f"{role}_end"])


def kpi_row(card: Row, unit: str, form: str, name: Html | None = None) -> dict[str, Html]:
    live = card["status"] != "in_development"
    suppressed = is_suppressed(card)

    def cell(field: str) -> Html:
        if not live:
            return Markup("")
        if card[field] is None:
            return withheld(card) if suppressed else Markup('<span class="none">no figure</span>')
        return figure_text(card, field, unit)

    change_value = card[wording.change_field(unit)]
    return {
        "name": name or kpi_name(card),
        "period": Markup('{} <span class="vs">against</span> {}').format(
            window(card, "current", form), window(card, "baseline", form)
        ) if live else Markup(""),
        "baseline": cell("baseline_value"),
        "current": cell("current_value"),
        "change": change_text(card, unit) if live and change_value is not None else Markup(""),
        "status": status(card),
        "paragraph": ref(str(card["section"])) if is_paragraph(card["section"]) else Markup(""),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------
# Figures


def trend_rows(data: ReportData, kpi_id: str, area: str = "FORCE") -> list[Row]:
    return data.trend.get((kpi_id, area), [])


def figure_series(figure: charts.Figure, data: ReportData) -> list[tuple[str, str, Html]]:
    """The series a figure draws, as (kpi_id, area_code, column heading)."""
    if figure.kind == "lpa_comparison":
        kpi = figure.kpis[0]
        return [
            (kpi, str(lpa["lpa_code"]), sourced(lpa, "lpa_name", str(lpa["lpa_name"])))
            for lpa in data.lpas
        ] + [(kpi, "FORCE", Markup("Force"))]
    return [(kpi, "FORCE", kpi_name(data.scorecard[kpi])) for kpi in figure.kpis]


def figure_table(figure: charts.Figure, data: ReportData) -> dict[str, object]:
    """A figure's data as a table: a row per month (or outcome code), a column per series."""
    if figure.kind == "outcome_codes":
        top = charts.top_outcome_codes(data, figure.top)
        return {
            "head": [Markup("Outcome code"), Markup("Outcomes"), Markup("Positive outcome")],
            "rows": [
                [
                    sourced(r, "outcome_code", f"OC{r['outcome_code']}"),
                    figure_text(r, "outcomes", "count"),
                    sourced(r, "is_positive", "Yes" if r["is_positive"] else "No"),
                ]
                for r in top
            ],
        }
    series = figure_series(figure, data)
    by_month: dict[date, dict[int, Row]] = {}
    for i, (kpi, area, _) in enumerate(series):
        for row in trend_rows(data, kpi, area):
            by_month.setdefault(as_date(row["month_end"]), {})[i] = row
    units = [str(data.scorecard[kpi]["unit"]) for kpi, _, _ in series]
    return {
        "head": [Markup("Month"), *(heading for _, _, heading in series)],
        "rows": [
            [when(month)]
            + [
                figure_text(cells[i], "kpi_value", units[i])
                if i in cells and cells[i]["kpi_value"] is not None
                else Markup("")
                for i in range(len(series))
            ]
            for month, cells in sorted(by_month.items())
        ],
    }


def figure_block(figure: charts.Figure, data: ReportData) -> dict[str, object]:
    first = figure.kpis[0]
    card = data.scorecard[first]
    months = len(trend_rows(data, first))
    months_html = counted(
        "marts.kpi_trend_monthly", {"kpi_id": first, "area_code": "FORCE"}, "month_end", months,
        str(months),
    )  # fmt: skip
    current = period(card["current_start"], card["current_end"], title=True)
    plain = figure.name.format(
        months=months,
        period=wording.period_name(
            as_date(card["current_start"]), as_date(card["current_end"])
        ).title(),
    )
    # the title's own words ("999 10s", "Highest 10") are a name, not figures: marked
    # as such (class ref); its months and period are values with their source
    pieces = re.split(r"(\{months\}|\{period\})", figure.name)
    caption = Markup("").join(
        months_html if piece == "{months}" else current if piece == "{period}"
        else ref(piece) if re.search(r"\d", piece) else Markup.escape(piece)
        for piece in pieces if piece
    )  # fmt: skip
    return {
        "number": figure.number,
        "caption": caption,
        "svg": Markup(charts.draw(figure, data, f"Figure {figure.number}: {plain}")),
        "anchor": f"figure-{figure.number}",
        "table": figure_table(figure, data),
        "note": charts.note(figure, data),
    }


# ---------------------------------------------------------------------------------------
# Paragraphs written from LPA, trend and workforce rows (paragraphs.yml `derived`)


@dataclass
class Point:
    value: Html
    name: Html | None = None
    month: Html | None = None
    higher: bool = False
    lower: bool = False


def lpa_changes(data: ReportData, words: wording.Words, kpi_id: str) -> Html | None:
    card = data.scorecard.get(kpi_id)
    rows = data.by_lpa.get(kpi_id)
    if card is None or not rows:
        return None
    unit = str(card["unit"])
    field = wording.change_field(unit)
    shown = [r for r in rows if r[field] is not None]

    def item(r: Row) -> Html:
        return Markup("{} ({})").format(
            sourced(r, "lpa_name", str(r["lpa_name"])), change_text(r, unit)
        )

    fell = [item(r) for r in sorted((r for r in shown if r[field] < 0), key=lambda r: r[field])]
    rose = [item(r) for r in sorted((r for r in shown if r[field] > 0), key=lambda r: -r[field])]
    hidden = [sourced(r, "lpa_name", str(r["lpa_name"])) for r in rows if r[field] is None]
    k = kpi_context(card, words, "")
    return words.sentence("lpa_changes", k, fell, rose, hidden)


def latest_lpa_month(data: ReportData, kpi_id: str) -> list[Row]:
    latest = [
        rows[-1]
        for (kpi, area), rows in data.trend.items()
        if kpi == kpi_id and area != "FORCE" and rows and rows[-1]["kpi_value"] is not None
    ]
    end = max((as_date(r["month_end"]) for r in latest), default=None)
    return [r for r in latest if as_date(r["month_end"]) == end]


def figure_of(kpi_id: str) -> charts.Figure | None:
    return next((f for f in charts.FIGURES if kpi_id in f.kpis), None)


def lpa_month(data: ReportData, words: wording.Words, kpi_id: str) -> Html | None:
    card, rows, figure = (
        data.scorecard.get(kpi_id),
        latest_lpa_month(data, kpi_id),
        figure_of(kpi_id),
    )
    if card is None or len(rows) < 2 or figure is None:
        return None
    unit = str(card["unit"])
    low = min(rows, key=lambda r: r["kpi_value"])
    high = max(rows, key=lambda r: r["kpi_value"])

    def point(r: Row) -> Point:
        return Point(
            figure_text(r, "kpi_value", unit), sourced(r, "area_name", str(r["area_name"]))
        )

    return words.sentence(
        "lpa_month", kpi_context(card, words, ""), when(low["month_end"]), point(low),
        point(high), figure_ref(figure.number),
    )  # fmt: skip


def trend(data: ReportData, words: wording.Words, kpi_id: str) -> Html | None:
    card, rows, figure = data.scorecard.get(kpi_id), trend_rows(data, kpi_id), figure_of(kpi_id)
    if card is None or len(rows) < 2 or figure is None:
        return None
    unit = str(card["unit"])
    first, last = rows[0], rows[-1]
    return words.sentence(
        "trend",
        kpi_context(card, words, ""),
        Point(figure_text(first, "kpi_value", unit), month=when(first["month_end"])),
        Point(
            figure_text(last, "kpi_value", unit),
            month=when(last["month_end"]),
            higher=round(last["kpi_value"], 1) > round(first["kpi_value"], 1),
            lower=round(last["kpi_value"], 1) < round(first["kpi_value"], 1),
        ),
        figure_ref(figure.number),
    )


def workforce_shifts(data: ReportData, words: wording.Words, section: str, top: int) -> Html:
    cards = [
        c
        for c in data.scorecard.values()
        if str(c["section"]) == section and c["change_value"] is not None
        and str(c["unit"]) == "percent"
    ]  # fmt: skip
    moved = sorted(cards, key=lambda c: -abs(c["change_value"]))[:top]
    items = [
        Markup("{} ({})").format(
            label(str(c["kpi_id"]), words.kpis[str(c["kpi_id"])].subject), change_text(c, "percent")
        )
        for c in moved
    ]
    return words.sentence("workforce_shifts", items) if items else Markup("")


def derived(data: ReportData, words: wording.Words, spec: dict) -> Html | None:
    kind = spec["kind"]
    if kind == "lpa_changes":
        return lpa_changes(data, words, spec["kpi"])
    if kind == "lpa_month":
        return lpa_month(data, words, spec["kpi"])
    if kind == "trend":
        return trend(data, words, spec["kpi"])
    if kind == "workforce_shifts":
        return workforce_shifts(data, words, str(spec["section"]), int(spec.get("top", 3)))
    if kind == "similar_forces":
        return similar_forces(data, words, list(spec["kpis"]))
    raise ValueError(f"paragraphs.yml: unknown derived paragraph kind {kind!r}")


# --- the public warehouse: most similar forces and stop and search by ethnic group -------

def public_force_name(public: PublicData) -> Html:
    force = public.force
    assert force is not None
    return sourced(force, "force_name", str(force["force_name"]))


def similar_forces(data: ReportData, words: wording.Words, kpi_ids: list[str]) -> Html:
    """3.5: the force against its most similar forces on data.police.uk's records (the
    public warehouse's kpi_peer_comparison), or why there is no comparison."""
    public = data.public
    if public is None or public.missing:
        return words.sentence("similar_forces_unavailable")
    if public.force is None or not public.force["has_data"]:
        return words.sentence("similar_forces_not_loaded", words.config["force"])
    force = public_force_name(public)
    names = [sourced(r, "force_name", str(r["force_name"])) for r in public.peer_forces]
    group = "most similar forces" if public.force["peer_group"] == "most_similar_forces" else (
        "peer forces"
    )
    rows = {str(r["kpi_id"]): r for r in public.peers}
    compared = [
        rows[k] for k in kpi_ids
        if k in rows and rows[k]["peers_compared"] and rows[k]["force_value"] is not None
        and not rows[k]["is_suppressed"]
    ]  # fmt: skip
    if not compared:
        return words.sentence("similar_forces_no_peer_data", force, group, names)

    def item(r: Row) -> Html:
        unit = str(r["unit"])
        return words.sentence(
            "similar_forces_item",
            sourced(r, "kpi_name", str(r["kpi_name"])),
            figure_text(r, "force_value", unit),
            figure_text(r, "peer_mean_value", unit),
            str(r["comparison"]),
            figure_text(r, "force_rank", "count"),
            figure_text(r, "group_size", "count"),
        )

    first = compared[0]
    return words.sentence(
        "similar_forces",
        force, group, names,
        period(first["window_start"], first["window_end"], article=True),
        [item(r) for r in compared],
    )  # fmt: skip


PUBLIC_GROUPS = (("white", "White"), ("black", "Black"), ("asian", "Asian"),
                 ("mixed", "Mixed"), ("other", "other"))  # fmt: skip


def public_stop_search(data: ReportData, words: wording.Words) -> Html:
    """Stop and search per thousand residents of each ethnic group and the ratio against
    White, from the public warehouse (the officer-defined view; the self-defined one where
    the officer-defined records hold no White or no Black person), or why not."""
    public = data.public
    if public is None or public.missing:
        return words.sentence("equality_public_unavailable")
    if public.force is None or not public.force["has_data"]:
        return words.sentence("equality_public_not_loaded", words.config["force"])
    views: dict[str, dict[str, Row]] = {}
    for r in public.ethnicity:
        views.setdefault(str(r["ethnicity_view"]), {})[str(r["ethnic_group"])] = r
    view = next(
        (v for v in ("officer_defined", "self_defined")
         if (black := views.get(v, {}).get("black")) is not None
         and black["ratio_to_white"] is not None),
        None,
    )  # fmt: skip
    if view is None:
        return words.sentence("equality_public_no_ratio", public_force_name(public))
    groups = views[view]

    def rate(key: str, name: str) -> Html:
        r = groups[key]
        if r["searches_per_1000_residents"] is None:
            return Markup("withheld for {} people").format(name)
        return Markup("{} for {} people").format(
            figure_text(r, "searches_per_1000_residents", "per_1000_residents"), name
        )

    def ratio(key: str) -> Html | None:
        r = groups.get(key)
        if r is None or r["ratio_to_white"] is None:
            return None
        return words.sentence(
            "equality_public_ratio",
            figure_text(r, "ratio_to_white", "ratio"),
            figure_text(r, "ratio_ci_low", "ratio"),
            figure_text(r, "ratio_ci_high", "ratio"),
            bool(r["is_ratio_significant"]),
        )

    black, white = groups["black"], groups["white"]
    finds = (
        words.sentence(
            "equality_public_finds",
            figure_text(black, "find_rate", "percent"),
            figure_text(white, "find_rate", "percent"),
            bool(black["is_find_rate_significantly_different"]),
        )
        if black["find_rate"] is not None and white["find_rate"] is not None
        else Markup("")
    )
    return words.sentence(
        "equality_public_stop_search",
        public_force_name(public),
        period(white["window_start"], white["window_end"], article=True),
        view == "officer_defined",
        sourced(white, "population_year", str(white["population_year"])),
        [rate(k, n) for k, n in PUBLIC_GROUPS if k in groups],
        ratio("black"), ratio("asian"), finds,
    )  # fmt: skip


def neighbourhood_sentence(
    data: ReportData, words: wording.Words, card: Row, calculation: str
) -> Html | None:
    top = data.by_neighbourhood.get(str(card["kpi_id"]), [])
    if not top:
        return None
    items = [
        Markup("{} ({})").format(
            sourced(r, "neighbourhood_name", str(r["neighbourhood_name"])),
            figure_text(r, "current_value", "count")
            if r["current_value"] is not None else withheld(r),
        )
        for r in top
    ]  # fmt: skip
    return words.sentence("neighbourhoods", kpi_context(card, words, calculation), items)


# ---------------------------------------------------------------------------------------
# The paper


def main_window(data: ReportData) -> tuple[date, date, date, date]:
    """The windows most KPIs are measured over (the vars' plan baseline and current
    period): baseline start and end, current start and end."""
    windows: dict[tuple[date, ...], int] = {}
    for c in data.scorecard.values():
        if c["status"] != "in_development" and c["current_end"] is not None:
            key = tuple(
                as_date(c[f])
                for f in ("baseline_start", "baseline_end", "current_start", "current_end")
            )
            windows[key] = windows.get(key, 0) + 1
    return max(windows, key=windows.__getitem__)  # type: ignore[return-value]


def dim(data: ReportData) -> dict[str, Row]:
    return {str(k["kpi_id"]): k for k in data.kpis}


def priority_order(data: ReportData) -> list[str]:
    names: dict[str, tuple[int, ...]] = {}
    for k in data.kpis:
        if is_paragraph(k["section"]):
            key = section_order(k["section"])
            name = str(k["plan_priority"])
            names[name] = min(names.get(name, key), key)
    return sorted(names, key=names.__getitem__)


def priorities(data: ReportData, words: wording.Words) -> list[dict[str, object]]:
    """Plan priorities in the paper's order, each with its numbered paragraphs (KPIs
    sharing a number share a paragraph), context, figures, KPI table and LPA tables."""
    kpis = dim(data)
    texts = words.paragraphs
    by_priority: dict[str, list[Row]] = {}
    for kpi in data.kpis:
        if kpi["kpi_id"] in data.scorecard:
            by_priority.setdefault(str(kpi["plan_priority"]), []).append(kpi)
    out = []
    for priority in priority_order(data):
        members = by_priority[priority]
        number = str(next(k for k in members if is_paragraph(k["section"]))["section"]).split(".")[
            0
        ]
        paragraphs: dict[str, list[Html]] = {}
        more: list[Html] = []  # KPIs of other publications: unnumbered, at the end
        rows = []
        referred = figures_referred_by_kpi(texts["derived"])
        for kpi in members:
            card, unit = data.scorecard[kpi["kpi_id"]], str(kpi["unit"])
            calculation = str(kpi["calculation"])
            text = sentence(card, words, calculation, str(kpi["kpi_id"]) in data.same_return)
            if (figure := referred.get(str(kpi["kpi_id"]))) is not None:
                text = Markup("{} {}.").format(
                    text.rstrip("."), words.sentence("see_figure", figure_ref(figure.number))
                )
            target = (
                paragraphs.setdefault(str(kpi["section"]), [])
                if is_paragraph(kpi["section"])
                else more
            )
            target.append(text)
            extra = neighbourhood_sentence(data, words, card, calculation)
            if extra is not None:
                target.append(extra)
            rows.append(
                kpi_row(card, unit, wording.period_form(words.kpis.get(kpi["kpi_id"]), calculation))
            )
        for key, template in texts["sections"].items():
            if key.split(".")[0] == number:
                paragraphs.setdefault(key, []).insert(0, words.text(template))
        for key, spec in texts["derived"].items():
            if key.split(".")[0] == number and (text := derived(data, words, spec)) is not None:
                paragraphs.setdefault(key, []).append(text)
        for key, template in texts["append"].items():
            if key in paragraphs:
                paragraphs[key].append(words.text(template))
        figures_after: dict[str, list[dict[str, object]]] = {}
        for figure in charts.FIGURES:
            owner = kpis[figure.kpis[0]]
            if str(owner["plan_priority"]) != priority:
                continue
            at = figure_paragraph(figure, paragraphs, texts["derived"], str(owner["section"]))
            figures_after.setdefault(at, []).append(figure_block(figure, data))
        blocks = []
        for key in sorted(paragraphs, key=section_order):
            blocks.append({"ref": ref(key), "text": Markup(" ").join(paragraphs[key])})
            for block in figures_after.get(key, []):
                blocks.append({"figure": block})
        lpa_tables = [
            t for spec in texts["derived"].values()
            if spec.get("kpi") and str(kpis[spec["kpi"]]["plan_priority"]) == priority
            and (t := lpa_table(data, spec["kpi"])) is not None
        ]  # fmt: skip
        out.append(
            {
                "number": ref(f"{number}."),
                "num": int(number),
                "anchor": f"section-{number}",
                "title": priority,
                "blocks": blocks,
                "more": more,
                "rows": rows,
                "lpa": lpa_tables,
            }
        )
    return out


def figures_referred_by_kpi(specs: dict) -> dict[str, charts.Figure]:
    """The figure each KPI's sentence refers to: its first KPI's, unless a paragraph
    written from the figure's rows (7.13 for Figure 4) refers to it instead."""
    written = {spec.get("kpi") for spec in specs.values() if spec["kind"] in ("lpa_month", "trend")}
    return {figure.kpis[0]: figure for figure in charts.FIGURES if not written & set(figure.kpis)}


def figure_paragraph(
    figure: charts.Figure, paragraphs: dict[str, list[Html]], specs: dict, section: str
) -> str:
    """The paragraph a figure follows: one written from its rows that refers to it
    (7.13 for Figure 4), else its first KPI's."""
    for key, spec in specs.items():
        refers = spec.get("kpi") in figure.kpis and spec["kind"] in ("lpa_month", "trend")
        if refers and key in paragraphs:
            return key
    return section


def lpa_table(data: ReportData, kpi_id: str) -> dict[str, object] | None:
    rows = data.by_lpa.get(kpi_id)
    card = data.scorecard.get(kpi_id)
    if not rows or card is None:
        return None
    unit = str(card["unit"])
    field = wording.change_field(unit)
    ordered = sorted(rows, key=lambda r: (r[field] is None, r[field] or 0))
    return {
        "title": kpi_name(card),
        "period": kpi_row(card, unit, "window")["period"],
        "rows": [
            kpi_row(r, unit, "window", name=sourced(r, "lpa_name", str(r["lpa_name"])))
            for r in ordered
        ],
        "force": kpi_row(card, unit, "window", name=Markup("Force")),
    }


def listing(items: list[Html]) -> Html:
    if not items:
        return Markup("")
    if len(items) == 1:
        return items[0]
    return Markup(", ").join(items[:-1]) + Markup(" and ") + items[-1]


def introduction(data: ReportData, words: wording.Words) -> list[dict[str, Html]]:
    base_start, base_end, cur_start, cur_end = main_window(data)
    names = [n[0].lower() + n[1:] for n in priority_order(data)]
    names = [n.replace("west midlands", "West Midlands") for n in names]
    context = {
        "priorities": listing([Markup.escape(n) for n in names]),
        "current_period": period(cur_start, cur_end, article=True),
        "baseline_period": period(base_start, base_end, article=True),
    }
    return [
        {"ref": ref(key), "text": words.text(template, **context)}
        for key, template in words.paragraphs["introduction"].items()
    ]


def summary(data: ReportData, words: wording.Words) -> dict[str, object]:
    texts = words.paragraphs["summary"]
    groups: dict[str, list[Html]] = {key: [] for key in texts["groups"]}
    any_tested = False
    for kpi in data.kpis:
        card = data.scorecard.get(str(kpi["kpi_id"]))
        if card is None or not is_paragraph(kpi["section"]):
            continue
        any_tested = any_tested or tested(card)
        group = wording.status(str(card["status"])).group
        unit = str(card["unit"])
        change = card[wording.change_field(unit)]
        groups.setdefault(group, []).append(
            words.sentence(
                "summary_line",
                kpi_name(card),
                Markup("({})").format(change_text(card, unit)) if change is not None else "",
                Markup('<a href="#p-{a}">{r}</a>').format(
                    a=str(kpi["section"]).replace(".", "-"), r=ref(str(kpi["section"]))
                ),
            )
        )
    # force-wide signals of the latest month (the LPAs' are in their figures and tables)
    force = [r for r in data.signals if r["area_code"] == "FORCE"]
    latest = max((as_date(r["month_end"]) for r in force), default=None)
    signals = [
        words.sentence(
            "summary_signal", kpi_name(r), sourced(r, "area_name", str(r["area_name"])),
            when(r["month_end"]), str(r["special_cause"]), str(r["special_cause_direction"]),
        )
        for r in force
        if as_date(r["month_end"]) == latest
    ]  # fmt: skip
    return {
        "title": texts["title"],
        "signals": signals,
        "signals_title": texts["signals"],
        "signals_lead": words.text(texts["signals_lead"]),
        "lead": words.text(texts["lead"] if any_tested else texts["lead_untested"]),
        "groups": [
            {"key": key, "title": title, "entries": groups.get(key, []), "empty": texts["empty"]}
            for key, title in texts["groups"].items()
        ],
    }


def since_last_paper(data: ReportData, words: wording.Words) -> list[Html]:
    """What changed since the previous publish, for a board member: revised figures (the
    same period, new records), the period moving on, and statuses that changed."""
    publishes = sorted({r["published_at"] for r in data.history})
    if len(publishes) < 2:
        return [words.sentence("since_first")]
    previous, latest = publishes[-2], publishes[-1]
    before = {r["kpi_id"]: r for r in data.history if r["published_at"] == previous}
    after = {r["kpi_id"]: r for r in data.history if r["published_at"] == latest}
    items: list[Html] = []
    for revision in data.revisions:
        card = after.get(revision["kpi_id"])
        if card is None:
            continue
        unit = str(card["unit"])
        items.append(
            words.sentence(
                "since_revised",
                kpi_name(revision),
                period(revision["window_start"], revision["window_end"], article=True),
                figure_text(revision, "previous_value", unit),
                figure_text(revision, "figure_value", unit),
            )
        )
    for kpi_id, now in after.items():
        then = before.get(kpi_id)
        if then is None:
            continue
        unit = str(now["unit"])
        moved = (now["current_start"], now["current_end"]) != (
            then["current_start"],
            then["current_end"],
        )
        if moved and now["current_value"] is not None and then["current_value"] is not None:
            if now["status"] != then["status"]:
                items.append(
                    words.sentence(
                        "since_status", kpi_name(now),
                        status(then), status(now),
                    )
                )  # fmt: skip
        elif now["status"] != then["status"]:
            items.append(words.sentence("since_status", kpi_name(now), status(then), status(now)))
    if not items:
        return [words.sentence("since_nothing", when(previous))]
    return [words.sentence("since_intro", when(previous)), *items]


def equality(data: ReportData, words: wording.Words) -> list[dict[str, Html]]:
    cards = data.scorecard
    figures = data.equality

    def pct(kpi_id: str) -> Html:
        card = cards[kpi_id]
        return figure_text(card, "current_value", str(card["unit"]))

    out: list[dict[str, Html]] = []
    women = [f"workforce_{g}_women_pct" for g in ("officers", "pcsos", "specials", "staff")]
    minoritised = [
        f"workforce_{g}_minoritised_pct" for g in ("officers", "pcsos", "specials", "staff")
    ]
    if all(k in cards and cards[k]["current_value"] is not None for k in women) and (
        "vawg_share_of_recorded_crime_pct" in figures and "vawg_crimes" in cards
    ):
        share = figures["vawg_share_of_recorded_crime_pct"]
        vawg = cards["vawg_crimes"]
        out.append(
            {
                "ref": ref("11.1"),
                "text": words.sentence(
                    "equality_women", *(pct(k) for k in women),
                    when(cards[women[0]]["current_end"]),
                    figure_text(vawg, "current_value", "count"),
                    figure_text(share, "figure_value", "percent"),
                    period(vawg["current_start"], vawg["current_end"], article=True),
                ),
            }
        )  # fmt: skip
    if all(k in cards and cards[k]["current_value"] is not None for k in minoritised) and (
        "population_minoritised_pct" in figures
    ):
        out.append(
            {
                "ref": ref("11.2"),
                "text": words.sentence(
                    "equality_minoritised",
                    figure_text(figures["population_minoritised_pct"], "figure_value", "percent"),
                    *(pct(k) for k in minoritised),
                    when(cards[minoritised[0]]["current_end"]),
                ),
            }
        )
    groups = [("white", "White"), ("asian", "Asian"), ("black", "Black")]
    rate_ids = [f"stop_searches_per_1000_{g}" for g, _ in groups]
    ratio_ids = [
        "stop_search_disproportionality_black", "stop_search_disproportionality_asian",
        "use_of_force_disproportionality_black", "use_of_force_disproportionality_asian",
    ]  # fmt: skip
    if all(r in figures for r in rate_ids) and all(
        k in cards and cards[k]["current_value"] is not None for k in ratio_ids
    ):
        first = figures[rate_ids[0]]
        rates = [
            Markup("{} for {} people").format(
                figure_text(figures[r], "figure_value", "per_1000_population"), name
            )
            for r, (_, name) in zip(rate_ids, groups, strict=True)
        ]
        out.append(
            {
                "ref": ref("11.3"),
                "text": words.sentence(
                    "equality_stop_search",
                    period(first["window_start"], first["window_end"], article=True),
                    rates,
                    *(figure_text(cards[k], "current_value", "ratio") for k in ratio_ids),
                ),
            }
        )
    public = public_stop_search(data, words)
    at = next((p for p in out if str(p["ref"]).find(">11.3<") >= 0), None)
    if at is not None:
        at["text"] = Markup("{} {}").format(at["text"], public)
    else:
        out.append({"ref": ref("11.3"), "text": public})
    for key, template in words.paragraphs["equality"].items():
        out.append({"ref": ref(key), "text": words.text(template)})
    return out


def next_steps(data: ReportData, words: wording.Words) -> Html:
    worse = [
        kpi_name(c)
        for k in data.kpis
        if (c := data.scorecard.get(str(k["kpi_id"]))) is not None
        and is_paragraph(k["section"]) and c["status"] == "deteriorating"
    ]  # fmt: skip
    return words.sentence("next_steps", worse, any(tested(c) for c in data.scorecard.values()))


def annex_quality(data: ReportData) -> dict[str, object]:
    deliveries = [
        {
            "extract": sourced(d, "extract", str(d["extract"]).replace("_", " ")),
            "status": sourced(d, "status", str(d["status"])),
            "rows_in": figure_text(d, "rows_in", "count"),
            "rows_validated": figure_text(d, "rows_validated", "count"),
            "rows_quarantined": figure_text(d, "rows_quarantined", "count"),
        }
        for d in data.deliveries
    ]
    quarantine = [
        {
            "extract": sourced(q, "extract", str(q["extract"]).replace("_", " ")),
            "rule": sourced(q, "rule", str(q["rule"]).replace("_", " ")),
            "rows": Markup(
                '<data value="{v}" data-source="quality.extract_quarantine" data-key="{k}" '
                'data-field="line" data-agg="count" data-form="figure" data-unit="count">{t}</data>'
            ).format(v=q["rows"], k=_key(q), t=wording.figure(q["rows"], "count")),
        }
        for q in data.quarantine
    ]
    return {"deliveries": deliveries, "quarantine": quarantine}


def _key(row: Row) -> str:
    from report.html import key_attr

    return key_attr(row.key)


def disagreements_apply(data: ReportData) -> bool:
    """Whether the seed's figures are this paper's: its warehouse values are those of the
    November 2025 paper's windows, so under other vars they do not apply."""
    for d in data.disagreements:
        card = data.scorecard.get(str(d["kpi_id"]))
        field = str(d["field"])
        if card is None or field not in card.values:
            continue
        value = card[field]
        if value is None or abs(value - float(d["warehouse_value"])) > 0.05 + 1e-9:
            return False
    return True


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


TECHNICAL = re.compile(r"[a-z0-9]_[a-z0-9]|\.csv\b|[A-Z]{2,}_[A-Z]")


def board_definition(text: str) -> str:
    """A catalogue definition as a board member reads it: the parts that name a file,
    column or code value (written for the engineers who maintain the KPI) left out, the
    rest word for word."""
    text = re.sub(
        r"\s*\(([^()]*)\)", lambda m: "" if TECHNICAL.search(m.group(1)) else m.group(0), text
    )
    sentences = re.split(r"(?<=[.;])\s+", text)
    kept = []
    for sentence in sentences:
        if TECHNICAL.search(sentence):
            head, _, tail = sentence.partition(":")
            if tail and not TECHNICAL.search(head):
                kept.append(head.rstrip() + ".")
            continue
        kept.append(sentence)
    return " ".join(kept).strip()


def definitions(data: ReportData) -> list[dict[str, Html]]:
    out = []
    for kpi in data.kpis:
        if kpi["kpi_id"] not in data.scorecard:
            continue
        out.append(
            {
                "name": sourced(kpi, "kpi_name", str(kpi["kpi_name"])),
                "paragraph": ref(str(kpi["section"])) if is_paragraph(kpi["section"]) else "",
                "definition": sourced(
                    kpi,
                    "definition",
                    board_definition(str(kpi["definition"] or "")),
                    form="excerpt",
                ),
                "status": status(data.scorecard[kpi["kpi_id"]]),
            }
        )
    return out


def glossary(data: ReportData) -> list[dict[str, Html]]:
    return [
        {
            "code": sourced(g, "outcome_code", f"OC{g['outcome_code']}"),
            "description": sourced(g, "outcome_description", str(g["outcome_description"])),
            "positive": sourced(g, "is_positive", "Yes" if g["is_positive"] else "No"),
        }
        for g in data.glossary
    ]


def render(data: ReportData, words: wording.Words | None = None) -> str:
    words = words or wording.Words()
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    sections = priorities(data, words)
    _, _, current_start, current_end = main_window(data)
    last = max((int(s["num"]) for s in sections), default=1)
    config = words.config
    meeting = date.fromisoformat(f"{config['meeting']}-01")
    figures = [block for s in sections for b in s["blocks"] if (block := b.get("figure"))]
    return env.get_template("report.html.j2").render(
        config=config,
        meeting=when(meeting),
        meeting_plain=wording.month_name(meeting),
        period=wording.capitalise(period(current_start, current_end, article=True)),
        summary=summary(data, words),
        since=since_last_paper(data, words),
        since_title=words.paragraphs["since"]["title"],
        introduction=introduction(data, words),
        sections=sections,
        equality=equality(data, words),
        equality_number=ref(f"{last + 1}."),
        next_steps=next_steps(data, words),
        next_number=ref(f"{last + 2}."),
        next_ref=ref(f"{last + 2}.1"),
        quality=annex_quality(data),
        disagreements=annex_disagreements(data),
        disagreements_apply=disagreements_apply(data),
        definitions=definitions(data),
        figures=figures,
        glossary=glossary(data),
    )
