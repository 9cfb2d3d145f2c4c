"""Markup the board paper is made of: a value printed with its source, a date, a period, a
paragraph or figure number, a status marker, a KPI's subject.

Provenance: every figure is printed inside a `<data>` element naming the table, key and
column it was read from (`data-source`, `data-key`, `data-field`; `data-agg` when it is a
count of rows) and holding the value itself; every date inside a `<time>`; paragraph and
figure numbers inside `class="ref"`; a KPI's subject (words of reports/wording/kpis.csv)
inside `class="kpi-label"`. tests/python/test_report.py reads each back from the
warehouse, and finds no other digit in the text.

The paper's structure is scripts/report/paper.py; its words are in reports/wording/.
"""

from __future__ import annotations

import json
from datetime import date

from markupsafe import Markup, escape

from report import wording
from report.data import Row

Html = Markup


def as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


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
        v=value_attr(shown), s=row.source, k=key_attr(row.key), f=field, u=unit, form=form,
        t=text,
    )  # fmt: skip


def counted(source: str, key: dict[str, object], field: str, value: int, text: str) -> Html:
    """A count of rows of `source` matching `key` (distinct values of `field`)."""
    return Markup(
        '<data value="{v}" data-source="{s}" data-key="{k}" data-field="{f}" '
        'data-agg="count_distinct" data-form="figure" data-unit="count">{t}</data>'
    ).format(v=value, s=source, k=key_attr(key), f=field, t=text)


def when(day: object) -> Html:
    day = as_date(day)
    return Markup('<time datetime="{d}">{t}</time>').format(
        d=day.isoformat(), t=wording.month_name(day)
    )


def period(start: object, end: object, title: bool = False, article: bool = False) -> Html:
    """A window's name ("year ending September 2025"; "Year Ending ..." in a title); with
    `article`, as a sentence names it: "the year ending September 2025", but "April to
    September 2025"."""
    parts = wording.period_parts(as_date(start), as_date(end))
    if article and parts[0][0] == "year ending ":
        parts = [("the year ending ", None), *parts[1:]]
    return Markup("").join(
        when(day) if day is not None else escape(text.title() if title else text)
        for text, day in parts
    )


def ref(text: str) -> Html:
    return Markup('<span class="ref">{}</span>').format(text)


def figure_ref(number: int) -> Html:
    return Markup('<a class="ref" href="#figure-{n}">Figure {n}</a>').format(n=number)


def figure_text(row: Row, field: str, unit: str) -> Html:
    return sourced(row, field, wording.figure(row[field], unit), unit=unit, form="figure")


def with_suffix(row: Row, field: str, unit: str) -> Html:
    return Markup("{}{}").format(figure_text(row, field, unit), wording.unit_suffix(unit))


def change_text(row: Row, unit: str, signed: bool = True) -> Html:
    field = wording.change_field(unit)
    form = "change" if signed else "magnitude"
    return sourced(
        row, field, wording.change(row[field], unit, signed=signed), unit=unit, form=form
    )


def label(kpi_id: str, text: str) -> Html:
    """A KPI's subject as the wording table writes it: words, not a figure (any number in
    it is part of the KPI's name, e.g. "999 calls"; the tests hold it to that)."""
    return Markup('<span class="kpi-label" data-kpi="{k}">{t}</span>').format(k=kpi_id, t=text)


def kpi_name(row: Row) -> Html:
    return sourced(row, "kpi_name", str(row["kpi_name"]))


def status(row: Row) -> Html:
    value = str(row["status"])
    one = wording.status(value)
    return Markup(
        '<span class="status status-{s}"><span class="shape" aria-hidden="true">{shape}</span> '
        "{w}</span>"
    ).format(s=value, shape=one.shape, w=one.word)


def is_suppressed(row: Row) -> bool:
    return bool(row.get("is_suppressed"))


def withheld(row: Row) -> Html:
    """A suppressed figure: the mart's reason, and that it is not published."""
    reason = row.get("suppression_reason") or "withheld"
    return Markup('<span class="withheld">{}; not published</span>').format(
        sourced(row, "suppression_reason", str(reason)) if row.get("suppression_reason")
        else reason
    )  # fmt: skip
