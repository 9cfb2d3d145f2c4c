"""Alerts for a run that stops: a short human summary on stderr, a machine-readable JSON
file in the alerts folder, and the same JSON posted to POLICE_ALERT_WEBHOOK_URL if set.

Alerts go wherever an operator's tools send them (a chat channel, a ticket), so they
carry where (extract, line, column), which rule and a row's record key, never a row's
other values (a victim's details stay in the gate's quarantine.csv and the restricted
warehouse). The alert files are written without access for other users (mode 0640)."""

from __future__ import annotations

import json
import os
import sys
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

WEBHOOK_ENV = "POLICE_ALERT_WEBHOOK_URL"


LEVELS = ("stop", "quarantine", "warning")


@dataclass
class Problem:
    """One thing that is wrong: where (a file or a dbt node), which rule (on which
    column), how many rows, and what it does to the run: `stop` (nothing is published),
    `quarantine` (the rows are kept out, the rest is published) or `warning`."""

    where: str
    rule: str
    level: str = "stop"
    count: int | None = None
    message: str = ""
    column: str | None = None
    examples: list[dict[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level {self.level!r} is not one of {LEVELS}")

    @property
    def stops(self) -> bool:
        return self.level == "stop"

    def line(self) -> str:
        """One line for a summary: level, where, rule [column] (rows) message."""
        tag = "STOP" if self.stops else self.level
        count = "" if self.count is None else f" ({self.count:,} rows)"
        column = f" [{self.column}]" if self.column else ""
        return f"{tag} {self.where}: {self.rule}{column}{count} {self.message}"


@dataclass
class Alert:
    stage: str  # "dbt" (a model or test failed) or "gate" (an extract failed its checks)
    summary: str
    problems: list[Problem]
    published_warehouse: str  # path of the warehouse BI reads, left unchanged
    # Where to look next: GX Data Docs, the quarantine file, the gate's result, dbt logs.
    links: dict[str, str] = field(default_factory=dict)
    alert_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    raised_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    published_unchanged: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)

    def human(self) -> str:
        lines = [
            f"ALERT {self.alert_id} ({self.stage}): {self.summary}",
            f"The published warehouse {self.published_warehouse} is "
            + ("unchanged." if self.published_unchanged else "the new build."),
        ]
        for problem in self.problems:
            count = "" if problem.count is None else f" ({problem.count:,} rows)"
            column = f" [{problem.column}]" if problem.column else ""
            lines.append(f"  - {problem.where}: {problem.rule}{column}{count}")
            if problem.message:
                lines.append(f"      {problem.message.splitlines()[0][:200]}")
            lines.extend(f"      e.g. {example}" for example in problem.examples[:3])
        lines.extend(f"  {name}: {target}" for name, target in self.links.items())
        return "\n".join(lines)


def raise_alert(alert: Alert, alerts_dir: Path) -> Path:
    """Print, write and (optionally) post the alert. Returns the JSON file's path."""
    print(alert.human(), file=sys.stderr)
    alerts_dir.mkdir(parents=True, exist_ok=True)
    stamp = alert.raised_at.replace(":", "").replace("-", "")
    path = alerts_dir / f"{stamp}-{alert.stage}-{alert.alert_id}.json"
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(alert.to_json() + "\n")
    print(f"Alert written to {path}", file=sys.stderr)
    url = os.environ.get(WEBHOOK_ENV)
    if url:
        post_webhook(url, alert.to_json())
    return path


def post_webhook(url: str, payload: str) -> None:
    request = urllib.request.Request(
        url,
        data=payload.encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            print(f"Alert posted to the webhook ({response.status})", file=sys.stderr)
    except OSError as error:  # the alert file is written either way
        print(f"Could not post the alert to the webhook: {error}", file=sys.stderr)
