"""Hidden tests of exercise 03 (the instructor's; never released).

Each hidden test cell of ``03_metropolis.ipynb`` imports one ``*_probe`` / ``*_check`` pair from
here. A probe calls the student's function (from the notebook's namespace) on the grader's targets
with its own generators and returns plain data; a check judges that data: first the exact
conditions (shapes, bookkeeping, support), then the statistics of ``<name>_stats``, each a ``Stat``
whose standard error and tolerance come from the one table ``SD`` / ``K`` below. The regression
posterior the samplers are graded on is defined once, by ``regression_target``.

Every function is tried where its usual shortcut fails:
- log densities: the regression target sits near -1,000 (a log posterior up to a constant, as a real
  one of a few hundred points is), where ``exp(log_post)`` underflows to 0: a sampler that compares
  densities instead of log-density differences never moves;
- bookkeeping: ``acceptance_rate * n_steps`` must equal the number of moves exactly (to 1e-9), at
  3,000, 7 and 1 steps (``metropolis``) and 7 steps (``metropolis_hastings``), where an off-by-one
  denominator is a whole count and cannot hide in rounding;
- spreads: every target has sds other than 1 (0.41 / 0.17, 1.5, sqrt(12)), and the proposal sds are
  0.35 and 5 (a variance used as an sd changes the kernel);
- ``log_post = -inf``: Gamma targets with support theta > 0, which both samplers' proposals leave
  often (a skipped row, an accepted -inf, or a proposal drawn again until inside all show).
"""

import numpy as np
from visible_harness import Stat, probe, stats_problem, teaching

# The standard error of every statistic a hidden check judges: its sd across independent runs of the
# reference kernel on the probe's own target, proposal and length, measured over 10,000 runs of a
# vectorised copy of the kernel (the 2026-12-01 study of benchmarks/README.md; the Gamma chain with
# proposal_sd 5 on 2026-12-02), declared rounded up, and checked against the cells' own probes with
# `course calibrate 03_metropolis`. Measured: regression mean b0 0.01242, mean b1 0.00696, sd b0
# 0.00709, sd b1 0.00385, corr 0.01067, rate 0.00359, lag-1 b1 0.00559; Gamma mean 0.0666, sd 0.0742,
# E[log theta] 0.01056, share below 3 0.00540 (largest |z| 4.2); drift mean 0.0873, sd 0.0465;
# log-normal mean 0.0956. The seed-dependent data move the exact posterior the statistics are
# compared with, not their spread (the design is fixed and the posterior Gaussian).
SD = {
    "moments": {"posterior mean of b0": 0.0125, "posterior mean of b1": 0.0070,
                "posterior sd of b0": 0.0072, "posterior sd of b1": 0.0039,
                "posterior correlation of (b0, b1)": 0.0108},
    "kernel": {"acceptance rate": 0.0036, "lag-1 autocorrelation of b1": 0.0056},
    "gamma": {"mean on Gamma(3, 2)": 0.0670, "sd on Gamma(3, 2)": 0.0750,
              "mean of log(theta) on Gamma(3, 2)": 0.0107, "share of rows below 3 on Gamma(3, 2)": 0.0055},
    "mh_hastings": {"mean with the drifted proposal": 0.088, "sd with the drifted proposal": 0.047,
                    "mean with the log-normal proposal": 0.096},
    # 5,000 steps: 300 runs of the cell's own probe gave 0.0249, 0.0143, 0.0146, 0.0081, 0.0067 (twice
    # the 20,000-step sds, as sqrt(4) predicts: 0.0250, 0.0140, 0.0144, 0.0078, 0.0072); declared
    # the larger, rounded up by the 4% standard error of a 300-run sd.
    "mh_symmetric": {"posterior mean of b0": 0.0260, "posterior mean of b1": 0.0148,
                     "posterior sd of b0": 0.0152, "posterior sd of b1": 0.0085, "acceptance rate": 0.0075},
}
# 19 statistics at 5.5 sds: under normality 19 x 3.8e-8 = 7e-7 false fails per grading. Some have
# slightly heavy tails (the sd of a Gamma chain: skew 0.2-0.3, largest |z| 5.05 in 30,000 runs with
# proposal_sd 3), hence 5.5 rather than 5.
K = 5.5

