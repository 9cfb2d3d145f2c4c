"""Deliveries as they arrive: a full extract of the window, or an increment (the rows of
some months: one new month, or a re-extract of the last few).

A landing folder may hold `delivery.json`, the delivery's manifest:

    {"kind": "full", "window_start": "2021-10-01", "window_end": "2025-08-31"}
    {"kind": "increment", "months": ["2025-07", "2025-08", "2025-09"]}

No manifest: a full delivery of the gate's configured window (the demo's default). An
increment's files hold only the rows of its months, by each extract's event date (the
contract's one `in_window` column); an extract it does not include is unchanged, and an
extract without an event date (the periodic returns) is replaced whole when included.

The pipeline keeps the rows of the last delivery it published in a store
(`warehouse/deliveries/current/<extract>.parquet`, every column as text, exactly as
delivered). An increment is assembled against it: the stored rows of the months it does
not deliver, then its own rows (revised crimes, outcomes that arrived late), into a full
delivery the gate checks as any other (completeness per month, references, volumes),
so the figures after an increment are those of a full delivery of the same rows.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from quality import SPECS
from quality.contracts import ExtractSpec
from quality.load import CSV_DIALECT, ident, literal, text_columns

MANIFEST = "delivery.json"
STORE_MANIFEST = "store.json"


class DeliveryError(Exception):
    pass


@dataclass(frozen=True)
class Manifest:
    kind: str = "full"  # full | increment
    months: tuple[str, ...] = ()
    window_start: date | None = None
    window_end: date | None = None

    @property
    def is_increment(self) -> bool:
        return self.kind == "increment"

    def to_json(self) -> str:
        out: dict[str, object] = {"kind": self.kind}
        if self.months:
            out["months"] = list(self.months)
        for name in ("window_start", "window_end"):
            if (value := getattr(self, name)) is not None:
                out[name] = value.isoformat()
        return json.dumps(out, indent=2) + "\n"


def read_manifest(landing: Path) -> Manifest:
    path = landing / MANIFEST
    if not path.exists():
        return Manifest()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        kind = raw.get("kind", "full")
        if kind not in ("full", "increment"):
            raise ValueError(f"kind {kind!r} is neither full nor increment")
        months = tuple(str(m) for m in raw.get("months", ()))
        for month in months:
            date.fromisoformat(month + "-01")
        if kind == "increment" and not months:
            raise ValueError("an increment names the months it delivers")
        window = {
            name: date.fromisoformat(raw[name]) if raw.get(name) else None
            for name in ("window_start", "window_end")
        }
    except (ValueError, TypeError, AttributeError) as error:
        raise DeliveryError(f"{path}: {error}") from error
    return Manifest(kind=kind, months=months, **window)


def month_column(spec: ExtractSpec) -> str | None:
    """The column whose month a row is delivered in: the extract's one event date."""
    dated = [c.name for c in spec.columns if c.in_window]
    return dated[0] if len(dated) == 1 else None


