"""BUG: a normal-approximation interval, mean ± z sd, instead of the percentiles: right only for normal samples (a spread shortcut). Fails test_interval_hidden (exponential and t columns) and the visible test."""
from statistics import NormalDist

import numpy as np


def percentile_interval(samples, level=0.95):
    samples = np.asarray(samples, dtype=float)
    z = NormalDist().inv_cdf((1 + level) / 2)
    m, s = samples.mean(axis=0), samples.std(axis=0, ddof=1)
    return np.array([m - z * s, m + z * s])
