"""BUG: resamples x and y with separate indices, breaking the pairs. Fails test_bootstrap_hidden."""
import numpy as np


def bootstrap_coefficients(x, y, n_boot, rng):
    out = np.empty((n_boot, 2))
    for b in range(n_boot):
        ix = rng.integers(0, len(x), size=len(x))
        iy = rng.integers(0, len(x), size=len(x))
        out[b] = fit_line(np.asarray(x)[ix], np.asarray(y)[iy])
    return out
