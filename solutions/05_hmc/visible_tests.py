"""Visible tests of exercise 05: read them, they say what your integrator and sampler must do.

Each ``*_probe(ns, seed)`` calls your functions (from the notebook's namespace ``ns``) on small
inputs and returns plain numbers; each ``*_check(r)`` returns ``None`` when all is well, else a
message that names the function and the likely cause. A statistical check judges each statistic
within K = 5 of its standard errors (its sd across runs of a correct sampler, declared in ``SD``
below); its message says how many standard errors your value is away. The grader runs the same
probes and checks from its own copy of this file; its hidden tests are different and stricter.
"""

import numpy as np
from visible_harness import Stat, probe, stats_problem, teaching

# log N(q | 0, diag(1, 0.25)): its gradient is -q / (1, 0.25).
SCALES2 = np.array([1.0, 0.25])
Q0, P0 = (1.0, 0.5), (-0.3, 0.8)
# The leapfrog map from (Q0, P0) with step 0.2 (half step in p, whole step in q, half step in p;
# inner half steps merged), worked out once in exact arithmetic and rounded to doubles.
EXPECTED = {1: ([0.92, 0.62], [-0.492, 0.352]),
            3: ([0.654272, 0.559072], [-0.8100672, -0.6322688])}
# The HMC study: N(0, 1), step 2 sin(pi/16) and 4 leapfrog steps make a quarter turn of the
# oscillator per iteration, so successive draws are nearly independent (lag-1 autocorrelation ~0);
# one leapfrog step too many or too few turns by 5/16 or 3/16 of a period (autocorrelation -/+0.38).
STEP, N_LEAPFROG, N_ITER = 2 * np.sin(np.pi / 16), 4, 2000
# The standard errors of the statistics hmc_check judges: sds across 20,000 runs of a correct hmc
# (quarter turn: 2,000 iterations; large step 1.8 with 1 leapfrog step: 1,000 iterations), the
# expected values beside them. 6 statistics at K = 5 sds: about 6 x 5.7e-7 false fails per run.
SD = {"the acceptance rate": 0.0025, "the mean": 0.023, "the sd": 0.016,
      "the lag-1 autocorrelation": 0.023, "the acceptance rate at step 1.8": 0.016,
      "the sd at step 1.8": 0.038}
EXPECTED_STATS = {"the acceptance rate": 0.988, "the mean": 0.0, "the sd": 1.0,
                  "the lag-1 autocorrelation": 0.005, "the acceptance rate at step 1.8": 0.599,
                  "the sd at step 1.8": 1.0}
K = 5.0


def leapfrog_probe(ns, seed):
    def body(leapfrog):
        grad = lambda q: -np.asarray(q, dtype=float) / SCALES2  # noqa: E731
        out = {}
        for n in (1, 3):
            q0, p0 = np.array(Q0), np.array(P0)
            q, p = leapfrog(q0, p0, grad, 0.2, n)
            out[f"q{n}"], out[f"p{n}"] = np.array(q, dtype=float), np.array(p, dtype=float)
            out[f"same{n}"] = bool((q0 == np.array(Q0)).all() and (p0 == np.array(P0)).all())
        return out
    return probe(ns, ["leapfrog"], body)


@teaching
def leapfrog_check(r):
    if r.get("error"):
        return r["error"]
    for n in (1, 3):
        q, p = r[f"q{n}"], r[f"p{n}"]
        if q.shape != (2,) or p.shape != (2,):
            return f"`leapfrog` must return (q_new, p_new), each of q's shape (2,); got {q.shape}, {p.shape}"
        if not r[f"same{n}"]:
            return "`leapfrog` modified q or p in place: copy them before updating"
    for n in (1, 3):
        q, p = r[f"q{n}"], r[f"p{n}"]
        eq, ep = (np.array(v) for v in EXPECTED[n])
        if np.abs(q - eq).max() > 1e-9 or np.abs(p - ep).max() > 1e-9:
            hint = ("is p returned as integrated (not negated)? does p move along +grad_log_post? is "
                    "the last half step in p (after the last position step) there? is it leapfrog, not "
                    "Euler (p half step, q whole step, p half step)?")
            if n == 3:
                hint = ("one step was right, three are not: do you take exactly n_steps position steps, "
                        "and between two of them a whole momentum step (two merged half steps)?")
            return (f"`leapfrog` with {n} step(s) of 0.2 from q={list(Q0)}, p={list(P0)} on "
                    f"N(0, diag(1, 0.25)) gave q={np.round(q, 6).tolist()}, p={np.round(p, 6).tolist()}, "
                    f"expected q={eq.tolist()}, p={ep.tolist()} (± 1e-9): {hint}")
    return None


