"""Read a delivered CSV into DuckDB, every value as text, keeping each row's source line.

The file is read with the contract's columns (no type sniffing), DuckDB's strict CSV
mode and its rejects table: a line with the wrong number of fields (or an unterminated
quote) is not loaded but recorded with its line number and text. Each loaded row keeps its
line in the original file (the header is line 1) in the view `<name>` as `__line`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from .contracts import ExtractSpec
from .files import FileFacts

TRUNCATION_ERRORS = {"MISSING COLUMNS", "UNTERMINATED QUOTES"}


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Reject:
    line: int
    error: str
    text: str


@dataclass
class Loaded:
    view: str  # __pos (load order), __line (source line), then the contract's columns
    rows: int  # rows loaded
    rejects: list[Reject] = field(default_factory=list)
    layout_error: str | None = None  # loaded rows could not be matched to source lines
    in_file_order: bool = False  # the view reads the table straight (line = position + 2)

    @property
    def rows_in(self) -> int:
        """Data records delivered: loaded rows and lines rejected for their structure."""
        return self.rows + len(self.rejects)


# How every extract is read: a header, the contract's columns all as text, one dialect.
CSV_DIALECT = "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"'"


def text_columns(spec: ExtractSpec) -> str:
    """read_csv's `columns` for an extract: every contract column as VARCHAR."""
    return "{" + ", ".join(f"{literal(c)}: 'VARCHAR'" for c in spec.column_names) + "}"


def load_extract(con: duckdb.DuckDBPyConnection, spec: ExtractSpec, facts: FileFacts) -> Loaded:
    name = spec.name
    table, rejects_table = ident(f"raw__{name}"), f"rejects__{name}"
    con.execute(
        f"""
        create or replace table {table} as
        select * from read_csv(
            ?, {CSV_DIALECT}, columns = {text_columns(spec)}, strict_mode = true,
            ignore_errors = true, store_rejects = true,
            rejects_table = {literal(rejects_table)},
            rejects_scan = {literal(rejects_table + "_scan")}
        )
        """,
        [str(facts.path)],
    )
    rows = con.execute(f"select count(*) from {table}").fetchone()[0]  # type: ignore[index]
    rejects = [
        Reject(int(line), str(error), str(text or ""))
        for line, error, text in con.execute(
            f"""
            select line, min(error_type), min(csv_line)
            from {ident(rejects_table)} group by line order by line
            """
        ).fetchall()
    ]
    loaded = Loaded(view=ident(name), rows=rows, rejects=rejects)
    _line_view(con, spec, facts, loaded, table)
    return loaded


def _line_view(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    facts: FileFacts,
    loaded: Loaded,
    table: str,
) -> None:
    """Create the view with each row's source line. Fast path: one physical line per
    record, so line = position + 2 (skipping rejected lines). Otherwise (blank lines,
    line breaks inside quoted values) the lines are counted with Python's csv reader."""
    cols = ", ".join(ident(c) for c in spec.column_names)
    data_lines = facts.physical_lines - 1
    reject_lines = np.array(sorted({r.line for r in loaded.rejects}), dtype=np.int64)
    if not len(reject_lines) and data_lines == loaded.rows:
        con.execute(
            f"create or replace view {loaded.view} as "
            f"select rowid as __pos, rowid + 2 as __line, {cols} from {table}"
        )
        loaded.in_file_order = True
        return
    if data_lines == loaded.rows + len(reject_lines):
        lines = np.setdiff1d(np.arange(2, facts.physical_lines + 1), reject_lines)
    else:
        lines = _record_lines(facts, set(reject_lines.tolist()))
    if len(lines) != loaded.rows:
        loaded.layout_error = (
            f"{loaded.rows:,} rows loaded but {len(lines):,} records found in "
            f"{facts.physical_lines:,} lines"
        )
        lines = np.arange(2, loaded.rows + 2)
    mapping = pd.DataFrame({"__pos": np.arange(loaded.rows, dtype=np.int64), "__line": lines})
    map_table = ident(f"lines__{spec.name}")
    con.register("__line_map", mapping)
    con.execute(f"create or replace table {map_table} as select * from __line_map")
    con.unregister("__line_map")
    con.execute(
        f"create or replace view {loaded.view} as "
        f"select m.__pos, m.__line, {cols} from (select rowid as __pos, * from {table}) t "
        f"join {map_table} m using (__pos)"
    )


def _record_lines(facts: FileFacts, rejected: set[int]) -> np.ndarray:
    """Start line of every non-blank record, the rejected ones left out."""
    starts: list[int] = []
    with facts.path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        previous = 0
        for record in reader:
            start = previous + 1
            previous = reader.line_num
            if start == 1 or not record or start in rejected:
                continue
            starts.append(start)
    return np.array(starts, dtype=np.int64)
