"""The extract contracts, read from where they are declared: the dbt sources yml.

Each extract is a source table in `models/staging/<system>/_<system>__sources.yml`. Its
columns (in delivery order) carry their description, their `data_type` in the validated
copy, and under `config.meta` the gate's rules:

    - name: channel
      data_type: varchar
      config:
        meta: {kind: code, codes: call_channel}

- `kind`: id, code, date, timestamp (local time with Europe/London's offset), instant
  (ISO 8601 with any offset, e.g. data.police.uk's UTC times), number or text;
  `required` (default true): filled; `format`: a date's strptime format when it is not
  YYYY-MM-DD (DfT's 21/05/2024: "%d/%m/%Y");
- `codes`: a code list of `seeds/reference/ref_code_lists.csv` (`call_channel`), or a
  seed's column (`ref_offences.offence_code`);
- `pattern` (an id's full-match regular expression), `in_window` (a date or timestamp
  within the declared window), `month_end`, `min_value`;
- `on_unknown: warn`: a code outside the list keeps its row and is a warning naming the
  values (a published vocabulary the seeds do not know yet), instead of a quarantine;
- `same_month_as`: the month of this column (a YYYY-MM text, a date, or an instant's
  month in London) equals that column's YYYY-MM (a file's month from its name).

The table's `config.meta.contract` holds the rest: `key`, `order_pairs` (end not before
start, and at most `max_seconds` or `max_seconds_by` a value of the `by` column),
`exactly_one_of`, `references` (to another extract's key, with `not_before`), `measures`
(a long extract of figures whose pairs and bounds are a seed), `known_pairs` (two columns
whose pair of values must be a row of a seed, e.g. a file's force and its "Falls
within" name) and `volume_band`.

So the gate, dbt's sources and docs, the generator's vocabularies and the README's data
contract (docs/extract-contracts.md, generated from this) read one declaration.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SEEDS_DIR = PROJECT_DIR / "seeds" / "reference"
SOURCES_GLOB = "models/staging/*/_*__sources.yml"
CODE_LISTS_SEED = "ref_code_lists.csv"

KINDS = ("id", "code", "date", "timestamp", "instant", "number", "text")
# The validated copy's type of each kind (Parquet via DuckDB): a timestamp is the
# instant its local time and UTC offset denote.
PARQUET_TYPES = MappingProxyType(
    {
        "id": "varchar",
        "code": "varchar",
        "text": "varchar",
        "date": "date",
        "timestamp": "timestamptz",
        "instant": "timestamptz",
        "number": "double",
    }
)


@dataclass(frozen=True)
class CodeSet:
    """The codes a column may take: a code list of ref_code_lists.csv, or a column of
    another seed (`seed` set)."""

    name: str  # the code list, or the seed's column
    seed: str | None = None  # e.g. ref_offences

    @classmethod
    def parse(cls, text: str) -> CodeSet:
        seed, _, column = text.rpartition(".")
        return cls(column, seed) if seed else cls(text)

    def load(self, seeds_dir: Path) -> tuple[str, ...]:
        if self.seed is None:
            codes = code_lists(seeds_dir).get(self.name)
            if codes is None:
                raise KeyError(f"no code list {self.name!r} in {CODE_LISTS_SEED}")
            return codes
        return _seed_column(seed_path(seeds_dir, self.seed), self.name)

    def __str__(self) -> str:
        return f"{self.seed}.{self.name}" if self.seed else self.name


def seed_path(seeds_dir: Path, seed: str) -> Path:
    """A seed's CSV: in seeds_dir, else anywhere in the project's seeds folder."""
    path = seeds_dir / f"{seed}.csv"
    if path.exists():
        return path
    found = sorted((PROJECT_DIR / "seeds").rglob(f"{seed}.csv"))
    if not found:
        raise FileNotFoundError(f"no seed {seed}.csv in {seeds_dir} or the project's seeds")
    return found[0]


@cache
def _seed_column(path: Path, column: str) -> tuple[str, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        values = [row[column].strip() for row in csv.DictReader(handle)]
    return tuple(dict.fromkeys(v for v in values if v))


@cache
def code_lists(seeds_dir: Path = DEFAULT_SEEDS_DIR) -> Mapping[str, tuple[str, ...]]:
    """Every code list of ref_code_lists.csv, its codes in file order."""
    lists: dict[str, list[str]] = {}
    with (seeds_dir / CODE_LISTS_SEED).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lists.setdefault(row["code_list"], []).append(row["code"])
    return MappingProxyType({name: tuple(codes) for name, codes in lists.items()})


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"
    required: bool = True
    codes: CodeSet | tuple[str, ...] | None = None  # kind "code"
    pattern: str | None = None  # kind "id": a full-match regular expression
    in_window: bool = False  # kind "date"/"timestamp": within the declared window
    month_end: bool = False  # kind "date": the last day of a month
    min_value: float | None = None  # kind "number": not below this
    format: str | None = None  # kind "date": strptime format, when not YYYY-MM-DD
    on_unknown: str = "quarantine"  # kind "code": quarantine the row, or warn and keep it
    same_month_as: str | None = None  # its month equals that column's YYYY-MM
    description: str = ""

    def __post_init__(self) -> None:
        problems = {
            f"kind {self.kind!r} is not one of {KINDS}": self.kind not in KINDS,
            "a code column needs its code set": self.kind == "code" and self.codes is None,
            "only dates and timestamps have a window": self.in_window
            and self.kind not in ("date", "timestamp"),
            "only dates can be month ends": self.month_end and self.kind != "date",
            "only numbers have a minimum": self.min_value is not None and self.kind != "number",
            "only dates have a format": self.format is not None and self.kind != "date",
            "on_unknown is quarantine or warn": self.on_unknown not in ("quarantine", "warn"),
        }
        for message, wrong in problems.items():
            if wrong:
                raise ValueError(f"{self.name}: {message}")

    def code_set(self, seeds_dir: Path) -> tuple[str, ...]:
        if isinstance(self.codes, CodeSet):
            return self.codes.load(seeds_dir)
        return tuple(self.codes or ())

    @property
    def parquet_type(self) -> str:
        return PARQUET_TYPES[self.kind]


@dataclass(frozen=True)
class OrderPair:
    """`end` is not before `start` (both timestamps of the same row); the time between
    them, in seconds, is named `name` and must not exceed `max_seconds`, or
    `max_seconds_by[value of by_column]`."""

    name: str
    start: str
    end: str
    max_seconds: int | None = None
    by_column: str | None = None
    max_seconds_by: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Reference:
    """`column` must be a key of extract `extract` (key column `key`), of a row the gate
    accepted; with `not_before`=(this date column, that date column), this row's date is
    not before the referenced row's date."""

    column: str
    extract: str
    key: str
    not_before: tuple[str, str] | None = None


