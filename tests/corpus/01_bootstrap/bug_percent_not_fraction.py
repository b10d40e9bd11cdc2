"""BUG: passes percentages to np.quantile-like logic as fractions of 100 (uses np.percentile with fractions)."""
import numpy as np


def percentile_interval(samples, level=0.95):
    return np.percentile(samples, [(1 - level) / 2, (1 + level) / 2], axis=0)
