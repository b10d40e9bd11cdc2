"""Hidden tests of exercise 01 (the instructor's: never released; autograde copies it beside the notebook).

Each test cell imports one ``<name>_probe(ns, seed)`` (calls the student's functions on the grader's
data, returns plain numbers) and one ``<name>_check(r)`` (None, or the teaching message). A
statistical check judges the ``visible_harness.Stat`` list of its ``<name>_stats(r)``, whose sds and
tolerance come from the one table below; deterministic conditions (exact values, shapes) are plain.
"""

import functools

import numpy as np
from visible_harness import Stat, probe, stats_problem, teaching

# ---------------------------------------------------------------------------------------------
# The declared table: each statistic's sd across runs of the reference solution, and K, the
# tolerance in those sds. A check passes a statistic when |value - expected| <= K * sd.
#
# bootstrap / share: 12 pairs on the line 2 + 0.25 x except the last. A resample of 12 pairs drawn
#   with replacement misses the last with probability p = (11/12)^12 = 0.3520 and then refits the
#   line exactly; over B_OFF = 20,000 resamples the share is binomial: sd sqrt(p (1 - p) / B_OFF)
#   (analytic). Resamples of 11 pairs give 0.387 (10 sds away), of 13 pairs 0.323; never drawing the
#   last pair gives 1, permutations 0.
# bootstrap / sd, mean: the bootstrap sd and mean of the slope from B_BOOT = 4,000 resamples of the
#   grader's 30 pairs (fixed data, noise sd 1.7, so the spread is not at scale 1), against a
#   reference from REF_RESAMPLES = 40,000 resamples drawn from a stream of the cell's seed (so its
#   own error, 0.32 of the student's, is part of the measured sd rather than a fixed offset).
#   Analytic: sd(mean) = s sqrt(1/B_BOOT + 1/REF_RESAMPLES) = 0.0064 with s = 0.389, the bootstrap
#   sd of the slope; sd(sd) ~ s sqrt((kurtosis - 1)/4 (1/B_BOOT + 1/REF_RESAMPLES)) ~ 0.0045.
#   Measured: the reference solution over 300 fresh seeds gave sd(sd) = 0.00445 and
#   sd(mean) = 0.00667 (and sd(share) = 0.00338 against the analytic 0.00338); an sd estimated from
#   300 runs is within ~4%, so the declared values are the measured ones raised by ~5%.
# K = 5.5: under normality, any of the three statistics fails with probability at most
# 3 * 3.8e-8 = 1.1e-7 per grading (goal < 1e-4), leaving room for heavier tails than normal (the
# largest |z| over those 300 runs was 3.2, 2.6 and 3.0 with these declarations).
# ---------------------------------------------------------------------------------------------
B_OFF, B_BOOT, REF_RESAMPLES = 20_000, 4_000, 40_000
P_MISS = (11 / 12) ** 12
SD = {"bootstrap": {"share": (P_MISS * (1 - P_MISS) / B_OFF) ** 0.5,
                    "sd": 0.0047,
                    "mean": 0.0070}}
K = 5.5

SPREAD_SEED = 2201  # the grader's data for the spread


