"""Safe publishing of the warehouse BI tools read, and of its restricted twin.

dbt builds into a build database (warehouse/build/police.duckdb), never into a published
one. Only a build whose every check passed is published, in one publish step, as two
files:

- the BI file (POLICE_WAREHOUSE_PATH, warehouse/police.duckdb; mode 0640, group: the
  BI readers', POLICE_BI_GROUP): every schema but the build-only ones (staging,
  test_failures), intermediate (models, not figures: BI reads marts) and restricted;
- the restricted file (POLICE_RESTRICTED_PATH, warehouse/restricted/police.duckdb;
  mode 0600 in a 0700 folder): the restricted schema (record-level rows with victims'
  and searched people's attributes, and the quarantine's raw rows), for the few who may
  read them. A build without a restricted schema publishes an empty restricted file.

The BI file is written afresh from the build (`COPY FROM DATABASE`), not copied from it:
a dropped schema's blocks stay in a database file until overwritten, and the restricted
rows must not be in the BI file even as free blocks. Each file is written next to its
target under a scratch name, fsynced, and renamed over it in one atomic step, so a reader
sees the old warehouse or the new one, never half of one; readers holding the old file
keep reading it. DuckDB's file lock is never shared between the build and the readers.

Everything a publish changes is kept for rollback, together (`Deployment`): the BI file,
the restricted file, the gate's state (the deliveries it accepted) and the increment
store (the rows of the delivery published), in warehouse/previous/ as
`<name>`, `<name>.restricted`, `<name>.gate-state/`, `<name>.deliveries/` and a
`<name>.kept.json` written last (a set without it is incomplete and is not restored).
Files are kept as hard links where the file system allows (they are only ever replaced,
never written in place), so keeping costs no copy. `rollback` puts the whole set back,
so a delivery rolled back and delivered again is gated, built and published again.

A run killed at any moment leaves the published files as they were: the build file and
the scratch copies are removed by `recover` at the start of the next run of any kind.
"""

from __future__ import annotations

import grp
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

TEMP_PREFIX = ".publishing-"
# Build-only schemas: dbt's failing-row audit tables, and the staging views, which read
# the build's extracts in place (a published view must not read a later delivery).
BUILD_ONLY_SCHEMAS = ("test_failures", "staging")
# Not in the BI file: the build-only schemas, intermediate models, and the restricted
# schema (which is the restricted file).
RESTRICTED_SCHEMA = "restricted"
NOT_FOR_BI = (*BUILD_ONLY_SCHEMAS, "intermediate", RESTRICTED_SCHEMA)
BI_MODE = 0o640
RESTRICTED_MODE = 0o600
RESTRICTED_DIR_MODE = 0o700
BI_GROUP_ENV = "POLICE_BI_GROUP"
KEPT_MARKER = ".kept.json"


def restricted_default(published: Path) -> Path:
    return published.parent / "restricted" / published.name


@dataclass(frozen=True)
class Deployment:
    """What one publish changes, kept and rolled back together."""

    published: Path  # the BI file
    restricted: Path  # the restricted file
    gate_state: Path | None = None  # the gate's state folder (accepted deliveries)
    store: Path | None = None  # the increment store (rows of the delivery published)

    @classmethod
    def of(cls, published: Path | Deployment) -> Deployment:
        if isinstance(published, Deployment):
            return published
        return cls(published, restricted_default(published))

    @property
    def kept_dir(self) -> Path:
        return self.published.parent / "previous"

    def kept(self) -> dict[str, tuple[Path | None, Path]]:
        """Each part: (where it lives, where its previous version is kept)."""
        name, kept = self.published.name, self.kept_dir
        return {
            "warehouse": (self.published, kept / name),
            "restricted": (self.restricted, kept / f"{name}.restricted"),
            "gate_state": (self.gate_state, kept / f"{name}.gate-state"),
            "store": (self.store, kept / f"{name}.deliveries"),
        }

    @property
    def marker(self) -> Path:
        return self.kept_dir / f"{self.published.name}{KEPT_MARKER}"


def previous_path(published: Path) -> Path:
    return published.parent / "previous" / published.name


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _scratch(folder: Path, name: str) -> Iterator[Path]:
    """Scratch files of a publish of `name` in folder whose process is gone."""
    for path in folder.glob(f"{TEMP_PREFIX}*-{name}*"):
        pid = path.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
            continue  # another process's publish in progress (not ours: we hold the lock)
        yield path


