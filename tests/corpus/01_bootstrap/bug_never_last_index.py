"""BUG: rng.integers(0, n - 1, size=n) never draws the last pair (integers' upper bound is exclusive)."""
import numpy as np


def bootstrap_coefficients(x, y, n_boot, rng):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    out = np.empty((n_boot, 2))
    for b in range(n_boot):
        idx = rng.integers(0, n - 1, size=n)
        out[b] = fit_line(x[idx], y[idx])
    return out
