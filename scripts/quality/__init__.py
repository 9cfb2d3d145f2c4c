"""Extract quality gate: checks the landing extracts against their contracts (spec.py)
before dbt reads them; see gate.py for what stops a run and what is quarantined.

    from quality import run_gate
    result = run_gate("data/landing", "data/validated", "data/gate_state")
"""

from .config import GateConfig
from .gate import GateResult, record_accepted, run_gate
from .spec import SPECS, Column, ExtractSpec, OrderPair, Reference, Seed

__all__ = [
    "SPECS",
    "Column",
    "ExtractSpec",
    "GateConfig",
    "GateResult",
    "OrderPair",
    "Reference",
    "Seed",
    "record_accepted",
    "run_gate",
]
