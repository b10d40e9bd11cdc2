"""CORRECT: rng.choice for the indices, scipy's linregress for the fit."""
import numpy as np
from scipy import stats


def fit_line(x, y):
    if np.ptp(np.asarray(x, dtype=float)) == 0:
        raise ValueError("x must have two distinct values")
    res = stats.linregress(x, y)
    return np.array([res.intercept, res.slope])


def bootstrap_coefficients(x, y, n_boot, rng):
    x, y = np.asarray(x), np.asarray(y)
    rows = []
    for _ in range(n_boot):
        i = rng.choice(len(x), size=len(x), replace=True)
        rows.append(fit_line(x[i], y[i]))
    return np.array(rows)
