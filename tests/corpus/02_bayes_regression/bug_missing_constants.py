"""BUG: log likelihood without its normalising constants. Fails the log-likelihood and log-posterior checks."""
import numpy as np


def log_likelihood(beta, x, y, sigma_d):
    return float(-0.5 * np.sum((y - beta[0] - beta[1] * x) ** 2) / sigma_d**2)
