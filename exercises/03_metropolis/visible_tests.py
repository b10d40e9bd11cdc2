"""Visible tests of exercise 03: read them, they say what your samplers must do.

Each ``*_probe(ns, seed)`` calls your functions (from the notebook's namespace ``ns``) on small
inputs and returns plain numbers; each ``*_check(r)`` returns ``None`` when all is well, else a
message that names the function and the likely cause. Tolerances are 5 standard deviations of
each statistic across 20,000 runs of a correct sampler (benchmarks/visible_tolerances.py), so a
correct answer fails with probability below 1e-6 per statistic. The grader runs the same probes
and checks from its own copy of this file; its hidden tests are different and stricter.
"""

import numpy as np
from visible_harness import probe, teaching


def std_normal(t):
    """log N(t | 0, I) up to a constant."""
    t = np.asarray(t, dtype=float)
    return -0.5 * float(t @ t)


def _bookkeeping(s, start, rate, name):
    """None, or what is wrong with the chain ``s`` (n, d) started at ``start`` and its ``rate``."""
    prev = np.vstack([start[None, :], s[:-1]])
    moved = (s != prev).any(axis=1)
    if ((s != prev).any(axis=1) & (s == prev).any(axis=1)).any():
        return (f"`{name}`: some steps changed one coordinate but not the other: propose all "
                "coordinates together, and on a rejection store the current state unchanged")
    if len({tuple(row) for row in s}) > moved.sum() + 1:
        return (f"`{name}`: after a rejection a row must repeat the current state exactly, but "
                "rows that are not moves differ from the row before: on a rejection, do you store "
                "the proposal instead of the current state?")
    if len({tuple(row) for row in s}) < moved.sum() + (0 if moved[0] else 1):
        return (f"`{name}`: rows that should differ are equal: did all rows end up as one array "
                "that was modified later? Store a copy of theta in each row")
    if round(rate * len(s)) < moved.sum():
        return (f"`{name}`: the rows changed on {moved.sum()} of {len(s)} steps, but only "
                f"{rate * len(s):.0f} proposals were accepted (acceptance_rate * n_steps): on a rejection "
                "a row must repeat the current state. Do you store the proposal instead?")
    if round(rate * len(s)) > moved.sum():
        return (f"`{name}`: acceptance_rate * n_steps = {rate * len(s):.1f}, but the chain moved only "
                f"{moved.sum()} times: count accepted proposals and divide by n_steps, and store the "
                "accepted state in its row")
    return None


def metropolis_probe(ns, seed):
    def body(metropolis):
        rng = np.random.default_rng
        a, rate = metropolis(std_normal, np.zeros(1), 4000, 2.4, rng(seed))
        b, _ = metropolis(std_normal, np.zeros(1), 4000, 2.4, rng(seed))
        c, _ = metropolis(std_normal, np.zeros(1), 4000, 2.4, rng(seed + 1))
        theta0 = np.array([0.5, -0.5])
        d, d_rate = metropolis(std_normal, theta0, 500, 1.0, rng(seed + 2))
        firsts = [np.asarray(metropolis(std_normal, np.array([0.5, -0.5]), 1, 1.0, rng([seed, k]))[0],
                             dtype=float) for k in range(40)]
        return {"a": np.array(a, dtype=float), "b": np.array(b, dtype=float),
                "c": np.array(c, dtype=float), "rate": float(rate), "d": np.array(d, dtype=float),
                "d_rate": float(d_rate), "theta0": np.array(theta0, dtype=float), "firsts": firsts}
    return probe(ns, ["metropolis"], body)