# The regression target: a fixed design (so the kernel's acceptance rate and autocorrelation do not
# depend on the data), y drawn from the seed. OFFSET puts the log density where a real unnormalised
# log posterior lives; differences of logs are unchanged, exp(log_post) is 0.
N_POINTS, SIGMA_D, SIGMA_PRIOR, OFFSET = 40, 2.0, 5.0, -1000.0
PROPOSAL_SD = 0.35  # the random walk's sd on the regression target (acceptance 0.444)
RATE, LAG1 = 0.4438, 0.814  # its acceptance rate (i.i.d. estimate, 400,000 draws) and lag-1 autocorr.
# Gamma(shape 3, scale 2): mean 6, sd sqrt(12), E[log theta] = digamma(3) + log 2, P(theta < 3).
GAMMA_MEAN, GAMMA_SD, GAMMA_LOG, GAMMA_BELOW_3 = 6.0, 12**0.5, 1.5 - 0.5772156649015329 + np.log(2), \
    1 - np.exp(-1.5) * (1 + 1.5 + 1.5**2 / 2)
# The random walk on it: wide (sd 5) so that many proposals leave the support; a sampler that draws
# again until a proposal is inside samples pi(theta) * Phi(theta / 5) instead (E[log theta] +8 sds).
GAMMA_PROPOSAL_SD = 5.0
HINT_MOMENTS = ("on a rejection keep the current state AND its log density, accept when "
                "log(u) < log_post(proposal) - log_post(current), and propose all coordinates "
                "together from the current state")
HINT_HASTINGS = ("use log q(current | proposal) - log q(proposal | current), i.e. "
                 "log_q(theta, proposal) - log_q(proposal, theta) (a symmetric-proposal formula is "
                 "not enough)")


def regression_target(seed):
    """The grader's regression posterior: y_i = 0.5 - x_i + N(0, 2^2) on 40 fixed x in [-1, 3],
    priors b0, b1 ~ N(0, 5^2); y is drawn from ``seed``.

    Returns ``(log_post, mean (2,), cov (2, 2))``: ``log_post(beta)`` is the exact log posterior up
    to a constant (about -1,000 at the mode: ``OFFSET``), ``mean`` and ``cov`` the exact posterior's.
    """
    x = np.linspace(-1.0, 3.0, N_POINTS)
    y = 0.5 - 1.0 * x + SIGMA_D * np.random.default_rng(seed).standard_normal(N_POINTS)
    X = np.column_stack([np.ones(N_POINTS), x])
    prec = X.T @ X / SIGMA_D**2 + np.eye(2) / SIGMA_PRIOR**2
    cov = np.linalg.inv(prec)
    mean = cov @ X.T @ y / SIGMA_D**2

    def log_post(beta):
        r = np.asarray(beta, dtype=float) - mean
        return float(-0.5 * r @ prec @ r) + OFFSET

    return log_post, mean, cov


def log_gamma(t):
    """Gamma(shape 3, scale 2) up to a constant: 2 log t - t / 2, and -inf for t <= 0 (1-D t)."""
    return 2.0 * np.log(t[0]) - t[0] / 2.0 if t[0] > 0 else -np.inf


def stat(check, key, value, expected, hint, who):
    """The ``Stat`` of ``SD[check][key]``, named as it reads in the message."""
    return Stat(f"`{who}`: the {key}", float(value), float(expected), SD[check][key], K, hint)


