"""BUG: treats level as the tail probability: a tiny central interval. Fails test_interval_hidden."""
import numpy as np


def percentile_interval(samples, level=0.95):
    return np.quantile(samples, [level / 2, 1 - level / 2], axis=0)