def recover(build: Path, published: Path | Deployment) -> list[Path]:
    """Remove what a killed run left behind: scratch copies of a publish (of this
    warehouse only: the public warehouse's publish writes beside it) and the old build
    files. Returns the paths removed."""
    d = Deployment.of(published)
    name = d.published.name
    leftovers = [
        *_scratch(d.published.parent, name),
        *_scratch(d.restricted.parent, d.restricted.name),
        *_scratch(d.kept_dir, name),
    ]
    leftovers += [path for path in (build, build.with_name(build.name + ".wal")) if path.exists()]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    return leftovers


def scratch_files(published: Path | Deployment) -> list[Path]:
    """Dead scratch files of a publish (what an up-to-date run removes)."""
    d = Deployment.of(published)
    return [
        *_scratch(d.published.parent, d.published.name),
        *_scratch(d.restricted.parent, d.restricted.name),
        *_scratch(d.kept_dir, d.published.name),
    ]


def remove_scratch(published: Path | Deployment) -> list[Path]:
    found = scratch_files(published)
    for path in found:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    return found


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _temporary(target: Path) -> Path:
    return target.parent / f"{TEMP_PREFIX}{os.getpid()}-{target.name}"


def _bi_group() -> int | None:
    """The BI readers' group (POLICE_BI_GROUP: a name or gid), if set."""
    named = os.environ.get(BI_GROUP_ENV)
    if not named:
        return None
    try:
        return int(named) if named.isdigit() else grp.getgrnam(named).gr_gid
    except KeyError as error:
        raise RuntimeError(f"{BI_GROUP_ENV}={named}: no such group") from error


def _protect(path: Path, mode: int, group: int | None = None) -> None:
    if group is not None:
        os.chown(path, -1, group)
    os.chmod(path, mode)


