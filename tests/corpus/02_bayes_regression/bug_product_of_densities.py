"""BUG: multiplies densities and takes the log at the end: underflows to -inf for many points."""
import numpy as np


def log_likelihood(beta, x, y, sigma_d):
    with np.errstate(divide="ignore"):
        dens = np.exp(-0.5 * ((y - beta[0] - beta[1] * x) / sigma_d) ** 2) / (sigma_d * np.sqrt(2 * np.pi))
        return float(np.log(np.prod(dens)))
