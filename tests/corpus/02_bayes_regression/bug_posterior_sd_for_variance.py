"""BUG: divides X'X and X'y by sigma_d instead of sigma_d^2: right only when sigma_d = 1. Fails test_posterior_hidden and the visible test."""
import numpy as np


def posterior_mean_cov(x, y, sigma_d, sigma0, sigma1):
    X = np.column_stack([np.ones_like(x), x])
    cov = np.linalg.inv(X.T @ X / sigma_d + np.diag([sigma0**-2.0, sigma1**-2.0]))
    return cov @ X.T @ y / sigma_d, cov
