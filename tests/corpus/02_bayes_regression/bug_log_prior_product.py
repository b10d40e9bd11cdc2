"""BUG: log_prior as the log of a product of the two densities: -inf once the product underflows (beta ~30 prior sds from 0), although each density alone is representable. Fails test_log_prior_hidden and the visible test."""
import numpy as np


def log_prior(beta, sigma0, sigma1):
    def pdf(z, s):
        return np.exp(-0.5 * (z / s) ** 2) / (s * np.sqrt(2 * np.pi))
    with np.errstate(divide="ignore"):
        return float(np.log(pdf(beta[0], sigma0) * pdf(beta[1], sigma1)))