@dataclass(frozen=True)
class Measures:
    """A long extract of figures: `id_columns` (e.g. return and measure) must be a row of
    the seed (same column names); a row whose measure the seed bounds by another
    (`bound_column`, e.g. completed by headcount) must not have a `value` above that
    measure's value in the same `group_columns` (e.g. return and period end)."""

    seed: str
    id_columns: tuple[str, str]
    group_columns: tuple[str, ...]
    value: str
    bound_column: str

    def load(self, seeds_dir: Path) -> list[tuple[str, str, str]]:
        """(id, measure, bounding measure or '') of every row of the seed."""
        with seed_path(seeds_dir, self.seed).open(newline="", encoding="utf-8") as handle:
            return [
                (
                    row[self.id_columns[0]].strip(),
                    row[self.id_columns[1]].strip(),
                    (row[self.bound_column] or "").strip(),
                )
                for row in csv.DictReader(handle)
            ]


@dataclass(frozen=True)
class KnownPair:
    """The pair (columns[0], columns[1]) of a row, both filled, is a row of the seed's
    seed_columns; else the row fails `rule` (e.g. force_mismatch)."""

    columns: tuple[str, str]
    seed: str
    seed_columns: tuple[str, str]
    rule: str

    def load(self, seeds_dir: Path) -> list[tuple[str, str]]:
        with seed_path(seeds_dir, self.seed).open(newline="", encoding="utf-8") as handle:
            first, second = self.seed_columns
            return [(row[first].strip(), row[second].strip()) for row in csv.DictReader(handle)]


@dataclass(frozen=True)
class ExtractSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    order_pairs: tuple[OrderPair, ...] = ()
    exactly_one_of: tuple[tuple[str, ...], ...] = ()
    references: tuple[Reference, ...] = ()
    volume_band: tuple[float, float] = (0.5, 2.0)  # rows vs the previous accepted delivery
    measures: Measures | None = None
    known_pairs: tuple[KnownPair, ...] = ()
    # completeness per month (quality/months.py): False, or {by: column} to count each
    # value of a column apart; default: on, for an extract with one in_window date
    monthly_volume: bool | dict[str, str] = True
    source: str = ""  # the dbt source it is declared in
    description: str = ""

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def validated_name(self) -> str:
        return f"{self.name}.parquet"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def monthly_column(self) -> str | None:
        """The event date whose months must all be delivered: the one in_window column."""
        dated = [c.name for c in self.columns if c.in_window]
        return dated[0] if self.monthly_volume is not False and len(dated) == 1 else None

    @property
    def monthly_by(self) -> str | None:
        return self.monthly_volume.get("by") if isinstance(self.monthly_volume, dict) else None

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    def __post_init__(self) -> None:
        names = self.column_names
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate column names")
        wanted = [*self.key]
        for pair in self.order_pairs:
            wanted += [pair.start, pair.end, *([pair.by_column] if pair.by_column else [])]
        for group in self.exactly_one_of:
            wanted += list(group)
        for ref in self.references:
            wanted += [ref.column, *([ref.not_before[0]] if ref.not_before else [])]
        if self.measures:
            m = self.measures
            wanted += [*m.id_columns, *m.group_columns, m.value]
        for pair in self.known_pairs:
            wanted += list(pair.columns)
        wanted += [c.same_month_as for c in self.columns if c.same_month_as]
        missing = [n for n in wanted if n not in names]
        if missing:
            raise ValueError(f"{self.name}: unknown columns {missing}")


