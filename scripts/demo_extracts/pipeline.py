"""Generate the demo extracts: stages in order, each reported with its elapsed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .context import Context
from .crimes import assign_attributes, assign_references, build_rows, monthly_counts
from .outcomes import generate_outcomes
from .reference import DEFAULT_SEED_DIR, load_reference
from .writer import write_crimes, write_outcomes

STREAMS = ("rows", "attributes", "references", "outcomes")


def generate(
    out_dir: Path,
    seed: int,
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
    seed_dir: Path = DEFAULT_SEED_DIR,
) -> Context:
    """Write crimes.csv and crime_outcomes.csv into out_dir. Returns the context, whose
    `achieved` log records what each calibration step produced."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    started = time.perf_counter()

    def report(stage: str, rows: int) -> None:
        if progress is not None:
            progress(f"[{time.perf_counter() - started:6.1f}s] {stage}: {rows:,} rows")

    # One independent stream per stage: changing one stage leaves the others' draws alone.
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    rng = {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, children, strict=True)
    }
    ref = load_reference(seed_dir)
    ctx = Context(ref, scale)
    report("reference seeds", ref.n_offences + len(ref.neighbourhood_codes))
    counts = monthly_counts(ctx)
    report("recorded crime by LPA x offence x month", int(counts.sum()))
    crimes = build_rows(ctx, counts, rng["rows"])
    report("crime records (with cancelled and transferred)", len(crimes))
    assign_attributes(ctx, crimes, rng["attributes"])
    order = assign_references(crimes, rng["references"])
    report("crime attributes and references", len(crimes))
    outcomes = generate_outcomes(ctx, crimes, rng["outcomes"])
    report("crime outcomes", len(outcomes))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_crimes(ref, crimes, order, out_dir / "crimes.csv")
    report("wrote crimes.csv", len(crimes))
    write_outcomes(ref, crimes, outcomes, order, out_dir / "crime_outcomes.csv")
    report("wrote crime_outcomes.csv", len(outcomes))
    return ctx
