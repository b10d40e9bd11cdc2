"""BUG: the loop runs range(1, n_boot), leaving row 0 at zero: one row in 4,000 hides in a share or an sd, but not at a small n_boot. Fails test_bootstrap_hidden (the exact-line rows) and the visible small-n bookkeeping."""
import numpy as np


def bootstrap_coefficients(x, y, n_boot, rng):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    out = np.zeros((n_boot, 2))
    for b in range(1, n_boot):
        idx = rng.integers(0, x.size, size=x.size)
        out[b] = fit_line(x[idx], y[idx])
    return out
