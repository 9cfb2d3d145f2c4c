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

Safe by construction: only https (--ca-bundle names a CA file, e.g. a test's own); the
size of every download is verified against what the server announces (a response that
announces none is refused); data.police.uk publishes no checksums, so the sha256 of each
archive fetched is recorded in --out/.archives/manifest.json and an archive already in
the cache is used only if it still has it; the force's files are unzipped with a cap on
their size (--max-unzipped-mb, counted as written, not as the zip claims) into a
temporary folder, and renamed into place only when every file is whole and checked.

The only part of the warehouse that uses the network, and only when run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from dbt_vars import SLUG
from police_uk.archive import MONTHLY, POLICE_UK_KINDS
from police_uk.assemble import PUBLISHED_HEADERS

BASE_URL = "https://data.police.uk/data/archive/"
ARCHIVE_MONTHS = 36  # months each archive holds, ending at its own
CHUNK = 1 << 20
USER_AGENT = "police-performance-warehouse fetch_police_uk.py"
MANIFEST = "manifest.json"
# A force's files of 36 months are tens of MB (the Metropolitan Police's street files,
# the largest, about 25 MB a month): 4 GB unzipped is far above any force's real files.
MAX_UNZIPPED = 4 << 30


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


def _context(ca_bundle: Path | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)


def require_https(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme != "https":
        raise FetchError(f"{url}: not https (the fetcher downloads over https only)")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(cache: Path) -> dict[str, dict[str, object]]:
    path = cache / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _record(cache: Path, target: Path, url: str) -> dict[str, object]:
    """Record the sha256 and size of a fetched archive in the cache's manifest."""
    entries = _manifest(cache)
    entry: dict[str, object] = {
        "url": url, "bytes": target.stat().st_size, "sha256": sha256_of(target),
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip
    entries[target.name] = entry
    temporary = cache / f".{MANIFEST}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, cache / MANIFEST)
    return entry


def _announced(response: object, have: int, resumed: bool) -> int:
    """The whole file's size as the server announces it (Content-Range's total for a
    resumed download, else Content-Length); a response without one is refused."""
    headers = response.headers  # type: ignore[attr-defined]
    if resumed and headers.get("Content-Range", "").rpartition("/")[2].isdigit():
        return int(headers["Content-Range"].rpartition("/")[2])
    length = headers.get("Content-Length")
    if length is None or not length.isdigit():
        raise FetchError("the server announced no size (no Content-Length): refused, since "
                         "a cut download could not be told from a whole one")  # fmt: skip
    return (have if resumed else 0) + int(length)


def download(url: str, target: Path, ca_bundle: Path | None = None) -> Path:
    """Download url to target over https, resuming target.part if an earlier download
    stopped; its size verified, its sha256 recorded in the cache's manifest. An archive
    already downloaded is used only if its sha256 is the one recorded."""
    require_https(url)
    cache = target.parent
    if target.exists():
        recorded = _manifest(cache).get(target.name)
        if recorded is None:
            _record(cache, target, url)
            print(f"  {target.name}: already downloaded (sha256 recorded now)", file=sys.stderr)
        elif recorded.get("sha256") != sha256_of(target):
            raise FetchError(
                f"{target}: its sha256 is not the one recorded when it was fetched "
                f"({str(recorded.get('sha256'))[:12]}...): delete it and run again"
            )
        else:
            print(f"  {target.name}: already downloaded (sha256 checked)", file=sys.stderr)
        return target
    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=60, context=_context(ca_bundle))
    except urllib.error.HTTPError as error:
        if error.code == 416 and have:  # the part file is already complete
            part.rename(target)
            _record(cache, target, url)
            return target
        if error.code == 404:
            raise FetchError(f"{url}: not published (HTTP 404)") from error
        raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        raise FetchError(f"{url}: {error.reason}") from error
    with response:
        require_https(response.geturl())  # no redirect to plain http
        resumed = response.status == 206
        if have and not resumed:  # the server ignored the Range: start again
            have = 0
        try:
            total = _announced(response, have, resumed)
        except FetchError as error:
            raise FetchError(f"{url}: {error}") from None
        started, done = time.monotonic(), have
        with part.open("ab" if resumed else "wb") as handle:
            while chunk := response.read(CHUNK):
                handle.write(chunk)
                done += len(chunk)
                if done > total:
                    break
                _progress(target.name, done, total, started)
    print(file=sys.stderr)
    size = part.stat().st_size
    if size > total:
        part.unlink()
        raise FetchError(f"{url}: got more than the {total:,} bytes announced; discarded")
    if size != total:
        raise FetchError(f"{url}: got {size:,} of {total:,} bytes; run again to resume")
    part.rename(target)
    _record(cache, target, url)
    return target


def extract(
    archive: Path, force: str, months: set[str], kinds: tuple[str, ...], out: Path,
    written: dict[tuple[str, str], Path], max_unzipped: int = MAX_UNZIPPED,
) -> None:  # fmt: skip
    """Write the force's files of the months not written yet (a newer archive first)
    into `out` (a temporary folder), counting the bytes written against max_unzipped."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            for name in zipped.namelist():
                match = MONTHLY.match(name)
                if not match or match["force"] != force or match["kind"] not in kinds:
                    continue
                key = (match["month"], match["kind"])
                if match["month"] not in months or key in written:
                    continue
                target = out / match["month"] / f"{match['month']}-{force}-{match['kind']}.csv"
                target.parent.mkdir(parents=True, exist_ok=True)
                used = sum(p.stat().st_size for p in written.values())
                with zipped.open(name) as source, target.open("wb") as handle:
                    while chunk := source.read(CHUNK):
                        used += len(chunk)
                        if used > max_unzipped:
                            raise FetchError(
                                f"{archive}: the force's files unzip to more than "
                                f"{max_unzipped / 1e6:,.0f} MB (at {name}): refused "
                                "(--max-unzipped-mb)"
                            )
                        handle.write(chunk)
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
    base_url: str = BASE_URL, allow_missing: bool = False, ca_bundle: Path | None = None,
    max_unzipped: int = MAX_UNZIPPED,
) -> dict[tuple[str, str], Path]:  # fmt: skip
    """Fetch and write the force's files; on any error nothing new is left in `out`."""
    if month_index(first) > month_index(last):
        raise FetchError(f"--from {first} is after --to {last}")
    require_https(base_url)
    months = [month_name(i) for i in range(month_index(first), month_index(last) + 1)]
    cache = out / ".archives"
    staging = out / f".fetching-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staged: dict[tuple[str, str], Path] = {}
    try:
        for name in archives_for(first, last):
            url = base_url.rstrip("/") + f"/{name}.zip"
            print(f"Archive {name} ({url})", file=sys.stderr)
            archive = download(url, cache / f"{name}.zip", ca_bundle)
            extract(archive, force, set(months), kinds, staging, staged, max_unzipped)
        problems = check(staged, months, kinds)
        missing_only = all(": no file for " in p for p in problems)
        if problems and allow_missing and missing_only:
            print("Warning: " + "; ".join(problems), file=sys.stderr)
        elif problems:
            raise FetchError("; ".join(problems))
        written = {}
        for key, path in sorted(staged.items()):  # every file whole: into place
            target = out / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            written[key] = target
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
    parser.add_argument("--ca-bundle", type=Path, help="CA certificates to trust (a test's)")
    parser.add_argument(
        "--max-unzipped-mb", type=int, default=MAX_UNZIPPED >> 20,
        help="cap on the force's files unzipped (default %(default)s MB)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    os.umask(0o027)  # what it writes: no access for other users
    if not SLUG.fullmatch(args.force):
        parser.error(f"--force {args.force!r} is not a force slug (e.g. west-midlands)")
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    unknown = set(kinds) - set(POLICE_UK_KINDS)
    if unknown:
        parser.error(f"unknown kinds {sorted(unknown)} (kinds: {', '.join(POLICE_UK_KINDS)})")
    try:
        written = fetch(
            args.force, args.first, args.last, args.out, kinds, args.base_url,
            args.allow_missing, args.ca_bundle, args.max_unzipped_mb << 20,
        )  # fmt: skip
    except FetchError as error:
        print(f"fetch_police_uk: {error}", file=sys.stderr)
        return 1
    print(f"{len(written)} files of {args.force}, {args.first} to {args.last}, in {args.out}")
    print(f"Build them: make run-public ARCHIVE={args.out} FORCE={args.force}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
