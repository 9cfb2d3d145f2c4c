"""Write docs/extract-contracts.md, the extracts' data contract, from their declaration.

    python scripts/extract_contracts_doc.py          # rewrite the page
    python scripts/extract_contracts_doc.py --check  # exit 1 if the page is out of date

The contracts are declared once, in the dbt sources yml (scripts/quality/contracts.py
reads them); the code lists are the seed seeds/reference/ref_code_lists.csv. This page is
generated from both, and a test fails when it is not what they say.
"""

from __future__ import annotations

import argparse
import sys

from quality.contracts import (
    DEFAULT_SEEDS_DIR,
    PROJECT_DIR,
    PUBLIC_SPECS,
    SPECS,
    CodeSet,
    Column,
    ExtractSpec,
    seed_path,
)

PAGE = PROJECT_DIR / "docs" / "extract-contracts.md"
MAX_LISTED = 12  # codes listed in the table; longer lists name the seed


def _codes(column: Column) -> str:
    if isinstance(column.codes, CodeSet) and column.codes.seed:
        seed = seed_path(DEFAULT_SEEDS_DIR, column.codes.seed).relative_to(PROJECT_DIR)
        return f"a `{column.codes.name}` of `{seed.as_posix()}`"
    codes = column.code_set(DEFAULT_SEEDS_DIR)
    name = f" (code list `{column.codes}`)" if isinstance(column.codes, CodeSet) else ""
    if len(codes) > MAX_LISTED:
        return f"{len(codes)} codes{name}, e.g. {', '.join(codes[:3])}"
    return ", ".join(codes) + name


def _rule(column: Column) -> str:
    parts = []
    if column.kind == "code":
        parts.append(_codes(column))
    if column.pattern:
        parts.append(f"matches `{column.pattern}`")
    if column.kind == "date":
        parts.append(f"{column.format or 'YYYY-MM-DD'}, not after today")
    if column.kind == "instant":
        parts.append("an ISO 8601 instant with its offset, not after today")
    if column.kind == "timestamp":
        parts.append(
            "local time with Europe/London's UTC offset, YYYY-MM-DD HH:MM:SS+HH:MM, not after today"
        )
    if column.kind == "number":
        parts.append("a number")
    if column.in_window:
        parts.append("in the declared window")
    if column.month_end:
        parts.append("the last day of a month")
    if column.min_value is not None:
        parts.append(f"at least {column.min_value:g}")
    if column.same_month_as:
        parts.append(f"its month is `{column.same_month_as}` (London time)")
    if column.on_unknown == "warn":
        parts.append("another value: a warning, the row kept")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _extract(spec: ExtractSpec) -> list[str]:
    lines = [
        f"## `{spec.file_name}`",
        "",
        f"{spec.description} Source `{spec.source}`; key: {', '.join(spec.key)}.",
        "",
        "| column | validated as | required | rule | what it is |",
        "|---|---|---|---|---|",
    ]
    for column in spec.columns:
        lines.append(
            f"| `{column.name}` | {column.parquet_type} | {'yes' if column.required else ''} "
            f"| {_cell(_rule(column))} | {_cell(column.description)} |"
        )
    rules = []
    for pair in spec.order_pairs:
        limits = ", ".join(
            f"{value}: {seconds:,} s" for value, seconds in pair.max_seconds_by.items()
        )
        bound = f"; at most {limits} by {pair.by_column}" if limits else ""
        if pair.max_seconds is not None:
            bound = f"; at most {pair.max_seconds:,} s"
        rules.append(f"`{pair.end}` is not before `{pair.start}` ({pair.name}{bound})")
    for group in spec.exactly_one_of:
        rules.append(f"exactly one of {', '.join(f'`{c}`' for c in group)} is filled")
    for ref in spec.references:
        order = (
            f", and `{ref.not_before[0]}` is not before its `{ref.not_before[1]}`"
            if ref.not_before
            else ""
        )
        rules.append(f"`{ref.column}` is a `{ref.key}` of `{ref.extract}` the gate accepted{order}")
    for pair in spec.known_pairs:
        first, second = pair.columns
        rules.append(
            f"(`{first}`, `{second}`) is a ({', '.join(pair.seed_columns)}) of "
            f"`{seed_path(DEFAULT_SEEDS_DIR, pair.seed).relative_to(PROJECT_DIR).as_posix()}` "
            f"({pair.rule})"
        )
    if spec.measures:
        m = spec.measures
        rules.append(
            f"({', '.join(m.id_columns)}) is a row of `seeds/reference/{m.seed}.csv`; a count "
            f"is not above the count its `{m.bound_column}` names in the same "
            f"{', '.join(m.group_columns)}"
        )
    low, high = spec.volume_band
    if high == float("inf"):
        rules.append(f"at least {low:.0%} of the rows of the last accepted delivery")
    else:
        rules.append(f"rows within {low:.0%} to {high:.0%} of the last accepted delivery")
    return [*lines, "", *(f"- {rule}" for rule in rules), ""]


def render(
    specs: tuple[ExtractSpec, ...] = SPECS, public: tuple[ExtractSpec, ...] = PUBLIC_SPECS
) -> str:
    lines = [
        "# Extract contracts",
        "",
        "<!-- Generated by scripts/extract_contracts_doc.py from the sources yml "
        "(models/staging/*/_*__sources.yml, models/police_uk/staging/_*__sources.yml)",
        "     and seeds/reference/ref_code_lists.csv: edit those, then run it. -->",
        "",
        "Every extract is a CSV file in the landing folder (`data/landing`, "
        "`POLICE_LANDING_DIR`), UTF-8, with this header in this order. The quality gate "
        "checks every row against its contract (see [quality-gate.md](quality-gate.md)) "
        "and writes the validated copy dbt reads, typed as the second column says "
        "(`warehouse/gate/validated/<extract>.parquet`). An empty field is a missing value.",
        "",
    ]
    for spec in specs:
        lines += _extract(spec)
    lines += [
        "# Public files",
        "",
        "The public warehouse's extracts (see [public-data.md](public-data.md)): "
        "scripts/police_uk/assemble.py writes one per kind from every data.police.uk and "
        "DfT file loaded (`warehouse/police_uk/landing`), each row with the file it came "
        "from and its line there; the gate checks them against these contracts.",
        "",
    ]
    for spec in public:
        lines += _extract(spec)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE} is out of date: run python scripts/extract_contracts_doc.py")
            return 1
        return 0
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(text, encoding="utf-8")
    print(f"Wrote {PAGE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
