"""Safe publishing of the warehouse BI tools read.

dbt builds into a build database (warehouse/build/police.duckdb), never into the
published one. Only a build whose every check passed is published: it is checkpointed
(no write-ahead log left behind), copied next to the published file under a temporary
name, and renamed over it in one atomic step, so a reader sees the old warehouse or the
new one, never half of one. Readers holding the old file open keep reading it (the
rename does not touch their open file); DuckDB's file lock is never shared between the
build and the readers. The warehouse it replaces is kept for rollback.

A run killed at any moment leaves the published warehouse as it was: the build file and
the temporary copy are scratch, removed by `recover` at the start of the next run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

TEMP_PREFIX = ".publishing-"
# Build-only schemas: dbt's failing-row audit tables, and the staging views, which read
# the build's extracts in place (a published view must not read a later delivery).
BUILD_ONLY_SCHEMAS = ("test_failures", "staging")


def previous_path(published: Path) -> Path:
    return published.parent / "previous" / published.name


def recover(build: Path, published: Path) -> list[Path]:
    """Remove what a killed run left behind: temporary copies and the old build files.
    Returns the paths removed."""
    leftovers = [
        *published.parent.glob(f"{TEMP_PREFIX}*"),
        *previous_path(published).parent.glob(f"{TEMP_PREFIX}*"),
    ]
    leftovers += [path for path in (build, build.with_name(build.name + ".wal")) if path.exists()]
    for path in leftovers:
        path.unlink()
    return leftovers


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_copy(source: Path, target: Path) -> None:
    """Copy source over target atomically: a temporary copy in target's folder, fsynced,
    then renamed over target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f"{TEMP_PREFIX}{os.getpid()}-{target.name}"
    shutil.copyfile(source, temporary)
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    _fsync_dir(target.parent)


def checkpoint(database: Path) -> None:
    """Drop build-only schemas and fold the write-ahead log into the database file, so
    the file alone is the complete warehouse."""
    with duckdb.connect(str(database)) as con:
        # A view over a build-only schema (int_crimes_as_delivered reads staging, for the
        # snapshot) would be left broken: it goes with them.
        over_build_only = con.execute(
            "select schema_name, view_name from duckdb_views() where not internal and ("
            + " or ".join("lower(sql) like ?" for _ in BUILD_ONLY_SCHEMAS)
            + ")",
            [f"%.{schema}.%" for schema in BUILD_ONLY_SCHEMAS],
        ).fetchall()
        for schema, view in over_build_only:
            con.execute(f'drop view "{schema}"."{view}"')
        for schema in BUILD_ONLY_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade")
        con.execute("checkpoint")
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint: is another process using it?")


def publish(build: Path, published: Path) -> Path | None:
    """Publish a passed build. Returns where the replaced warehouse was kept, if any."""
    checkpoint(build)
    kept = None
    if published.exists():
        kept = previous_path(published)
        _atomic_copy(published, kept)
    _atomic_copy(build, published)
    return kept


def rollback(published: Path) -> None:
    """Put the previously published warehouse back (atomically)."""
    kept = previous_path(published)
    if not kept.exists():
        raise FileNotFoundError(f"No previous warehouse at {kept}")
    _atomic_copy(kept, published)


# The tables that span publishes: built incrementally (dbt snapshot, append-only model)
# on what the published warehouse holds, which a new build database does not.
CARRIED = ("marts.kpi_scorecard_history", "snapshots.crime_history")


def carry_over(published: Path, build: Path, tables: tuple[str, ...] = CARRIED) -> list[str]:
    """Copy the tables that span publishes from the published warehouse into the (new)
    build database, before dbt builds on them. Returns the tables copied."""
    if not published.exists():
        return []
    carried = []
    build.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(build)) as con:
        quoted = str(published).replace("'", "''")
        con.execute(f"attach '{quoted}' as published (read_only)")
        for table in tables:
            schema, name = table.split(".")
            (found,) = con.execute(
                "select count(*) from information_schema.tables where table_catalog = "
                "'published' and table_schema = ? and table_name = ?",
                [schema, name],
            ).fetchone()  # type: ignore[misc]
            if found:
                con.execute(f"create schema if not exists {schema}")
                con.execute(f"create table {table} as select * from published.{table}")
                carried.append(table)
        con.execute("detach published")
    return carried
