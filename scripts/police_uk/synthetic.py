"""A synthetic data.police.uk archive of one large force, in the shape of the real sample:
for the benchmark of the public path at a real force's size (samples/ is a small force).

    python -m police_uk.synthetic --out DIR [--force west-midlands] [--months 36]
        [--street-rows 25000] [--searches 3000] [--outcomes 20000] [--seed 1]

Each month's street file draws its rows from the sample's City of London street rows
(2024-2025: the mix of crime types, outcomes, ASB and rows with no location), renamed to
the force, spread over 1,700 LSOAs of seven local authorities, with fresh crime ids; its
outcomes file gives outcomes to crimes of that month and earlier ones; its
stop-and-search file draws from the sample's searches, moved into the month (UTC
times). Files are CRLF, as the site's. Deterministic for a seed. Not data: a fixture.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import random
import sys
from pathlib import Path

from .assemble import PUBLISHED_HEADERS

PROJECT_DIR = Path(__file__).resolve().parents[2]
SAMPLE = PROJECT_DIR / "samples" / "data.police.uk"
AUTHORITIES = ("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall",
               "Wolverhampton")  # fmt: skip
LSOAS_PER_AUTHORITY = 243


def _rows(pattern: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(SAMPLE.glob(pattern)):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def _months(last: str, count: int) -> list[str]:
    year, month = (int(x) for x in last.split("-"))
    index = year * 12 + month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _write(path: Path, kind: str, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(PUBLISHED_HEADERS[kind])
        writer.writerows(rows)


def generate(
    out: Path, force: str = "west-midlands", force_name: str = "West Midlands Police",
    months: int = 36, last: str = "2025-12", street_rows: int = 25_000,
    searches: int = 3_000, outcomes: int = 20_000, seed: int = 1,
) -> dict[str, int]:  # fmt: skip
    rng = random.Random(seed)
    street = _rows("202[45]-*/*-city-of-london-street.csv")
    stops = _rows("*/*-stop-and-search.csv")
    located = [r for r in street if r["LSOA code"]]
    lsoas = [
        (f"E01{10_000 + a * LSOAS_PER_AUTHORITY + i:06d}", f"{name} {i // 4 + 1:03d}{'ABCD'[i % 4]}")  # noqa: E501
        for a, name in enumerate(AUTHORITIES)
        for i in range(LSOAS_PER_AUTHORITY)
    ]  # fmt: skip
    outcome_types = [r["Last outcome category"] for r in street if r["Last outcome category"]]
    counts = {"street": 0, "outcomes": 0, "stop-and-search": 0}
    earlier: list[tuple[str, str, str, str, str, str]] = []  # crimes to give outcomes to
    for month in _months(last, months):
        rows, crimes = [], []
        for n in range(street_rows):
            source = rng.choice(street)
            crime_id = ""
            if source["Crime ID"]:
                crime_id = hashlib.sha256(f"{seed}/{month}/{n}".encode()).hexdigest()
            location = ("", "", "No Location", "", "")
            if source["LSOA code"]:
                code, name = rng.choice(lsoas)
                base = rng.choice(located)
                lon = f"{float(base['Longitude']) - 1.8 + rng.uniform(-0.2, 0.2):.6f}"
                lat = f"{float(base['Latitude']) - 0.99 + rng.uniform(-0.1, 0.1):.6f}"
                location = (lon, lat, base["Location"], code, name)
            rows.append([crime_id, month, force_name, force_name, location[0], location[1],
                         location[2], location[3], location[4], source["Crime type"],
                         source["Last outcome category"], ""])  # fmt: skip
            if crime_id:
                crimes.append((crime_id, *location[:2], location[2], *location[3:]))
        _write(out / month / f"{month}-{force}-street.csv", "street", rows)
        counts["street"] += len(rows)
        earlier = (earlier + crimes)[-6 * street_rows :]
        given = [
            [c[0], month, force_name, force_name, *c[1:], rng.choice(outcome_types)]
            for c in rng.sample(earlier, min(outcomes, len(earlier)))
        ]
        _write(out / month / f"{month}-{force}-outcomes.csv", "outcomes", given)
        counts["outcomes"] += len(given)
        year, number = (int(x) for x in month.split("-"))
        days = calendar.monthrange(year, number)[1]
        searched = []
        for _ in range(searches):
            source = dict(rng.choice(stops))
            day = rng.randint(1, days - 1)  # 23:xx UTC on the last day is next month in BST
            source["Date"] = f"{month}-{day:02d}" + source["Date"][10:]
            searched.append([source[c] for c in PUBLISHED_HEADERS["stop-and-search"]])
        _write(out / month / f"{month}-{force}-stop-and-search.csv", "stop-and-search", searched)
        counts["stop-and-search"] += len(searched)
    return counts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--force", default="west-midlands")
    parser.add_argument("--force-name", default="West Midlands Police")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--last", default="2025-12")
    parser.add_argument("--street-rows", type=int, default=25_000, help="a month")
    parser.add_argument("--searches", type=int, default=3_000, help="a month")
    parser.add_argument("--outcomes", type=int, default=20_000, help="a month")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    counts = generate(
        args.out, args.force, args.force_name, args.months, args.last, args.street_rows,
        args.searches, args.outcomes, args.seed,
    )  # fmt: skip
    print(", ".join(f"{n:,} {kind} rows" for kind, n in counts.items()), f"in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
