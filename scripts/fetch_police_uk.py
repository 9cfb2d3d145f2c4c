"""Download a force's months from data.police.uk, laid out for `make run-public`.

    python scripts/fetch_police_uk.py --force west-midlands --from 2023-01 --to 2025-12 \
        --out data/police_uk [--kinds street,outcomes,stop-and-search] [--base-url URL]

data.police.uk publishes every month an archive of the last 36 months of every force
(https://data.police.uk/data/archive/YYYY-MM.zip, about 1.5 GB). The fetcher downloads the
fewest archives that cover --from..--to (the newest first, so each month comes in its
latest revision), resumably (an interrupted download continues from where it stopped,
with an HTTP Range request), with progress on stderr, into --out/.archives; it then
writes the force's files of those months into --out in the site's layout
(YYYY-MM/YYYY-MM-<force>-<kind>.csv) and checks what it got: every month present for
every kind asked for (--allow-missing: a warning, for a force that did not publish a
month), and each file's header the kind's. Exit 1 (nothing half-written left in --out)
if an archive is missing or a check fails.

The only part of the warehouse that uses the network, and only when run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from police_uk.archive import MONTHLY, POLICE_UK_KINDS
from police_uk.assemble import PUBLISHED_HEADERS

BASE_URL = "https://data.police.uk/data/archive/"
ARCHIVE_MONTHS = 36  # months each archive holds, ending at its own
CHUNK = 1 << 20
USER_AGENT = "police-performance-warehouse fetch_police_uk.py"


class FetchError(Exception):
    pass


def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def archives_for(first: str, last: str) -> list[str]:
    """The archives (by month) that cover first..last: the one named `last`, then the
    one 36 months earlier, and so on."""
    names, end = [], month_index(last)
    while end >= month_index(first):
        names.append(month_name(end))
        end -= ARCHIVE_MONTHS
    return names


def _progress(name: str, done: int, total: int | None, started: float) -> None:
    rate = done / max(time.monotonic() - started, 1e-6) / 1e6
    share = f"{done / total:6.1%} of {total / 1e6:,.0f} MB" if total else f"{done / 1e6:,.0f} MB"
    print(f"\r  {name}: {share} ({rate:.1f} MB/s)", end="", file=sys.stderr, flush=True)


def download(url: str, target: Path) -> Path:
    """Download url to target, resuming target.part if an earlier download stopped."""
    if target.exists():
        print(f"  {target.name}: already downloaded", file=sys.stderr)
        return target
    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as error:
        if error.code == 416 and have:  # the part file is already complete
            part.rename(target)
            return target
        if error.code == 404:
            raise FetchError(f"{url}: not published (HTTP 404)") from error
        raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        raise FetchError(f"{url}: {error.reason}") from error
    with response:
        resumed = response.status == 206
        if have and not resumed:  # the server ignored the Range: start again
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length else None
        started, done = time.monotonic(), have
        with part.open("ab" if resumed else "wb") as handle:
            while chunk := response.read(CHUNK):
                handle.write(chunk)
                done += len(chunk)
                _progress(target.name, done, total, started)
    print(file=sys.stderr)
    if total is not None and part.stat().st_size != total:
        raise FetchError(
            f"{url}: got {part.stat().st_size:,} of {total:,} bytes; run again to resume"
        )
    part.rename(target)
    return target


def extract(
    archive: Path, force: str, months: set[str], kinds: tuple[str, ...], out: Path,
    written: dict[tuple[str, str], Path],
) -> None:  # fmt: skip
    """Write the force's files of the months not written yet (a newer archive first)."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            for name in zipped.namelist():
                match = MONTHLY.match(name)
                if not match or match["force"] != force or match["kind"] not in kinds:
                    continue
                key = (match["month"], match["kind"])
                if match["month"] not in months or key in written:
                    continue
                target = out / match["month"] / Path(name).name
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(name) as source, target.open("wb") as handle:
                    shutil.copyfileobj(source, handle)
                written[key] = target
    except zipfile.BadZipFile as error:
        raise FetchError(
            f"{archive}: not a zip archive ({error}); delete it and run again"
        ) from error


def check(
    written: dict[tuple[str, str], Path], months: list[str], kinds: tuple[str, ...]
) -> list[str]:
    """Problems with what was written: months missing, headers that are not the kind's."""
    problems = []
    for kind in kinds:
        missing = [m for m in months if (m, kind) not in written]
        if missing:
            problems.append(f"{kind}: no file for {', '.join(missing)}")
    for (_month, kind), path in sorted(written.items()):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline().rstrip("\r\n").split(",")
        if tuple(header) != PUBLISHED_HEADERS[kind]:
            problems.append(f"{path}: the header is not data.police.uk's {kind} header")
    return problems


def fetch(
    force: str, first: str, last: str, out: Path, kinds: tuple[str, ...] = POLICE_UK_KINDS,
    base_url: str = BASE_URL, allow_missing: bool = False,
) -> dict[tuple[str, str], Path]:  # fmt: skip
    if month_index(first) > month_index(last):
        raise FetchError(f"--from {first} is after --to {last}")
    months = [month_name(i) for i in range(month_index(first), month_index(last) + 1)]
    cache = out / ".archives"
    written: dict[tuple[str, str], Path] = {}
    for name in archives_for(first, last):
        url = base_url.rstrip("/") + f"/{name}.zip"
        print(f"Archive {name} ({url})", file=sys.stderr)
        archive = download(url, cache / f"{name}.zip")
        extract(archive, force, set(months), kinds, out, written)
    problems = check(written, months, kinds)
    missing_only = all(": no file for " in p for p in problems)
    if problems and allow_missing and missing_only:
        print("Warning: " + "; ".join(problems), file=sys.stderr)
    elif problems:
        for path in written.values():
            path.unlink()
        raise FetchError("; ".join(problems))
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", required=True, help="data.police.uk slug, e.g. west-midlands")
    parser.add_argument("--from", dest="first", required=True, help="first month, YYYY-MM")
    parser.add_argument("--to", dest="last", required=True, help="last month, YYYY-MM")
    parser.add_argument("--out", type=Path, required=True, help="folder for the files")
    parser.add_argument("--kinds", default=",".join(POLICE_UK_KINDS), help="comma-separated")
    parser.add_argument("--base-url", default=BASE_URL, help="where the archives are")
    parser.add_argument(
        "--allow-missing", action="store_true",
        help="months a force did not publish are a warning, not an error",
    )  # fmt: skip
    args = parser.parse_args(argv)
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    unknown = set(kinds) - set(POLICE_UK_KINDS)
    if unknown:
        parser.error(f"unknown kinds {sorted(unknown)} (kinds: {', '.join(POLICE_UK_KINDS)})")
    try:
        written = fetch(
            args.force, args.first, args.last, args.out, kinds, args.base_url, args.allow_missing
        )
    except FetchError as error:
        print(f"fetch_police_uk: {error}", file=sys.stderr)
        return 1
    print(f"{len(written)} files of {args.force}, {args.first} to {args.last}, in {args.out}")
    print(f"Build them: make run-public ARCHIVE={args.out} FORCE={args.force}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
