"""BUG: each resample has n - 1 pairs, not n."""
import numpy as np


def bootstrap_coefficients(x, y, n_boot, rng):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    out = np.empty((n_boot, 2))
    for b in range(n_boot):
        idx = rng.integers(0, n, size=n - 1)
        out[b] = fit_line(x[idx], y[idx])
    return out