def hmc_probe(ns, seed):
    def body(hmc):
        lp, grad = (lambda q: -0.5 * float(q @ q)), (lambda q: -np.asarray(q, dtype=float))
        rng = np.random.default_rng
        theta0 = np.zeros(1)
        a, rate = hmc(lp, grad, theta0, N_ITER, STEP, N_LEAPFROG, rng(seed))
        b, _ = hmc(lp, grad, np.zeros(1), N_ITER, STEP, N_LEAPFROG, rng(seed))
        c, _ = hmc(lp, grad, np.zeros(1), N_ITER, STEP, N_LEAPFROG, rng(seed + 1))
        d, d_rate = hmc(lp, grad, np.zeros(1), 1000, 1.8, 1, rng(seed + 2))
        return {"a": np.array(a, dtype=float), "b": np.array(b, dtype=float),
                "d": np.array(d, dtype=float), "d_rate": float(d_rate),
                "c": np.array(c, dtype=float), "rate": float(rate),
                "theta0": np.array(theta0, dtype=float)}
    return probe(ns, ["hmc"], body)


def hmc_stats(r):
    """The statistics hmc_check judges: on N(0, 1) at the quarter turn (2,000 iterations), the
    acceptance rate, the chain's mean, sd and lag-1 autocorrelation; with step 1.8 and 1 leapfrog
    step (1,000 iterations, large energy errors), the acceptance rate and the sd."""
    x, d = r["a"][:, 0], r["d"].reshape(-1)
    c = x - x.mean()
    value = {"the acceptance rate": r["rate"], "the mean": x.mean(), "the sd": x.std(),
             "the lag-1 autocorrelation": float((c[:-1] @ c[1:]) / (c @ c)),
             "the acceptance rate at step 1.8": r["d_rate"], "the sd at step 1.8": d.std()}
    energy = ("accept when log(u) < H(current) - H(proposal), with H = -log_post(q) + p.p/2 evaluated "
              "with the momentum drawn fresh, N(0, 1), at this iteration and the log_post of the "
              "current state (leapfrog nearly conserves H)")
    moments = ("draw a fresh momentum N(0, I) every iteration, include the kinetic energy p.p/2 in H, "
               "and keep the current state on a rejection")
    hint = {"the acceptance rate": energy, "the mean": moments, "the sd": moments,
            "the lag-1 autocorrelation": (
                f"with this step size, {N_LEAPFROG} leapfrog steps make a quarter turn and successive "
                "draws are nearly independent; a trajectory one step too long or short gives about "
                "-0.38 or +0.38. Call leapfrog with n_steps = n_leapfrog"),
            "the acceptance rate at step 1.8": (
                "large steps make large energy errors, which the Metropolis test must punish: accept "
                "when log(u) < H(current) - H(proposal) with H = -log_post(q) + p.p/2 (is the sign of "
                "that difference reversed?)")}
    hint["the sd at step 1.8"] = hint["the acceptance rate at step 1.8"]
    where = {k: "on N(0, 1) with step 1.8 and 1 leapfrog step" if k.endswith("1.8")
             else f"on N(0, 1) with step {STEP:.4f} and {N_LEAPFROG} leapfrog steps" for k in SD}
    return [Stat(f"`hmc` {where[k]}: {k.replace(' at step 1.8', '')}", value[k], EXPECTED_STATS[k],
                 SD[k], K, hint[k]) for k in SD]


@teaching
def hmc_check(r):
    if r.get("error"):
        return r["error"]
    a, rate = r["a"], r["rate"]
    if a.shape != (N_ITER, 1):
        return f"`hmc` returned samples of shape {a.shape}, expected (n_steps, d) = ({N_ITER}, 1)"
    if not np.isfinite(a).all():
        return "`hmc` returned samples that are not finite numbers"
    if not (a == r["b"]).all():
        return "`hmc`: the same generator state gave different chains: draw only from `rng`"
    if (a == r["c"]).all():
        return "`hmc`: different generators gave the same chain: draw the momentum from `rng`"
    if (r["theta0"] != 0).any():
        return "`hmc` changed theta0 in place: start from a copy, np.array(theta0, dtype=float)"
    moved = (a[:, 0] != np.r_[0.0, a[:-1, 0]]).sum()
    # Exact books (rounding error ~1e-13), never rounded to a whole move: an off-by-one in the count
    # or the denominator changes acceptance_rate * n_steps by about one move, or by a fraction of one.
    if not abs(rate * N_ITER - moved) <= 1e-9:
        return (f"`hmc`: acceptance_rate * n_steps = {rate * N_ITER:.4f} but the chain moved {moved} "
                "times: count every accepted proposal (the first iteration's too), divide by n_steps "
                "exactly, and on a rejection repeat q")
    if r["d"].shape != (1000, 1):
        return f"`hmc` returned samples of shape {r['d'].shape}, expected (n_steps, d) = (1000, 1)"
    return stats_problem(hmc_stats(r))
