"""Convergence diagnostics for chains of shape ``(n_chains, n_draws)``.

Rank-normalised split R-hat, bulk and tail effective sample size, and the Monte Carlo standard
error of the mean, as defined by Vehtari, Gelman, Simpson, Carpenter & Buerkner (2021),
"Rank-normalization, folding, and localization: an improved R-hat", Bayesian Analysis 16(2).
The definitions follow ArviZ 0.23 exactly (tests compare to 1e-6 relative).
"""

import numpy as np


def _chains(x, min_chains=1):
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (n_chains, n_draws), got {x.shape}")
    if x.shape[0] < min_chains or x.shape[1] < 4:
        raise ValueError(
            f"need at least {min_chains} chain(s) of at least 4 draws, got shape {x.shape}"
        )
    return x


def split_chains(x):
    """Split each chain into its first and last halves: (n_chains, n) -> (2 n_chains, n // 2)."""
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, -half:]], axis=0)


def z_scale(x):
    """Rank-normalise: ranks over all draws (ties averaged), Blom's offset, normal quantiles."""
    from scipy import stats  # here, not at the top: see helpers/bnn.py (grading's import time)

    ranks = stats.rankdata(x, method="average").reshape(x.shape)
    return stats.norm.ppf((ranks - 3 / 8) / (x.size - 2 * 3 / 8 + 1))


def autocov(x):
    """Autocovariance of each row at every lag (FFT, biased estimator dividing by n)."""
    n = x.shape[-1]
    m = 1 << (2 * n - 1).bit_length()
    xc = x - x.mean(axis=-1, keepdims=True)
    f = np.fft.rfft(xc, n=m, axis=-1)
    return np.fft.irfft(f * np.conjugate(f), n=m, axis=-1)[..., :n] / n


def autocorr(x):
    """Autocorrelation of each row at every lag; ``x`` of shape (..., n_draws)."""
    acov = autocov(np.asarray(x, dtype=float))
    return acov / acov[..., :1]


def _rhat(x):
    n = x.shape[1]
    between = n * np.var(x.mean(axis=1), ddof=1)
    within = np.mean(np.var(x, axis=1, ddof=1))
    return np.sqrt((between / within + n - 1) / n)


def _ess(x):
    """ESS of an already split (n_chains, n_draws) array: Geyer's initial monotone sequence."""
    n_chain, n_draw = x.shape
    if np.max(x) - np.min(x) < np.finfo(float).resolution:
        return float(x.size)
    acov = autocov(x)
    mean_var = np.mean(acov[:, 0]) * n_draw / (n_draw - 1.0)
    var_plus = mean_var * (n_draw - 1.0) / n_draw
    if n_chain > 1:
        var_plus += np.var(x.mean(axis=1), ddof=1)
    rho = np.zeros(n_draw)
    rho_even, rho_odd = 1.0, 1.0 - (mean_var - np.mean(acov[:, 1])) / var_plus
    rho[0], rho[1] = rho_even, rho_odd
    t = 1  # Geyer's initial positive sequence
    while t < n_draw - 3 and rho_even + rho_odd > 0.0:
        rho_even = 1.0 - (mean_var - np.mean(acov[:, t + 1])) / var_plus
        rho_odd = 1.0 - (mean_var - np.mean(acov[:, t + 2])) / var_plus
        if rho_even + rho_odd >= 0:
            rho[t + 1], rho[t + 2] = rho_even, rho_odd
        t += 2
    max_t = t - 2
    if rho_even > 0:
        rho[max_t + 1] = rho_even
    t = 1  # Geyer's initial monotone sequence
    while t <= max_t - 2:
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = rho[t + 2] = (rho[t - 1] + rho[t]) / 2.0
        t += 2
    tau = -1.0 + 2.0 * np.sum(rho[: max_t + 1]) + np.sum(rho[max_t + 1 : max_t + 2])
    tau = max(tau, 1.0 / np.log10(x.size))
    return float("nan") if np.isnan(rho).any() else x.size / tau


def rhat(x):
    """Rank-normalised split R-hat: the larger of the bulk and the folded (tail) R-hat.

    Values above 1.01 say the chains have not mixed. ``x``: (n_chains >= 2, n_draws >= 4).
    """
    split = split_chains(_chains(x, min_chains=2))
    folded = np.abs(split - np.median(split))
    return float(max(_rhat(z_scale(split)), _rhat(z_scale(folded))))


def ess_bulk(x):
    """Bulk effective sample size: ESS of the rank-normalised split chains."""
    return _ess(z_scale(split_chains(_chains(x))))


def ess_tail(x, prob=(0.05, 0.95)):
    """Tail ESS: the smaller ESS of the indicators ``x <= q`` at the 5% and 95% quantiles."""
    x = _chains(x)
    return min(_ess(split_chains((x <= np.quantile(x, p)).astype(float))) for p in prob)


def ess_mean(x):
    """ESS for the mean: split chains, no rank normalisation."""
    return _ess(split_chains(_chains(x)))


def mcse_mean(x):
    """Monte Carlo standard error of the posterior mean: ``sd / sqrt(ess_mean)``."""
    x = _chains(x)
    return float(np.std(x, ddof=1) / np.sqrt(ess_mean(x)))


def summary(samples, names=None):
    """Per-parameter table for ``samples (n_chains, n_draws, d)``: mean, sd, mcse, ESS, R-hat.

    Returns a list of dicts (one per parameter), easy to print or turn into a DataFrame.
    """
    samples = np.asarray(samples, dtype=float)
    if samples.ndim != 3:
        raise ValueError(f"samples must have shape (n_chains, n_draws, d), got {samples.shape}")
    names = names or [f"theta[{k}]" for k in range(samples.shape[2])]
    rows = []
    for k, name in enumerate(names):
        x = samples[:, :, k]
        rows.append({"name": name, "mean": x.mean(), "sd": x.std(ddof=1), "mcse": mcse_mean(x),
                     "ess_bulk": ess_bulk(x), "ess_tail": ess_tail(x),
                     "rhat": rhat(x) if x.shape[0] > 1 else float("nan")})
    return rows
