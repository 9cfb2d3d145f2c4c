"""Assemble public files into the extracts the gate checks: one CSV per kind, each row
prefixed with the file it came from, its line there and (data.police.uk) the month and
force the file's name gives; the rows themselves as published, byte for byte.

What a file gets at this stage (everything else is the gate's, row by row):
- stops the run: a file in another month's folder (misplaced_file), a force slug no seed
  knows (unknown_force), text that is not UTF-8 (undecodable_text), a header that is not
  the kind's (missing_column, extra_column, renamed_column, column_order ...), a DfT
  table without a column the warehouse needs (missing_column);
- warnings: a UTF-8 byte-order mark (stripped), a file with a header and no rows (a
  force with no searches that month), blank lines (skipped), CRLF line endings (read
  as line ends: every data.police.uk street file has them);
- stops the run: a data.police.uk file with under a fifth, or over five times, the
  median rows of the same force's files of that kind (file_volume: at least six months
  to compare; a normal month varies by far less, a cut or doubled file does not);
- DfT's -1 ("data missing or out of range") becomes an empty value;
- a DfT table loaded with a force given keeps that force's rows only (by STATS19
  police_force, the casualties with their collisions); the others are counted.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from alerts import Problem
from quality.contracts import DEFAULT_SEEDS_DIR, PUBLIC_SPECS, seed_path
from quality.files import compare_header

from .archive import ArchiveFile

BOM = b"\xef\xbb\xbf"
SOURCE_COLUMNS = ("source_file", "source_line")
MONTHLY_COLUMNS = (*SOURCE_COLUMNS, "file_month", "file_force")
PUBLISHED_HEADERS = {
    "street": (
        "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
        "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
    ),
    "outcomes": (
        "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
        "Location", "LSOA code", "LSOA name", "Outcome type",
    ),
    "stop-and-search": (
        "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
        "Longitude", "Gender", "Age range", "Self-defined ethnicity",
        "Officer-defined ethnicity", "Legislation", "Object of search", "Outcome",
        "Outcome linked to object of search", "Removal of more than just outer clothing",
    ),
}  # fmt: skip
EXTRACT_OF_KIND = {
    "street": "street",
    "outcomes": "outcomes",
    "stop-and-search": "stop_and_search",
    "collisions": "collisions",
    "casualties": "casualties",
}
# DfT's names for the columns in older files.
DFT_ALIASES = {
    "accident_index": "collision_index",
    "accident_year": "collision_year",
    "accident_severity": "collision_severity",
}
SPEC_COLUMNS = {spec.name: spec.column_names for spec in PUBLIC_SPECS}
DFT_MISSING = "-1"
VOLUME_BAND = (0.2, 5.0)  # a file's rows against the median of its force and kind
VOLUME_MIN_FILES = 6


@dataclass
class Assembled:
    """The landing folder's extracts, what each file gave, and the problems found."""

    rows: dict[str, int] = field(default_factory=dict)  # extract -> rows written
    files: dict[str, dict[str, object]] = field(default_factory=dict)  # path -> facts
    problems: list[Problem] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        return any(p.stops for p in self.problems)


def _forces(seeds_dir: Path) -> dict[str, int | None]:
    """Force slug -> STATS19 police force code (None where DfT has none)."""
    with seed_path(seeds_dir, "ref_police_forces").open(newline="", encoding="utf-8") as h:
        return {
            row["force_slug"]: int(row["stats19_police_force"])
            if row["stats19_police_force"]
            else None
            for row in csv.DictReader(h)
        }


