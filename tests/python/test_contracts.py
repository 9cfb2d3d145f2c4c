"""An extract's contract is declared once (its dbt source table); what else describes the
extract is driven from it or checked against it here: the staging models' columns, the
code lists, the generated data-contract page, the generator's headers."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_DIR

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from extract_contracts_doc import PAGE, render
from quality.contracts import CODE_LISTS_SEED, DEFAULT_SEEDS_DIR, SPECS, CodeSet

STAGING = PROJECT_DIR / "models" / "staging"


def staging_sql(source: str, table: str) -> str:
    """The SQL of the staging model that reads source(source, table)."""
    pattern = re.compile(rf"source\(\s*'{source}'\s*,\s*'{table}'\s*\)")
    found = [p for p in STAGING.rglob("stg_*.sql") if pattern.search(p.read_text())]
    assert len(found) == 1, f"{source}.{table} is read by {found}"
    return found[0].read_text(encoding="utf-8")


def test_contracts_are_the_extracts() -> None:
    names = [s.name for s in SPECS]
    assert len(names) == len(set(names)) == 12
    assert names.index("crimes") < names.index("crime_outcomes")  # referenced first


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_staging_reads_every_contract_column(spec: object) -> None:
    """The staging model over an extract uses each of its contract's columns, and the
    source yml declares no other: a column added to the contract but not staged, or
    staged but not declared, fails here."""
    sql = staging_sql(spec.source, spec.name)  # type: ignore[attr-defined]
    body = sql.split("from source", 1)[0]
    unused = [c for c in spec.column_names if not re.search(rf"\b{c}\b", body)]  # type: ignore[attr-defined]
    assert unused == [], f"{spec.name}: staging does not read {unused}"  # type: ignore[attr-defined]


def test_code_lists_are_used_and_known() -> None:
    with (DEFAULT_SEEDS_DIR / CODE_LISTS_SEED).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seeded = {row["code_list"] for row in rows}
    pairs = [(row["code_list"], row["code"]) for row in rows]
    assert len(pairs) == len(set(pairs)), "a code listed twice in a code list"
    used = {
        column.codes.name
        for spec in SPECS
        for column in spec.columns
        if isinstance(column.codes, CodeSet) and column.codes.seed is None
    }
    assert used == seeded  # no list without a column, no column without its list
    for spec in SPECS:
        for column in spec.columns:
            if column.kind == "code":
                assert column.code_set(DEFAULT_SEEDS_DIR), f"{spec.name}.{column.name}"


def test_code_lists_seed_is_documented() -> None:
    seeds = yaml.safe_load(
        (PROJECT_DIR / "seeds" / "reference" / "_reference__seeds.yml").read_text()
    )
    (entry,) = [s for s in seeds["seeds"] if s["name"] == "ref_code_lists"]
    assert entry["description"]
    assert {c["name"] for c in entry["columns"]} == {"code_list", "code", "label"}


def test_contract_page_is_generated_from_the_contracts() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/extract-contracts.md is out of date: python scripts/extract_contracts_doc.py"
    )


def test_sources_read_the_validated_copies() -> None:
    """Every extract source reads the gate's validated Parquet copy, never the landing
    CSV: a quarantined row cannot reach dbt."""
    for path in STAGING.glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            location = source["config"]["meta"]["external_location"]
            assert "POLICE_VALIDATED_DIR" in location, path
            if source["name"] != "extract_gate":
                assert "read_parquet(" in location and ".parquet" in location, path


def test_generator_writes_the_contract_headers(tmp_path: Path) -> None:
    from conftest import generate_extracts

    generate_extracts(tmp_path, "--scale", "0.005")
    for spec in SPECS:
        with (tmp_path / spec.file_name).open(encoding="utf-8") as handle:
            assert tuple(handle.readline().rstrip("\n").split(",")) == spec.column_names


def test_readme_is_a_front_page() -> None:
    """README.md is the front page (what it is, the two commands, where things are,
    links); the manual is in docs/. Every page it links to exists."""
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "make run" in readme and "make test" in readme
    linked = re.findall(r"\]\((docs/[^)#]+)\)", readme)
    assert linked and [p for p in linked if not (PROJECT_DIR / p).exists()] == []
