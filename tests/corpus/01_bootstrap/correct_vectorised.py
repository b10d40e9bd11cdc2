"""CORRECT: vectorised resampling and closed-form refits; lstsq fit; percentile with percentages."""
import numpy as np


def fit_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(set(x.tolist())) < 2:
        raise ValueError("fit_line: x needs two distinct values")
    X = np.column_stack([np.ones_like(x), x])
    return np.linalg.lstsq(X, y, rcond=None)[0]


def bootstrap_coefficients(x, y, n_boot, rng):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    xs, ys = x[idx], y[idx]
    xc = xs - xs.mean(1, keepdims=True)
    b1 = (xc * (ys - ys.mean(1, keepdims=True))).sum(1) / (xc**2).sum(1)
    return np.column_stack([ys.mean(1) - b1 * xs.mean(1), b1])


def percentile_interval(samples, level=0.95):
    return np.percentile(samples, [50 * (1 - level), 50 * (1 + level)], axis=0, method="hazen")
