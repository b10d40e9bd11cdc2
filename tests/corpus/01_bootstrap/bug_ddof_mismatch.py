"""BUG: slope = np.cov(x, y)[0, 1] / np.var(x): the covariance divides by n - 1, the variance by n, so the slope is n / (n - 1) too steep (a spread shortcut, hidden at large n). Fails the fit_line checks."""
import numpy as np


def fit_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if np.unique(x).size < 2:
        raise ValueError("need two distinct x")
    b1 = np.cov(x, y)[0, 1] / np.var(x)
    return np.array([y.mean() - b1 * x.mean(), b1])
