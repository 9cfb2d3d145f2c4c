"""Extract-level facts read from the bytes of a delivered file, in one streaming pass:
size, sha256, UTF-8 byte-order mark, whether every line is valid UTF-8, physical line
count, whether the last line ends with a newline, and the header.

Encoding decision: extracts are UTF-8. A UTF-8 byte-order mark is stripped (DuckDB and the
header check skip it; a validated copy is written without it) and reported as a warning.
Any byte sequence that is not UTF-8 (Windows-1252 text, Latin-1, UTF-16) stops the run:
the gate does not guess encodings, since a wrong guess silently changes values.
"""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 24
MAX_BAD_LINES = 3


@dataclass
class FileFacts:
    path: Path
    exists: bool
    size: int = 0
    sha256: str = ""
    bom: bool = False
    physical_lines: int = 0  # lines in the file, the header included
    ends_with_newline: bool = True
    header: list[str] | None = None
    bad_encoding_lines: list[tuple[int, str]] = field(default_factory=list)  # (line, text)
    bad_encoding_count: int = 0  # lines that are not valid UTF-8

    @property
    def blank(self) -> bool:
        """Nothing but an optional BOM and whitespace: no header at all."""
        return self.header is None


def _decode_errors(body: bytes, first_line: int, facts: FileFacts) -> None:
    """Record the lines of `body` (whole lines, starting at line `first_line`) that are
    not valid UTF-8."""
    if body.isascii():
        return
    try:
        body.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    for offset, line in enumerate(body.split(b"\n")):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            facts.bad_encoding_count += 1
            if len(facts.bad_encoding_lines) < MAX_BAD_LINES:
                text = line.rstrip(b"\r").decode("utf-8", errors="backslashreplace")
                facts.bad_encoding_lines.append((first_line + offset, text[:300]))


def unsafe_file(landing: Path, name: str) -> str | None:
    """Why the landing file `name` must not be read, without reading it: not a regular
    file (a symbolic link, e.g. to /etc/passwd; a folder, a device, a pipe) or not inside
    the landing folder. None for a regular file inside it, or no file at all."""
    path = landing / name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return f"{path} is a symbolic link (to {os.readlink(path)}), not a delivered file"
    if not stat.S_ISREG(info.st_mode):
        return f"{path} is not a regular file"
    if path.resolve().parent != landing.resolve():
        return f"{path} is not inside the landing folder {landing.resolve()}"
    return None


def inspect_file(path: Path) -> FileFacts:
    if path.is_symlink() or not path.is_file():
        return FileFacts(path=path, exists=False)
    facts = FileFacts(path=path, exists=True)
    digest = hashlib.sha256()
    newlines = 0
    carry = b""
    first_piece = True
    head = b""
    last_byte = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            facts.size += len(chunk)
            last_byte = chunk[-1:]
            if len(head) < 1 << 16:
                head += chunk[: (1 << 16) - len(head)]
            piece = carry + chunk
            if first_piece and piece.startswith(BOM):
                facts.bom = True
                piece = piece[len(BOM) :]
            first_piece = False
            cut = piece.rfind(b"\n") + 1
            body, carry = piece[:cut], piece[cut:]
            _decode_errors(body, newlines + 1, facts)
            newlines += body.count(b"\n")
    _decode_errors(carry, newlines + 1, facts)
    facts.sha256 = digest.hexdigest()
    facts.ends_with_newline = last_byte in (b"\n", b"")
    facts.physical_lines = newlines + (0 if facts.ends_with_newline else 1)
    facts.header = _header(head[len(BOM) :] if facts.bom else head)
    return facts


def _header(head: bytes) -> list[str] | None:
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    if not first.strip() and not head.strip():
        return None
    text = first.decode("utf-8", errors="replace")
    return next(csv.reader([text]), [])


@dataclass(frozen=True)
class HeaderProblem:
    rule: str
    message: str
    columns: tuple[str, ...]


def compare_header(found: list[str], expected: tuple[str, ...]) -> list[HeaderProblem]:
    """What differs between the delivered header and the contract: missing, extra, renamed
    (a missing and an extra column at the same position) or reordered columns."""
    if list(found) == list(expected):
        return []
    problems: list[HeaderProblem] = []
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    dupes = sorted({c for c in found if found.count(c) > 1})
    renamed: list[tuple[str, str]] = []
    if len(found) == len(expected):
        for want, got in zip(expected, found, strict=True):
            if want in missing and got in extra:
                renamed.append((want, got))
    for want, got in renamed:
        missing.remove(want)
        extra.remove(got)
    if renamed:
        problems.append(
            HeaderProblem(
                "renamed_column",
                "; ".join(f"{want!r} delivered as {got!r}" for want, got in renamed),
                tuple(want for want, _ in renamed),
            )
        )
    if missing:
        problems.append(
            HeaderProblem("missing_column", f"missing {', '.join(missing)}", tuple(missing))
        )
    if extra:
        problems.append(
            HeaderProblem("extra_column", f"not in the contract: {', '.join(extra)}", tuple(extra))
        )
    if dupes:
        problems.append(
            HeaderProblem("duplicate_column", f"delivered twice: {', '.join(dupes)}", tuple(dupes))
        )
    if not problems:
        problems.append(
            HeaderProblem(
                "column_order",
                f"columns in order {', '.join(found)}; the contract is {', '.join(expected)}",
                tuple(found),
            )
        )
    return problems