def _text(file: ArchiveFile, found: Assembled) -> str | None:
    """The file as text (UTF-8, a BOM stripped), or None after a stopping problem."""
    data = file.read()
    if data.startswith(BOM):
        data = data[len(BOM) :]
        found.problems.append(
            Problem(file.path, "utf8_bom", "warning", message="UTF-8 byte-order mark stripped")
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        found.problems.append(
            Problem(
                file.path, "undecodable_text", "stop",
                message=f"line {line} is not UTF-8 (e.g. Windows-1252 text); the gate never "
                "guesses an encoding",
            )
        )  # fmt: skip
        return None


def _header_problems(
    file: ArchiveFile, header: list[str], expected: tuple[str, ...]
) -> list[Problem]:
    return [
        Problem(file.path, h.rule, "stop", message=h.message, column=", ".join(h.columns))
        for h in compare_header(header, expected)
    ]


def _monthly(
    file: ArchiveFile, forces: dict[str, int | None], out: io.TextIOBase, found: Assembled
) -> None:
    """A data.police.uk file: its lines, each prefixed with where it came from."""
    if file.folder_month != file.month:
        found.problems.append(
            Problem(
                file.path, "misplaced_file", "stop",
                message=f"a file of {file.month} in the folder of {file.folder_month}",
            )
        )  # fmt: skip
        return
    if file.force not in forces:
        found.problems.append(
            Problem(
                file.path, "unknown_force", "stop",
                message=f"force {file.force!r} is not in seeds/police_uk/ref_police_forces.csv",
            )
        )  # fmt: skip
        return
    text = _text(file, found)
    if text is None:
        return
    lines = text.splitlines()
    header = next(csv.reader(lines[:1]), []) if lines else []
    problems = _header_problems(file, header, PUBLISHED_HEADERS[file.kind])
    found.problems += problems
    if problems:
        return
    prefix = f"{file.path},"
    written = blank = 0
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            blank += 1
            continue
        out.write(f"{prefix}{number},{file.month},{file.force},{line}\n")
        written += 1
    if blank:
        found.problems.append(
            Problem(file.path, "blank_lines", "warning", count=blank, message="blank lines skipped")
        )
    if not written:
        found.problems.append(
            Problem(file.path, "header_only", "warning", count=0, message="the header and no rows")
        )
    found.files[file.path] = {"kind": file.kind, "rows": written, "month": file.month,
                              "force": file.force, "crlf": "\r\n" in text[:2000]}  # fmt: skip


def _dft(
    file: ArchiveFile, forces: dict[str, int | None], kept_collisions: set[str],
    out: io.TextIOBase, found: Assembled,
) -> None:  # fmt: skip
    """A DfT table: the contract's columns, by name, with where each row came from."""
    text = _text(file, found)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text))
    header = [DFT_ALIASES.get(c.strip(), c.strip()) for c in next(reader, [])]
    wanted = [c for c in SPEC_COLUMNS[file.kind] if c not in SOURCE_COLUMNS]
    missing = [c for c in wanted if c not in header]
    if missing:
        found.problems.append(
            Problem(
                file.path, "missing_column", "stop", column=", ".join(missing),
                message=f"the DfT {file.kind} table has no {', '.join(missing)}",
            )
        )  # fmt: skip
        return
    index = [header.index(c) for c in wanted]
    keep = None
    if file.only_force is not None:
        code = forces.get(file.only_force)
        keep = {code} if code is not None else set()
    writer = csv.writer(out, lineterminator="\n")
    years: set[str] = set()
    written = left_out = 0
    force_at = header.index("police_force") if "police_force" in header else None
    for number, record in enumerate(reader, start=2):
        if not record:
            continue
        if len(record) != len(header):  # a line that is not a row: the gate quarantines it
            out.write(f"{file.path},{number},{','.join(record)}\n")
            written += 1
            continue
        if file.kind == "collisions" and keep is not None and force_at is not None:
            if not record[force_at].isdigit() or int(record[force_at]) not in keep:
                left_out += 1
                continue
            kept_collisions.add(record[header.index("collision_index")])
        if (
            file.kind == "casualties"
            and keep is not None
            and record[header.index("collision_index")] not in kept_collisions
        ):
            left_out += 1
            continue
        values = [record[i] for i in index]
        writer.writerow([file.path, number, *("" if v == DFT_MISSING else v for v in values)])
        written += 1
        if file.kind == "collisions" and "collision_year" in header:
            years.add(record[header.index("collision_year")])
    found.files[file.path] = {"kind": file.kind, "rows": written, "other_forces": left_out,
                              "years": sorted(years)}  # fmt: skip
    if left_out:
        found.problems.append(
            Problem(
                file.path, "other_forces", "warning", count=left_out,
                message=f"{left_out:,} rows of other forces left out (the force's STATS19 code)",
            )
        )  # fmt: skip


def _volume_problems(found: Assembled) -> list[Problem]:
    """data.police.uk files far from the median rows of their force and kind."""
    groups: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for path, facts in found.files.items():
        if facts.get("month"):
            key = (str(facts["force"]), str(facts["kind"]))
            groups.setdefault(key, []).append((path, int(facts["rows"])))  # type: ignore[call-overload]
    out = []
    low, high = VOLUME_BAND
    for (force, kind), files in groups.items():
        if len(files) < VOLUME_MIN_FILES:
            continue
        median = statistics.median(rows for _, rows in files)
        for path, rows in files:
            if median and not low <= rows / median <= high:
                out.append(
                    Problem(
                        path, "file_volume", "stop", count=rows,
                        message=f"{rows:,} rows, {rows / median:.0%} of the median of "
                        f"{len(files)} {force} {kind} files ({median:,.0f}); the band is "
                        f"{low:.0%} to {high:.0%}",
                    )
                )  # fmt: skip
    return out


def assemble(
    files: Iterable[ArchiveFile],
    landing: Path,
    seeds_dir: Path = DEFAULT_SEEDS_DIR,
) -> Assembled:
    """Write the landing extracts (street.csv, outcomes.csv, stop_and_search.csv,
    collisions.csv, casualties.csv; header only when the archive has none of a kind)."""
    forces = _forces(seeds_dir)
    found = Assembled()
    landing.mkdir(parents=True, exist_ok=True)
    ordered = sorted(files, key=lambda f: (f.kind != "collisions", f.path))
    handles = {}
    try:
        for name, columns in SPEC_COLUMNS.items():
            handles[name] = (landing / f"{name}.csv").open("w", encoding="utf-8", newline="")
            handles[name].write(",".join(columns) + "\n")
        kept_collisions: set[str] = set()
        for file in ordered:
            extract = EXTRACT_OF_KIND[file.kind]
            before = found.files.get(file.path)
            if file.month is None:
                _dft(file, forces, kept_collisions, handles[extract], found)
            else:
                _monthly(file, forces, handles[extract], found)
            if before is None and file.path in found.files:
                rows = int(found.files[file.path]["rows"])  # type: ignore[call-overload]
                found.rows[extract] = found.rows.get(extract, 0) + rows
    finally:
        for handle in handles.values():
            handle.close()
    found.problems += _volume_problems(found)
    return found
