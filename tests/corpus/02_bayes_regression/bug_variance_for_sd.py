"""BUG: treats sigma0, sigma1 as variances in the prior. Fails test_log_prior_hidden, test_log_posterior_hidden."""
import numpy as np


def log_prior(beta, sigma0, sigma1):
    return float(-0.5 * beta[0] ** 2 / sigma0 - 0.5 * np.log(2 * np.pi * sigma0)
                 - 0.5 * beta[1] ** 2 / sigma1 - 0.5 * np.log(2 * np.pi * sigma1))
