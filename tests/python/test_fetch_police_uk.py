"""scripts/fetch_police_uk.py against a local HTTP server (127.0.0.1) that serves
archives built from the real sample, as data.police.uk lays them out: nothing leaves
the machine."""

from __future__ import annotations

import hashlib
import http.server
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PROJECT_DIR
from fetch_police_uk import FetchError, archives_for, fetch

POLICE_UK = PROJECT_DIR / "samples" / "data.police.uk"
CITY = "city-of-london"


class ArchiveServer(http.server.ThreadingHTTPServer):
    """Serves files from a folder, honouring Range requests; remembers each request's
    Range header, and can cut a response short once (an interrupted download)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder
        self.ranges: list[str | None] = []
        self.cut_after: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/data/archive/"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: ArchiveServer

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.server.folder / Path(self.path).name
        self.server.ranges.append(self.headers.get("Range"))
        if not self.path.startswith("/data/archive/") or not path.exists():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        if self.headers.get("Range"):
            start = int(self.headers["Range"].split("=")[1].rstrip("-"))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.server.cut_after is not None:
            body, self.server.cut_after = body[: self.server.cut_after], None
        self.wfile.write(body)


def build_archive(path: Path, months: list[str], broken_header: str | None = None) -> None:
    """A data.police.uk archive of the sample's files of those months (every force)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for month in months:
            for file in sorted((POLICE_UK / month).glob("*.csv")):
                data = file.read_bytes()
                if broken_header and file.name.endswith(broken_header):
                    data = data.replace(b"Crime ID", b"Crime Id", 1)
                archive.writestr(f"{month}/{file.name}", data)
        archive.writestr("README.txt", "not data")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ArchiveServer]:
    served = ArchiveServer(tmp_path / "served")
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


STREET_MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]


def test_archives_cover_the_months_newest_first() -> None:
    assert archives_for("2024-01", "2025-12") == ["2025-12"]
    assert archives_for("2019-01", "2025-12") == ["2025-12", "2022-12", "2019-12"]


def test_fetch_writes_the_forces_months_as_published(server: ArchiveServer, tmp_path: Path) -> None:
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS)
    out = tmp_path / "out"
    written = fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url)
    assert sorted(m for m, _ in written) == STREET_MONTHS
    for (month, _kind), path in written.items():
        original = POLICE_UK / month / f"{month}-{CITY}-street.csv"
        assert path == out / month / original.name
        assert path.read_bytes() == original.read_bytes()


def test_an_interrupted_download_resumes_with_a_range_request(
    server: ArchiveServer, tmp_path: Path
) -> None:
    archive = server.folder / "2025-12.zip"
    build_archive(archive, STREET_MONTHS)
    out = tmp_path / "out"
    server.cut_after = 100_000  # the connection drops after 100 kB
    with pytest.raises(FetchError, match="run again to resume"):
        fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url)
    part = out / ".archives" / "2025-12.zip.part"
    assert part.stat().st_size == 100_000
    fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url)
    assert server.ranges[-1] == "bytes=100000-"
    kept = out / ".archives" / "2025-12.zip"
    assert (
        hashlib.sha256(kept.read_bytes()).digest() == hashlib.sha256(archive.read_bytes()).digest()
    )


def test_a_missing_month_or_a_wrong_header_fails_and_leaves_nothing(
    server: ArchiveServer, tmp_path: Path
) -> None:
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS[1:], broken_header=None)
    out = tmp_path / "out"
    with pytest.raises(FetchError, match="street: no file for 2024-01"):
        fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url)
    assert not list(out.glob("20*/*.csv"))
    written = fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, allow_missing=True)
    assert len(written) == 23
    (server.folder / "2025-12.zip").unlink()
    (out / ".archives" / "2025-12.zip").unlink()
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS, broken_header="-street.csv")
    with pytest.raises(FetchError, match="header"):
        fetch(CITY, "2024-01", "2025-12", tmp_path / "other", ("street",), server.url)


def test_the_command_line_names_an_archive_not_published(
    server: ArchiveServer, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            sys.executable, str(PROJECT_DIR / "scripts" / "fetch_police_uk.py"),
            "--force", CITY, "--from", "2026-01", "--to", "2026-01",
            "--out", str(tmp_path / "out"), "--base-url", server.url,
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "2026-01.zip: not published (HTTP 404)" in done.stderr
