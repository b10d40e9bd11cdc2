"""Visible tests of exercise 03: read them, they say what your samplers must do.

Each ``*_probe(ns, seed)`` calls your functions (from the notebook's namespace ``ns``) on small
inputs and returns plain numbers; each ``*_check(r)`` returns ``None`` when all is well, else a
message that names the function and the likely cause. Exact things are checked exactly (shapes,
reproducibility, the bookkeeping of moves and acceptance rate); each statistic (``*_stats``) is
compared with the reference within K = 5 of its standard errors, declared in ``SD`` below, so a
correct answer fails with probability below 1e-6 per statistic. The grader runs the same probes
and checks from its own copy of this file; its hidden tests are different and stricter.
"""

import numpy as np
from visible_harness import Stat, probe, stats_problem, teaching


# Standard errors: the sd of each statistic across 20,000 independent runs of the reference kernel
# (vectorised; checked against these very probes with `course calibrate 03_metropolis`), rounded up.
# metropolis: N(0, 1) from 0, proposal_sd 2.4, 4,000 steps; metropolis_hastings: N(0, 1) from 0,
# proposal N(theta + 0.5, 1), 4,000 steps. Measured: metropolis 0.00799 (0.0081 and 0.0079 in two
# more studies of 4,000 runs; 0.0088 over 300 runs of this probe), 0.03323, 0.02376, 0.01685;
# metropolis_hastings 0.05816, 0.03300, 0.00965. The expected values: exact for the moments; the
# random walk's acceptance rate is (2 / pi) atan(2 / 2.4) = 0.442; the others the means over the runs.
SD = {"metropolis": {"acceptance rate": 0.0082, "mean": 0.0335, "sd": 0.024, "lag-1 autocorrelation": 0.017},
      "mh": {"mean": 0.059, "sd": 0.0335, "acceptance rate": 0.0097}}
K = 5  # 7 statistics at 5 sds: 7 x 5.7e-7 = 4e-6 false fails per run under normality
OFFSET = -1000.0  # where a real log posterior lives: exp(log_post) underflows to 0, differences do not


def std_normal(t):
    """log N(t | 0, I) up to a constant (OFFSET: compare log densities by their differences)."""
    t = np.asarray(t, dtype=float)
    return -0.5 * float(t @ t) + OFFSET


def half_line(t):
    """N(0, 1) restricted to t > 0: log_post = -inf where t <= 0."""
    return std_normal(t) if t[0] > 0 else -np.inf


def box(t):
    """N(0, I) restricted to the square |t_i| < 1: log_post = -inf outside (where most proposals of
    sd 1 land: a rejected proposal is a step, never drawn again)."""
    return std_normal(t) if np.abs(t).max() < 1 else -np.inf


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
    # Exactly, not after rounding: an off-by-one denominator (n_steps + 1) is less than one count.
    if rate * len(s) < moved.sum() - 1e-9 * len(s):
        return (f"`{name}`: the rows changed on {moved.sum()} of {len(s)} steps, but "
                f"acceptance_rate * n_steps = {rate * len(s):.6g} proposals were accepted: on a rejection "
                "a row must repeat the current state (do you store the proposal instead?), and the "
                "rate is accepted proposals / n_steps")
    if rate * len(s) > moved.sum() + 1e-9 * len(s):
        return (f"`{name}`: acceptance_rate * n_steps = {rate * len(s):.6g}, but the chain moved only "
                f"{moved.sum()} times: count accepted proposals (the start is not one) and divide by "
                "n_steps, and store the accepted state in its row")
    return None


def _stuck(x, name):
    """None, or the message for a chain ``x`` that never moved."""
    if (x != x[0]).any():
        return None
    return (f"`{name}` never moved in {len(x)} steps on a log density near -1,000: compare log(u) "
            "with the difference of log densities; exp(log_post) underflows to 0 there (0 / 0 is nan)")


def _stat(check, key, value, expected, hint, name):
    """The ``Stat`` of ``SD[check][key]``, named as it reads in the message."""
    return Stat(f"`{name}`: the {key} on N(0, 1)", float(value), float(expected), SD[check][key], K, hint)