def books(s, start, rate, who):
    """None, or what is wrong with the bookkeeping of the chain ``s`` (n, d) started at ``start``
    with acceptance rate ``rate``: rejections repeat the state, and rate * n_steps is the number of
    moves exactly (to 1e-9, not after rounding)."""
    prev = np.vstack([start[None, :], s[:-1]])
    moved = (s != prev).any(axis=1)
    if ((s != prev).any(axis=1) & (s == prev).any(axis=1)).any():
        return (f"`{who}`: some steps moved one coordinate but not the other: propose all "
                "coordinates at once, and on a rejection store the current state unchanged")
    if len({tuple(row) for row in s}) != moved.sum() + (0 if moved[0] else 1):
        return (f"`{who}`: rows that are not moves should repeat the current state exactly; did the "
                "stored rows share one array that was later modified (store a copy of theta)?")
    n = len(s)
    if not abs(rate * n - moved.sum()) <= 1e-9 * n:
        return (f"`{who}`: with n_steps = {n}, acceptance_rate * n_steps = {rate * n:.6g}, but the "
                f"chain moved {moved.sum()} times: count accepted proposals and divide by n_steps "
                "(the start is neither a row nor an accepted proposal)")
    return None


def rows(chain, d):
    """``chain`` as an array of rows of length ``d`` when it holds a whole number of them (a
    one-step chain returned as shape (d,) is judged by its content; its shape is checked apart)."""
    c = np.asarray(chain, dtype=float)
    return c.reshape(-1, d) if c.ndim == 1 and c.size % d == 0 else c


def stuck(s, start, rate, who):
    """None, or the message for a chain ``s`` on the regression target, started at ``start`` with
    acceptance rate ``rate``, whose rows are all the same: one array stored in every row, or a
    chain that never moved."""
    if (s != s[0]).any():
        return None
    if rate > 0 or (s[0] != start).any():
        return (f"`{who}`: all {len(s)} rows are the same state although acceptance_rate = {rate:.3g}: "
                "did every row end up as one array that was modified later? Store a copy of theta")
    return (f"`{who}` never moved in {len(s)} steps on a log posterior near -1,000: compute log alpha "
            "from differences of log densities (log_post(proposal) - log_post(current)) and compare "
            "log(u) with it; exp(log_post) underflows to 0 there, and 0 / 0 is nan")


# --- metropolis: moments on the regression posterior -------------------------------------------
def moments_probe(ns, seed):
    def body(metropolis):
        log_post, mean, _ = regression_target(seed)
        s, rate = metropolis(log_post, mean.copy(), 20_000, PROPOSAL_SD, np.random.default_rng([seed, 1]))
        return {"seed": seed, "samples": np.array(s, dtype=float), "rate": float(rate)}
    return probe(ns, ["metropolis"], body)


def moments_stats(r):
    _, mean, cov = regression_target(r["seed"])
    s = r["samples"]
    sd = np.sqrt(np.diag(cov))
    out = []
    for k, name in enumerate(("b0", "b1")):
        out.append(stat("moments", f"posterior mean of {name}", s[:, k].mean(), mean[k], HINT_MOMENTS,
                        "metropolis"))
        out.append(stat("moments", f"posterior sd of {name}", s[:, k].std(), sd[k], HINT_MOMENTS,
                        "metropolis"))
    out.append(stat("moments", "posterior correlation of (b0, b1)", np.corrcoef(s.T)[0, 1],
                    cov[0, 1] / (sd[0] * sd[1]), HINT_MOMENTS, "metropolis"))
    return out


@teaching
def moments_check(r):
    if r.get("error"):
        return r["error"]
    s = r["samples"]
    if s.shape != (20_000, 2):
        return f"`metropolis` returned samples of shape {s.shape}, expected (n_steps, d) = (20000, 2)"
    start = regression_target(r["seed"])[1]
    return stuck(s, start, r["rate"], "metropolis") or stats_problem(moments_stats(r))


