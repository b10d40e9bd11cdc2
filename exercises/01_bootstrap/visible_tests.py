"""Visible tests of exercise 01: read them, they say what your functions must do.

Each ``*_probe(ns, seed)`` calls your functions (from the notebook's namespace ``ns``) on small
inputs and returns plain numbers; each ``*_check(r)`` returns ``None`` when all is well, else a
message that names the function and the likely cause. The grader runs the same probes and checks
from its own copy of this file; its hidden tests are different and stricter.
"""

import numpy as np
from visible_harness import Stat, probe, stats_problem, teaching

# Bootstrap study: 10 pairs on the line y = 1 + 2x, except the last pair, which is 5 above it.
# A resample of n pairs drawn with replacement misses the last pair with probability
# (1 - 1/n)^n = 0.9^10 = 0.34868, and then its fit is exactly (1, 2). Over N_BOOT = 4,000
# resamples the share of exact fits is binomial: sd sqrt(p (1 - p) / N_BOOT) = 0.00754 (analytic),
# and the tolerance is K = 5 sds = 0.038. Resamples of n/2 pairs give 0.59, never the last pair 1,
# without replacement 0 (resamples of n - 1 pairs give 0.387: the share catches that about half the
# time; the bookkeeping below catches it exactly). Measured over 300 runs of the reference: sd 0.0077. A resample with a single distinct x (fit_line raises) has probability
# 10 * 0.1^10 = 1e-9 each.
N_PAIRS, N_BOOT, P_EXACT = 10, 4000, 0.9**10
SD = {"bootstrap": {"share": (P_EXACT * (1 - P_EXACT) / N_BOOT) ** 0.5}}
K = 5
# Bookkeeping at a small n_boot, exact: N_SMALL resamples of the 10 pairs. When your
# bootstrap_coefficients calls fit_line, the test records each call: every resample must hold
# len(x) pairs of the data, and every row returned must be one of those refits.
N_SMALL = 7


def fit_line_probe(ns, seed):
    def body(fit_line):
        x = np.linspace(-1.0, 3.0, 9)
        out = {"coef": np.array(fit_line(x, 3.0 - 0.5 * x), dtype=float)}
        try:
            fit_line(np.full(5, 2.0), np.arange(5.0))
            out["constant"] = "returned a value"
        except ValueError:
            out["constant"] = "ValueError"
        except Exception as exc:
            out["constant"] = f"raised {type(exc).__name__}"
        return out
    return probe(ns, ["fit_line"], body)


@teaching
def fit_line_check(r):
    if r.get("error"):
        return r["error"]
    c = r["coef"]
    if c.shape != (2,):
        return f"`fit_line` returned shape {c.shape}, expected (2,) = (b0, b1)"
    if abs(c[0] - 3.0) > 1e-9 or abs(c[1] + 0.5) > 1e-9:
        return (f"`fit_line` on the exact line y = 3 - 0.5 x (x from -1 to 3) gave {np.round(c, 6).tolist()}, "
                "expected [3.0, -0.5]: is the order (intercept, slope)? is the slope centred, "
                "sum (x - mean x)(y - mean y) / sum (x - mean x)^2?")
    if r["constant"] != "ValueError":
        return (f"`fit_line` {r['constant']} for x with a single distinct value: the slope is undefined "
                "there, so raise ValueError (e.g. when np.unique(x).size < 2)")
    return None


def bootstrap_probe(ns, seed):
    def body(bootstrap_coefficients):
        x = np.linspace(0.0, 4.5, N_PAIRS)
        y = 1.0 + 2.0 * x
        y[-1] += 5.0
        rng = np.random.default_rng
        a = np.array(bootstrap_coefficients(x, y, N_BOOT, rng(seed)), dtype=float)
        b = np.array(bootstrap_coefficients(x, y, 50, rng(seed + 1)), dtype=float)
        c = np.array(bootstrap_coefficients(x, y, 50, rng(seed + 1)), dtype=float)
        d = np.array(bootstrap_coefficients(x, y, 50, rng(seed + 2)), dtype=float)
        out = {"a": a, "b": b, "c": c, "d": d}
        fit_line = ns.get("fit_line")
        if callable(fit_line):  # record the refits bootstrap_coefficients asks fit_line for
            calls = []

            def recording(xs, ys):
                coef = np.array(fit_line(xs, ys), dtype=float)
                calls.append((np.array(xs, dtype=float), np.array(ys, dtype=float), coef))
                return coef
            ns["fit_line"] = recording
            try:
                out["small"] = np.array(bootstrap_coefficients(x, y, N_SMALL, rng(seed + 3)), dtype=float)
            finally:
                ns["fit_line"] = fit_line
            pairs = {(float(u), float(v)) for u, v in zip(x, y)}
            out["calls"] = len(calls)
            out["sizes"] = np.array([len(xs) for xs, _, _ in calls], dtype=float)
            out["pairs_kept"] = int(all((float(u), float(v)) in pairs for xs, ys, _ in calls
                                        for u, v in zip(xs, ys)))
            out["refits"] = np.array([coef for _, _, coef in calls], dtype=float).reshape(-1, 2)
        return out
    return probe(ns, ["bootstrap_coefficients"], body)


