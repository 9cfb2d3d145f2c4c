"""The board report from the published warehouse: HTML (self-contained) and PDF.

    python scripts/build_report.py [--warehouse PATH] [--public PATH] [--out DIR]
                                   [--vars '{...}'] [--no-pdf] [--screenshots DIR]

Reads the published warehouse (POLICE_WAREHOUSE_PATH, default warehouse/police.duckdb)
read-only and writes reports/out/police-and-crime-plan-performance-<current_end>.html
and .pdf (headless Chromium prints the HTML). With --vars (other windows, e.g. a
current year ending June 2025) the published warehouse is copied to warehouse/report/
and the KPI models (int_kpi_windows and downstream) are rebuilt there with those vars:
the published file is only read. --screenshots writes a PNG of each figure.

--public names a public warehouse (make run-public; default warehouse/police_uk.duckdb
when it exists, POLICE_UK_WAREHOUSE_PATH to name another, `make report PUBLIC=<file>`):
3.5 compares the force (paper.toml: public_force) with its most similar forces and 11.3
gives its stop and search rates by ethnic group from it; without one, both say so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from dbt_vars import VarsError, check_vars  # noqa: E402
from report import charts, paper, wording  # noqa: E402
from report.data import load, load_public  # noqa: E402

DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "police.duckdb"
DEFAULT_VALIDATED = PROJECT_DIR / "warehouse" / "gate" / "validated"
DEFAULT_PUBLIC = PROJECT_DIR / "warehouse" / "police_uk.duckdb"
DEFAULT_OUT = PROJECT_DIR / "reports" / "out"
VARS_WORKDIR = PROJECT_DIR / "warehouse" / "report"
# Models rebuilt for other windows; the history of publishes is not a report's to write.
VARS_SELECT = ["int_kpi_windows+"]
VARS_EXCLUDE = ["kpi_scorecard_history", "kpi_revisions"]
# From the published file, the facts, dimensions, seeds and quality marts are kept as
# published; only the intermediate models the KPI models read are rebuilt beside them.
VARS_KEPT = ["resource_type:seed", "resource_type:snapshot", "fct_*", "dim_*",
             "path:models/marts/quality", "test_type:unit"]  # fmt: skip


class ReportError(Exception):
    pass


def chromium() -> str:
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and (path := shutil.which(name)):
            return path
    raise ReportError(
        "Chromium was not found: install it from the Debian packages "
        "(make setup-system runs apt-get install chromium) or set CHROMIUM."
    )


def run_chromium(*args: str) -> None:
    """Headless Chromium with every network request refused: the page must need none."""
    with tempfile.TemporaryDirectory() as profile:
        command = [
            chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND", *args,
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise ReportError(f"Chromium failed ({result.returncode}): {result.stderr[-2000:]}")


def print_pdf(page: Path, pdf: Path) -> None:
    run_chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise ReportError(f"Chromium wrote no PDF for {page}")


def screenshot_figures(data: object, out: Path) -> list[Path]:
    """A PNG of each figure, each drawn alone on a page of its own."""
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    for figure in charts.FIGURES:
        block = paper.figure_block(figure, data)  # type: ignore[arg-type]
        page = out / f"figure-{figure.number}.html"
        page.write_text(
            '<!doctype html><meta charset="utf-8"><body style="margin:0;background:#fff">'
            f'<div style="width:960px">{block["svg"]}</div></body>',
            encoding="utf-8",
        )
        png = out / f"figure-{figure.number}.png"
        run_chromium(
            "--hide-scrollbars", "--window-size=960,520", f"--screenshot={png}", page.as_uri()
        )
        page.unlink()
        shots.append(png)
    return shots


def rebuild_plan(published: Path) -> tuple[Path, list[str], dict[str, str]]:
    """Where the KPI models are rebuilt for other vars: the database to copy, what to
    select, and the environment. A dbt build (the tests' warehouse) has the intermediate
    schema: its KPI models are rebuilt in place. The published BI file has none
    (scripts/publish.py), so the intermediate models the KPI models read are rebuilt too,
    from the gate's validated copies (POLICE_VALIDATED_DIR): only when those are the
    published delivery's, by each extract's sha256 in quality.extract_deliveries."""
    with duckdb.connect(str(published), read_only=True) as con:
        (intermediate,) = con.sql(
            "select count(*) from duckdb_tables() where schema_name = 'intermediate'"
        ).fetchone()  # type: ignore[misc]
        delivered = dict(
            con.sql("select extract, sha256 from quality.extract_deliveries").fetchall()
        )
    if intermediate:
        return published, VARS_SELECT, {}
    validated = Path(os.environ.get("POLICE_VALIDATED_DIR", DEFAULT_VALIDATED))
    result = validated / "gate_result.json"
    gated = (
        {name: e.get("sha256") for name, e in json.loads(result.read_text())["extracts"].items()}
        if result.exists() else {}
    )  # fmt: skip
    if not gated or gated != delivered:
        raise ReportError(
            f"Other windows are rebuilt from the validated copies of the published delivery, "
            f"and {validated} does not hold them (a later run stopped, or they were removed): "
            "run make rebuild, then make report VARS=... again."
        )
    return published, [f"@{VARS_SELECT[0].rstrip('+')}"], {"POLICE_VALIDATED_DIR": str(validated)}


def with_vars(published: Path, vars_json: str, workdir: Path = VARS_WORKDIR) -> Path:
    """A copy of the published delivery's build with the KPI models rebuilt for other
    vars (the published file is only read)."""
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "police.duckdb"  # dbt-duckdb names the catalog after the file
    source, select, extra = rebuild_plan(published)
    shutil.copyfile(source, copy)
    env = dict(os.environ, DO_NOT_TRACK="1", POLICE_BUILD_PATH=str(copy), **extra)
    dbt = Path(sys.executable).with_name("dbt")
    exclude = [*VARS_EXCLUDE, *(VARS_KEPT if extra else [])]
    command = [
        str(dbt), "build", "--select", *select, "--exclude", *exclude,
        "--vars", vars_json, "--target-path", str(workdir / "target"),
        "--log-path", str(workdir / "logs"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise ReportError("dbt build with the report's vars failed:\n" + result.stdout[-4000:])
    return copy


def build(
    warehouse: Path, out: Path, pdf: bool = True, screenshots: Path | None = None,
    public: Path | None = None,
) -> dict:  # fmt: skip
    if not warehouse.exists():
        raise ReportError(f"No published warehouse at {warehouse}: run make run first.")
    data = load(warehouse)
    if public is not None:
        if not public.exists():
            raise ReportError(f"No public warehouse at {public}: run make run-public first.")
        data.public = load_public(public, str(wording.load_config()["public_force"]))
        if data.public.missing:
            print(f"report: {data.public.missing}", file=sys.stderr)
    *_, current_end = paper.main_window(data)
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"police-and-crime-plan-performance-{current_end.isoformat()}.html"
    page.write_text(paper.render(data), encoding="utf-8")
    written = {"html": page}
    if pdf:
        written["pdf"] = page.with_suffix(".pdf")
        print_pdf(page, written["pdf"])
    if screenshots is not None:
        written["screenshots"] = screenshot_figures(data, screenshots)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("POLICE_WAREHOUSE_PATH", DEFAULT_WAREHOUSE)),
    )
    parser.add_argument(
        "--public", type=Path, help="a public warehouse (make run-public) for 3.5 and 11.3"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--vars", help="dbt vars (JSON or YAML) for other windows")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--screenshots", type=Path)
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # Chromium is given file URIs
    args.screenshots = args.screenshots.resolve() if args.screenshots else None
    started = time.monotonic()
    # make report passes VARS and PUBLIC as environment variables (no shell re-parse)
    args.vars = args.vars or os.environ.get("POLICE_DBT_VARS") or None
    named = args.public or os.environ.get("POLICE_REPORT_PUBLIC") or None
    default = Path(os.environ.get("POLICE_UK_WAREHOUSE_PATH", DEFAULT_PUBLIC))
    public = Path(named) if named else (default if default.exists() else None)
    try:
        if args.vars:
            args.vars = json.dumps(check_vars(args.vars))
    except VarsError as error:
        print(f"report: {error}; nothing was run.", file=sys.stderr)
        return 2
    try:
        warehouse = args.warehouse
        if args.vars:
            if not warehouse.exists():
                raise ReportError(f"No published warehouse at {warehouse}: run make run first.")
            warehouse = with_vars(warehouse, args.vars)
        written = build(
            warehouse, args.out, pdf=not args.no_pdf, screenshots=args.screenshots,
            public=public,
        )  # fmt: skip
        print(
            f"Public warehouse: {public}" if public
            else "No public warehouse (make run-public): 3.5 and 11.3 say so"
        )  # fmt: skip
    except ReportError as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    for kind, path in written.items():
        for one in path if isinstance(path, list) else [path]:
            print(f"Wrote {kind}: {one}")
    print(f"Report built in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
