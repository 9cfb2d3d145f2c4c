"""Reading the board paper back, independently of the code that writes it: its visible
text and `<data>` elements (an HTML parser), the number a printed figure states (a parser
of the paper's own formats: "1 hour, 9 minutes and 17 seconds", "£82.2 million", "+6.8pp"),
and a linter for what no sentence may say: a direction its row contradicts, a subject and
verb that disagree, an internal name. Nothing here calls scripts/report: the tests use it
as their oracle against the marts, read directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    html: str = ""


@dataclass
class Page(HTMLParser):
    """The paper's sourced values, dates, KPI labels and any digit printed without a
    source; its visible text by paragraph."""

    data: list[Element] = field(default_factory=list)
    times: list[Element] = field(default_factory=list)
    labels: list[Element] = field(default_factory=list)
    unsourced: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # text of each p, li, td, th, caption
    stack: list[Element] = field(default_factory=list)
    svgs: list[dict[str, str]] = field(default_factory=list)

    BLOCKS = ("p", "li", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "dd")
    VOID = ("meta", "br", "link", "img", "input", "col", "path", "use", "rect", "circle")

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        element = Element(tag, {k: v or "" for k, v in attrs})
        if tag == "svg":
            self.svgs.append({"title": "", "desc": "", **element.attrs})
        self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        while self.stack:
            element = self.stack.pop()
            if element.tag == "data":
                self.data.append(element)
            elif element.tag == "time":
                self.times.append(element)
            elif "kpi-label" in element.attrs.get("class", "").split():
                self.labels.append(element)
            elif element.tag in self.BLOCKS and not self.in_svg():
                self.blocks.append(re.sub(r"\s+", " ", element.text).strip())
            elif element.tag in ("title", "desc") and self.in_svg():
                self.svgs[-1][element.tag] = element.text
            if element.tag == tag:
                break

    def in_svg(self) -> bool:
        return any(e.tag == "svg" for e in self.stack)

    def handle_data(self, text: str) -> None:
        tags = {e.tag for e in self.stack}
        if "style" in tags or ("head" in tags and "body" not in tags):
            return
        if "svg" in tags:
            if self.stack and self.stack[-1].tag in ("title", "desc"):
                self.stack[-1].text += text
            return
        for element in self.stack:
            element.text += text
        self.text.append(text)
        sourced = any(
            e.tag in ("data", "time")
            or {"ref", "kpi-label"} & set(e.attrs.get("class", "").split())
            for e in self.stack
        )
        if not sourced and re.search(r"\d", text):
            self.unsourced.append(text.strip())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


# ---------------------------------------------------------------------------------------
# The paper's number formats, read back


def stated_number(text: str) -> tuple[float, float]:
    """The value a printed figure states and half its last printed digit (the rounding
    it allows): "299,579" (count), "97.6%", "+6.8pp", "6.8 percentage points", "2.8",
    "41.4 million", "£82.2 million", "1 hour, 9 minutes and 17 seconds"."""
    text = text.strip()
    if re.search(r"\b(hours?|minutes?|seconds?)\b", text):
        total = 0.0
        for number, word in re.findall(r"(\d+) (hour|minute|second)s?", text):
            total += int(number) * {"hour": 3600, "minute": 60, "second": 1}[word]
        return total, 0.5
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-£")
    match = re.match(r"([\d,]+)(?:\.(\d+))?", body)
    assert match, f"not a figure: {text!r}"
    decimals = len(match.group(2) or "")
    value = float(match.group(1).replace(",", "") + (f".{match.group(2)}" if decimals else ""))
    scale = 1e6 if "million" in body else 1.0
    return sign * value * scale, 0.5 * 10**-decimals * scale + 1e-9


# ---------------------------------------------------------------------------------------
# What no sentence may say

# Plural head nouns the KPIs' subjects use; a head ending in -s not listed here is
# checked against SINGULAR_S.
SINGULAR_S = {"business", "harassment", "witness", "access", "bus", "series", "news"}
HEAD_STOPS = {
    "of", "for", "from", "where", "who", "within", "after", "to", "at", "on", "relating",
    "flagged", "attended", "abandoned", "received", "answered", "entering", "seriously",
    "against", "in", "with", "per", "that", "meeting", "reported",
}  # fmt: skip


def is_plural(subject: str) -> bool:
    """Whether a KPI's subject is plural, from its head noun: the last word before the
    first preposition or participle ("offences of violence ..." -> offences,
    "the share of 999 calls ..." -> share). Independent of the wording table."""
    words = re.sub(r"\([^)]*\)", " ", subject).split()
    head = []
    for word in words:
        if word.lower() in HEAD_STOPS:
            break
        head.append(word)
    last = (head[-1] if head else words[-1]).lower().strip(",.;:")
    if last in ("people", "children", "police"):
        return True
    return last.endswith("s") and not last.endswith("ss") and last not in SINGULAR_S


INTERNAL = [
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "a snake_case name"),
    (re.compile(r"\b(?:marts|reference|quality|intermediate|snapshots)\.[a-z_]+"), "a table"),
    (re.compile(r"\bdbt\b|\bseed\b|\bduckdb\b|\bpytest\b", re.I), "a tool"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "an ISO date"),
    (re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\bnull\b"), "a missing value"),
]


def internal_names(text: str) -> list[str]:
    return [f"{what}: {m.group(0)!r}" for pattern, what in INTERNAL for m in pattern.finditer(text)]


def disagreements(html: str) -> list[str]:
    """A KPI subject followed by was/were (is/are, has/have) of the wrong number, or a
    pronoun after it ("compare it with") of the wrong number."""
    out = []
    for match in re.finditer(
        r'<span class="kpi-label"[^>]*>([^<]*)</span>\s+(was|were|is|are|has|have)\b', html
    ):
        subject, verb = re.sub(r"<[^>]+>", "", match.group(1)), match.group(2)
        plural = is_plural(subject)
        if plural != (verb in ("were", "are", "have")):
            out.append(f"{subject!r} {verb}")
    for match in re.finditer(
        r'<span class="kpi-label"[^>]*>([^<]*)</span>[^.]*?compare (it|them) with', html
    ):
        subject = re.sub(r"<[^>]+>", "", match.group(1))
        if is_plural(subject) != (match.group(2) == "them"):
            out.append(f"{subject!r} ... {match.group(2)}")
    for match in re.finditer(r"\b(\w+s) was\b|\bwhen it was\b", re.sub(r"<[^>]+>", "", html)):
        word = (match.group(1) or "").lower()
        if word and (
            word in SINGULAR_S or word.endswith("ss") or word in ("this", "its", "was", "has", "is")
        ):
            continue
        if word in ("figures", "calls", "offences", "incidents", "crimes") or not word:
            out.append(match.group(0))
    return out