@teaching
def metropolis_check(r):
    if r.get("error"):
        return r["error"]
    a, d = r["a"], r["d"]
    if a.shape != (4000, 1) or d.shape != (500, 2):
        return (f"`metropolis` returned samples of shape {a.shape} for n_steps=4000, d=1 and {d.shape} "
                "for n_steps=500, d=2: expected (n_steps, d), one row per step (the start is not a row)")
    if not np.isfinite(a).all():
        return "`metropolis` returned samples that are not finite numbers"
    if not (a == r["b"]).all():
        return "`metropolis`: the same generator state gave different chains: draw only from `rng`"
    if (a == r["c"]).all():
        return "`metropolis`: different generators gave the same chain: draw every random number from `rng`"
    if not (r["theta0"] == np.array([0.5, -0.5])).all():
        return "`metropolis` changed theta0 in place: start from a copy, np.array(theta0, dtype=float)"
    problem = _bookkeeping(d, np.array([0.5, -0.5]), r["d_rate"], "metropolis")
    if problem:
        return problem
    firsts = [np.asarray(f).reshape(-1, 2) for f in r["firsts"]]
    if any(f.shape != (1, 2) for f in firsts):
        return "`metropolis` with n_steps=1 must return exactly one row"
    # Each one-step chain moves with probability ~0.5: 40 that all stay put has probability ~1e-12.
    if all((f[0] == np.array([0.5, -0.5])).all() for f in firsts):
        return ("`metropolis`: in 40 one-step chains the only row was always theta0: row i is the state "
                "AFTER step i, so the start is not a row")
    x, rate = a[:, 0], r["rate"]
    # N(0, 1), proposal_sd 2.4, 4,000 steps: exact acceptance (2/pi) atan(2/2.4) = 0.442; across
    # 20,000 runs sd 0.0080 (rate), 0.033 (mean), 0.024 (sd), 0.017 (lag-1); tolerances 5 sds.
    if abs(rate - 0.442) > 0.040:
        return (f"`metropolis`: acceptance rate {rate:.3f} on N(0, 1) with proposal_sd=2.4, expected "
                "0.442 ± 0.040: accept when log(u) < log_post(proposal) - log_post(current) (not the "
                "other way round), use proposal_sd as a standard deviation, and divide the number "
                "of accepted proposals by n_steps")
    if abs(x.mean()) > 0.17 or abs(x.std() - 1.0) > 0.12:
        return (f"`metropolis`: on N(0, 1) the chain's mean is {x.mean():.3f} and its sd "
                f"{x.std():.3f}, expected 0.00 ± 0.17 and 1.00 ± 0.12: on a rejection keep the "
                "current state AND its log density; compare log(u) with the log-density difference")
    c = x - x.mean()
    lag1 = float((c[:-1] @ c[1:]) / (c @ c))
    if abs(lag1 - 0.627) > 0.085:
        return (f"`metropolis`: lag-1 autocorrelation {lag1:.3f} on N(0, 1), expected 0.627 ± 0.085 "
                "for a random walk with proposal_sd 2.4: propose from the CURRENT state, "
                "theta + proposal_sd * rng.standard_normal(d), not independently of it")
    return None


def mh_probe(ns, seed):
    # An asymmetric proposal: N(theta + 0.5, 1) on the target N(0, 1). log_q(a, b) = log q(a | b).
    def propose(t, rng):
        return t + 0.5 + rng.standard_normal(t.shape)

    def log_q(a, b):
        return float(-0.5 * np.sum((np.asarray(a) - np.asarray(b) - 0.5) ** 2))

    def body(mh):
        rng = np.random.default_rng
        a, rate = mh(std_normal, np.zeros(1), 4000, propose, log_q, rng(seed))
        b, _ = mh(std_normal, np.zeros(1), 4000, propose, log_q, rng(seed))
        return {"a": np.array(a, dtype=float), "b": np.array(b, dtype=float), "rate": float(rate)}
    return probe(ns, ["metropolis_hastings"], body)


@teaching
def mh_check(r):
    if r.get("error"):
        return r["error"]
    a = r["a"]
    if a.shape != (4000, 1):
        return (f"`metropolis_hastings` returned samples of shape {a.shape}, expected (n_steps, d) = "
                "(4000, 1)")
    if not (a == r["b"]).all():
        return "`metropolis_hastings`: the same generator state gave different chains: draw only from `rng`"
    problem = _bookkeeping(a, np.zeros(1), r["rate"], "metropolis_hastings")
    if problem:
        return problem
    x = a[:, 0]
    # Drifted proposal on N(0, 1), 4,000 steps: across 20,000 runs sd 0.058 (mean), 0.033 (sd),
    # 0.0097 (rate 0.566); tolerances 5 sds.
    if abs(x.mean()) > 0.29 or abs(x.std() - 1.0) > 0.165:
        return (f"`metropolis_hastings`: with the asymmetric proposal N(theta + 0.5, 1) on N(0, 1) the "
                f"chain's mean is {x.mean():.2f} and its sd {x.std():.2f}, expected 0.00 ± 0.29 and "
                "1.00 ± 0.17: the Hastings correction must be + log_q(theta, proposal) - "
                "log_q(proposal, theta) (the proposal's density of coming back, minus of going)")
    if abs(r["rate"] - 0.566) > 0.048:
        return (f"`metropolis_hastings`: acceptance rate {r['rate']:.3f}, expected 0.566 ± 0.048 with "
                "this proposal: check the Hastings correction and count accepted proposals / n_steps")
    return None
