"""Generate the demo extracts (crimes, crime outcomes, calls, incidents) for the warehouse.

    python scripts/generate_demo_extracts.py --out data/landing --seed 20251101
    python scripts/generate_demo_extracts.py --out d1 --end-month 2025-08   # through August
    python scripts/generate_demo_extracts.py --out d2 --months 2025-09      # the next month

The figures they reproduce are in scripts/demo_extracts/targets.py; they hold exactly
at --scale 1.0 (smaller scales are for quick runs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deliveries import cut
from demo_extracts.pipeline import generate
from quality.contracts import EXTRACT_NAMES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("data/landing"),
        help="folder to write the CSV files into (created if missing)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=20251101,
        help="random seed; the same seed gives byte-identical files",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="volume factor for quick runs; figures are exact only at 1.0",
    )
    parser.add_argument(
        "--end-month",
        metavar="YYYY-MM",
        help="a full delivery that ends at this month (delivery.json declares its window)",
    )
    parser.add_argument(
        "--months",
        metavar="YYYY-MM[,YYYY-MM...]",
        help="an increment: only these months' rows (one new month, or a re-extract of "
        "the last few), for a warehouse that holds the months before",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument(
        "--unless-delivered",
        action="store_true",
        help="write nothing if the folder holds every extract; stop (exit 1) if it holds "
        "some but not all: real extracts are never overwritten",
    )
    args = parser.parse_args(argv)
    if args.unless_delivered:
        present = [n for n in EXTRACT_NAMES if (args.out / f"{n}.csv").exists()]
        if len(present) == len(EXTRACT_NAMES):
            print(f"Extracts present in {args.out}")
            return 0
        if present:
            missing = sorted(set(EXTRACT_NAMES) - set(present))
            print(
                f"{args.out} has {', '.join(present)} but not {', '.join(missing)} (.csv): "
                "deliver every extract",
                file=sys.stderr,
            )
            return 1

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if args.end_month and args.months:
        parser.error("--end-month (a full delivery) or --months (an increment), not both")
    generate(args.out, args.seed, args.scale, None if args.quiet else progress)
    if args.end_month:
        cut(args.out, through=args.end_month)
    elif args.months:
        cut(args.out, months=tuple(m.strip() for m in args.months.split(",")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
