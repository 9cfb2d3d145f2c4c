"""How the board report writes a figure, a period and a change, in the register of the
November 2025 report: counts with thousands separators ("299,579"), rates to one decimal
("97.6%") that change in percentage points, response times in words ("1 hour, 9 minutes
and 17 seconds"), harm and losses in millions ("41.4 million", "£82.2 million"),
periods as "year ending September 2025". Every function takes a mart value; nothing
here knows a figure.
"""

from __future__ import annotations

from datetime import date

# How a unit (kpi_catalogue.unit) changes: in percentage points (a rate) or in per cent.
POINTS_UNITS = {"percent"}

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip


def month_name(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def months_between(start: date, end: date) -> int:
    """Whole months a window covers (a window from a month's first day to a month end)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def period_parts(start: date, end: date) -> list[tuple[str, date | None]]:
    """A window's name in pieces, each date piece with the day it names: "year ending
    September 2025" for twelve months, "September 2025" for one, "April to September
    2025" or "October 2024 to March 2025" otherwise."""
    months = months_between(start, end)
    if months == 12:
        return [("year ending ", None), (month_name(end), end)]
    if months == 1:
        return [(month_name(end), end)]
    if start.year == end.year:
        return [(f"{MONTHS[start.month - 1]} to ", None), (month_name(end), end)]
    return [(month_name(start), start), (" to ", None), (month_name(end), end)]


def period_name(start: date, end: date) -> str:
    return "".join(text for text, _ in period_parts(start, end))


def duration(seconds: float) -> str:
    """Seconds as the report writes a response time: "23 seconds", "2 minutes and 14
    seconds", "1 hour, 9 minutes and 17 seconds"."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in ((hours, "hour"), (minutes, "minute"), (secs, "second"))
        if n or (word == "second" and not hours and not minutes)
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def figure(value: float, unit: str) -> str:
    """A KPI value in its unit, as the report prints it."""
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "seconds":
        return duration(value)
    if unit in ("harm_days", "gbp"):
        text = f"{value / 1e6:,.1f} million" if abs(value) >= 1e6 else f"{value:,.0f}"
        return "£" + text if unit == "gbp" else text
    if unit in ("ratio", "per_1000_population"):
        return f"{value:.1f}"
    if unit in ("working_days", "days"):
        return f"{value:,.0f}"
    return f"{value:,.0f}"


def unit_suffix(unit: str) -> str:
    """Words after a figure in a sentence ("27 working days")."""
    return {"working_days": " working days", "days": " days", "ratio": " times"}.get(unit, "")


def change(value: float, unit: str, signed: bool = True) -> str:
    """A change in the KPI's own terms: percentage points for a rate, else per cent
    (`value` is change_value for a rate, change_pct otherwise)."""
    magnitude = f"{abs(value):.1f}"
    sign = ("+" if value > 0 else "-" if value < 0 else "") if signed else ""
    if unit in POINTS_UNITS:
        return f"{sign}{magnitude}pp" if signed else f"{magnitude} percentage points"
    return f"{sign}{magnitude}%"


def change_field(unit: str) -> str:
    """The scorecard column a KPI's change is read from."""
    return "change_value" if unit in POINTS_UNITS else "change_pct"


def direction(change_value: float | None, status: str) -> str:
    """rose / fell / was stable: the scorecard's status says stable; else the sign."""
    if status == "stable" or not change_value:
        return "was stable"
    return "rose" if change_value > 0 else "fell"


def change_noun(change_value: float, unit: str) -> str:
    """ "an 8.7% reduction", "an increase of 4.7 percentage points": without the number,
    which the caller places; returns (article, noun) joined for a sentence."""
    if unit in POINTS_UNITS:
        return "an increase of" if change_value > 0 else "a decrease of"
    return "increase" if change_value > 0 else "reduction"


def article(text: str) -> str:
    """ "a" or "an" before a figure as it is read aloud: an 8.7%, an 11.0%, an 18,000,
    a 4.9%, a 180%."""
    whole = text.lstrip("£+-").split(".")[0].replace(",", "")
    eleven_or_eighteen = whole[:2] in ("11", "18") and len(whole) in (2, 5, 8)
    return "an" if whole.startswith("8") or eleven_or_eighteen else "a"


STATUS_MARKERS = {
    "improving": ("▲", "Improving"),
    "deteriorating": ("▼", "Deteriorating"),
    "stable": ("◆", "Stable"),
    "not_assessed": ("○", "Not assessed"),
    "in_development": ("◇", "In development"),
}


def status_marker(status: str) -> tuple[str, str]:
    """A shape and a word for a status, so it never relies on colour alone."""
    return STATUS_MARKERS.get(status, ("○", status.replace("_", " ").capitalize()))
