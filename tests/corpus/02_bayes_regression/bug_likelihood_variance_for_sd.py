"""BUG: log_likelihood treats sigma_d as a variance: right only when sigma_d = 1. Fails test_log_likelihood_hidden and the visible test."""
import numpy as np


def log_likelihood(beta, x, y, sigma_d):
    r = np.asarray(y) - (beta[0] + beta[1] * np.asarray(x))
    return float(-0.5 * np.sum(r**2) / sigma_d - 0.5 * r.size * np.log(2 * np.pi * sigma_d))
