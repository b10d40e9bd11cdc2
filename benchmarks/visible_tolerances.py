"""The tolerance studies behind the *visible* tests (solutions/<id>/visible_tests.py).

Each study runs the reference kernel of one visible test many times at once (vectorised over
independent chains: the same algorithm as the model answer, one chain per column) and prints the
mean and the standard deviation across runs of every statistic the check uses. A visible check's
tolerance is 5 of those standard deviations (P(|z| > 5) = 5.7e-7 per statistic under normality,
so a correct answer fails one of the ~20 visible statistics of the course with probability < 1e-4).

    .venv/bin/python benchmarks/visible_tolerances.py     # ~1 min on one core
"""

import numpy as np

RUNS = 20_000
QUARTER_TURN = 2 * np.sin(np.pi / 16)  # leapfrog step: 4 steps turn N(0, 1)'s oscillator by pi/2


def lag1(s):
    """Lag-1 autocorrelation of each column of ``s`` (n, runs)."""
    c = s - s.mean(axis=0)
    return (c[:-1] * c[1:]).sum(axis=0) / (c * c).sum(axis=0)


def report(name, stats):
    print(name)
    for k, v in stats.items():
        print(f"  {k:10s} mean {v.mean():+.5f}  sd {v.std():.5f}  5 sd {5 * v.std():.4f}")


def metropolis_gaussian(rng, n=4000, proposal_sd=2.4):
    """03 `metropolis` on N(0, 1) from 0: mean, sd, acceptance rate, lag-1 autocorrelation."""
    theta, lp = np.zeros(RUNS), np.zeros(RUNS)
    s, acc = np.empty((n, RUNS)), np.zeros(RUNS)
    for i in range(n):
        prop = theta + proposal_sd * rng.standard_normal(RUNS)
        lp_new = -0.5 * prop**2
        ok = np.log(rng.uniform(size=RUNS)) < lp_new - lp
        theta, lp, acc = np.where(ok, prop, theta), np.where(ok, lp_new, lp), acc + ok
        s[i] = theta
    return {"mean": s.mean(0), "sd": s.std(0), "rate": acc / n, "lag1": lag1(s)}


def mh_drift(rng, n=4000, drift=0.5):
    """03 `metropolis_hastings` on N(0, 1) with the drifted proposal N(theta + drift, 1)."""
    theta, lp = np.zeros(RUNS), np.zeros(RUNS)
    s, acc = np.empty((n, RUNS)), np.zeros(RUNS)
    for i in range(n):
        prop = theta + drift + rng.standard_normal(RUNS)
        lp_new = -0.5 * prop**2
        log_q_back = -0.5 * (theta - prop - drift) ** 2   # log q(theta | prop)
        log_q_fwd = -0.5 * (prop - theta - drift) ** 2    # log q(prop | theta)
        ok = np.log(rng.uniform(size=RUNS)) < lp_new - lp + log_q_back - log_q_fwd
        theta, lp, acc = np.where(ok, prop, theta), np.where(ok, lp_new, lp), acc + ok
        s[i] = theta
    return {"mean": s.mean(0), "sd": s.std(0), "rate": acc / n}


def hmc_gaussian(rng, n=2000, n_leapfrog=4, h=QUARTER_TURN):
    """05 `hmc` on N(0, 1); by default step 2 sin(pi/16), 4 leapfrog steps: a quarter turn per
    iteration. With a large step (1.8, one leapfrog step) energy errors are large, and an
    acceptance test with the wrong sign shows at once (its rate is ~0.02)."""
    q = np.zeros(RUNS)
    s, acc = np.empty((n, RUNS)), np.zeros(RUNS)
    for i in range(n):
        p = rng.standard_normal(RUNS)
        qn, pn = q.copy(), p + 0.5 * h * (-q)
        for j in range(n_leapfrog):
            qn = qn + h * pn
            if j < n_leapfrog - 1:
                pn = pn + h * (-qn)
        pn = pn + 0.5 * h * (-qn)
        log_alpha = (-0.5 * qn**2 - 0.5 * pn**2) - (-0.5 * q**2 - 0.5 * p**2)
        ok = np.log(rng.uniform(size=RUNS)) < log_alpha
        q, acc = np.where(ok, qn, q), acc + ok
        s[i] = q
    return {"mean": s.mean(0), "sd": s.std(0), "rate": acc / n, "lag1": lag1(s)}


if __name__ == "__main__":
    rng = np.random.default_rng(20261201)
    report("03 metropolis, N(0, 1), proposal_sd 2.4, 4,000 steps", metropolis_gaussian(rng))
    report("03 metropolis_hastings, N(0, 1), proposal N(theta + 0.5, 1), 4,000 steps", mh_drift(rng))
    report("05 hmc, N(0, 1), step 2 sin(pi/16), 4 leapfrog steps, 2,000 iterations", hmc_gaussian(rng))
    report("05 hmc, N(0, 1), step 1.8, 1 leapfrog step, 1,000 iterations",
           hmc_gaussian(rng, n=1000, n_leapfrog=1, h=1.8))
