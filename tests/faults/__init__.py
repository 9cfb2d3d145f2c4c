"""Fault corpus for the extract quality gate: faulty variants of a clean demo set
(see generate.py; `python tests/faults/generate.py --help`)."""
