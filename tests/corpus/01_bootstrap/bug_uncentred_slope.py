"""BUG: slope without centring (sum x y / sum x^2), a line through the origin. Fails the fit_line checks."""
import numpy as np


def fit_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if np.unique(x).size < 2:
        raise ValueError("need two distinct x")
    b1 = (x @ y) / (x @ x)
    return np.array([y.mean() - b1 * x.mean(), b1])
