"""BUG: a parametric bootstrap that assumes noise sd 1: refits y_hat + N(0, 1) instead of resampling pairs, so the spread is right only when the data's noise sd is 1. Fails test_bootstrap_hidden (and the visible test)."""
import numpy as np


def bootstrap_coefficients(x, y, n_boot, rng):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    b0, b1 = fit_line(x, y)
    out = np.empty((n_boot, 2))
    for b in range(n_boot):
        out[b] = fit_line(x, b0 + b1 * x + rng.standard_normal(x.size))
    return out