def month_end(month: str) -> date:
    year, number = (int(p) for p in month.split("-"))
    following = date(year + number // 12, number % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _read(path: Path, spec: ExtractSpec) -> str:
    """Rows of a delivered CSV, every column as text, read as the gate reads it (lines
    that are not rows were the gate's to quarantine, and never reached the warehouse)."""
    return (
        f"select * from read_csv({literal(str(path))}, {CSV_DIALECT}, "
        f"columns = {text_columns(spec)}, ignore_errors = true)"
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def store(
    landing: Path,
    store_dir: Path,
    window: tuple[date, date],
    applied: Path | None = None,
    digests: dict[str, str] | None = None,
    manifest: Manifest | None = None,
) -> None:
    """Keep the rows of a published delivery (landing: the full delivery the gate
    accepted) for the next increment; `applied`: the landing folder the delivery came
    from (an increment's), whose files' digests say it has been applied (`digests`: the
    gate's, of a full delivery's files, not hashed again)."""
    work = store_dir.with_name(store_dir.name + ".new")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    with duckdb.connect() as con:
        for spec in SPECS:
            source = landing / spec.file_name
            if source.exists():
                target = literal(str(work / f"{spec.name}.parquet"))
                con.execute(
                    f"copy ({_read(source, spec)}) to {target} (format parquet, compression zstd)"
                )
    came_from = applied or landing
    if applied is not None or digests is None:
        digests = {
            spec.name: sha256(came_from / spec.file_name)
            for spec in SPECS
            if (came_from / spec.file_name).exists()
        }
    kept = {
        "applied": digests,
        "manifest": json.loads((manifest or Manifest()).to_json()),
        "window_start": window[0].isoformat(),
        "window_end": window[1].isoformat(),
    }
    (work / STORE_MANIFEST).write_text(json.dumps(kept, indent=2), encoding="utf-8")
    shutil.rmtree(store_dir, ignore_errors=True)
    work.rename(store_dir)


def stored_window(store_dir: Path) -> tuple[date, date] | None:
    path = store_dir / STORE_MANIFEST
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return date.fromisoformat(raw["window_start"]), date.fromisoformat(raw["window_end"])


def increment_window(store_dir: Path, manifest: Manifest) -> tuple[date, date]:
    """An increment extends the stored delivery's window to its last month (a re-extract
    of months already held leaves it as it was)."""
    window = stored_window(store_dir)
    if window is None:
        raise DeliveryError(
            f"an increment of {', '.join(manifest.months)}, but no full delivery has been "
            f"published to apply it to ({store_dir} is empty): deliver the whole window first"
        )
    return window[0], max(window[1], month_end(max(manifest.months)))


def already_applied(landing: Path, store_dir: Path, manifest: Manifest | None = None) -> bool:
    """The increment in `landing` is the one the store was last built from: the same
    files, byte for byte, under the same manifest (the same months named)."""
    path = store_dir / STORE_MANIFEST
    if not path.exists():
        return False
    kept = json.loads(path.read_text(encoding="utf-8"))
    if manifest is not None and kept.get("manifest") != json.loads(manifest.to_json()):
        return False
    applied = kept.get("applied", {})
    files = {s.name: landing / s.file_name for s in SPECS if (landing / s.file_name).exists()}
    return bool(files) and all(
        applied.get(name) == sha256(path) for name, path in files.items()
    ) and set(files) == set(applied)  # fmt: skip


def delivered_months(landing: Path) -> dict[str, set[str]]:
    """Per delivered extract with an event date: the months (YYYY-MM) its rows are in."""
    out: dict[str, set[str]] = {}
    with duckdb.connect() as con:
        for spec in SPECS:
            path = landing / spec.file_name
            column = month_column(spec)
            if column is None or not path.exists():
                continue
            found = con.execute(
                f"select distinct substr({ident(column)}, 1, 7) from ({_read(path, spec)}) "
                f"where {ident(column)} is not null"
            ).fetchall()
            out[spec.name] = {str(m) for (m,) in found}
    return out


def check_months(landing: Path, manifest: Manifest) -> None:
    """An increment's files hold exactly the months delivery.json names: a month named
    that no file holds, or a month a file holds that is not named, is a DeliveryError
    naming them (a delivery of one month for another would apply nothing, or the wrong
    rows)."""
    if not manifest.is_increment:
        return
    found = delivered_months(landing)
    named = set(manifest.months)
    held = set().union(*found.values()) if found else set()
    wrong = []
    absent = sorted(named - held)
    if absent:
        holds = ", ".join(sorted(held)) or "no dated rows"
        wrong.append(
            f"it names {', '.join(absent)}, but no file of the delivery holds a row of "
            f"{'it' if len(absent) == 1 else 'them'} (the files hold {holds})"
        )
    for name, months in sorted(found.items()):
        stray = sorted(months - named)
        if stray:
            wrong.append(f"{name}.csv holds rows of {', '.join(stray)}, which it does not name")
    if wrong:
        raise DeliveryError(
            f"{landing / MANIFEST} (months {', '.join(manifest.months)}) does not match its "
            "files: " + "; ".join(wrong)
        )


def assemble(landing: Path, store_dir: Path, out: Path, manifest: Manifest) -> list[str]:
    """The full delivery an increment makes of the stored one: per extract, the stored
    rows outside the increment's months, then the increment's rows. Returns a line per
    extract saying what was taken from where."""
    if not (store_dir / STORE_MANIFEST).exists():
        raise DeliveryError(
            f"{landing / MANIFEST} is an increment, but no full delivery has been published "
            f"to apply it to ({store_dir} is empty): deliver the whole window first"
        )
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    months = ", ".join(literal(m) for m in manifest.months)
    lines = []
    with duckdb.connect() as con:
        for spec in SPECS:
            delivered = landing / spec.file_name
            stored = store_dir / f"{spec.name}.parquet"
            target = out / spec.file_name
            column = month_column(spec)
            kept = f"select * from read_parquet({literal(str(stored))})"
            if delivered.exists() and column is None:
                query = _read(delivered, spec)
                how = "replaced whole (no event date)"
            elif delivered.exists():
                inside = f"substr({ident(column)}, 1, 7) in ({months})"
                new = _read(delivered, spec)
                stray = con.execute(
                    f"select count(*) from ({new}) where not coalesce({inside}, false)"
                ).fetchone()[0]  # type: ignore[index]
                if stray:
                    raise DeliveryError(
                        f"{spec.file_name}: {stray:,} rows outside the increment's months "
                        f"({', '.join(manifest.months)}) by {column}"
                    )
                query = f"{kept} where not coalesce({inside}, false) union all {new}"
                how = f"months {', '.join(manifest.months)} delivered, the rest kept"
            elif stored.exists():
                query = kept
                how = "not delivered: kept"
            else:
                raise DeliveryError(f"{spec.file_name}: neither delivered nor stored")
            con.execute(
                f"copy ({query}) to {literal(str(target))} (header, delimiter ',', quote '\"')"
            )
            lines.append(f"{spec.name}: {how}")
    return lines


def cut(out_dir: Path, *, through: str | None = None, months: tuple[str, ...] = ()) -> Manifest:
    """Rewrite a full delivery in `out_dir` as one that ends at month `through` (a full
    delivery) or as the increment of `months`: each extract keeps the rows whose event
    date is in range, and delivery.json says which."""
    with duckdb.connect() as con:
        for spec in SPECS:
            path = out_dir / spec.file_name
            column = month_column(spec)
            if not path.exists() or column is None:
                continue
            month = f"substr({ident(column)}, 1, 7)"
            if through:
                keep = f"{month} <= {literal(through)}"
            else:
                keep = f"{month} in ({', '.join(literal(m) for m in months)})"
            temporary = path.with_suffix(".cut.csv")
            con.execute(
                f"copy ({_read(path, spec)} where coalesce({keep}, false)) "
                f"to {literal(str(temporary))} (header, delimiter ',', quote '\"')"
            )
            temporary.replace(path)
    manifest = (
        Manifest(kind="full", window_end=month_end(through))
        if through
        else Manifest(kind="increment", months=months)
    )
    (out_dir / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest
