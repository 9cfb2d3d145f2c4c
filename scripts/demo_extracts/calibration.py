"""Generic calibration helpers: exact integer allocation, change-% splits, window-exact
monthly series and quotas, and exact weighted selection. Nothing here knows about
crime; the figures come from `targets`."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

Bool = NDArray[np.bool_]
Float = NDArray[np.float64]
Int = NDArray[np.int64]


class CalibrationError(RuntimeError):
    """A target cannot be met with the rows and parameters given."""


# --- rounding and rates -------------------------------------------------------------


def round_half_away(value: float, ndigits: int = 1) -> float:
    """Round half away from zero (2.25 -> 2.3), as reports round."""
    scale = 10.0**ndigits
    return math.copysign(math.floor(abs(value) * scale + 0.5 + 1e-9), value) / scale


def pct_change(baseline: float, current: float) -> float:
    return (current - baseline) / baseline * 100.0


def rounds_to(value: float, expected: float, ndigits: int = 1) -> bool:
    return round_half_away(value, ndigits) == round_half_away(expected, ndigits)


def baseline_for_change(current: int, change_pct: float) -> int:
    """The baseline count nearest the middle of the range whose change to `current`
    rounds to `change_pct` (1 decimal)."""
    centre = current / (1.0 + change_pct / 100.0)
    candidates = [
        b
        for b in range(max(1, math.floor(centre) - 50), math.ceil(centre) + 51)
        if rounds_to(pct_change(b, current), change_pct)
    ]
    if not candidates:
        raise CalibrationError(f"no baseline gives {current} a change of {change_pct}%")
    return min(candidates, key=lambda b: (abs(b - centre), b))


def count_for_rate(denominator: int, rate_pct: float) -> int:
    """The numerator nearest rate_pct% of denominator (so the rate rounds to rate_pct)."""
    return math.floor(denominator * rate_pct / 100.0 + 0.5)


# --- integer allocation -------------------------------------------------------------


def largest_remainder(total: int, weights: ArrayLike) -> Int:
    """Split a non-negative integer total in proportion to weights, exactly
    (Hamilton's method; ties go to the earlier group)."""
    w = np.asarray(weights, dtype=np.float64)
    if total < 0 or (w < 0).any():
        raise CalibrationError("largest_remainder needs a non-negative total and weights")
    if total == 0:
        return np.zeros(w.shape, dtype=np.int64)
    if w.sum() <= 0:
        raise CalibrationError(f"cannot split {total} across zero weights")
    quotas = total * w / w.sum()
    counts = np.floor(quotas).astype(np.int64)
    short = int(total - counts.sum())
    if short:
        order = np.argsort(-(quotas - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def capped_split(total: int, weights: ArrayLike, cap: int, knee: float = 0.75) -> Int:
    """Split a total in proportion to weights with no group above cap. Shares above
    knee * cap bend smoothly towards the cap (soft_bounds) rather than piling up at it;
    the others grow a little to keep the total."""
    w = np.asarray(weights, dtype=np.float64)
    if total > cap * len(w):
        raise CalibrationError(f"{total} cannot be split under a cap of {cap}")
    limits = (knee * cap, cap - 0.5)
    share = w / w.sum()

    def spread(scale: float) -> float:
        return float(soft_bounds(scale * share, upper=limits).sum())

    scale = bisect(spread, float(total), float(total), float(total) * 1e3, iterations=60)
    counts = largest_remainder(total, soft_bounds(scale * share, upper=limits))
    if (counts > cap).any():
        raise CalibrationError(f"a share above the cap of {cap}")
    return counts


def split_with_changes(
    baseline_total: int,
    current_total: int,
    baseline_weights: ArrayLike,
    change_pcts: ArrayLike,
    strict: bool = True,
) -> tuple[Int, Int]:
    """Split two totals across groups so that each group's change rounds to its target.

    The baseline shares are tilted (w * exp(theta * change)) until the groups' changes
    add up to the totals' change; then both totals are split exactly.
    """
    w = np.asarray(baseline_weights, dtype=np.float64)
    w = w / w.sum()
    g = np.asarray(change_pcts, dtype=np.float64) / 100.0
    target = current_total / baseline_total

    def ratio(theta: float) -> float:
        tilted = w * np.exp(theta * (g - g.mean()))
        return float((tilted * (1.0 + g)).sum() / tilted.sum())

    lo, hi = -400.0, 400.0
    if not ratio(lo) <= target <= ratio(hi):
        if strict:
            raise CalibrationError("group changes cannot average to the total's change")
        theta = lo if target < ratio(lo) else hi
    else:
        for _ in range(200):
            mid = (lo + hi) / 2.0
            lo, hi = (mid, hi) if ratio(mid) < target else (lo, mid)
        theta = (lo + hi) / 2.0
    base = largest_remainder(baseline_total, w * np.exp(theta * (g - g.mean())))
    cur = largest_remainder(current_total, base * (1.0 + g))
    if strict:
        for b, c, expected in zip(base, cur, g * 100.0, strict=True):
            if not rounds_to(pct_change(b, c), expected):
                raise CalibrationError(f"group split misses {expected:.1f}%: {b} -> {c}")
    return base, cur


# --- time series --------------------------------------------------------------------


def interpolate(
    t: Float,
    knot_t: ArrayLike,
    knot_v: ArrayLike,
    extrapolate: bool = False,
    log: bool = True,
) -> Float:
    """Interpolate knot values in time (log-linear when all values are positive).
    Outside the knots: held flat, or the end segments' trend carried on."""
    kt = np.asarray(knot_t, dtype=np.float64)
    kv = np.asarray(knot_v, dtype=np.float64)
    order = np.argsort(kt, kind="stable")
    kt, kv = kt[order], kv[order]
    use_log = log and bool((kv > 0).all())
    y = np.log(kv) if use_log else kv
    out = np.interp(t, kt, y)
    if extrapolate and len(kt) >= 2:
        before, after = t < kt[0], t > kt[-1]
        slope_first = (y[1] - y[0]) / (kt[1] - kt[0])
        slope_last = (y[-1] - y[-2]) / (kt[-1] - kt[-2])
        out = np.where(before, y[0] + slope_first * (t - kt[0]), out)
        out = np.where(after, y[-1] + slope_last * (t - kt[-1]), out)
    return np.exp(out) if use_log else np.maximum(out, 0.0)


def hat_basis(t: Float, knot_t: ArrayLike) -> Float:
    """Piecewise-linear interpolation weights (knots x times): each time's weights on
    its two neighbouring knots, flat beyond the first and last knot. Rows follow the
    order of knot_t."""
    kt = np.asarray(knot_t, dtype=np.float64)
    basis = np.empty((len(kt), len(t)))
    for i in range(len(kt)):
        unit = np.zeros(len(kt))
        unit[i] = 1.0
        order = np.argsort(kt, kind="stable")
        basis[i] = np.interp(t, kt[order], unit[order])
    return basis


def fit_window_sums(
    ideal: Float,
    masks: Bool,
    targets: Float,
    lower: Float | float = 0.0,
    upper: Float | float = np.inf,
    basis: Float | None = None,
    iterations: int = 60,
) -> Float:
    """Adjust rows of a (rows x months) array so each row's sum over every window
    equals its target, keeping lower <= x <= upper. Windows may overlap. Months are
    scaled by 1 + sum of lambda_w * basis_w: with the default basis (the window masks)
    each window gets its own factor; with a smooth basis (hat_basis at the windows'
    mid-points) the correction is continuous in time."""
    x = np.clip(np.asarray(ideal, dtype=np.float64), lower, upper)
    m = masks.astype(np.float64)
    phi = m if basis is None else np.asarray(basis, dtype=np.float64)
    lo = np.broadcast_to(np.asarray(lower, dtype=np.float64), x.shape)
    hi = np.broadcast_to(np.asarray(upper, dtype=np.float64), x.shape)
    ridge = 1e-12 * np.eye(len(masks))
    for _ in range(iterations):
        resid = targets - x @ m.T
        if np.abs(resid).max(initial=0.0) < 1e-8:
            break
        # Months that can still move the way their windows need.
        up = (resid @ m) > 0
        free = np.where(up, x < hi - 1e-12, x > lo + 1e-12)
        mass = np.where(free, np.maximum(x, 1e-9), 0.0)
        gram = np.einsum("wm,rm,vm->rwv", m, mass, phi) + ridge
        lam = np.linalg.solve(gram, resid[..., None])[..., 0]
        x = np.clip(x + mass * (lam @ phi), lo, hi)
    return x


def integerise(values: Float, masks: Bool, targets: Float | None = None) -> Int:
    """Round each row of a (rows x months) array to integers so that every window sum
    that was an integer stays exactly that integer (rounding the running total)."""
    running = np.floor(np.cumsum(values, axis=1) + 0.5)
    out = np.diff(running, axis=1, prepend=0.0).astype(np.int64)
    if targets is not None:
        exact = np.round(targets).astype(np.int64)
        shared = masks.sum(axis=0)
        for w in range(len(masks)):
            diff = exact[:, w] - out[:, masks[w]].sum(axis=1)
            for r in np.flatnonzero(diff):
                months = np.flatnonzero(masks[w])
                own = months[shared[months] == 1]
                pool = own if len(own) else months
                pick = pool[np.argmax(out[r, pool])]
                out[r, pick] += diff[r]
    if (out < 0).any():
        raise CalibrationError("integer rounding produced a negative count")
    return out


def plan_quotas(
    eligible: Int,
    forced: Int,
    masks: Bool,
    targets: Float,
    window_mid: Float,
    month_mid: Float,
    extrapolate: bool = False,
    strict: bool = True,
) -> tuple[Int, Float]:
    """Monthly quotas for an exact-count flag: each window's months add up to its
    target exactly; between and beyond windows the rate (quota / eligible rows) is
    interpolated from the windows' rates. Returns (quota per month, rate per month)."""
    n_months = len(eligible)
    elig = eligible.astype(np.float64)
    if len(targets) == 0:
        return np.zeros(n_months, dtype=np.int64), np.zeros(n_months)
    window_elig = masks.astype(np.float64) @ elig
    window_forced = masks.astype(np.float64) @ forced
    goal = np.clip(targets, window_forced, window_elig)
    if strict and not np.array_equal(goal, targets):
        raise CalibrationError(
            f"quota targets {targets.tolist()} outside [forced, eligible] = "
            f"{window_forced.tolist()} / {window_elig.tolist()}"
        )
    rates = goal / np.maximum(window_elig, 1.0)
    rate = interpolate(month_mid, window_mid, rates, extrapolate=extrapolate)
    ideal = np.clip(rate * elig, forced, elig)
    basis = hat_basis(month_mid, window_mid)
    real = fit_window_sums(ideal[None], masks, goal[None], forced[None], elig[None], basis=basis)
    quota = _within_bounds(integerise(real, masks, goal[None])[0], forced, eligible, masks)
    if strict:
        _check_quota(quota, masks, targets)
    return quota, rate


def _within_bounds(quota: Int, forced: Int, eligible: Int, masks: Bool) -> Int:
    """Rounding can leave a month one over its eligible rows (or under its forced rows):
    move such units to another month of the same window."""
    for w in range(len(masks)):
        months = np.flatnonzero(masks[w])
        for _ in range(4 * len(months)):
            over = months[quota[months] > eligible[months]]
            under = months[quota[months] < forced[months]]
            if len(over):
                quota[over[0]] -= 1
                slack = eligible[months] - quota[months]
                quota[months[np.argmax(slack)]] += 1
            elif len(under):
                quota[under[0]] += 1
                slack = quota[months] - forced[months]
                quota[months[np.argmax(slack)]] -= 1
            else:
                break
    return np.clip(quota, forced, eligible)


def _check_quota(quota: Int, masks: Bool, targets: Float) -> None:
    got = masks.astype(np.int64) @ quota
    if not np.array_equal(got, np.round(targets).astype(np.int64)):
        raise CalibrationError(f"quota plan missed its targets: {got} vs {targets}")


def shaped_quota(
    eligible: Int,
    rate: Float,
    masks: Bool,
    targets: Float,
    window_mid: Float,
    month_mid: Float,
    strict: bool = True,
) -> Int:
    """Monthly counts of a subset (e.g. calls abandoned) following a rate shape (subset /
    eligible by month) and adding up exactly to each window's target. The shape is
    corrected smoothly in time (hat functions at the windows' mid-points)."""
    elig = eligible.astype(np.float64)
    goal = np.clip(np.asarray(targets, dtype=np.float64), 0.0, masks.astype(np.float64) @ elig)
    if strict and not np.array_equal(goal, targets):
        raise CalibrationError(f"subset targets {list(targets)} exceed the eligible rows")
    ideal = np.clip(rate, 0.0, 1.0) * elig
    basis = hat_basis(month_mid, window_mid)
    real = fit_window_sums(ideal[None], masks, goal[None], 0.0, elig[None], basis=basis)
    zero = np.zeros(len(eligible), dtype=np.int64)
    quota = _within_bounds(integerise(real, masks, goal[None])[0], zero, eligible, masks)
    if strict:
        _check_quota(quota, masks, goal)
    return quota


def window_series(
    ideal: Float,
    masks: Bool,
    targets: Float,
    exact: Bool,
    window_mid: Float,
    month_mid: Float,
) -> Int:
    """Monthly counts (rows x months) through every window's target: exact windows
    exactly, the others ('about' anchors) as nearly as smooth rounding allows."""
    basis = hat_basis(month_mid, window_mid)
    real = fit_window_sums(ideal, masks, targets, basis=basis)
    return integerise(real, masks[exact], targets[:, exact])


# --- distributions --------------------------------------------------------------------


def logit(p: ArrayLike) -> Float:
    """Quantile function of the standard logistic distribution."""
    q = np.asarray(p, dtype=np.float64)
    return np.log(q) - np.log1p(-q)


def truncated_logit(rng: np.random.Generator, lower: ArrayLike, upper: ArrayLike) -> Float:
    """Standard logistic draws restricted to the probability range [lower, upper) each."""
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    u = lo + rng.random(np.broadcast(lo, hi).shape) * (hi - lo)
    return logit(np.clip(u, 1e-12, 1.0 - 1e-12))


def soft_bounds(
    values: Float,
    upper: tuple[float, float] | None = None,
    lower: tuple[float, float] | None = None,
) -> Float:
    """Keep values between the knees as they are and bend the tails smoothly towards
    limits they never reach, keeping their order: upper = (knee, ceiling), lower =
    (floor, knee). Beyond a knee, an excess e becomes e * room / (e + room) (slope 1 at
    the knee), so long tails stay long without running to days, or down to nothing."""
    out = np.asarray(values, dtype=np.float64)
    if upper is not None:
        knee, ceiling = upper
        room = ceiling - knee
        over = np.maximum(out - knee, 0.0)
        out = np.where(out > knee, knee + over * room / (over + room), out)
    if lower is not None:
        floor, knee = lower
        room = knee - floor
        under = np.maximum(knee - out, 0.0)
        out = np.where(out < knee, knee - under * room / (under + room), out)
    return out


def bisect(
    f: Callable[[float], float], target: float, lo: float, hi: float, iterations: int = 40
) -> float:
    """x in [lo, hi] with f(x) = target, for f monotone on the bracket."""
    rising = f(hi) > f(lo)
    for _ in range(iterations):
        mid = (lo + hi) / 2.0
        if (f(mid) < target) == rising:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def affine_through_order_statistics(
    values: Float, anchors: Sequence[tuple[float, float]]
) -> tuple[float, float]:
    """(alpha, beta) of the increasing map alpha + beta * x that sends the order
    statistic at each of two fractional positions (0-based, interpolated) to its
    target. E.g. position n - 0.5 -> b leaves exactly n values below b."""
    ordered = np.sort(values)
    (p1, t1), (p2, t2) = anchors

    def at(position: float) -> float:
        low = int(np.floor(position))
        frac = position - low
        high = min(low + 1, len(ordered) - 1)
        return float(ordered[low] * (1.0 - frac) + ordered[high] * frac)

    x1, x2 = at(p1), at(p2)
    if x1 == x2 or (t2 - t1) / (x2 - x1) <= 0:
        raise CalibrationError("order statistics cannot be mapped to their targets")
    beta = (t2 - t1) / (x2 - x1)
    return t1 - beta * x1, beta


# --- selection and sampling ---------------------------------------------------------


def select_top_k(segment: Int, weight: Float, quota: Int, rng: np.random.Generator) -> Bool:
    """Choose exactly quota[s] rows of each segment s at random, each row's chance
    rising with its weight (weighted sampling without replacement by keys
    log(u)/w). weight 0: never chosen; weight inf: always chosen first."""
    n = len(segment)
    u = 1.0 - rng.random(n)
    with np.errstate(divide="ignore"):
        key = np.where(weight > 0, np.log(u) / np.where(weight > 0, weight, 1.0), -np.inf)
    key = np.where(np.isinf(weight) & (weight > 0), 1.0, key)
    order = np.lexsort((-key, segment))
    seg_sorted = segment[order]
    rank = np.arange(n) - np.searchsorted(seg_sorted, seg_sorted, side="left")
    chosen_sorted = (rank < quota[seg_sorted]) & np.isfinite(key[order])
    chosen = np.zeros(n, dtype=bool)
    chosen[order] = chosen_sorted
    return chosen


def select_top_k_sorted(segment: Int, weight: Float, quota: Int, rng: np.random.Generator) -> Bool:
    """select_top_k for rows already in segment order (each segment one run of rows):
    the same weighted draw, a partial sort per segment instead of one full sort."""
    n = len(segment)
    if n and (np.diff(segment) < 0).any():
        raise ValueError("select_top_k_sorted needs rows in segment order")
    u = 1.0 - rng.random(n)
    with np.errstate(divide="ignore"):
        key = np.where(weight > 0, np.log(u) / np.where(weight > 0, weight, 1.0), -np.inf)
    key = np.where(np.isinf(weight) & (weight > 0), 1.0, key)
    chosen = np.zeros(n, dtype=bool)
    edges = np.searchsorted(segment, np.arange(len(quota) + 1), side="left")
    for s in np.flatnonzero(quota > 0):
        lo, hi = edges[s], edges[s + 1]
        k = int(min(quota[s], hi - lo))
        if k == 0:
            continue
        block = key[lo:hi]
        top = np.argpartition(-block, k - 1)[:k] if k < hi - lo else np.arange(hi - lo)
        chosen[lo + top[np.isfinite(block[top])]] = True
    return chosen


def draw_categorical(rng: np.random.Generator, probabilities: Float, group: Int) -> Int:
    """Draw one category per row from the row's group's probability table
    (groups x categories; rows need not sum to 1)."""
    table = np.asarray(probabilities, dtype=np.float64)
    cum = np.cumsum(table, axis=1)
    cum = cum / np.where(cum[:, -1:] > 0, cum[:, -1:], 1.0)
    u = rng.random(len(group))
    row_cum = cum[group]
    picked = (u[:, None] >= row_cum).sum(axis=1)
    return np.minimum(picked, table.shape[1] - 1).astype(np.int64)


def draw_within_blocks(
    rng: np.random.Generator, weights: Float, block_start: Int, block_end: Int, block: Int
) -> Int:
    """For each row, draw an index in [block_start[b], block_end[b]) of its block b with
    chance proportional to weights (e.g. a neighbourhood within an LPA)."""
    cum = np.concatenate([[0.0], np.cumsum(weights)])
    lo = cum[block_start[block]]
    hi = cum[block_end[block]]
    target = lo + rng.random(len(block)) * (hi - lo)
    idx = np.searchsorted(cum, target, side="right") - 1
    return np.clip(idx, block_start[block], block_end[block] - 1).astype(np.int64)