# --- metropolis: the kernel (acceptance rate and autocorrelation) -------------------------------
def kernel_probe(ns, seed):
    def body(metropolis):
        log_post, mean, _ = regression_target(seed)
        s, rate = metropolis(log_post, mean.copy(), 20_000, PROPOSAL_SD, np.random.default_rng([seed, 2]))
        return {"seed": seed, "samples": np.array(s, dtype=float), "rate": float(rate)}
    return probe(ns, ["metropolis"], body)


def kernel_stats(r):
    b1 = r["samples"][:, 1]
    return [
        stat("kernel", "acceptance rate", r["rate"], RATE,
             "is proposal_sd used as a standard deviation (not squared), for every coordinate, and is "
             "acceptance_rate = accepted proposals / n_steps?", "metropolis"),
        stat("kernel", "lag-1 autocorrelation of b1", np.corrcoef(b1[:-1], b1[1:])[0, 1], LAG1,
             "a Markov chain moves from its current state by theta + proposal_sd * N(0, I) "
             "(independent draws have none; a too-small or too-large proposal has more)", "metropolis"),
    ]


@teaching
def kernel_check(r):
    if r.get("error"):
        return r["error"]
    if r["samples"].shape != (20_000, 2):
        return (f"`metropolis` returned samples of shape {r['samples'].shape}, expected (n_steps, d) = "
                "(20000, 2)")
    start = regression_target(r["seed"])[1]
    return stuck(r["samples"], start, r["rate"], "metropolis") or stats_problem(kernel_stats(r))


# --- metropolis: exact bookkeeping at 3,000, 7 and 1 steps ---------------------------------------
def bookkeeping_probe(ns, seed):
    def body(metropolis):
        log_post, mean, _ = regression_target(seed)
        calls = [0]

        def counted(theta):
            calls[0] += 1
            return log_post(theta)

        theta0 = mean + 0.1
        start = theta0.copy()
        s, rate = metropolis(counted, theta0, 3000, PROPOSAL_SD, np.random.default_rng([seed, 3]))
        n_calls = calls[0]
        # Short chains: at n_steps = 7 (and 1) an off-by-one in the rate's denominator is a whole
        # count, which rounding at 3,000 steps can hide.
        short = [metropolis(log_post, start.copy(), n, PROPOSAL_SD, np.random.default_rng([seed, 8, n, k]))
                 for n in (7, 1) for k in range(20)]
        return {"samples": np.array(s, dtype=float), "rate": float(rate), "calls": n_calls,
                "theta0": np.array(theta0, dtype=float), "start": start,
                "short": [np.array(c, dtype=float) for c, _ in short],
                "short_rates": np.array([float(q) for _, q in short])}
    return probe(ns, ["metropolis"], body)


@teaching
def bookkeeping_check(r):
    if r.get("error"):
        return r["error"]
    s, start = r["samples"], r["start"]
    if s.shape != (3000, 2):
        return f"`metropolis` returned samples of shape {s.shape}, expected (n_steps, d) = (3000, 2)"
    if not (r["theta0"] == start).all():
        return "`metropolis` changed theta0 in place: start from a copy, np.array(theta0, dtype=float)"
    problem = stuck(s, start, r["rate"], "metropolis") or books(s, start, r["rate"], "metropolis")
    if problem:
        return problem
    short = [rows(c, 2) for c in r["short"]]
    for c, rate, n in zip(short, r["short_rates"], [7] * 20 + [1] * 20, strict=True):
        if c.shape != (n, 2):
            return (f"`metropolis` with n_steps={n} returned samples of shape {c.shape}, expected "
                    f"({n}, 2): one row per step, the start is not a row")
        problem = books(c, start, rate, "metropolis")
        if problem:
            return problem
    # Each one-step chain moves with probability ~0.44: all 20 staying put has probability 1e-5.
    if not any((c[0] != start).any() for c in short[20:]):
        return ("`metropolis`: in 20 one-step chains the only row was always theta0: row i is the state "
                "AFTER step i, so the start is not a row")
    if not 3000 <= r["calls"] <= 6002:
        return (f"`metropolis` called log_post {r['calls']} times for 3000 steps: evaluate it once for "
                "each proposal (and keep the current value)")
    return None


