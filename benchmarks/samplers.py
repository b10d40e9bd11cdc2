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


def data(name, seed):
    rng = np.random.default_rng(seed)
    if name == "linreg":
        return helpers.data.linear_regression_data(rng, n=100)
    return helpers.data.bnn_data(rng, n=60)


def problem(name, seed):
    x, y = data(name, seed)
    if name == "linreg":
        lp, g = linreg.make_log_post(x, y, 1.0, 10.0, 10.0)
        start = linreg.posterior_mean_cov(x, y, 1.0, 10.0, 10.0)[0]
        return lp, g, start, lambda s: s
    lp, g = bnn.make_log_post(x, y, 5, 0.1, 1.0)
    start = bnn.fit_map(x, y, 5, np.random.default_rng([seed, 1]), 0.1, 1.0, n_restarts=5)
    return lp, g, start, lambda s: bnn.forward(s, X_STAR, 5)


def summarise(draws, f_of, evals, t_sampling, t_all):
    f = f_of(draws)  # (chains, draws, k)
    ess = min(diagnostics.ess_bulk(f[..., k]) for k in range(f.shape[-1]))
    rhat = max(diagnostics.rhat(f[..., k]) for k in range(f.shape[-1]))
    return {"ess": ess, "rhat": rhat, "ess_s": ess / t_sampling, "ess_s_all": ess / t_all,
            "ess_per_1k": 1000 * ess / evals}


# helpers.hmc settings per posterior. bnn needs long trajectories: its step size is set by the
# stiff directions of the weights (~0.005 after adaptation), while f* moves along slow ones; 12
# or 30 leapfrog steps leave R-hat at 1.02-1.13, 150-200 bring it to 1.00x. Jitter breaks the
# near-periodic trajectories that make linreg's draws antithetic in one direction and leave its
# R-hat at ~1.015 without it (measured before choosing; see the note of issue 2).
HMC_SETTINGS = {"linreg": dict(n_leapfrog=5, n_warmup=200, n_draws=1000, jitter=0.5),
                "bnn": dict(n_leapfrog=200, n_warmup=400, n_draws=1000, jitter=0.2)}


def run_hmc(name, seed, quick):
    t0 = time.perf_counter()
    lp, g, start, f_of = problem(name, seed)
    lp, g = Counted(lp), Counted(g)
    starts = start + 0.01 * np.random.default_rng(seed).standard_normal((4, start.size))
    cfg = HMC_SETTINGS[name]
    n_warmup, n_draws = cfg["n_warmup"], cfg["n_draws"] // (2 if quick else 1)
    t1 = time.perf_counter()
    draws, _ = helpers.hmc_chains(lp, g, starts, n_draws, 0.05, cfg["n_leapfrog"], seed,
                                  vectorized=True, n_warmup=n_warmup, adapt_mass=True,
                                  jitter=cfg["jitter"])
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
    """NumPyro's NUTS (default settings, float64, 4 chains vectorised) from the same start."""
    import jax
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist
    from numpyro.infer import MCMC, NUTS

    numpyro.enable_x64()
    t0 = time.perf_counter()
    _, _, start, f_of = problem(name, seed)
    x, y = data(name, seed)

    if name == "linreg":
        def model():
            b = numpyro.sample("w", dist.Normal(0.0, 10.0).expand([2]).to_event(1))
            numpyro.sample("y", dist.Normal(b[0] + b[1] * x, 1.0), obs=y)
    else:
        def model():
            w = numpyro.sample("w", dist.Normal(0.0, 1.0).expand([16]).to_event(1))
            f = jnp.sin(w[:5, None] * x + w[5:10, None]).T @ w[10:15] + w[15]
            numpyro.sample("y", dist.Normal(f, 0.1), obs=y)

    n_warmup, n_draws = (1000, 1000) if not quick else (500, 500)
    starts = start + 0.01 * np.random.default_rng(seed).standard_normal((4, start.size))
    mcmc = MCMC(NUTS(model), num_warmup=n_warmup, num_samples=n_draws, num_chains=4,
                chain_method="vectorized", progress_bar=False)
    mcmc.warmup(jax.random.PRNGKey(seed), init_params={"w": jnp.asarray(starts)},
                extra_fields=("num_steps",), collect_warmup=True)
    warm_evals = int(np.sum(mcmc.get_extra_fields()["num_steps"]))
    t1 = time.perf_counter()
    mcmc.run(jax.random.PRNGKey(seed + 1), extra_fields=("num_steps",))
    draws = np.asarray(mcmc.get_samples(group_by_chain=True)["w"])
    t2 = time.perf_counter()
    evals = warm_evals + int(np.sum(mcmc.get_extra_fields()["num_steps"]))
    return summarise(draws, f_of, evals, t2 - t1, t2 - t0)


