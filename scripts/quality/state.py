"""What the gate remembers between runs (state_dir/accepted_deliveries.json): for each
extract, the deliveries it accepted, newest last, with their row count and sha256.

The volume band compares a delivery's rows with the last accepted delivery's; a delivery
whose sha256 equals any remembered accepted delivery is the same delivery loaded twice.
The file is replaced atomically and only after a run that passed.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

STATE_FILE = "accepted_deliveries.json"
KEEP = 100  # accepted deliveries remembered per extract


@dataclass(frozen=True)
class Delivery:
    sha256: str
    rows: int
    bytes: int
    accepted_at: str
    validated_rows: int
    quarantined_rows: int
    months: dict[str, int] = field(default_factory=dict)  # series|YYYY-MM -> rows
    categories: dict[str, int] = field(default_factory=dict)  # category|YYYY-MM -> rows
    values: dict[str, float] = field(default_factory=dict)  # return.measure|period -> value


class DeliveryState:
    def __init__(self, path: Path, extracts: dict[str, list[Delivery]]) -> None:
        self.path = path
        self.extracts = extracts

    @classmethod
    def load(cls, state_dir: Path) -> DeliveryState:
        path = state_dir / STATE_FILE
        if not path.exists():
            return cls(path, {})
        raw = json.loads(path.read_text(encoding="utf-8"))
        extracts = {
            name: [Delivery(**entry) for entry in entries]
            for name, entries in raw.get("extracts", {}).items()
        }
        return cls(path, extracts)

    def previous(self, extract: str) -> Delivery | None:
        history = self.extracts.get(extract) or []
        return history[-1] if history else None

    def accepted_before(self, extract: str, sha256: str) -> Delivery | None:
        for delivery in reversed(self.extracts.get(extract) or []):
            if delivery.sha256 == sha256:
                return delivery
        return None

    def accept(
        self, extract: str, sha256: str, rows: int, size: int, validated: int, quarantined: int,
        months: dict[str, int] | None = None, categories: dict[str, int] | None = None,
        values: dict[str, float] | None = None,
    ) -> None:  # fmt: skip
        entry = Delivery(
            sha256=sha256,
            rows=rows,
            bytes=size,
            accepted_at=datetime.now(UTC).isoformat(timespec="seconds"),
            validated_rows=validated,
            quarantined_rows=quarantined,
            months=dict(months or {}),
            categories=dict(categories or {}),
            values=dict(values or {}),
        )
        self.extracts.setdefault(extract, []).append(entry)
        self.extracts[extract] = self.extracts[extract][-KEEP:]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": 1,
            "extracts": {n: [asdict(d) for d in ds] for n, ds in self.extracts.items()},
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