# --- metropolis: a skewed target with log_post = -inf outside theta > 0 ---------------------------
def gamma_probe(ns, seed):
    def body(metropolis):
        s, _ = metropolis(log_gamma, np.array([6.0]), 20_000, GAMMA_PROPOSAL_SD,
                          np.random.default_rng([seed, 4]))
        return {"samples": np.array(s, dtype=float)}
    return probe(ns, ["metropolis"], body)


def gamma_stats(r):
    s = r["samples"][:, 0]
    hint = ("the chain must follow the Gamma(3, 2) target's skewed shape: reject a proposal where "
            "log_post = -inf (never draw it again) and repeat the current state")
    return [stat("gamma", "mean on Gamma(3, 2)", s.mean(), GAMMA_MEAN, hint, "metropolis"),
            stat("gamma", "sd on Gamma(3, 2)", s.std(), GAMMA_SD,
                 hint + "; is proposal_sd a standard deviation?", "metropolis"),
            stat("gamma", "mean of log(theta) on Gamma(3, 2)", np.log(s).mean(), GAMMA_LOG,
                 hint, "metropolis"),
            stat("gamma", "share of rows below 3 on Gamma(3, 2)", (s < 3).mean(), GAMMA_BELOW_3,
                 hint, "metropolis")]


@teaching
def gamma_check(r):
    if r.get("error"):
        return r["error"]
    s = r["samples"]
    if s.shape != (20_000, 1):
        return f"`metropolis` returned samples of shape {s.shape}, expected (n_steps, d) = (20000, 1)"
    if not s.min() > 0:
        return (f"`metropolis`: the chain has a row theta = {s.min():.3f}, where log_post = -inf: such a "
                "proposal must be rejected (exp(-inf) = 0) and the row repeat the current state")
    return stats_problem(gamma_stats(r))


# --- metropolis_hastings: asymmetric proposals ----------------------------------------------------
def mh_hastings_probe(ns, seed):
    def body(mh):
        rng = np.random.default_rng
        # A drifted Gaussian proposal N(theta + 0.4, 0.9^2) on the target N(1, 1.5^2).
        s1, _ = mh(lambda t: -0.5 * ((t[0] - 1.0) / 1.5) ** 2, np.array([1.0]), 8000,
                   lambda t, g: t + 0.4 + 0.9 * g.standard_normal(t.shape),
                   lambda a, b: float(-0.5 * np.sum((a - b - 0.4) ** 2) / 0.81), rng([seed, 5]))
        # A multiplicative log-normal proposal theta * exp(0.8 eps) on Gamma(3, scale 2).
        s2, _ = mh(log_gamma, np.array([6.0]), 8000,
                   lambda t, g: t * np.exp(0.8 * g.standard_normal(t.shape)),
                   lambda a, b: float(np.sum(-np.log(a) - (np.log(a) - np.log(b)) ** 2 / (2 * 0.64))),
                   rng([seed, 6]))
        # A drifted Gaussian N(theta - 1, 2^2) on the same Gamma: proposals leave the support.
        s3, _ = mh(log_gamma, np.array([6.0]), 2000,
                   lambda t, g: t - 1.0 + 2.0 * g.standard_normal(t.shape),
                   lambda a, b: float(-0.5 * np.sum((a - b + 1.0) ** 2) / 4.0), rng([seed, 9]))
        return {"drift": np.array(s1, dtype=float), "lognormal": np.array(s2, dtype=float),
                "support": np.array(s3, dtype=float)}
    return probe(ns, ["metropolis_hastings"], body)


def mh_hastings_stats(r):
    d, g = r["drift"][:, 0], r["lognormal"][:, 0]
    who = "metropolis_hastings"
    return [stat("mh_hastings", "mean with the drifted proposal", d.mean(), 1.0, HINT_HASTINGS, who),
            stat("mh_hastings", "sd with the drifted proposal", d.std(), 1.5, HINT_HASTINGS, who),
            stat("mh_hastings", "mean with the log-normal proposal", g.mean(), GAMMA_MEAN, HINT_HASTINGS,
                 who)]


