"""One statistical check shared by every sampler test (after emcee's test_proposal helper).

``moment_errors`` compares chains with an exact mean, sd and covariance. Each estimate's error is
approximately normal with sd = its Monte Carlo standard error (mcse), estimated from the chains
by ``helpers.diagnostics.mcse_mean`` (equal to ArviZ's to 1e-6, tests/test_diagnostics.py):
- mean of theta_k: mcse_mean(theta_k);
- sd of theta_k: the sd is sqrt(E[(theta_k - mu_k)^2]); by the delta method its mcse is
  mcse_mean((theta_k - mu_k)^2) / (2 sd_k);
- covariance of (theta_j, theta_k): mcse_mean((theta_j - mu_j)(theta_k - mu_k)).
The check fails when any |error| / mcse exceeds Z. With Z = 5 and the mcse itself estimated to
within ~10% from >= 1,000 effective draws, a correct sampler fails one statistic with probability
below P(|N(0,1)| > 4.5) = 7e-6, so a test of up to ten statistics fails correct code less than
once in 10,000 runs. Each test pairs the check with a negative control (a wrong target or a
broken sampler) that it must flag.

A chain that does not mix inflates its own mcse and could hide behind it, so the check also asks
for convergence: rank-normalised R-hat <= 1.01 and bulk ESS >= 400 for every coordinate. The
samplers under test reach ESS in the thousands here, where R-hat - 1 is of order 1/ESS per chain
(about 1e-3) and 1.01 is many standard deviations away.
"""

import numpy as np

from helpers.diagnostics import ess_bulk, mcse_mean, rhat

Z = 5.0
RHAT_MAX, ESS_MIN = 1.01, 400


def moment_errors(chains, mean, cov):
    """Standardised errors ``{name: z}`` of mean, sd and covariance; chains (n_chains, n_draws, d)."""
    chains = np.asarray(chains, dtype=float)
    mean, cov = np.asarray(mean, dtype=float), np.atleast_2d(np.asarray(cov, dtype=float))
    d = chains.shape[-1]
    sd = np.sqrt(np.diag(cov))
    centred = chains - mean
    z = {}
    for k in range(d):
        x = chains[..., k]
        z[f"mean[{k}]"] = (x.mean() - mean[k]) / mcse_mean(x)
        sq = centred[..., k] ** 2
        z[f"sd[{k}]"] = (np.sqrt(sq.mean()) - sd[k]) / (mcse_mean(sq) / (2 * sd[k]))
        for j in range(k):
            prod = centred[..., k] * centred[..., j]
            z[f"cov[{j},{k}]"] = (prod.mean() - cov[j, k]) / mcse_mean(prod)
    return z


def failures(chains, mean, cov, z_max=Z):
    """Every statistic beyond ``z_max`` mcse, and every coordinate that has not converged."""
    chains = np.asarray(chains, dtype=float)
    bad = {k: round(float(v), 1) for k, v in moment_errors(chains, mean, cov).items()
           if not abs(v) <= z_max}
    for k in range(chains.shape[-1]):
        x = chains[..., k]
        if chains.shape[0] > 1 and not rhat(x) <= RHAT_MAX:
            bad[f"rhat[{k}]"] = round(rhat(x), 3)
        if not ess_bulk(x) >= ESS_MIN:
            bad[f"ess_bulk[{k}]"] = round(ess_bulk(x))
    return bad


def assert_matches(chains, mean, cov):
    bad = failures(chains, mean, cov)
    assert not bad, f"standardised errors beyond {Z} (name: z): {bad}"


def assert_differs(chains, mean, cov):
    """The negative control: the same check must flag a wrong answer."""
    assert failures(chains, mean, cov), "the check did not notice a wrong target or broken sampler"
