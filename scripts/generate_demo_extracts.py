"""Generate the demo extracts (crimes, crime outcomes, calls, incidents) for the warehouse.

    python scripts/generate_demo_extracts.py --out data/landing --seed 20251101

The figures they reproduce are in scripts/demo_extracts/targets.py; they hold exactly
at --scale 1.0 (smaller scales are for quick runs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from demo_extracts.pipeline import generate


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
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    generate(args.out, args.seed, args.scale, None if args.quiet else progress)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
