"""Generate the demo extracts: every family yields its extracts (rows ready to write,
writer.Extract), the one writer writes each as it comes, and its rows are let go before
the next family starts. Each stage is reported with its elapsed time."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import numpy as np

from .calls import calls_extract, generate_calls
from .context import Context
from .crimes import assign_attributes, assign_references, build_rows, crimes_extract, monthly_counts
from .incidents import attend, build_incidents, incidents_extract, respond
from .outcomes import generate_outcomes, outcomes_extract
from .reference import DEFAULT_SEED_DIR, load_reference
from .returns import generate_returns, returns_extract
from .roads import (
    dashcam_submissions,
    orders_and_civil_interventions,
    road_casualties,
    roads_enforcement,
    vehicle_seizures,
)
from .stops import (
    generate_stop_searches,
    generate_uses_of_force,
    stop_searches_extract,
    uses_of_force_extract,
)
from .writer import Extract, write

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

Streams = Mapping[str, np.random.Generator]


def crime_extracts(ctx: Context, rng: Streams) -> Iterator[Extract]:
    """Crimes (records, with cancelled and transferred ones) and their outcomes."""
    crimes = build_rows(ctx, monthly_counts(ctx), rng["rows"])
    assign_attributes(ctx, crimes, rng["attributes"])
    order = assign_references(crimes, rng["references"])
    outcomes = generate_outcomes(ctx, crimes, rng["outcomes"])
    yield crimes_extract(ctx.ref, crimes, order, ctx.replica)
    yield outcomes_extract(ctx.ref, crimes, outcomes, order, ctx.replica)


def contact_extracts(ctx: Context, rng: Streams) -> Iterator[Extract]:
    """999 and 101 calls, then command-and-control incidents."""
    yield calls_extract(generate_calls(ctx, rng["call_volumes"], rng["call_handling"]), ctx.replica)
    incidents = build_incidents(ctx, rng["incidents"])
    attended = attend(ctx, incidents, rng["incident_response"])
    respond(ctx, incidents, attended, rng["incident_response"])
    yield incidents_extract(ctx.ref, incidents, ctx.replica)


def return_extracts(ctx: Context, rng: Streams) -> Iterator[Extract]:
    """The force's periodic returns: figures of the force as a whole, so a larger force
    (replicas) has one set of them, not one per replica."""
    if ctx.replica == 0:
        yield returns_extract(generate_returns(ctx, rng["returns"]))


def roads_extracts(ctx: Context, rng: Streams, seed_dir: Path) -> Iterator[Extract]:
    """Roads and travel safety (report section 4) and orders (10.6)."""
    yield road_casualties(ctx, rng["road_casualties"], seed_dir)
    yield roads_enforcement(ctx, rng["roads_enforcement"])
    yield dashcam_submissions(ctx, rng["dashcam_submissions"])
    yield vehicle_seizures(ctx, rng["vehicle_seizures"])
    yield orders_and_civil_interventions(ctx, rng["orders_and_civil_interventions"])


def police_powers_extracts(ctx: Context, rng: Streams) -> Iterator[Extract]:
    searches = generate_stop_searches(ctx, rng["stop_searches"])
    yield stop_searches_extract(ctx.ref, searches, ctx.replica)
    uses = generate_uses_of_force(ctx, rng["uses_of_force"])
    yield uses_of_force_extract(ctx.ref, uses, ctx.replica)


def streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent stream per stage: changing one stage leaves the others' draws."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, children, strict=True)
    }


def generate(
    out_dir: Path,
    seed: int,
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
    seed_dir: Path = DEFAULT_SEED_DIR,
) -> Context:
    """Write every extract of the force's contracts into out_dir. Returns the (first
    replica's) context, whose `achieved` log records what each calibration step produced.

    A scale above 1 is a force made of replicas of the demo force (scale 10: ten, each at
    scale 1 with its own seed and identifiers): same shapes, more of everything, written
    replica by replica, so memory stays that of one replica and time grows linearly.
    The files appear when the last replica is written."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    started = time.perf_counter()
    reference = load_reference(seed_dir)
    replicas = max(1, math.ceil(scale))
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = out_dir if replicas == 1 else out_dir / ".generating"
    folder.mkdir(exist_ok=True)
    contexts = []
    for replica in range(replicas):
        ctx = Context(reference, scale / replicas, replica)
        rng = streams(seed + replica)
        families = (
            crime_extracts(ctx, rng),
            contact_extracts(ctx, rng),
            return_extracts(ctx, rng),
            roads_extracts(ctx, rng, seed_dir),
            police_powers_extracts(ctx, rng),
        )
        for family in families:
            for extract in family:
                path = write(extract, folder, append=replica > 0)
                if progress is not None:
                    elapsed = time.perf_counter() - started
                    progress(
                        f"[{elapsed:6.1f}s] wrote {path.name}: {len(extract):,} rows"
                        + (f" (replica {replica + 1} of {replicas})" if replicas > 1 else "")
                    )
                del extract
        contexts.append(ctx)
    if folder != out_dir:
        for path in folder.glob("*.csv"):
            os.replace(path, out_dir / path.name)
        folder.rmdir()
    return contexts[0]
