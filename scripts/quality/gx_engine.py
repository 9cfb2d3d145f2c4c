"""Great Expectations as the rule engine: one suite per extract built from its checks,
validated on the extract's checks frame (a pandas dataframe asset, whole-dataframe batch
definition) by one checkpoint per extract with result_format COMPLETE, whose
unexpected_index_list gives the failing rows (the frame's index is the source line).

With Data Docs on, the context is a file context in <output>/gx and the docs site is
<output>/data_docs; otherwise an ephemeral context (faster, nothing written). GX is
imported on first use (3-5 s), so a run that stops on its files never pays for it.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .checks import Check

DATASOURCE = "landing_extracts"
SITE = "extract_gate"


class RuleEngineError(RuntimeError):
    """An expectation could not be evaluated (a gate bug or an unexpected frame)."""


SAMPLE = 20  # failing rows listed per check when the extract stops anyway


@dataclass(frozen=True)
class CheckOutcome:
    check: Check
    count: int  # failing rows (GX unexpected_count)
    lines: list[int]  # their source lines: all (COMPLETE) or a sample (SUMMARY)
    complete: bool


def _gx() -> Any:
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    return gx


def _expectation(gx: Any, check: Check) -> Any:
    meta = {"rule": check.rule, "column": check.column}
    common = {"column": check.gx_column, "meta": meta, "description": check.description}
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


class RuleEngine:
    def __init__(self, output_dir: Path, data_docs: bool) -> None:
        self.gx = _gx()
        self.docs_dir: Path | None = None
        if data_docs:
            project = output_dir / "gx"
            shutil.rmtree(project, ignore_errors=True)
            self.docs_dir = output_dir / "data_docs"
            shutil.rmtree(self.docs_dir, ignore_errors=True)
            self.context = self.gx.get_context(mode="file", project_root_dir=str(output_dir))
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
        else:
            self.context = self.gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = {"globally": False}
        self.datasource = self.context.data_sources.add_pandas(DATASOURCE)

    def validate(
        self, extract: str, frame: pd.DataFrame, checks: list[Check], complete: bool = True
    ) -> list[CheckOutcome]:
        """Run the extract's suite on its checks frame. `complete`: result_format COMPLETE
        (every failing row's line); otherwise SUMMARY (counts and a sample of lines), for
        an extract the gate already knows will stop: listing millions of failing rows
        would take minutes and gigabytes for nothing."""
        gx = self.gx
        result_format = (
            {"result_format": "COMPLETE", "return_unexpected_index_query": False}
            if complete
            else {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE}
        )
        asset = self.datasource.add_dataframe_asset(extract)
        batch = asset.add_batch_definition_whole_dataframe(f"{extract}_delivery")
        suite = self.context.suites.add(
            gx.ExpectationSuite(
                name=f"{extract}_extract",
                expectations=[_expectation(gx, c) for c in checks],
                meta={"extract": extract},
            )
        )
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{extract}_rows", data=batch, suite=suite)
        )
        checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(
                name=f"{extract}_gate",
                validation_definitions=[definition],
                result_format=result_format,
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frame})
        (suite_result,) = result.run_results.values()
        # Results come back in suite order; match them to checks by column and rule.
        by_key = {(c.gx_column, c.rule, c.expectation): c for c in checks}
        outcomes: list[CheckOutcome] = []
        for item in suite_result.results:
            config = item.expectation_config
            if item.exception_info and item.exception_info.get("raised_exception"):
                raise RuleEngineError(
                    f"{extract}: {config.type} on {config.kwargs.get('column')}: "
                    f"{item.exception_info.get('exception_message')}"
                )
            kind = {
                "expect_column_values_to_be_in_set": "in_set",
                "expect_column_values_to_not_be_null": "not_null",
                "expect_column_values_to_be_between": "between",
            }[config.type]
            check = by_key[(config.kwargs["column"], config.meta["rule"], kind)]
            found = item.result.get(
                "unexpected_index_list" if complete else "partial_unexpected_index_list"
            )
            lines = [int(i) for i in found or []]
            count = int(item.result.get("unexpected_count") or 0)
            if complete and count != len(lines):
                raise RuleEngineError(f"{extract}: {check.rule} listed {len(lines)} of {count}")
            outcomes.append(CheckOutcome(check, count, lines, complete))
        return outcomes

    def build_docs(self) -> str | None:
        if self.docs_dir is None:
            return None
        self.context.build_data_docs(site_names=[SITE])
        index = self.docs_dir / "index.html"
        return str(index) if index.exists() else None