def metropolis_probe(ns, seed):
    def body(metropolis):
        rng = np.random.default_rng
        a, rate = metropolis(std_normal, np.zeros(1), 4000, 2.4, rng(seed))
        b, _ = metropolis(std_normal, np.zeros(1), 4000, 2.4, rng(seed))
        c, _ = metropolis(std_normal, np.zeros(1), 4000, 2.4, rng(seed + 1))
        theta0 = np.array([0.5, -0.5])
        calls = [0]

        def counted(t):
            calls[0] += 1
            return box(t)

        d, d_rate = metropolis(counted, theta0, 500, 1.0, rng(seed + 2))
        firsts = [np.asarray(metropolis(std_normal, np.array([0.5, -0.5]), 1, 1.0, rng([seed, k]))[0],
                             dtype=float) for k in range(40)]
        return {"a": np.array(a, dtype=float), "b": np.array(b, dtype=float),
                "c": np.array(c, dtype=float), "rate": float(rate), "d": np.array(d, dtype=float),
                "d_rate": float(d_rate), "calls": calls[0], "theta0": np.array(theta0, dtype=float),
                "firsts": firsts}
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
    if not (np.abs(d) < 1).all():
        return (f"`metropolis`: on a target with log_post = -inf outside the square |theta_i| < 1, a row "
                f"is at {np.round(d[np.abs(d).max(axis=1).argmax()], 3)}: such a proposal must be rejected "
                "and the row repeat the current state")
    if r["calls"] > 2 * 500 + 2:
        return (f"`metropolis` called log_post {r['calls']} times for 500 steps: evaluate it once for each "
                "proposal (and keep the current value); a proposal where log_post = -inf is rejected "
                "(that is a step), never drawn again")
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
    return _stuck(a[:, 0], "metropolis") or stats_problem(metropolis_stats(r))


def metropolis_stats(r):
    x = r["a"][:, 0]
    c = x - x.mean()
    moments = ("on a rejection keep the current state AND its log density; compare log(u) with the "
               "log-density difference")
    return [
        _stat("metropolis", "acceptance rate", r["rate"], 0.442,
              "accept when log(u) < log_post(proposal) - log_post(current) (not the other way round), use "
              "proposal_sd as a standard deviation, and divide the number of accepted proposals by n_steps",
              "metropolis"),
        _stat("metropolis", "mean", x.mean(), 0.0, moments, "metropolis"),
        _stat("metropolis", "sd", x.std(), 1.0, moments, "metropolis"),
        _stat("metropolis", "lag-1 autocorrelation", (c[:-1] @ c[1:]) / (c @ c), 0.627,
              "propose from the CURRENT state, theta + proposal_sd * rng.standard_normal(d), not "
              "independently of it", "metropolis"),
    ]


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
        # The same proposal on N(0, 1) restricted to theta > 0 (log_post = -inf elsewhere).
        h, h_rate = mh(half_line, np.full(1, 0.5), 500, propose, log_q, rng(seed + 1))
        return {"a": np.array(a, dtype=float), "b": np.array(b, dtype=float), "rate": float(rate),
                "h": np.array(h, dtype=float), "h_rate": float(h_rate)}
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
    h = r["h"]
    if h.shape != (500, 1):
        return (f"`metropolis_hastings` returned samples of shape {h.shape}, expected (n_steps, d) = "
                "(500, 1)")
    if not (h > 0).all():
        return (f"`metropolis_hastings`: on a target with log_post = -inf where theta <= 0, a row has "
                f"theta = {h.min():.3f}: reject such a proposal: the row repeats the current state")
    problem = _bookkeeping(h, np.full(1, 0.5), r["h_rate"], "metropolis_hastings")
    if problem:
        return problem
    return _stuck(a[:, 0], "metropolis_hastings") or stats_problem(mh_stats(r))


def mh_stats(r):
    x = r["a"][:, 0]
    hastings = ("with the asymmetric proposal N(theta + 0.5, 1) the Hastings correction must be "
                "+ log_q(theta, proposal) - log_q(proposal, theta) (the proposal's density of coming "
                "back, minus of going)")
    return [
        _stat("mh", "mean", x.mean(), 0.0, hastings, "metropolis_hastings"),
        _stat("mh", "sd", x.std(), 1.0, hastings, "metropolis_hastings"),
        _stat("mh", "acceptance rate", r["rate"], 0.566,
              "check the Hastings correction and count accepted proposals / n_steps", "metropolis_hastings"),
    ]
