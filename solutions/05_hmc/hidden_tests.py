"""Hidden tests of exercise 05 (never released): every probe and check of the hidden test cells, and
the targets they share (a correlated Gaussian, the banana, the regression posterior, the grader's
own leapfrog), defined once.

Each function is judged where its common shortcut fails:
- ``leapfrog`` against the exact leapfrog map on a Gaussian with sds 1 and 3 and on the banana, and by
  its order (energy error ~ step^2) and reversibility;
- ``hmc``'s spreads on targets whose sds are not 1 (1 and 3; about 0.3 and 0.15 for the regression),
  so a momentum of sd 2 or a mis-scaled kinetic energy shows; its bookkeeping exactly (to 1e-9, never
  rounded) on 20 chains of 7 iterations, where an off-by-one in the count or the denominator
  changes acceptance_rate * n_steps by a visible fraction of a move.
"""

import numpy as np
from visible_harness import Stat, probe, stats_problem, teaching

# Standard errors of every statistic a check judges: the sd of the statistic across runs of the
# reference solution with fresh seeds. Measured by benchmarks/tolerances.py (10,000 runs for
# "gaussian" and "regression", 7,624 for "banana"; the largest |z| seen was 4.66, the lag-1
# autocorrelation) and re-measured on these probes over 300 fresh seeds (2026-12-02): every sd within
# 6% of these, but the share |theta1| > 1, 0.0081 over 400 runs (0.0072 before): declared at 0.0081.
# `course calibrate 05_hmc` re-measures them. A statistic passes within K standard errors: 17 hidden
# and 6 visible statistics at K = 5 give about 23 x 5.7e-7 = 1.3e-5 false fails per grading under
# normality (under the 1e-4 goal, with room for the slightly heavy tails seen).
SD = {
    "gaussian": {"mean of theta1": 0.0526, "mean of theta2": 0.1692, "sd of theta1": 0.0250,
                 "sd of theta2": 0.0841, "correlation": 0.00576, "acceptance rate": 0.00311,
                 "acceptance rate at step 0.5": 0.00792, "lag-1 autocorrelation": 0.0188},
    "regression": {"mean of b0": 0.00537, "mean of b1": 0.00721, "sd of b0": 0.00743,
                   "sd of b1": 0.00412, "correlation": 0.01529},
    # The banana is judged by quantile-type statistics: moments of theta2 have heavy right tails
    # across runs (a rare long excursion up one arm; 5-sd tolerances on the sd of theta2 failed the
    # reference 5 times in 8,372 runs), these are near-normal (|z| <= 3.95 over 7,624 runs).
    "banana": {"mean of theta1": 0.0156, "share of draws with |theta1| > 1": 0.0081,
               "median of theta2": 0.0177, "interquartile range of theta2": 0.0225},
}
K = 5.0

# theta ~ N(M, C): sds 1 and 3, correlation 0.9.
M, C = np.array([1.0, -2.0]), np.array([[1.0, 2.7], [2.7, 9.0]])
# The banana: theta1 ~ N(0, 1), theta2 | theta1 ~ N(theta1^2 / 2, 1). Exact values by quadrature.
BANANA = {"mean of theta1": 0.0, "share of draws with |theta1| > 1": 0.3173,
          "median of theta2": 0.4296, "interquartile range of theta2": 1.5486}


def gauss():
    """log N(q | M, C) up to a constant, and its gradient."""
    P = np.linalg.inv(C)
    return (lambda q: float(-0.5 * (q - M) @ P @ (q - M))), (lambda q: -P @ (q - M))


def banana():
    """The banana's log density (up to a constant) and its gradient: E theta2 = 0.5, sd sqrt(1.5)."""
    def log_post(q):
        return float(-0.5 * q[0] ** 2 - 0.5 * (q[1] - 0.5 * q[0] ** 2) ** 2)

    def grad(q):
        r = q[1] - 0.5 * q[0] ** 2
        return np.array([-q[0] + q[0] * r, -r])

    return log_post, grad


def standard():
    """N(0, I): log density and gradient."""
    return (lambda q: -0.5 * float(q @ q)), (lambda q: -np.asarray(q, dtype=float))


