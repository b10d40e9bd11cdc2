"""BUG: permutes instead of resampling with replacement (every refit is the same). Fails test_bootstrap_hidden."""
import numpy as np


def bootstrap_coefficients(x, y, n_boot, rng):
    x, y = np.asarray(x), np.asarray(y)
    out = np.empty((n_boot, 2))
    for b in range(n_boot):
        idx = rng.permutation(len(x))
        out[b] = fit_line(x[idx], y[idx])
    return out
