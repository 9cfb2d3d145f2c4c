"""Per-run settings of the gate: the declared window, "today", the quarantine threshold.

Defaults are the demo delivery's (October 2021 to September 2025). A JSON file can set
any of them, e.g.

    {"window_start": "2021-10-01", "window_end": "2025-09-30", "threshold": 0.01,
     "volume_band": [0.5, 2.0], "allow_same_delivery": false}
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

from .contracts import DEFAULT_SEEDS_DIR

DEMO_WINDOW = (date(2021, 10, 1), date(2025, 9, 30))


@dataclass(frozen=True)
class GateConfig:
    window_start: date = DEMO_WINDOW[0]
    window_end: date = DEMO_WINDOW[1]
    today: date | None = None  # None: the real date (tests inject one)
    threshold: float = 0.01  # quarantined share of an extract above which the run stops
    volume_band: tuple[float, float] | None = None  # None: each spec's own band
    allow_same_delivery: bool = False  # a re-run of an accepted delivery (e.g. a rebuild)
    # A delivery in which EVERY extract equals its latest accepted delivery is a re-run of
    # what is published (a rebuild after a code or vars change): same_delivery is then a
    # warning. Any extract equal to an older delivery, or only some extracts equal to
    # their latest, still stops. The pipeline turns this on; the gate alone does not.
    allow_rerun: bool = False
    # An extract with a header and no rows is a warning, not a stop (the public path: an
    # archive without outcomes files, or without DfT tables).
    allow_empty_extracts: bool = False
    seeds_dir: Path = DEFAULT_SEEDS_DIR
    data_docs: bool = True  # build GX Data Docs into <output>/data_docs
    # DuckDB's memory for the gate's tables (what does not fit spills to disk), and its
    # threads (None: one per core).
    memory_limit: str = "1GB"
    threads: int | None = None
    # The reviewed file of changes known to be real (quality/plausibility.py); None: the
    # file POLICE_GATE_EXCEPTIONS names, else scripts/quality/acknowledged_changes.yml.
    exceptions_file: Path | None = None

    def __post_init__(self) -> None:
        if self.window_end < self.window_start:
            raise ValueError("window_end is before window_start")
        if not 0 <= self.threshold <= 1:
            raise ValueError("threshold is a share of rows, between 0 and 1")
        if self.volume_band and not 0 <= self.volume_band[0] <= 1 <= self.volume_band[1]:
            raise ValueError("volume_band is (low, high) with low <= 1 <= high")

    @property
    def exceptions_path(self) -> Path:
        from .plausibility import EXCEPTIONS_ENV, EXCEPTIONS_FILE

        if self.exceptions_file is not None:
            return self.exceptions_file
        named = os.environ.get(EXCEPTIONS_ENV)
        return Path(named) if named else EXCEPTIONS_FILE

    @property
    def effective_today(self) -> date:
        return self.today or date.today()

    def with_overrides(self, **values: object) -> GateConfig:
        return replace(self, **{k: v for k, v in values.items() if v is not None})

    @classmethod
    def from_json(cls, path: Path) -> GateConfig:
        raw = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
        values: dict[str, object] = {}
        for name, value in raw.items():
            if name in ("window_start", "window_end", "today") and value is not None:
                values[name] = date.fromisoformat(value)
            elif name == "volume_band" and value is not None:
                values[name] = (float(value[0]), float(value[1]))
            elif name in ("seeds_dir", "exceptions_file") and value is not None:
                values[name] = Path(value)
            else:
                values[name] = value
        return cls(**values)  # type: ignore[arg-type]
