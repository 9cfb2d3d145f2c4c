"""Check the landing extracts before dbt reads them; publish validated copies.

    python scripts/quality_gate.py --landing data/landing --out data/validated \
        --state data/gate_state [--config gate.json] [--today 2025-11-01] [--threshold 0.01]

Exit 0: passed, validated CSVs (and quarantine.csv) are in --out for dbt to read
(POLICE_LANDING_DIR=<out>). Exit 1: stopped, no validated CSV in --out; the problems are
printed and written to <out>/gate_result.json. Exit 2: bad arguments.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from quality import GateConfig, run_gate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True, help="folder of delivered CSVs")
    parser.add_argument("--out", type=Path, required=True, help="folder for validated CSVs")
    parser.add_argument("--state", type=Path, required=True, help="folder of the gate's memory")
    parser.add_argument("--config", type=Path, help="JSON settings (see quality/config.py)")
    parser.add_argument("--window-start", type=date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--window-end", type=date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--threshold", type=float, help="max quarantined share (default 0.01)")
    parser.add_argument(
        "--allow-same-delivery",
        action="store_true",
        default=None,
        help="accept a delivery identical to an accepted one (a deliberate re-run)",
    )
    parser.add_argument("--no-data-docs", action="store_true", help="skip GX Data Docs")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    os.umask(0o027)  # its outputs hold delivered rows: no access for other users

    config = GateConfig.from_json(args.config) if args.config else GateConfig()
    config = config.with_overrides(
        window_start=args.window_start,
        window_end=args.window_end,
        allow_same_delivery=args.allow_same_delivery,
        data_docs=False if args.no_data_docs else None,
    )
    result = run_gate(
        args.landing,
        args.out,
        args.state,
        today=args.today,
        threshold=args.threshold,
        config=config,
    )
    print(result.to_json() if args.json else result.summary())
    return 0 if result.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