SAMPLERS = {"helpers.hmc (vectorised, adapted)": run_hmc, "helpers.metropolis (vectorised)": run_metropolis,
            "emcee": run_emcee, "numpyro NUTS": run_numpyro}


def vectorised_speedup(name, repeats):
    """Time of 4 HMC chains one after another / time of the same 4 chains vectorised (same draws)."""
    lp, g, start, _ = problem(name, 0)
    n_leapfrog = 5 if name == "linreg" else 20
    ratios = []
    for r in range(repeats):
        t0 = time.perf_counter()
        a, _ = helpers.hmc_chains(lp, g, start, 1000, 0.01, n_leapfrog, r, n_chains=4, vectorized=False)
        t1 = time.perf_counter()
        b, _ = helpers.hmc_chains(lp, g, start, 1000, 0.01, n_leapfrog, r, n_chains=4, vectorized=True)
        t2 = time.perf_counter()
        assert np.allclose(a, b), "vectorised and sequential chains differ"
        ratios.append((t1 - t0) / (t2 - t1))
    return statistics.median(ratios)


# The reference figures for NumPyro NUTS all-in (2 cores, float64), used for the goal when
# NumPyro is not installed here; when it is, the goal is 2x what it measures in this run.
NUMPYRO_REFERENCE = {"linreg": 1300.0, "bnn": 34.0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="half the draws (a smoke run)")
    args = ap.parse_args()
    print(f"medians of {args.repeats} repeat(s) with different seeds")
    print(f"{'posterior':8s} {'sampler':36s} {'min ESS':>8s} {'max R-hat':>9s} {'ESS/s':>9s} "
          f"{'ESS/s all-in':>12s} {'ESS/1k evals':>12s}")
    results = {}
    for name in ("linreg", "bnn"):
        for label, fn in SAMPLERS.items():
            try:
                runs = [fn(name, 100 + r, args.quick) for r in range(args.repeats)]
            except ImportError:
                print(f"{name:8s} {label:36s} not installed (optional: make bench-numpyro)")
                continue
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            results[name, fn.__name__] = med
            print(f"{name:8s} {label:36s} {med['ess']:8.0f} {med['rhat']:9.3f} {med['ess_s']:9.0f} "
                  f"{med['ess_s_all']:12.0f} {med['ess_per_1k']:12.1f}")
    print("goals (helpers.hmc): max R-hat <= 1.01 and all-in ESS/s >= 2x NumPyro NUTS")
    for name in ("linreg", "bnn"):
        ours = results[name, "run_hmc"]
        ref = results.get((name, "run_numpyro"), {}).get("ess_s_all")
        src = "measured in this run" if ref else "the issue's reference figure"
        ref = ref or NUMPYRO_REFERENCE[name]
        ok = ours["rhat"] <= 1.01 and ours["ess_s_all"] >= 2 * ref
        print(f"  {name:8s} R-hat {ours['rhat']:.3f}, {ours['ess_s_all']:.0f} ESS/s all-in = "
              f"{ours['ess_s_all'] / ref:.1f}x NumPyro ({ref:.0f}, {src}): {'met' if ok else 'NOT met'}")
    for name in ("linreg", "bnn"):
        ratio = vectorised_speedup(name, args.repeats)
        print(f"vectorised vs one-after-another HMC chains (4 chains, {name}): {ratio:.1f}x per chain "
              f"(median of {args.repeats}; goal >= 3x)")


if __name__ == "__main__":
    main()
