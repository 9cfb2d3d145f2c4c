"""scripts/fetch_police_uk.py against a local HTTPS server (127.0.0.1, a certificate
made in the test and trusted through --ca-bundle) that serves archives built from the
real sample, as data.police.uk lays them out: nothing leaves the machine."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import ipaddress
import json
import ssl
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import PROJECT_DIR
from fetch_police_uk import FetchError, archives_for, fetch

POLICE_UK = PROJECT_DIR / "samples" / "data.police.uk"
CITY = "city-of-london"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (PEM files): the test's own CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(
            "127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )  # fmt: skip
    return cert_file, key_file


class ArchiveServer(http.server.ThreadingHTTPServer):
    """Serves files from a folder over https, honouring Range requests; remembers each
    request's Range header, can cut a response short once (an interrupted download) and
    can leave out Content-Length."""

    def __init__(self, folder: Path, tls: tuple[Path, Path] | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder
        self.ranges: list[str | None] = []
        self.cut_after: int | None = None
        self.no_length = False
        self.scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.socket = context.wrap_socket(self.socket, server_side=True)
            self.scheme = "https"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}/data/archive/"


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
        if not self.server.no_length:
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


def serve(folder: Path, tls: tuple[Path, Path] | None) -> Iterator[ArchiveServer]:
    served = ArchiveServer(folder, tls)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


@pytest.fixture
def tls(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed(tmp_path / "tls")


@pytest.fixture
def server(tmp_path: Path, tls: tuple[Path, Path]) -> Iterator[ArchiveServer]:
    yield from serve(tmp_path / "served", tls)


@pytest.fixture
def ca(tls: tuple[Path, Path]) -> Path:
    return tls[0]


STREET_MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]


def test_archives_cover_the_months_newest_first() -> None:
    assert archives_for("2024-01", "2025-12") == ["2025-12"]
    assert archives_for("2019-01", "2025-12") == ["2025-12", "2022-12", "2019-12"]


def test_fetch_writes_the_forces_months_as_published(
    server: ArchiveServer, ca: Path, tmp_path: Path
) -> None:
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS)
    out = tmp_path / "out"
    written = fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, ca_bundle=ca)
    assert sorted(m for m, _ in written) == STREET_MONTHS
    for (month, _kind), path in written.items():
        original = POLICE_UK / month / f"{month}-{CITY}-street.csv"
        assert path == out / month / original.name
        assert path.read_bytes() == original.read_bytes()


def test_an_interrupted_download_resumes_with_a_range_request(
    server: ArchiveServer, ca: Path, tmp_path: Path
) -> None:
    archive = server.folder / "2025-12.zip"
    build_archive(archive, STREET_MONTHS)
    out = tmp_path / "out"
    server.cut_after = 100_000  # the connection drops after 100 kB
    with pytest.raises(FetchError, match="run again to resume"):
        fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, ca_bundle=ca)
    part = out / ".archives" / "2025-12.zip.part"
    assert part.stat().st_size == 100_000
    assert not list(out.glob("20*/*.csv"))
    fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, ca_bundle=ca)
    assert server.ranges[-1] == "bytes=100000-"
    kept = out / ".archives" / "2025-12.zip"
    assert (
        hashlib.sha256(kept.read_bytes()).digest() == hashlib.sha256(archive.read_bytes()).digest()
    )


def test_a_missing_month_or_a_wrong_header_fails_and_leaves_nothing(
    server: ArchiveServer, ca: Path, tmp_path: Path
) -> None:
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS[1:], broken_header=None)
    out = tmp_path / "out"
    with pytest.raises(FetchError, match="street: no file for 2024-01"):
        fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, ca_bundle=ca)
    assert not list(out.glob("20*/*.csv"))
    assert [p.name for p in out.iterdir()] == [".archives"]  # no temporary folder left
    written = fetch(
        CITY, "2024-01", "2025-12", out, ("street",), server.url, allow_missing=True,
        ca_bundle=ca,
    )  # fmt: skip
    assert len(written) == 23
    (server.folder / "2025-12.zip").unlink()
    (out / ".archives" / "2025-12.zip").unlink()
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS, broken_header="-street.csv")
    with pytest.raises(FetchError, match="header"):
        fetch(CITY, "2024-01", "2025-12", tmp_path / "other", ("street",), server.url,
              ca_bundle=ca)  # fmt: skip
    assert not list((tmp_path / "other").glob("20*/*.csv"))


def test_the_command_line_names_an_archive_not_published(
    server: ArchiveServer, ca: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            sys.executable, str(PROJECT_DIR / "scripts" / "fetch_police_uk.py"),
            "--force", CITY, "--from", "2026-01", "--to", "2026-01",
            "--out", str(tmp_path / "out"), "--base-url", server.url, "--ca-bundle", str(ca),
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "2026-01.zip: not published (HTTP 404)" in done.stderr


def test_plain_http_and_an_untrusted_certificate_are_refused(
    server: ArchiveServer, tmp_path: Path
) -> None:
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS)
    with pytest.raises(FetchError, match="not https"):
        fetch(CITY, "2024-01", "2025-12", tmp_path / "a", ("street",),
              server.url.replace("https:", "http:"))  # fmt: skip
    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(CITY, "2024-01", "2025-12", tmp_path / "b", ("street",), server.url)
    assert not list(tmp_path.glob("*/20*/*.csv"))


def test_a_download_without_a_size_is_refused(
    server: ArchiveServer, ca: Path, tmp_path: Path
) -> None:
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS)
    server.no_length = True
    with pytest.raises(FetchError, match="no Content-Length"):
        fetch(CITY, "2024-01", "2025-12", tmp_path / "out", ("street",), server.url,
              ca_bundle=ca)  # fmt: skip
    assert not (tmp_path / "out" / ".archives" / "2025-12.zip").exists()


def test_each_archive_fetched_is_recorded_by_sha256_and_checked_when_reused(
    server: ArchiveServer, ca: Path, tmp_path: Path
) -> None:
    archive = server.folder / "2025-12.zip"
    build_archive(archive, STREET_MONTHS)
    out = tmp_path / "out"
    fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, ca_bundle=ca)
    manifest = json.loads((out / ".archives" / "manifest.json").read_text())
    entry = manifest["2025-12.zip"]
    assert entry["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert entry["bytes"] == archive.stat().st_size and entry["url"].startswith("https://")
    kept = out / ".archives" / "2025-12.zip"
    kept.write_bytes(kept.read_bytes()[:-10] + b"0123456789")  # changed in the cache
    with pytest.raises(FetchError, match="sha256 is not the one recorded"):
        fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, ca_bundle=ca)


def test_unzipped_size_is_capped_and_nothing_is_left_half_extracted(
    server: ArchiveServer, ca: Path, tmp_path: Path
) -> None:
    build_archive(server.folder / "2025-12.zip", STREET_MONTHS)
    out = tmp_path / "out"
    with pytest.raises(FetchError, match="unzip to more than"):
        fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, ca_bundle=ca,
              max_unzipped=1_000_000)  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == [".archives"]
    bad = out / ".archives" / "2025-12.zip"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    manifest = out / ".archives" / "manifest.json"
    entries = json.loads(manifest.read_text())
    entries["2025-12.zip"]["sha256"] = hashlib.sha256(bad.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(entries))
    with pytest.raises(FetchError, match="not a zip archive"):
        fetch(CITY, "2024-01", "2025-12", out, ("street",), server.url, ca_bundle=ca)
    assert sorted(p.name for p in out.iterdir()) == [".archives"]