def regression(seed):
    """The conjugate regression posterior of 40 points y = 0.5 - x + N(0, 2^2), priors N(0, 5^2):
    (log_post, grad, mean, cov). Its sds are about 0.3 and 0.15 (not 1)."""
    x = np.linspace(-1.0, 3.0, 40)
    y = 0.5 - 1.0 * x + 2.0 * np.random.default_rng(seed).standard_normal(40)
    X = np.column_stack([np.ones(40), x])
    prec = X.T @ X / 4.0 + np.diag([1 / 25.0, 1 / 25.0])
    cov = np.linalg.inv(prec)
    mean = cov @ X.T @ y / 4.0
    return (lambda b: float(-0.5 * (b - mean) @ prec @ (b - mean))), (lambda b: -prec @ (b - mean)), mean, cov


def reference_leapfrog(q, p, grad, h, n):
    """The grader's own leapfrog (half step, whole steps with merged half steps, half step)."""
    q, p = np.array(q, dtype=float), np.array(p, dtype=float)
    p = p + 0.5 * h * grad(q)
    for i in range(n):
        q = q + h * p
        if i < n - 1:
            p = p + h * grad(q)
    return q, p + 0.5 * h * grad(q)


def moves(samples, start):
    """How many rows differ from the row before them (row 0 from the start): the accepted moves."""
    prev = np.vstack([np.asarray(start, dtype=float)[None, :], samples[:-1]])
    return int((samples != prev).any(axis=1).sum())


# --- leapfrog: the exact map ----------------------------------------------------------------------

def leapfrog_cases():
    """(name, grad, step, n_steps): a Gaussian with sds 1 and 3 (1 and 7 steps), the banana (15)."""
    g, gb = gauss()[1], banana()[1]
    return (("g1", g, 0.2, 1), ("g7", g, 0.2, 7), ("b15", gb, 0.15, 15))


