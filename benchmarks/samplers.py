"""Sampler benchmark: helpers' samplers side by side with emcee (and NumPyro's NUTS when installed).

    python benchmarks/samplers.py [--repeats 3] [--quick]

Posteriors: ``linreg`` (n=100, x ~ U(-3, 3), (b0, b1) = (1, 2), sigma_d = 1, N(0, 10^2) priors) and
``bnn`` (5 sin units, 16 weights, sigma_d = 0.1, N(0, 1) priors, 60 points). For each sampler: 4
chains; min bulk ESS (on bnn: of the predictive f(x) at x = -2..2, since weights are not
identifiable), max R-hat, ESS per second of sampling only and all-in (set-up + warm-up + sampling),
and ESS per 1,000 density-or-gradient evaluations; medians over the repeats (different seeds).
Also: vectorised chains against the same chains run one after another.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import helpers  # noqa: E402
from helpers import bnn, diagnostics, linreg  # noqa: E402

X_STAR = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])


class Counted:
    """Count evaluations (a batch of k chains counts k)."""

    def __init__(self, f):
        self.f, self.n = f, 0

    def __call__(self, q):
        q = np.asarray(q)
        self.n += int(np.prod(q.shape[:-1])) if q.ndim > 1 else 1
        return self.f(q)


def problem(name, seed):
    rng = np.random.default_rng(seed)
    if name == "linreg":
        x, y = helpers.data.linear_regression_data(rng, n=100)
        lp, g = linreg.make_log_post(x, y, 1.0, 10.0, 10.0)
        start = linreg.posterior_mean_cov(x, y, 1.0, 10.0, 10.0)[0]
        return lp, g, start, lambda s: s
    x, y = helpers.data.bnn_data(rng, n=60)
    lp, g = bnn.make_log_post(x, y, 5, 0.1, 1.0)
    start = bnn.fit_map(x, y, 5, rng, 0.1, 1.0, n_restarts=5)
    return lp, g, start, lambda s: bnn.forward(s, X_STAR, 5)


def summarise(draws, f_of, evals, t_sampling, t_all):
    f = f_of(draws)  # (chains, draws, k)
    ess = min(diagnostics.ess_bulk(f[..., k]) for k in range(f.shape[-1]))
    rhat = max(diagnostics.rhat(f[..., k]) for k in range(f.shape[-1]))
    return {"ess": ess, "rhat": rhat, "ess_s": ess / t_sampling, "ess_s_all": ess / t_all,
            "ess_per_1k": 1000 * ess / evals}


def run_hmc(name, seed, quick):
    t0 = time.perf_counter()
    lp, g, start, f_of = problem(name, seed)
    lp, g = Counted(lp), Counted(g)
    starts = start + 0.01 * np.random.default_rng(seed).standard_normal((4, start.size))
    n_leapfrog, n_warmup, n_draws = (5, 200, 1000) if name == "linreg" else (12, 400, 1000)
    if quick:
        n_draws //= 2
    t1 = time.perf_counter()
    draws, _ = helpers.hmc_chains(lp, g, starts, n_draws, 0.05, n_leapfrog, seed, vectorized=True,
                                  n_warmup=n_warmup, adapt_mass=True)
    t2 = time.perf_counter()
    # sampling-only time: the share of post-warm-up iterations in the timed run
    t_sampling = (t2 - t1) * n_draws / (n_draws + n_warmup)
    return summarise(draws, f_of, lp.n + g.n, t_sampling, t2 - t0)


def run_metropolis(name, seed, quick):
    t0 = time.perf_counter()
    lp, g, start, f_of = problem(name, seed)
    lp = Counted(lp)
    sd = 0.08 if name == "linreg" else 0.01
    n = 20_000 if not quick else 10_000
    t1 = time.perf_counter()
    draws, _ = helpers.metropolis_chains(lp, start, n, sd, seed, vectorized=True)
    t2 = time.perf_counter()
    draws = draws[:, n // 4:]
    return summarise(draws, f_of, lp.n, (t2 - t1) * 0.75, t2 - t0)


def run_emcee(name, seed, quick):
    import emcee

    t0 = time.perf_counter()
    lp, g, start, f_of = problem(name, seed)
    lp = Counted(lp)
    nwalkers = max(4 * start.size, 8)
    p0 = start + 1e-3 * np.random.default_rng(seed).standard_normal((nwalkers, start.size))
    n = 3000 if not quick else 1500
    t1 = time.perf_counter()
    sampler = emcee.EnsembleSampler(nwalkers, start.size, lambda q: float(lp(q)))
    # emcee draws from numpy's legacy global state: seed it through its own state object.
    sampler._random = np.random.mtrand.RandomState(seed)
    sampler.run_mcmc(p0, n, progress=False)
    t2 = time.perf_counter()
    chain = sampler.get_chain()[n // 2:].swapaxes(0, 1)  # (walkers, draws, d)
    # 4 "chains": each pools a quarter of the walkers (ESS and R-hat need chains)
    draws = np.stack([grp.reshape(-1, start.size) for grp in np.array_split(chain, 4, axis=0)])
    return summarise(draws, f_of, lp.n, (t2 - t1) / 2, t2 - t0)


def run_numpyro(name, seed, quick):
    import jax  # noqa: F401
    import numpyro  # noqa: F401

    raise NotImplementedError("NumPyro comparison not wired in yet")


SAMPLERS = {"helpers.hmc (vectorised, adapted)": run_hmc, "helpers.metropolis (vectorised)": run_metropolis,
            "emcee": run_emcee, "numpyro NUTS": run_numpyro}


def vectorised_speedup(repeats):
    lp, g, start, _ = problem("linreg", 0)
    ratios = []
    for r in range(repeats):
        t0 = time.perf_counter()
        helpers.hmc_chains(lp, g, start, 1000, 0.05, 5, r, n_chains=4, vectorized=False)
        t1 = time.perf_counter()
        helpers.hmc_chains(lp, g, start, 1000, 0.05, 5, r, n_chains=4, vectorized=True)
        t2 = time.perf_counter()
        ratios.append((t1 - t0) / (t2 - t1))
    return statistics.median(ratios)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    print(f"{'posterior':8s} {'sampler':36s} {'min ESS':>8s} {'max R-hat':>9s} {'ESS/s':>9s} "
          f"{'ESS/s all-in':>12s} {'ESS/1k evals':>12s}")
    for name in ("linreg", "bnn"):
        for label, fn in SAMPLERS.items():
            try:
                runs = [fn(name, 100 + r, args.quick) for r in range(args.repeats)]
            except ImportError:
                print(f"{name:8s} {label:36s} not installed (optional)")
                continue
            except NotImplementedError as exc:
                print(f"{name:8s} {label:36s} {exc}")
                continue
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{name:8s} {label:36s} {med['ess']:8.0f} {med['rhat']:9.3f} {med['ess_s']:9.0f} "
                  f"{med['ess_s_all']:12.0f} {med['ess_per_1k']:12.1f}")
    print(f"vectorised vs one-after-another HMC chains (4 chains, linreg): "
          f"{vectorised_speedup(args.repeats):.1f}x per chain (median of {args.repeats})")


if __name__ == "__main__":
    main()