def _column(raw: Mapping[str, object]) -> Column:
    meta = dict((raw.get("config") or {}).get("meta") or {})  # type: ignore[union-attr]
    codes = meta.pop("codes", None)
    column = Column(
        name=str(raw["name"]),
        codes=CodeSet.parse(str(codes)) if codes is not None else None,
        description=" ".join(str(raw.get("description") or "").split()),
        **meta,  # type: ignore[arg-type]
    )
    declared = raw.get("data_type")
    if declared and declared != column.parquet_type:
        raise ValueError(
            f"{column.name}: data_type {declared} but kind {column.kind} "
            f"is written as {column.parquet_type}"
        )
    return column


def _spec(source: str, table: Mapping[str, object]) -> ExtractSpec:
    contract = dict(table["config"]["meta"]["contract"])  # type: ignore[index]
    pairs = tuple(
        OrderPair(
            name=p["name"],
            start=p["start"],
            end=p["end"],
            max_seconds=p.get("max_seconds"),
            by_column=p.get("by"),
            max_seconds_by=MappingProxyType(
                {str(k): int(v) for k, v in (p.get("max_seconds_by") or {}).items()}
            ),
        )
        for p in contract.pop("order_pairs", ())
    )
    references = tuple(
        Reference(
            r["column"],
            r["extract"],
            r["key"],
            tuple(r["not_before"]) if r.get("not_before") else None,
        )  # type: ignore[arg-type]
        for r in contract.pop("references", ())
    )
    measures = contract.pop("measures", None)
    band = contract.pop("volume_band", None)
    pairs_known = tuple(
        KnownPair(tuple(k["columns"]), k["seed"], tuple(k["seed_columns"]), k["rule"])  # type: ignore[arg-type]
        for k in contract.pop("known_pairs", ())
    )
    return ExtractSpec(
        name=str(table["name"]),
        columns=tuple(_column(c) for c in table["columns"]),  # type: ignore[attr-defined]
        key=tuple(contract.pop("key")),
        order_pairs=pairs,
        exactly_one_of=tuple(tuple(g) for g in contract.pop("exactly_one_of", ())),
        references=references,
        volume_band=(float(band[0]), float(band[1])) if band else (0.5, 2.0),
        measures=Measures(
            seed=measures["seed"],
            id_columns=tuple(measures["id_columns"]),
            group_columns=tuple(measures["group_columns"]),
            value=measures["value"],
            bound_column=measures["bound_column"],
        )
        if measures
        else None,
        known_pairs=pairs_known,
        source=source,
        description=" ".join(str(table.get("description") or "").split()),
        **contract,
    )


def load_contracts(files: Iterable[Path] | None = None) -> tuple[ExtractSpec, ...]:
    """Every source table with a `contract`, from the sources yml files (default: the
    project's), in file and table order."""
    paths = sorted(files) if files is not None else sorted(PROJECT_DIR.glob(SOURCES_GLOB))
    specs: list[ExtractSpec] = []
    for path in paths:
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source.get("tables", ()):
                if ((table.get("config") or {}).get("meta") or {}).get("contract"):
                    specs.append(_spec(source["name"], table))
    return tuple(specs)


def ordered(specs: tuple[ExtractSpec, ...]) -> tuple[ExtractSpec, ...]:
    """Specs in declared order, except that a referenced extract comes before the
    extracts referencing it."""
    names = {s.name for s in specs}
    done: list[ExtractSpec] = []
    pending = list(specs)
    while pending:
        finished = {d.name for d in done}
        ready = next(
            (
                s
                for s in pending
                if all(r.extract in finished or r.extract not in names for r in s.references)
            ),
            None,
        )
        if ready is None:
            raise ValueError("extract references form a cycle")
        done.append(ready)
        pending.remove(ready)
    return tuple(done)


# The force's extracts, referenced extracts first (outcomes after crimes).
SPECS: tuple[ExtractSpec, ...] = ordered(load_contracts())
EXTRACT_NAMES: tuple[str, ...] = tuple(s.name for s in SPECS)
# The public files (data.police.uk, DfT road safety) as the public path assembles them.
PUBLIC_SOURCES_GLOB = "models/police_uk/staging/_*__sources.yml"
PUBLIC_SPECS: tuple[ExtractSpec, ...] = ordered(
    load_contracts(PROJECT_DIR.glob(PUBLIC_SOURCES_GLOB))
)
