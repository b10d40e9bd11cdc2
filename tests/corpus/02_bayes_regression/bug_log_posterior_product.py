"""BUG: log_posterior as log(exp(log_prior) * exp(log_likelihood)): right on 50 points, -inf once the likelihood underflows (1,500 points, or a beta far from the data). Fails test_log_posterior_hidden and the visible test."""
import numpy as np


def log_posterior(beta, x, y, sigma_d, sigma0, sigma1):
    with np.errstate(divide="ignore"):
        return float(np.log(np.exp(log_prior(beta, sigma0, sigma1)) * np.exp(log_likelihood(beta, x, y, sigma_d))))