def _folder(folder: Path, mode: int | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if mode is not None:
        os.chmod(folder, mode)


def _place(temporary: Path, target: Path) -> None:
    _fsync(temporary)
    os.replace(temporary, target)
    _fsync_dir(target.parent)


def _atomic_copy(source: Path, target: Path, mode: int = BI_MODE) -> None:
    """Copy source over target atomically: a temporary copy in target's folder, fsynced,
    then renamed over target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(target)
    shutil.copyfile(source, temporary)
    os.chmod(temporary, mode)
    _place(temporary, target)


def _drop_views_over(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> None:
    """Views outside `schemas` that read them would be left broken (e.g. a view over
    staging): they go with them."""
    rows = con.execute(
        "select schema_name, view_name from duckdb_views() where not internal and "
        "schema_name not in (" + ", ".join("?" for _ in schemas) + ") and ("
        + " or ".join("lower(sql) like ?" for _ in schemas)
        + ")",
        [*schemas, *(f"%.{schema}.%" for schema in schemas)],
    ).fetchall()
    for schema, view in rows:
        con.execute(f'drop view "{schema}"."{view}"')


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_restricted(con: duckdb.DuckDBPyConnection, target: Path) -> list[str]:
    """The build's restricted schema (tables, and views materialised as tables, with
    their descriptions) into a new database file. Returns the relations written."""
    target.unlink(missing_ok=True)
    con.execute(f"attach {_quote(str(target))} as restricted_out")
    try:
        con.execute(f"create schema restricted_out.{RESTRICTED_SCHEMA}")
        relations = con.execute(
            "select table_name, comment from duckdb_tables() where database_name = "
            "current_database() and schema_name = ? union all "
            "select view_name, comment from duckdb_views() where database_name = "
            "current_database() and schema_name = ? and not internal order by 1",
            [RESTRICTED_SCHEMA, RESTRICTED_SCHEMA],
        ).fetchall()
        for name, comment in relations:
            source = f'{RESTRICTED_SCHEMA}."{name}"'
            copy = f'restricted_out.{RESTRICTED_SCHEMA}."{name}"'
            con.execute(f"create table {copy} as select * from {source}")
            if comment:
                con.execute(f"comment on table {copy} is {_quote(comment)}")
            columns = con.execute(
                "select column_name, comment from duckdb_columns() where database_name = "
                "current_database() and schema_name = ? and table_name = ? "
                "and comment is not null",
                [RESTRICTED_SCHEMA, name],
            ).fetchall()
            for column, text in columns:
                con.execute(f'comment on column {copy}."{column}" is {_quote(text)}')
    finally:
        con.execute("detach restricted_out")
    return [name for name, _ in relations]


def split(build: Path, bi: Path, restricted: Path) -> list[str]:
    """Write the restricted file and the BI file of a passed build (the build database
    loses the schemas that are not for BI). Returns the restricted relations."""
    with duckdb.connect(str(build)) as con:
        written = write_restricted(con, restricted)
        _drop_views_over(con, NOT_FOR_BI)
        for schema in NOT_FOR_BI:
            con.execute(f"drop schema if exists {schema} cascade")
        con.execute("checkpoint")
        database = con.execute("select current_database()").fetchone()[0]  # type: ignore[index]
        bi.unlink(missing_ok=True)
        con.execute(f"attach {_quote(str(bi))} as bi_out")
        try:
            con.execute(f'copy from database "{database}" to bi_out')
        finally:
            con.execute("detach bi_out")
    for path in (bi, restricted):
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            raise RuntimeError(f"{wal} still exists after writing {path}")
    return written


def checkpoint(database: Path) -> None:
    """Drop build-only schemas and fold the write-ahead log into the database file, so
    the file alone is the complete warehouse (kept for callers that publish a copy)."""
    with duckdb.connect(str(database)) as con:
        _drop_views_over(con, BUILD_ONLY_SCHEMAS)
        for schema in BUILD_ONLY_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade")
        con.execute("checkpoint")
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint: is another process using it?")


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _keep_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=_link_or_copy, symlinks=True)


def keep(d: Deployment) -> Path | None:
    """Keep what is published now (every part of the deployment that exists) as the
    previous set, replacing the one kept before. Returns where the warehouse was kept."""
    if not d.published.exists():
        return None
    _folder(d.kept_dir, 0o750)
    d.marker.unlink(missing_ok=True)  # the old set is incomplete from here on
    parts = {}
    for part, (live, kept) in d.kept().items():
        if kept.is_dir() and not kept.is_symlink():
            shutil.rmtree(kept)
        else:
            kept.unlink(missing_ok=True)
        if live is None or not live.exists():
            continue
        temporary = _temporary(kept)
        if live.is_dir():
            _keep_tree(live, temporary)
        else:
            _link_or_copy(live, temporary)
        os.replace(temporary, kept)
        parts[part] = str(kept)
    kept_at = datetime.now(UTC).isoformat(timespec="seconds")
    marker = _temporary(d.marker)
    marker.write_text(json.dumps({"kept_at": kept_at, "parts": parts}, indent=2) + "\n")
    os.replace(marker, d.marker)
    _fsync_dir(d.kept_dir)
    return d.kept()["warehouse"][1]


def publish(build: Path, published: Path | Deployment) -> Path | None:
    """Publish a passed build: the BI file and the restricted file, after keeping the
    deployment as it was. Returns where the replaced warehouse was kept, if anywhere."""
    d = Deployment.of(published)
    _folder(d.published.parent)
    _folder(d.restricted.parent, RESTRICTED_DIR_MODE)
    bi, restricted = _temporary(d.published), _temporary(d.restricted)
    try:
        split(build, bi, restricted)
        _protect(bi, BI_MODE, _bi_group())
        _protect(restricted, RESTRICTED_MODE)
        kept = keep(d)
        _place(restricted, d.restricted)
        _place(bi, d.published)
    finally:
        for path in (bi, restricted):
            path.unlink(missing_ok=True)
    return kept


class NothingToRollBack(Exception):
    pass


def rollback(published: Path | Deployment) -> dict[str, Path]:
    """Put the previously published deployment back: the BI file, the restricted file,
    the gate's state and the increment store, each atomically (the kept set stays, so a
    rollback interrupted midway can be run again). Returns what was restored."""
    d = Deployment.of(published)
    if not d.marker.exists():
        if previous_path(d.published).exists():
            raise NothingToRollBack(
                f"{d.kept_dir} holds a previous warehouse without the state it was published "
                f"with ({d.marker.name} is missing: kept before whole-state rollback, or "
                "while a publish was interrupted); nothing was changed"
            )
        raise NothingToRollBack(f"No previous warehouse at {previous_path(d.published)}")
    parts = json.loads(d.marker.read_text(encoding="utf-8")).get("parts", {})
    restored = {}
    for part, (live, kept) in d.kept().items():
        if live is None:
            continue
        if part not in parts:  # not there when it was kept (a first delivery's store)
            if live.is_dir():
                shutil.rmtree(live)
            else:
                live.unlink(missing_ok=True)
            continue
        if kept.is_dir():
            temporary = _temporary(live)
            shutil.rmtree(temporary, ignore_errors=True)
            _keep_tree(kept, temporary)
            old = live.with_name(f"{TEMP_PREFIX}{os.getpid()}-old-{live.name}")
            if live.exists():
                os.replace(live, old)
            os.replace(temporary, live)
            shutil.rmtree(old, ignore_errors=True)
        else:
            mode = RESTRICTED_MODE if part == "restricted" else BI_MODE
            _atomic_copy(kept, live, mode)
        restored[part] = live
    return restored


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
        con.execute(f"attach {_quote(str(published))} as published (read_only)")
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
