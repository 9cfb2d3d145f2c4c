"""The files of a data.police.uk archive (a folder or a .zip, as the site lays it out:
YYYY-MM/YYYY-MM-<force>-<kind>.csv with kind street, outcomes or stop-and-search) and of
DfT road safety data (a collision table and a casualty table, by their names).

Every file is read as bytes and named by its path inside the archive; nothing is
extracted or changed. Paths that are neither are listed as ignored, never read.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

POLICE_UK_KINDS = ("street", "outcomes", "stop-and-search")
MONTHLY = re.compile(
    r"^(?:.*/)?(?P<folder>\d{4}-\d{2})/(?P<month>\d{4}-(?:0[1-9]|1[0-2]))-(?P<force>[a-z-]+?)"
    r"-(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
DFT = re.compile(r"(?P<table>collision|accident|casualt)", re.IGNORECASE)


@dataclass(frozen=True)
class ArchiveFile:
    """One file of the archive: its path there, what it is, and where to read it."""

    path: str  # inside the archive, POSIX (2024-01/2024-01-city-of-london-street.csv)
    kind: str  # street | outcomes | stop-and-search | collisions | casualties
    month: str | None  # YYYY-MM from the name (data.police.uk files)
    force: str | None  # slug from the name (data.police.uk files)
    folder_month: str | None  # the YYYY-MM folder it sits in
    source: Path  # the archive (folder or zip)
    # DfT tables: the force whose rows are kept (the FORCE of the run that loaded it;
    # None: every force in the table)
    only_force: str | None = None

    def read(self) -> bytes:
        if self.source.is_dir():
            return (self.source / self.path).read_bytes()
        with zipfile.ZipFile(self.source) as archive:
            return archive.read(self.path)

    def sha256(self) -> str:
        return hashlib.sha256(self.read()).hexdigest()

    @property
    def key(self) -> str:
        """What a newer file replaces: the same force, month and kind (DfT: the path)."""
        if self.month is None:
            return f"dft/{self.kind}/{PurePosixPath(self.path).name}"
        return f"{self.force}/{self.month}/{self.kind}"


def _names(source: Path) -> Iterator[str]:
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            # dot folders are not data (the fetcher's .archives cache, .git ...)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                yield relative.as_posix()
    else:
        with zipfile.ZipFile(source) as archive:
            yield from sorted(n for n in archive.namelist() if not n.endswith("/"))


def classify(path: str, source: Path) -> ArchiveFile | None:
    """An archive file by its name, or None when it is neither kind."""
    match = MONTHLY.match(path)
    if match:
        return ArchiveFile(
            path=path,
            kind=match["kind"],
            month=match["month"],
            force=match["force"],
            folder_month=match["folder"],
            source=source,
        )
    name = PurePosixPath(path).name
    dft = DFT.search(name)
    if name.lower().endswith(".csv") and dft:
        table = "casualties" if dft["table"].lower() == "casualt" else "collisions"
        return ArchiveFile(path, table, None, None, None, source)
    return None


def stored_path(file: ArchiveFile) -> str:
    """Where the public store keeps a file: the site's layout for data.police.uk files
    (whatever folder the archive put them in), dft/<path in the archive> for DfT's."""
    if file.month is None:
        return f"dft/{file.path}"
    return f"{file.month}/{file.month}-{file.force}-{file.kind}.csv"


@dataclass
class Listing:
    files: list[ArchiveFile]
    ignored: list[str]  # paths that are not archive files (README, vehicles table ...)


def list_archive(source: Path, force: str | None = None) -> Listing:
    """The archive's files, those of one force only when `force` is given (DfT files are
    kept: the assembly filters them by the force's STATS19 code)."""
    if not source.exists():
        raise FileNotFoundError(f"no archive at {source}")
    files, ignored = [], []
    for path in _names(source):
        found = classify(path, source)
        if found is None:
            ignored.append(path)
        elif force is None or found.force in (None, force):
            files.append(replace(found, only_force=force) if found.month is None else found)
    return Listing(files, ignored)