def leapfrog_start(seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(2), rng.standard_normal(2)


def leapfrog_exact_probe(ns, seed):
    def body(leapfrog):
        q0, p0 = leapfrog_start(seed)
        out = {"seed": seed}
        for name, grad, h, n in leapfrog_cases():
            q, p = leapfrog(q0.copy(), p0.copy(), grad, h, n)
            out[name] = np.concatenate([np.array(q, dtype=float).reshape(-1), np.array(p, dtype=float).reshape(-1)])
        return out
    return probe(ns, ["leapfrog"], body)


@teaching
def leapfrog_exact_check(r):
    if r.get("error"):
        return r["error"]
    q0, p0 = leapfrog_start(r["seed"])
    for name, grad, h, n in leapfrog_cases():
        want, got = np.concatenate(reference_leapfrog(q0, p0, grad, h, n)), r[name].reshape(-1)
        # Deterministic: merged or separate half steps agree to rounding (~1e-14).
        if got.shape != (4,) or not abs(got - want).max() <= 1e-9 * (1 + abs(want).max()):
            return (f"`leapfrog`: {n} step(s) of {h} gave q={got[:2].round(6).tolist()}, "
                    f"p={got[2:].round(6).tolist()}, expected q={want[:2].round(6).tolist()}, "
                    f"p={want[2:].round(6).tolist()}: half momentum step, whole position step, half "
                    "momentum step (not Euler), with p += step * grad_log_post, and return p as "
                    "integrated (not negated)")
    return None


# --- leapfrog: reversible, second order -----------------------------------------------------------

def leapfrog_properties_probe(ns, seed):
    def body(leapfrog):
        lp, gb = banana()
        rng = np.random.default_rng(seed)
        q0, p0 = np.array([0.8, 0.9]) + 0.1 * rng.standard_normal(2), np.array([0.6, -0.4])
        q1, p1 = leapfrog(q0.copy(), p0.copy(), gb, 0.1, 30)
        q2, p2 = leapfrog(np.array(q1, dtype=float), -np.array(p1, dtype=float), gb, 0.1, 30)
        errors = []
        h0 = -lp(q0) + 0.5 * p0 @ p0
        for h in (0.1, 0.05, 0.025):
            worst = 0.0  # the largest energy error at 12 checkpoints along a trajectory of length 3
            for t in range(1, 13):
                q, p = leapfrog(q0.copy(), p0.copy(), gb, h, int(round(0.25 * t / h)))
                q, p = np.array(q, dtype=float), np.array(p, dtype=float)
                worst = max(worst, abs(-lp(q) + 0.5 * p @ p - h0))
            errors.append(worst)
        return {"back_q": np.array(q2, dtype=float) - q0, "back_p": -np.array(p2, dtype=float) - p0,
                "errors": np.array(errors)}
    return probe(ns, ["leapfrog"], body)


@teaching
def leapfrog_properties_check(r):
    if r.get("error"):
        return r["error"]
    if not (abs(r["back_q"]).max() <= 1e-8 and abs(r["back_p"]).max() <= 1e-8):
        return ("`leapfrog`: integrating forward, flipping the momentum and integrating back did not return "
                f"to the start (off by {abs(r['back_q']).max():.2e} in q): leapfrog is exactly reversible, "
                "Euler is not")
    e = r["errors"]
    ratios = e[:-1] / e[1:]
    # Leapfrog's energy error is O(step^2): halving the step divides its maximum along the trajectory
    # by ~4. Over 1,000 starting points the reference gives ratios in [3.88, 4.22]; Euler gives 2.1-2.4
    # and a missing half step 2.0. Deterministic, so [3.5, 4.6] only absorbs the spread of starts.
    if not ((3.5 <= ratios) & (ratios <= 4.6)).all():
        return (f"`leapfrog`: energy errors {e.round(7).tolist()} for steps 0.1, 0.05, 0.025 (ratios "
                f"{ratios.round(2).tolist()}), expected ratios near 4: a second-order integrator needs "
                "the two half steps in momentum")
    return None


# --- hmc on a correlated Gaussian (sds 1 and 3) and on N(0, 1) -----------------------------------

def hmc_gaussian_probe(ns, seed):
    def body(hmc):
        lp, g = gauss()
        rng = np.random.default_rng
        s, rate = hmc(lp, g, M.copy(), 3000, 0.25, 8, rng([seed, 1]))
        _, rate2 = hmc(lp, g, M.copy(), 2000, 0.5, 6, rng([seed, 6]))
        s3, _ = hmc(*standard(), np.zeros(1), 2000, 0.25, 4, rng([seed, 7]))
        return {"seed": seed, "samples": np.array(s, dtype=float), "rate": float(rate),
                "rate2": float(rate2), "standard": np.array(s3, dtype=float).reshape(-1)}
    return probe(ns, ["hmc"], body)


def hmc_gaussian_stats(r):
    """Moments of 3,000 draws (step 0.25, 8 leapfrog steps) of N(M, C); acceptance rates at steps
    0.25 and 0.5; the lag-1 autocorrelation of 2,000 draws of N(0, 1) at step 0.25 with 4 leapfrog
    steps, a turn of about 1 radian per iteration, hence near cos(1) (0.535 over 12,000 runs; 3 or 5
    leapfrog steps give 0.727 or 0.311)."""
    s, z, sd = r["samples"], r["standard"], SD["gaussian"]
    moments = ("keep the current state when a proposal is rejected, and draw a fresh momentum every "
               "iteration")
    spread = ("the energy must include the kinetic term p.p/2 at both ends, and the momentum must be "
              "N(0, I) (sd 1, whatever the target's scale)")
    stats = [Stat("`hmc` on a Gaussian: the mean of theta1", s[:, 0].mean(), M[0], sd["mean of theta1"], K, moments),
             Stat("`hmc` on a Gaussian: the mean of theta2", s[:, 1].mean(), M[1], sd["mean of theta2"], K, moments),
             Stat("`hmc` on a Gaussian: the sd of theta1", s[:, 0].std(), 1.0, sd["sd of theta1"], K, spread),
             Stat("`hmc` on a Gaussian: the sd of theta2", s[:, 1].std(), 3.0, sd["sd of theta2"], K, spread),
             Stat("`hmc` on a Gaussian: the correlation", np.corrcoef(s.T)[0, 1], 0.9, sd["correlation"], K,
                  moments),
             Stat("`hmc`: the acceptance rate at step 0.25 with 8 leapfrog steps", r["rate"], 0.9705,
                  sd["acceptance rate"], K, "accept with probability min(1, exp(H_old - H_new))"),
             Stat("`hmc`: the acceptance rate at step 0.5 with 6 leapfrog steps", r["rate2"], 0.8614,
                  sd["acceptance rate at step 0.5"], K,
                  "the probability is min(1, exp(H_old - H_new)), with H = -log_post + p.p/2 at both ends"),
             Stat("`hmc` on N(0, 1) at step 0.25 with 4 leapfrog steps: the lag-1 autocorrelation",
                  np.corrcoef(z[:-1], z[1:])[0, 1], 0.5350, sd["lag-1 autocorrelation"], K,
                  "each iteration must integrate exactly n_leapfrog steps of step_size, from the current "
                  "state with a fresh N(0, 1) momentum")]
    return stats


@teaching
def hmc_gaussian_check(r):
    if r.get("error"):
        return r["error"]
    if r["samples"].shape != (3000, 2) or r["standard"].shape != (2000,):
        return (f"`hmc` returned samples of shape {r['samples'].shape} for 3000 iterations in 2 dimensions, "
                "expected (n_steps, d) = (3000, 2)")
    return stats_problem(hmc_gaussian_stats(r))


# --- hmc on the regression posterior (sds ~0.3, 0.15) and the banana ----------------------------

def hmc_regression_banana_probe(ns, seed):
    def body(hmc):
        lp, g, mean, _ = regression(seed)
        s1, _ = hmc(lp, g, mean.copy(), 3000, 0.1, 10, np.random.default_rng([seed, 2]))
        s2, _ = hmc(*banana(), np.array([0.0, 0.5]), 8000, 0.3, 6, np.random.default_rng([seed, 3]))
        return {"seed": seed, "reg": np.array(s1, dtype=float), "banana": np.array(s2, dtype=float)}
    return probe(ns, ["hmc"], body)


def hmc_regression_banana_stats(r):
    """Moments of 3,000 draws (step 0.1, 10 leapfrog steps) of the regression posterior, against the
    exact conjugate posterior of the cell's data; quantile-type statistics of 8,000 draws (step 0.3, 6
    leapfrog steps) of the banana."""
    _, _, mean, cov = regression(r["seed"])
    s, b, sd, sb = r["reg"], r["banana"], SD["regression"], SD["banana"]
    sds = np.sqrt(np.diag(cov))
    sign = "is the gradient used with the right sign (p += step * grad_log_post)?"
    stats = [Stat(f"`hmc` on the regression posterior: the mean of b{k}", s[:, k].mean(), mean[k],
                  sd[f"mean of b{k}"], K, "keep the current state when a proposal is rejected") for k in (0, 1)]
    stats += [Stat(f"`hmc` on the regression posterior: the sd of b{k}", s[:, k].std(), sds[k],
                   sd[f"sd of b{k}"], K, sign) for k in (0, 1)]
    stats.append(Stat("`hmc` on the regression posterior: the correlation", np.corrcoef(s.T)[0, 1],
                      cov[0, 1] / (sds[0] * sds[1]), sd["correlation"], K, ""))
    t1, t2 = b[:, 0], b[:, 1]
    q25, q50, q75 = np.percentile(t2, [25, 50, 75])
    got = {"mean of theta1": t1.mean(), "share of draws with |theta1| > 1": np.mean(np.abs(t1) > 1.0),
           "median of theta2": q50, "interquartile range of theta2": q75 - q25}
    curved = "a sampler must follow the curved shape (a Gaussian approximation puts the median at 0)"
    stats += [Stat(f"`hmc` on the banana: the {name}", got[name], BANANA[name], sb[name], K,
                   curved if name == "median of theta2" else "") for name in BANANA]
    return stats


@teaching
def hmc_regression_banana_check(r):
    if r.get("error"):
        return r["error"]
    if r["reg"].shape != (3000, 2) or r["banana"].shape != (8000, 2):
        return (f"`hmc` returned samples of shapes {r['reg'].shape} and {r['banana'].shape}, expected "
                "(n_steps, d) = (3000, 2) and (8000, 2)")
    return stats_problem(hmc_regression_banana_stats(r))


# --- hmc's books: exact at small n, gradients per iteration, theta0 untouched --------------------

N_SHORT, SHORT_CHAINS = 7, 20  # 20 chains of 7 iterations: acceptance ~0.8 at step 0.6, 5 steps


def hmc_bookkeeping_probe(ns, seed):
    def body(hmc):
        lp, g = gauss()
        calls = {"lp": 0, "g": 0}

        def clp(q):
            calls["lp"] += 1
            return lp(q)

        def cg(q):
            calls["g"] += 1
            return g(q)

        theta0 = M + 0.2
        keep = theta0.copy()
        s, rate = hmc(clp, cg, theta0, 400, 0.6, 5, np.random.default_rng([seed, 4]))
        out = {"seed": seed, "samples": np.array(s, dtype=float), "rate": float(rate), "lp": calls["lp"],
               "g": calls["g"], "theta0": np.array(theta0, dtype=float), "start": keep}
        first = [np.array(hmc(lp, g, keep.copy(), 1, 0.25, 8, np.random.default_rng([seed, 5, k]))[0],
                          dtype=float) for k in range(10)]
        out["first"] = np.array([f.reshape(-1)[:2] for f in first])
        short = [hmc(lp, g, keep.copy(), N_SHORT, 0.6, 5, np.random.default_rng([seed, 8, k]))
                 for k in range(SHORT_CHAINS)]
        chains = [np.array(c, dtype=float) for c, _ in short]
        out["short_shapes"] = [list(c.shape) for c in chains]
        out["short"] = np.array([c.reshape(-1) if c.shape == (N_SHORT, 2) else np.full(2 * N_SHORT, np.nan)
                                 for c in chains])
        out["short_rates"] = np.array([float(a) for _, a in short])
        return out
    return probe(ns, ["hmc"], body)


@teaching
def hmc_bookkeeping_check(r):
    if r.get("error"):
        return r["error"]
    s, start = r["samples"], r["start"]
    if s.shape != (400, 2):
        return f"`hmc` returned samples of shape {s.shape}, expected (n_steps, d) = (400, 2)"
    if (r["theta0"] != start).any():
        return "`hmc` changed theta0 in place: start from a copy, np.array(theta0, dtype=float)"
    bad = [tuple(sh) for sh in r["short_shapes"] if tuple(sh) != (N_SHORT, 2)]
    if bad:
        return (f"`hmc` with n_steps = {N_SHORT} in 2 dimensions returned samples of shape {bad[0]}, "
                f"expected ({N_SHORT}, 2): one row per iteration (the start is not a row)")
    # Exact books: acceptance_rate * n_steps is the number of moves to rounding error (~1e-13), at
    # n = 400 and on 20 chains of n = 7, where an off-by-one in the count or the denominator is off
    # by a tenth of a move or more (at n = 400 it could hide behind rounding to a whole move).
    chains = [(s, r["rate"], 400)] + [(c.reshape(N_SHORT, 2), a, N_SHORT)
                                      for c, a in zip(r["short"], r["short_rates"])]
    for chain, rate, n in chains:
        moved = moves(chain, start)
        if not abs(rate * n - moved) <= 1e-9:
            return (f"`hmc` with n_steps = {n}: acceptance_rate * n_steps = {rate * n:.4f} but the chain "
                    f"moved {moved} times: count every accepted proposal (the first iteration's too) and "
                    "divide by n_steps exactly; on a rejection repeat the current state")
    moved = moves(s, start)
    if not 0 < moved < 400:
        return f"`hmc`: the chain moved {moved} times in 400 iterations at step 0.6: expected some rejections"
    # n_leapfrog gradients per iteration when the current one is cached, n_leapfrog + 1 with merged
    # half steps, 2 n_leapfrog with separate ones (all correct): 5 to 11 here, plus a few at the start.
    if not 400 * 5 <= r["g"] <= 400 * 11 + 5:
        return (f"`hmc`: grad_log_post was called {r['g']} times for 400 iterations of 5 leapfrog steps: "
                "expected 5-11 per iteration (is the trajectory really integrated with n_leapfrog steps?)")
    if r["lp"] < 400:
        return f"`hmc`: log_post was called {r['lp']} times: the accept test needs it every iteration"
    # A one-step chain accepts with probability ~0.97: 10 chains all staying put has probability < 1e-15.
    if not any((f != start).any() for f in r["first"]):
        return "`hmc`: in one-step chains the only row was always theta0: row i is the state AFTER iteration i"
    return None
