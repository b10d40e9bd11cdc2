"""BUG: uses sigma1 for the intercept and sigma0 for the slope."""
import numpy as np


def log_prior(beta, sigma0, sigma1):
    c = np.log(2 * np.pi)
    return float(-0.5 * (beta[0] / sigma1) ** 2 - np.log(sigma1) - 0.5 * c
                 - 0.5 * (beta[1] / sigma0) ** 2 - np.log(sigma0) - 0.5 * c)
