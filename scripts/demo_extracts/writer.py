"""The one writer: every family of the generator returns an `Extract` (its rows as a frame
of arrays, and the SQL that formats each column of the extract's contract); `write`
checks the columns against the contract (the dbt source table the gate checks) and lets
DuckDB format and write the CSV, which appears atomically.

The helpers turn the families' arrays into what the formats read: codes as categoricals
(an index into the labels, -1 for an empty field), Y/N flags, local wall-clock times
with their UTC offset.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from quality.contracts import SPECS

from .periods import london_offsets

CONTRACT_COLUMNS = {spec.name: spec.column_names for spec in SPECS}


@dataclass(frozen=True)
class Extract:
    """One extract, ready to write: `frame` holds its rows (in file order); `formats`
    gives, for each column of the contract in order, the SQL that formats it from the
    frame's columns."""

    name: str
    frame: pd.DataFrame
    formats: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.frame)

    def select(self) -> str:
        columns = CONTRACT_COLUMNS[self.name]
        if len(columns) != len(self.formats):
            raise ValueError(
                f"{self.name}: {len(self.formats)} formats for the contract's "
                f"{len(columns)} columns {columns}"
            )
        listed = ", ".join(f"{f} as {c}" for f, c in zip(self.formats, columns, strict=True))
        return f"select {listed} from src"


def write(extract: Extract, out_dir: Path, append: bool = False) -> Path:
    """Write `<name>.csv` into out_dir (header and rows, DuckDB's CSV), atomically; with
    `append`, add the rows (no header) to the end of the file already there."""
    path = out_dir / f"{extract.name}.csv"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    target = str(tmp).replace("'", "''")
    header = "false" if append else "true"
    try:
        with duckdb.connect() as con:
            con.execute("set preserve_insertion_order = true")
            con.register("src", extract.frame)
            con.execute(f"copy ({extract.select()}) to '{target}' (header {header}, delimiter ',')")
        if append:
            with path.open("ab") as whole, tmp.open("rb") as part:
                shutil.copyfileobj(part, whole, 1 << 24)
        else:
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def category(codes: NDArray[np.int64], labels: tuple[str, ...]) -> pd.Categorical:
    """Labels by index; -1 is empty (NULL, written as an empty field)."""
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(labels))


def flag(values: NDArray[np.bool_]) -> pd.Categorical:
    return pd.Categorical.from_codes(values.astype(np.int64), categories=["N", "Y"])


def local(instants: NDArray[np.int64], prefix: str) -> dict[str, NDArray[np.int64]]:
    """Local wall-clock seconds and whether BST is in force, for timestamp()."""
    offset = london_offsets(instants)
    return {f"{prefix}_local": instants + offset, f"{prefix}_bst": (offset > 0).astype(np.int8)}


def timestamp(prefix: str) -> str:
    """ISO 8601 local time with its UTC offset, second precision (contract: Europe/London
    wall-clock time, +01:00 in BST, +00:00 in GMT), from local()'s columns."""
    return (
        f"strftime(make_timestamp({prefix}_local * 1000000), '%Y-%m-%d %H:%M:%S') || "
        f"if({prefix}_bst = 1, '+01:00', '+00:00')"
    )


def date(day_column: str) -> str:
    """A date from a day number (days since 1970-01-01)."""
    return f"date '1970-01-01' + {day_column}"


def sequence(n: int, digits: int, replica: int = 0) -> NDArray[np.int64]:
    """Row numbers 1..n for an identifier of `digits` digits; replica k of a larger
    force (scale above 1) numbers its rows from k * 10^(digits - 1) + 1, so the replicas'
    identifiers never meet."""
    block = 10 ** (digits - 1)
    if n >= block:
        raise ValueError(f"{n:,} rows do not fit a {digits}-digit identifier per replica")
    return np.arange(1, n + 1, dtype=np.int64) + replica * block
