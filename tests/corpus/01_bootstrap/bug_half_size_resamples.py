"""BUG: resamples only half of the points (spread too large by ~sqrt(2)). Fails test_bootstrap_hidden."""
import numpy as np


def bootstrap_coefficients(x, y, n_boot, rng):
    x, y = np.asarray(x), np.asarray(y)
    out = np.empty((n_boot, 2))
    for b in range(n_boot):
        idx = rng.integers(0, len(x), size=len(x) // 2)
        out[b] = fit_line(x[idx], y[idx])
    return out
