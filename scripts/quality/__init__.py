"""Extract quality gate: checks the landing extracts against their contracts (declared in
the dbt sources yml, read by contracts.py) before dbt reads them; see gate.py for what
stops a run and what is quarantined.

    from quality import run_gate
    result = run_gate("data/landing", "warehouse/gate/validated", "warehouse/gate/state")
"""

from .config import GateConfig
from .contracts import EXTRACT_NAMES, SPECS, CodeSet, Column, ExtractSpec, OrderPair, Reference
from .gate import GateResult, record_accepted, run_gate

__all__ = [
    "EXTRACT_NAMES",
    "SPECS",
    "CodeSet",
    "Column",
    "ExtractSpec",
    "GateConfig",
    "GateResult",
    "OrderPair",
    "Reference",
    "record_accepted",
    "run_gate",
]
