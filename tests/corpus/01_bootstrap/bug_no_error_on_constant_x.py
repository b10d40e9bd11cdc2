"""BUG: returns nan instead of raising ValueError for constant x. Fails test_fit_line_hidden."""
import numpy as np


def fit_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    xc = x - x.mean()
    with np.errstate(all="ignore"):
        b1 = (xc @ (y - y.mean())) / (xc @ xc)
    return np.array([y.mean() - b1 * x.mean(), b1])
