"""BUG: log_likelihood sums the logs of densities computed first: a point ~40 sds from the line has density 0.0 and the sum is -inf. Fails test_log_likelihood_hidden and the visible test."""
import numpy as np


def log_likelihood(beta, x, y, sigma_d):
    r = np.asarray(y) - (beta[0] + beta[1] * np.asarray(x))
    with np.errstate(divide="ignore"):
        return float(np.sum(np.log(np.exp(-0.5 * (r / sigma_d) ** 2) / (sigma_d * np.sqrt(2 * np.pi)))))
