"""Great Expectations as the gate's expectation layer: the suites, their results and the
Data Docs, while the checks themselves run as set-based SQL in DuckDB (checks.py).

Each extract's contract becomes a GX expectation suite (one expectation per check,
declared on the check column it names, with the rule, the extract column and the SQL
condition in its meta). After the gate has evaluated the rows, each expectation gets a
GX validation result built from the SQL counts: element count, unexpected count and
percent, and the first failing rows (source line, value). The results are stored in a
file context (<output>/gx) and rendered as Data Docs (<output>/data_docs).

Why not let GX run the checks: on pandas frames the gate held whole extracts in memory
(3.6 GB for 6 million calls, and ten times the force would need 36 GB), and GX's SQL
datasource returns empty results on DuckDB (GX issues 10738, 11579). Declaring and
reporting in GX keeps its suites and Data Docs; DuckDB keeps memory flat.

GX is imported only when Data Docs are on (3-5 s), so the tests and a run that stops on
its files never pay for it.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .checks import Check

SITE = "extract_gate"
DATASOURCE = "extract_gate"


@dataclass(frozen=True)
class CheckResult:
    check: Check
    element_count: int  # rows checked
    unexpected_count: int
    sample_lines: list[int]  # the first failing rows' source lines
    sample_values: list[Any]  # their values of the check's extract column


def _expectation(gx: Any, check: Check) -> Any:
    meta = {"rule": check.rule, "column": check.column, "sql_fails_when": check.fails}
    common = {"column": check.name, "meta": meta, "description": check.description}
    if check.expectation == "in_set":
        return gx.expectations.ExpectColumnValuesToBeInSet(
            value_set=list(check.value_set or ()), **common
        )
    if check.expectation == "not_null":
        return gx.expectations.ExpectColumnValuesToNotBeNull(**common)
    if check.expectation == "between":
        return gx.expectations.ExpectColumnValuesToBeBetween(
            min_value=check.min_value, max_value=check.max_value, **common
        )
    raise ValueError(f"unknown expectation {check.expectation!r}")


class GateReport:
    """A GX file context in <output>/gx; Data Docs in <output>/data_docs."""

    def __init__(self, output_dir: Path) -> None:
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        self.gx = gx
        shutil.rmtree(output_dir / "gx", ignore_errors=True)
        self.docs_dir = output_dir / "data_docs"
        shutil.rmtree(self.docs_dir, ignore_errors=True)
        self.context = gx.get_context(mode="file", project_root_dir=str(output_dir))
        self.context.variables.progress_bars = {"globally": False}
        for site in list(self.context.list_data_docs_sites()):
            self.context.delete_data_docs_site(site)
        self.context.add_data_docs_site(
            site_name=SITE,
            site_config={
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(self.docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        self.run_id = RunIdentifier(run_name="extract_gate", run_time=datetime.now(UTC))

    def record(self, extract: str, results: list[CheckResult]) -> None:
        """The extract's suite (declared from its checks) and its validation result."""
        from great_expectations.core.expectation_validation_result import (
            ExpectationSuiteValidationResult,
            ExpectationValidationResult,
        )
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        gx = self.gx
        suite = self.context.suites.add(
            gx.ExpectationSuite(
                name=f"{extract}_extract",
                expectations=[_expectation(gx, r.check) for r in results],
                meta={"extract": extract, "engine": "DuckDB (set-based SQL, checks.py)"},
            )
        )
        validation_results = []
        for expectation, r in zip(suite.expectations, results, strict=True):
            share = 100.0 * r.unexpected_count / r.element_count if r.element_count else 0.0
            validation_results.append(
                ExpectationValidationResult(
                    success=r.unexpected_count == 0,
                    expectation_config=expectation.configuration,
                    result={
                        "element_count": r.element_count,
                        "unexpected_count": r.unexpected_count,
                        "unexpected_percent": share,
                        "unexpected_percent_total": share,
                        "unexpected_percent_nonmissing": share,
                        "missing_count": 0,
                        "missing_percent": 0.0,
                        "partial_unexpected_list": r.sample_values,
                        "partial_unexpected_index_list": r.sample_lines,
                    },
                )
            )
        passed = sum(r.success for r in validation_results)
        batch_id = f"{DATASOURCE}-{extract}"
        result = ExpectationSuiteValidationResult(
            success=passed == len(validation_results),
            results=validation_results,
            suite_name=suite.name,
            statistics={
                "evaluated_expectations": len(validation_results),
                "successful_expectations": passed,
                "unsuccessful_expectations": len(validation_results) - passed,
                "success_percent": 100.0 * passed / len(validation_results)
                if validation_results
                else 100.0,
            },
            meta={
                "active_batch_definition": {
                    "datasource_name": DATASOURCE,
                    "data_connector_name": "duckdb",
                    "data_asset_name": extract,
                    "batch_identifiers": {},
                },
                "batch_spec": {"extract": extract},
                "run_id": self.run_id,
                "validation_time": self.run_id.run_time.isoformat(),
            },
            batch_id=batch_id,
        )
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
            run_id=self.run_id,
            batch_identifier=batch_id,
        )
        self.context.validation_results_store.set(key, result)

    def build_docs(self) -> str | None:
        self.context.build_data_docs(site_names=[SITE])
        index = self.docs_dir / "index.html"
        return str(index) if index.exists() else None
