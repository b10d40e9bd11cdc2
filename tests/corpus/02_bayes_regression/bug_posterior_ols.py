"""BUG: returns the least-squares fit, ignoring the prior. Fails test_posterior_hidden."""
import numpy as np


def posterior_mean_cov(x, y, sigma_d, sigma0, sigma1):
    X = np.column_stack([np.ones_like(x), x])
    cov = np.linalg.inv(X.T @ X) * sigma_d**2
    return np.linalg.lstsq(X, y, rcond=None)[0], cov
