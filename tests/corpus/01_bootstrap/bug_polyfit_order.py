"""BUG: returns np.polyfit's (slope, intercept) order. Fails the fit_line checks."""
import numpy as np


def fit_line(x, y):
    if np.unique(x).size < 2:
        raise ValueError("need two distinct x")
    return np.polyfit(x, y, 1)
