"""Monthly increments (scripts/deliveries.py): a warehouse published from a delivery
that ends in August 2025, then given the September increment, has the same marts as one
built from the whole delivery at once; the same increment again is a no-op, but not
under a delivery.json naming other months; rolled back, the increment delivered again is
applied again; an increment with nothing to apply to, or whose files do not hold the
months it names, is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from deliveries import MANIFEST, cut
from test_publishing import Warehouse

# What differs by design between two deployments: when each published, and what moved.
PUBLISH_HISTORY = {"kpi_scorecard_history", "kpi_revisions"}


def marts(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.sql(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
    return sorted(set(names) - PUBLISH_HISTORY)


def differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Rows of each mart in one warehouse and not the other (EXCEPT ALL both ways)."""
    out = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        for table in marts(left):
            one = con.sql(
                f"select count(*) from (select * from l.marts.{table} "
                f"except all select * from r.marts.{table})"
            ).fetchone()[0]
            other = con.sql(
                f"select count(*) from (select * from r.marts.{table} "
                f"except all select * from l.marts.{table})"
            ).fetchone()[0]
            if one or other:
                out[table] = (one, other)
    return out


@pytest.fixture(scope="module")
def deliveries(small_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("deliveries")
    out = {}
    for name, kwargs in (
        ("august", {"through": "2025-08"}),
        ("september", {"months": ("2025-09",)}),
    ):
        shutil.copytree(small_landing, root / name)
        cut(root / name, **kwargs)  # type: ignore[arg-type]
        out[name] = root / name
    out["whole"] = small_landing
    return out


def test_an_increment_builds_the_marts_a_whole_delivery_builds(
    deliveries: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "incremental"
    first = Warehouse(root, deliveries["august"]).run()
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    increment = Warehouse(root, deliveries["september"])
    second = increment.run()
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "Increment crimes: months 2025-09 delivered, the rest kept" in second.stdout
    again = increment.run()
    assert again.returncode == 0, again.stderr[-2000:]
    assert "up to date with the delivery of the increment of 2025-09" in again.stdout

    # The same files under a delivery.json that names a month they do not hold: stopped,
    # not "up to date" (the months named are checked against the files, every time).
    manifest = deliveries["september"] / MANIFEST
    named = manifest.read_text()
    published = increment.published.read_bytes()
    manifest.write_text('{"kind": "increment", "months": ["2025-10"]}')
    try:
        wrong = increment.run()
    finally:
        manifest.write_text(named)
    assert wrong.returncode == 1, wrong.stdout[-2000:]
    assert "does not match its files" in wrong.stderr
    said = str(increment.alerts_of("gate")[-1]["problems"][0]["message"])  # type: ignore[index]
    assert "names 2025-10, but no file of the delivery holds a row of it" in said
    assert "crimes.csv holds rows of 2025-09, which it does not name" in said
    assert increment.published.read_bytes() == published

    # Rolled back (the warehouse, the gate's state and the store together), the same
    # increment delivered again is applied again: published, not "up to date".
    rolled = increment.run("--rollback")
    assert rolled.returncode == 0, rolled.stderr[-2000:]
    with duckdb.connect(str(increment.published), read_only=True) as con:
        (september,) = con.sql(
            "select count(*) from marts.fct_crimes where recorded_date >= '2025-09-01'"
        ).fetchone()
    assert september == 0  # August's warehouse is back
    redelivered = increment.run()
    assert redelivered.returncode == 0, redelivered.stdout[-3000:] + redelivered.stderr[-3000:]
    assert "Increment crimes: months 2025-09 delivered, the rest kept" in redelivered.stdout
    assert "Published " in redelivered.stdout

    whole = Warehouse(tmp_path / "whole", deliveries["whole"])
    result = whole.run()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert len(marts(whole.published)) > 20
    assert differences(increment.published, whole.published) == {}
    with duckdb.connect(str(increment.published), read_only=True) as con:
        (august,) = con.sql(
            "select count(*) from marts.fct_crimes where recorded_date >= '2025-09-01'"
        ).fetchone()
    assert august > 0  # September is in: the increment was applied, not ignored


def test_an_increment_needs_a_published_delivery(
    deliveries: dict[str, Path], tmp_path: Path
) -> None:
    result = Warehouse(tmp_path, deliveries["september"]).run()
    assert result.returncode == 1
    assert "no full delivery has been published" in result.stderr
    assert not (tmp_path / "warehouse" / "police.duckdb").exists()


def test_an_increment_with_rows_outside_its_months_is_refused(
    deliveries: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "deployment"
    first = Warehouse(root, deliveries["august"]).run()
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    wrong = tmp_path / "wrong"
    shutil.copytree(deliveries["september"], wrong)
    (wrong / MANIFEST).write_text('{"kind": "increment", "months": ["2025-08"]}')
    before = (root / "warehouse" / "police.duckdb").read_bytes()
    deployment = Warehouse(root, wrong)
    result = deployment.run()
    assert result.returncode == 1
    said = str(deployment.alerts_of("gate")[-1]["problems"][0]["message"])  # type: ignore[index]
    assert "holds rows of 2025-09, which it does not name" in said
    assert (root / "warehouse" / "police.duckdb").read_bytes() == before
