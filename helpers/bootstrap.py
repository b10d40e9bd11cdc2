"""The pairs bootstrap of a least-squares line and percentile intervals (Efron 1979)."""

import numpy as np

from ._checks import data_pair, generator, positive_int


def fit_line(x, y):
    """Least-squares intercept and slope ``(b0, b1)`` of ``y ~ b0 + b1 x``; shape (2,).

    Raises ``ValueError`` when ``x`` has fewer than two distinct values (the slope is undefined).
    """
    x, y = data_pair(x, y)
    xc = x - x.mean()
    sxx = xc @ xc
    if x.size < 2 or sxx <= 1e-12 * max(1.0, x @ x):
        raise ValueError("fit_line needs at least two distinct x values")
    b1 = xc @ (y - y.mean()) / sxx
    return np.array([y.mean() - b1 * x.mean(), b1])


def pairs_bootstrap(x, y, n_boot, rng, fit=fit_line):
    """Refit ``fit`` on ``n_boot`` resamples of the ``(x_i, y_i)`` pairs drawn with replacement.

    Returns
    -------
    ndarray, shape (n_boot, k)
        One row of fitted coefficients per resample (``k = 2`` for :func:`fit_line`).
    """
    x, y = data_pair(x, y)
    generator(rng)
    n_boot = positive_int(n_boot, "n_boot")
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    return np.array([fit(x[i], y[i]) for i in idx])


def percentile_interval(samples, level=0.95):
    """Central percentile interval of each column: rows ``(1-level)/2`` and ``(1+level)/2`` quantiles.

    Parameters
    ----------
    samples : ndarray, shape (n, k)
    level : float in (0, 1)

    Returns
    -------
    ndarray, shape (2, k): lower row, upper row.
    """
    samples = np.asarray(samples, dtype=float)
    if samples.ndim != 2:
        raise ValueError(f"samples must have shape (n, k), got {samples.shape}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")
    return np.quantile(samples, [(1.0 - level) / 2.0, (1.0 + level) / 2.0], axis=0)