def bootstrap_stats(r):
    """The share of refits that reproduce the line (the resample missed the off-line pair)."""
    share = float((np.abs(r["a"] - np.array([1.0, 2.0])).max(axis=1) <= 1e-8).mean())
    return [Stat(f"`bootstrap_coefficients`: on {N_PAIRS} pairs of which all but the last lie on a line, "
                 "the share of refits that reproduce that line (the resample missed the last pair)",
                 share, P_EXACT, SD["bootstrap"]["share"], K,
                 "that share is P(n draws with replacement miss one pair) = (1 - 1/n)^n: draw "
                 "n = len(x) indices with rng.integers(0, n, size=n) (the upper bound is exclusive), "
                 "with replacement, and refit on those (x, y) PAIRS together")]


@teaching
def bootstrap_check(r):
    if r.get("error"):
        return r["error"]
    a = r["a"]
    if a.shape != (N_BOOT, 2) or r["b"].shape != (50, 2):
        return f"`bootstrap_coefficients` returned shape {a.shape} for n_boot={N_BOOT}, expected (n_boot, 2)"
    if not (r["b"] == r["c"]).all():
        return "`bootstrap_coefficients`: two generators in the same state gave different results: use only rng"
    if (r["b"] == r["d"]).all():
        return "`bootstrap_coefficients`: different generators gave identical results: draw the resamples from rng"
    if "small" in r:
        small, sizes = r["small"], r["sizes"]
        if small.shape != (N_SMALL, 2):
            return (f"`bootstrap_coefficients` returned shape {small.shape} for n_boot={N_SMALL}, "
                    "expected (n_boot, 2)")
        if r["calls"] and (sizes != N_PAIRS).any():
            return (f"`bootstrap_coefficients` passed fit_line resamples of {sorted(set(sizes.astype(int).tolist()))} "
                    f"pairs from {N_PAIRS} pairs: each resample has exactly len(x) pairs, "
                    "rng.integers(0, n, size=n)")
        if r["calls"] and not r["pairs_kept"]:
            return ("`bootstrap_coefficients` passed fit_line (x, y) values that are not pairs of the data: "
                    "use the same indices for x and y")
        if r["calls"] and not all((np.abs(r["refits"] - row).max(axis=1) == 0).any() for row in small):
            return (f"`bootstrap_coefficients` with n_boot={N_SMALL}: some returned rows are not the refit "
                    "of any resample passed to fit_line: fill every row with a refit (check the loop "
                    "runs n_boot times, from row 0)")
    return stats_problem(bootstrap_stats(r))


def interval_probe(ns, seed):
    def body(percentile_interval):
        s = np.column_stack([np.arange(101.0), 10.0 * np.arange(101.0)])
        rng = np.random.default_rng(seed)
        return {"iv": np.array(percentile_interval(rng.permutation(s), 0.9), dtype=float)}
    return probe(ns, ["percentile_interval"], body)


@teaching
def interval_check(r):
    if r.get("error"):
        return r["error"]
    iv = r["iv"]
    if iv.shape != (2, 2):
        return (f"`percentile_interval` returned shape {iv.shape} for samples of shape (101, 2), expected "
                "(2, k) = (2, 2): row 0 the lower ends, row 1 the upper ends, one column per column")
    # The values 0, 1, ..., 100 (and 10 times them): the 5% and 95% quantiles are 5 and 95; other
    # standard quantile definitions differ by less than one spacing.
    want = np.array([[5.0, 50.0], [95.0, 950.0]])
    if (np.abs(iv - want) > np.array([1.0, 10.0])).any():
        return (f"`percentile_interval` of the values 0..100 (column 0) and 0..1000 in steps of 10 "
                f"(column 1) at level 0.9 gave {np.round(iv, 3).tolist()}, expected about "
                f"{want.tolist()}: the central 90% interval is the (1 - level)/2 and (1 + level)/2 "
                "quantiles of each column, np.quantile(samples, [...], axis=0) (fractions, not percents)")
    return None