def grader_data(seed, n=30):
    """The grader's data: x ~ U(5, 9) (far from 0, so an uncentred slope shows), y = -4 + 0.8 x + N(0, 1.7^2).

    Returns two float arrays of shape (n,)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(5.0, 9.0, n)
    return x, -4.0 + 0.8 * x + 1.7 * rng.standard_normal(n)


def least_squares(x, y):
    """The exact least-squares (b0, b1), by a linear solve (independent of any centring formula)."""
    X = np.column_stack([np.ones_like(x), x])
    return np.linalg.solve(X.T @ X, X.T @ y)


def off_line_pairs():
    """12 pairs on the line 2 + 0.25 x, except the last, 3 above it."""
    x = np.arange(12.0)
    y = 2.0 + 0.25 * x
    y[-1] += 3.0
    return x, y


@functools.cache
def reference_spread(seed):
    """``(sd, mean)`` of the bootstrap slopes of ``grader_data(SPREAD_SEED)`` over REF_RESAMPLES
    resamples from the stream ``[seed, 99]`` (closed-form refits, vectorised)."""
    x, y = grader_data(SPREAD_SEED)
    idx = np.random.default_rng([seed, 99]).integers(0, x.size, size=(REF_RESAMPLES, x.size))
    xs, ys = x[idx], y[idx]
    xc = xs - xs.mean(1, keepdims=True)
    slopes = (xc * (ys - ys.mean(1, keepdims=True))).sum(1) / (xc**2).sum(1)
    return float(slopes.std()), float(slopes.mean())


# --- fit_line: exact on noisy data far from x = 0, on two points, and a ValueError for constant x ---

def fit_line_probe(ns, seed):
    def body(fit_line):
        x, y = grader_data(seed)
        out = {"seed": seed, "coef": np.array(fit_line(x, y), dtype=float),
               "two": np.array(fit_line(np.array([3.0, 7.0]), np.array([1.0, 4.0])), dtype=float)}
        try:
            fit_line(np.full(5, 2.0), np.arange(5.0))
            out["raised"] = "nothing"
        except ValueError:
            out["raised"] = "ValueError"
        except Exception as exc:
            out["raised"] = type(exc).__name__
        return out
    return probe(ns, ["fit_line"], body)


@teaching
def fit_line_check(r):
    if r.get("error"):
        return r["error"]
    x, y = grader_data(r["seed"])
    want = least_squares(x, y)
    c = r["coef"].reshape(-1)
    # Exact: a 2x2 solve or the centred formula agree to ~1e-13 relative; 1e-8 leaves room for any method.
    if c.shape != (2,) or abs(c - want).max() > 1e-8 * (1 + abs(want).max()):
        return (f"`fit_line` gave {np.round(c, 6).tolist()}, expected {want.round(6).tolist()} (± 1e-8): "
                "centre x and y before the slope (x is far from 0 here), divide by sum (x - mean x)^2 "
                "(not by n or n - 1 on one side only), and b0 = mean(y) - b1 mean(x)")
    two = r["two"].reshape(-1)
    if two.shape != (2,) or abs(two - [-1.25, 0.75]).max() > 1e-9:
        return (f"`fit_line` through the two points (3, 1) and (7, 4) gave {np.round(two, 6).tolist()}, "
                "expected [-1.25, 0.75]: with n = 2 the line passes through both points")
    if r["raised"] != "ValueError":
        return (f"`fit_line` on constant x raised {r['raised']}, expected a ValueError saying that two "
                "distinct x values are needed")
    return None


# --- bootstrap_coefficients: pairs with replacement; the spread and centre of the refits ---

def bootstrap_probe(ns, seed):
    def body(f):
        rng = np.random.default_rng
        line_x = np.linspace(0.0, 5.0, 12)
        ox, oy = off_line_pairs()
        x, y = grader_data(SPREAD_SEED)
        return {"seed": seed,
                "exact": np.array(f(line_x, 2.0 + 0.25 * line_x, 60, rng(seed + 1)), dtype=float),
                "off": np.array(f(ox, oy, B_OFF, rng(seed + 3)), dtype=float),
                "boot": np.array(f(x, y, B_BOOT, rng(seed + 2)), dtype=float)}
    return probe(ns, ["bootstrap_coefficients"], body)


def bootstrap_stats(r):
    """The share of exact refits on the off-line pairs, and the bootstrap sd and mean of the slope."""
    off, boot = r["off"], r["boot"]
    share = float((abs(off - [2.0, 0.25]).max(axis=1) <= 1e-8).mean())
    ref_sd, ref_mean = reference_spread(int(r["seed"]))
    sd = SD["bootstrap"]
    return [
        Stat("`bootstrap_coefficients`: on 12 pairs of which only the last lies off a line, the share "
             "of refits that reproduce the line", share, P_MISS, sd["share"], K,
             "that share is the chance that a resample misses the last pair, (1 - 1/n)^n: draw "
             "len(x) indices from 0, ..., n - 1 with replacement (rng.integers(0, n, size=n): the "
             "upper end is excluded)"),
        Stat("`bootstrap_coefficients`: the bootstrap sd of the slope", float(boot[:, 1].std()), ref_sd,
             sd["sd"], K,
             "each resample must have len(x) pairs drawn WITH replacement (rng.integers(0, n, size=n)) "
             "from the data's own pairs, refitted by least squares"),
        Stat("`bootstrap_coefficients`: the mean bootstrap slope", float(boot[:, 1].mean()), ref_mean,
             sd["mean"], K, "refit each resample of (x_i, y_i) pairs with fit_line"),
    ]


@teaching
def bootstrap_check(r):
    if r.get("error"):
        return r["error"]
    for key, rows in (("exact", 60), ("off", B_OFF), ("boot", B_BOOT)):
        if r[key].shape != (rows, 2):
            return (f"`bootstrap_coefficients` returned shape {r[key].shape} for n_boot={rows}, "
                    "expected (n_boot, 2)")
    if abs(r["exact"] - [2.0, 0.25]).max() > 1e-8:
        return ("`bootstrap_coefficients`: on data lying exactly on a line, every bootstrap refit must "
                "give that line: fill every row, resample the (x_i, y_i) pairs together (the same "
                "indices for x and y) and refit them, without adding noise")
    return stats_problem(bootstrap_stats(r))


# --- percentile_interval: central quantiles at several levels, on skewed and heavy-tailed columns ---

LEVELS = (0.95, 0.9, 0.5)


def interval_samples(seed):
    """1,001 draws of three columns at scales other than 1: N(0, 1), Exponential(mean 2), 5 + t_3."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.standard_normal(1001), rng.exponential(2.0, 1001),
                            5 + rng.standard_t(3, 1001)])


def interval_probe(ns, seed):
    def body(f):
        s = interval_samples(seed)
        return {"seed": seed, "default": np.array(f(s), dtype=float),
                "levels": [np.array(f(s, level), dtype=float) for level in LEVELS]}
    return probe(ns, ["percentile_interval"], body)


@teaching
def interval_check(r):
    if r.get("error"):
        return r["error"]
    s = np.sort(interval_samples(r["seed"]), axis=0)
    n = s.shape[0]
    for level, iv in [(0.95, r["default"])] + list(zip(LEVELS, r["levels"])):
        if iv.shape != (2, 3):
            return (f"`percentile_interval` at level {level} returned shape {iv.shape} for samples of "
                    "shape (1001, 3), expected (2, 3): rows lower and upper, one column per column")
        for row, p in enumerate(((1 - level) / 2, (1 + level) / 2)):
            # Standard quantile definitions differ by at most one order statistic on each side.
            k = p * (n - 1)
            lo, hi = s[max(int(np.floor(k)) - 1, 0)], s[min(int(np.ceil(k)) + 1, n - 1)]
            if not ((lo <= iv[row]) & (iv[row] <= hi)).all():
                return (f"`percentile_interval` at level {level}: {'lower' if row == 0 else 'upper'} ends "
                        f"{iv[row].round(3).tolist()}, expected the {p:.3f} quantiles "
                        f"{np.quantile(s, p, axis=0).round(3).tolist()} (columns normal, exponential, t): "
                        "use (1 - level)/2 and (1 + level)/2 as fractions (np.quantile), per column "
                        "(axis=0), of the samples themselves (not a normal approximation)")
    return None
