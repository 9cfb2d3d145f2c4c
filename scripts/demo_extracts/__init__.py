"""Synthetic record-level extracts (crimes, crime outcomes) for the police performance
warehouse demo, calibrated so that the warehouse's KPI definitions reproduce the board
report's figures. `pipeline.generate` is the entry point; `targets` holds every figure.
"""
