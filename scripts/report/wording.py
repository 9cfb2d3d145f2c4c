"""How the board report writes a figure, a period, a change and a status, in the register
of the November 2025 report: counts with thousands separators ("299,579"), rates to one
decimal ("97.6%") that change in percentage points, response times in words ("1 hour, 9
minutes and 17 seconds"), harm and losses in millions ("41.4 million", "£82.2 million"),
periods as "year ending September 2025".

The sentences themselves are not here: they are Jinja macros in
reports/wording/sentences.j2, the section introductions and context paragraphs are in
reports/wording/paragraphs.yml, each KPI's subject (as a sentence names it, singular or
plural) in reports/wording/kpis.csv, and the cover in reports/config/paper.toml. This
module loads them (`Words`) and gives the templates their grammar: number agreement
(`be`, `it`), the direction word from the sign of a change (`direction`), a capital at the
start of a sentence that keeps proper nouns as written (`capitalise`). Every function
takes a mart value; nothing here knows a figure.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

PROJECT_DIR = Path(__file__).resolve().parents[2]
WORDING_DIR = PROJECT_DIR / "reports" / "wording"
CONFIG_FILE = PROJECT_DIR / "reports" / "config" / "paper.toml"

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
    if unit == "per_1000_residents":  # the public warehouse's rates: two figures at least
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2g}"
    return f"{value:,.0f}"


def unit_suffix(unit: str) -> str:
    """Words after a figure in a sentence ("27 working days", "2.8 times")."""
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


def direction(change_value: float | None) -> str:
    """The direction word, from the sign alone: "rose", "fell" or "unchanged" (a change
    that rounds to zero as printed counts as unchanged). Whether the change is more than
    noise is the status's to say, not the verb's."""
    if change_value is None or round(change_value, 1) == 0:
        return "unchanged"
    return "rose" if change_value > 0 else "fell"


def article(text: str) -> str:
    """ "a" or "an" before a figure as it is read aloud: an 8.7%, an 11.0%, an 18,000,
    a 4.9%, a 180%."""
    whole = text.lstrip("£+-").split(".")[0].replace(",", "")
    eleven_or_eighteen = whole[:2] in ("11", "18") and len(whole) in (2, 5, 8)
    return "an" if whole.startswith("8") or eleven_or_eighteen else "a"


def capitalise(text: str) -> str:
    """The first letter of the text (not of a tag) upper-cased and nothing else touched:
    "the PCSO headcount" -> "The PCSO headcount"; proper nouns keep their capitals, since
    the wording table writes subjects as they stand mid-sentence. Markup stays Markup."""
    in_tag = False
    for i, char in enumerate(text):
        if char == "<":
            in_tag = True
        elif char == ">":
            in_tag = False
        elif not in_tag and char.isalpha():
            out = text[:i] + char.upper() + text[i + 1 :]
            return Markup(out) if isinstance(text, Markup) else out
    return text


def be(plural: bool, tense: str = "past") -> str:
    """ "was"/"were" (or "is"/"are") for a subject's number."""
    if tense == "present":
        return "are" if plural else "is"
    return "were" if plural else "was"


def it(plural: bool) -> str:
    return "them" if plural else "it"


def ref(text: str) -> Markup:
    """A paragraph, figure or appendix number in running text ("Appendix 1")."""
    return Markup('<span class="ref">{}</span>').format(text)


# A status (kpi_scorecard.status) as the report shows it: a shape and a word, so it never
# relies on colour; the shapes say nothing about direction (the change's sign does), so
# an improvement on a fall never reads as an upward arrow. `group` is the summary's.
@dataclass(frozen=True)
class Status:
    shape: str
    word: str
    group: str


STATUSES = {
    "improving": Status("✔", "Improving", "better"),
    "deteriorating": Status("✖", "Deteriorating", "worse"),
    "no_significant_change": Status("◆", "No significant change", "no_change"),
    "too_few_to_assess": Status("◇", "Too few to judge", "too_few"),
    "not_a_sample": Status("■", "Not tested (a count at a date)", "not_tested"),
    "not_assessed": Status("○", "Not assessed", "not_tested"),
    "in_development": Status("□", "In development", "in_development"),
    # before the marts tested changes (issue 19), a small change was "stable"
    "stable": Status("◆", "Stable", "no_change"),
}


def status(value: str) -> Status:
    """The shape and word for a status value; an unknown value is shown as its words."""
    return STATUSES.get(value, Status("○", capitalise(value.replace("_", " ")), "not_tested"))


def status_marker(value: str) -> tuple[str, str]:
    one = status(value)
    return one.shape, one.word


# ---------------------------------------------------------------------------------------
# The words a person edits: loaded from reports/wording and reports/config.


@dataclass(frozen=True)
class KpiWords:
    """How sentences name a KPI (reports/wording/kpis.csv)."""

    subject: str
    plural: bool
    period_form: str  # "as_of" (a month-end return), "window", or "" (from the calculation)


SNAPSHOT_CALCULATIONS = {"latest", "latest_percent_of"}  # a return at a month end


def period_form(words: KpiWords | None, calculation: str) -> str:
    """ "as_of" for a return counted at a month end (a headcount: "As of September 2025"),
    else "window" (a sum or rate over the window: "For the year ending ...")."""
    if words is not None and words.period_form:
        return words.period_form
    return "as_of" if calculation in SNAPSHOT_CALCULATIONS else "window"


def load_kpi_words(path: Path = WORDING_DIR / "kpis.csv") -> dict[str, KpiWords]:
    with path.open(encoding="utf-8", newline="") as handle:
        out = {}
        for row in csv.DictReader(handle):
            if row["number"] not in ("singular", "plural"):
                raise ValueError(f"{path}: {row['kpi_id']}: number must be singular or plural")
            out[row["kpi_id"]] = KpiWords(
                row["subject"], row["number"] == "plural", (row["period_form"] or "").strip()
            )
        return out


def load_config(path: Path = CONFIG_FILE) -> dict[str, str]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def squash(text: str) -> str:
    """One space between words, none before punctuation: templates may be laid out freely."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([,.;:)])", r"\1", text).replace("( ", "(")


class Words:
    """The editable words: the sentence macros, the paragraphs and the KPI subjects."""

    def __init__(self, folder: Path = WORDING_DIR, config: Path = CONFIG_FILE) -> None:
        self.env = Environment(
            loader=FileSystemLoader(folder),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(be=be, it=it, capitalise=capitalise, article=article, ref=ref)
        self.macros = self.env.get_template("sentences.j2").module
        with (folder / "paragraphs.yml").open(encoding="utf-8") as handle:
            self.paragraphs: dict = yaml.safe_load(handle)
        self.kpis = load_kpi_words(folder / "kpis.csv")
        self.config = load_config(config)

    def sentence(self, name: str, *args: object, **kwargs: object) -> Markup:
        """A macro of sentences.j2 rendered, its whitespace squashed."""
        return Markup(squash(str(getattr(self.macros, name)(*args, **kwargs))))

    def text(self, template: str, **context: object) -> Markup:
        """A paragraph of paragraphs.yml (a Jinja string) rendered with the config's names
        and `context`."""
        rendered = self.env.from_string(template).render(**self.config, **context)
        return Markup(squash(rendered))
