"""Generate the demo extracts: stages in order, each reported with its elapsed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .calls import generate_calls
from .context import Context
from .crimes import assign_attributes, assign_references, build_rows, monthly_counts
from .incidents import attend, build_incidents, respond
from .outcomes import generate_outcomes
from .reference import DEFAULT_SEED_DIR, load_reference
from .returns import generate_returns
from .roads import (
    write_dashcam_submissions,
    write_orders,
    write_road_casualties,
    write_roads_enforcement,
    write_vehicle_seizures,
)
from .stops import generate_stop_searches, generate_uses_of_force
from .writer import (
    write_calls,
    write_crimes,
    write_incidents,
    write_outcomes,
    write_returns,
    write_stop_searches,
    write_uses_of_force,
)

# New stages append their streams at the end: spawned streams are numbered, so the
# earlier stages keep their draws (and their files stay byte-identical).
STREAMS = (
    "rows",
    "attributes",
    "references",
    "outcomes",
    "call_volumes",
    "call_handling",
    "incidents",
    "incident_response",
    "returns",
    "road_casualties",
    "roads_enforcement",
    "dashcam_submissions",
    "vehicle_seizures",
    "orders_and_civil_interventions",
    "stop_searches",
    "uses_of_force",
)


def generate(
    out_dir: Path,
    seed: int,
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
    seed_dir: Path = DEFAULT_SEED_DIR,
) -> Context:
    """Write crimes.csv, crime_outcomes.csv, calls.csv, incidents.csv,
    periodic_returns.csv, the roads and orders extracts (scripts/demo_extracts/roads.py),
    stop_search.csv and use_of_force.csv into out_dir.
    Returns the context, whose `achieved` log records what each calibration step
    produced."""
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
    del crimes, outcomes, order

    calls = generate_calls(ctx, rng["call_volumes"], rng["call_handling"])
    report("calls presented, answered and abandoned", len(calls))
    write_calls(calls, out_dir / "calls.csv")
    report("wrote calls.csv", len(calls))
    del calls

    incidents = build_incidents(ctx, rng["incidents"])
    report("incidents by grade, category and place", len(incidents))
    attended = attend(ctx, incidents, rng["incident_response"])
    respond(ctx, incidents, attended, rng["incident_response"])
    report("incident attendance and response times", int(incidents.attended.sum()))
    write_incidents(ref, incidents, out_dir / "incidents.csv")
    report("wrote incidents.csv", len(incidents))
    del incidents, attended

    returns = generate_returns(ctx, rng["returns"])
    report("periodic returns", len(returns))
    write_returns(returns, out_dir / "periodic_returns.csv")
    report("wrote periodic_returns.csv", len(returns))

    # Roads and travel safety (section 4) and orders and civil interventions (10.6).
    rows = write_road_casualties(
        ctx, rng["road_casualties"], out_dir / "road_casualties.csv", seed_dir
    )
    report("wrote road_casualties.csv", rows)
    rows = write_roads_enforcement(ctx, rng["roads_enforcement"], out_dir / "roads_enforcement.csv")
    report("wrote roads_enforcement.csv", rows)
    rows = write_dashcam_submissions(
        ctx, rng["dashcam_submissions"], out_dir / "dashcam_submissions.csv"
    )
    report("wrote dashcam_submissions.csv", rows)
    rows = write_vehicle_seizures(ctx, rng["vehicle_seizures"], out_dir / "vehicle_seizures.csv")
    report("wrote vehicle_seizures.csv", rows)
    rows = write_orders(
        ctx, rng["orders_and_civil_interventions"], out_dir / "orders_and_civil_interventions.csv"
    )
    report("wrote orders_and_civil_interventions.csv", rows)
    searches = generate_stop_searches(ctx, rng["stop_searches"])
    report("stop and searches, what was found", len(searches))
    write_stop_searches(ref, searches, out_dir / "stop_search.csv")
    report("wrote stop_search.csv", len(searches))
    del searches

    uses = generate_uses_of_force(ctx, rng["uses_of_force"])
    report("uses of force", len(uses))
    write_uses_of_force(ref, uses, out_dir / "use_of_force.csv")
    report("wrote use_of_force.csv", len(uses))
    return ctx