@teaching
def mh_hastings_check(r):
    if r.get("error"):
        return r["error"]
    for key, n in (("drift", 8000), ("lognormal", 8000), ("support", 2000)):
        if r[key].shape != (n, 1):
            return (f"`metropolis_hastings` returned samples of shape {r[key].shape}, expected "
                    f"(n_steps, d) = ({n}, 1)")
    if not r["support"].min() > 0:
        return (f"`metropolis_hastings`: the chain has a row theta = {r['support'].min():.3f}, where "
                "log_post = -inf: such a proposal must be rejected and the row repeat the current state")
    return stats_problem(mh_hastings_stats(r))


# --- metropolis_hastings: a symmetric proposal on the regression posterior ------------------------
def _random_walk(t, g):
    return t + PROPOSAL_SD * g.standard_normal(t.shape)


def _log_q_random_walk(a, b):
    return float(-0.5 * np.sum((np.asarray(a) - np.asarray(b)) ** 2) / PROPOSAL_SD**2)


# 5,000 steps (a quarter of metropolis's): the slowest probe (log_q is called twice a step), and what
# it catches in the corpus it catches exactly (a chain stuck where exp(log_post) underflows, the rate's
# bookkeeping at 7 steps); its statistics still see a wrong kernel (sds twice those at 20,000 steps).
MH_STEPS = 5000


def mh_symmetric_probe(ns, seed):
    def body(mh):
        log_post, mean, _ = regression_target(seed)
        s, rate = mh(log_post, mean.copy(), MH_STEPS, _random_walk, _log_q_random_walk,
                     np.random.default_rng([seed, 7]))
        start = mean + 0.1
        short = [mh(log_post, start.copy(), 7, _random_walk, _log_q_random_walk,
                    np.random.default_rng([seed, 10, k])) for k in range(20)]
        return {"seed": seed, "samples": np.array(s, dtype=float), "rate": float(rate), "start": start,
                "short": [np.array(c, dtype=float) for c, _ in short],
                "short_rates": np.array([float(q) for _, q in short])}
    return probe(ns, ["metropolis_hastings"], body)


def mh_symmetric_stats(r):
    _, mean, cov = regression_target(r["seed"])
    s, who = r["samples"], "metropolis_hastings"
    out = []
    for k, name in enumerate(("b0", "b1")):
        out.append(stat("mh_symmetric", f"posterior mean of {name}", s[:, k].mean(), mean[k],
                        HINT_MOMENTS, who))
        out.append(stat("mh_symmetric", f"posterior sd of {name}", s[:, k].std(), np.sqrt(cov[k, k]),
                        HINT_MOMENTS, who))
    out.append(stat("mh_symmetric", "acceptance rate", r["rate"], RATE,
                    "acceptance_rate = accepted proposals / n_steps", who))
    return out


@teaching
def mh_symmetric_check(r):
    if r.get("error"):
        return r["error"]
    s = r["samples"]
    if s.shape != (MH_STEPS, 2):
        return (f"`metropolis_hastings` returned samples of shape {s.shape}, expected (n_steps, d) = "
                f"({MH_STEPS}, 2)")
    problem = stuck(s, regression_target(r["seed"])[1], r["rate"], "metropolis_hastings")
    if problem:
        return problem
    for c, rate in zip(r["short"], r["short_rates"], strict=True):
        c = rows(c, 2)
        if c.shape != (7, 2):
            return (f"`metropolis_hastings` with n_steps=7 returned samples of shape {c.shape}, "
                    "expected (7, 2): one row per step, the start is not a row")
        problem = books(c, r["start"], rate, "metropolis_hastings")
        if problem:
            return problem
    return stats_problem(mh_symmetric_stats(r))
